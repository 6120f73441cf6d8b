"""The Mentors tab's loads: the list does not wait for the student's own sessions, a
mentor's open times and reviews are asked for only where the cursor comes to rest, and the
footer is rebuilt only when what it offers changes.

The cursor's rest and the backend's answers are gates the test opens, so nothing here
depends on how fast the machine is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from mentor_tui.domain.models import Review, SessionView
from mentor_tui.screens.mentors import MentorsPane
from mentor_tui.services import Services
from mentor_tui.widgets.table import FittedTable
from pilot_support import until
from student_support import SIZE, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures)


def names(app) -> list[str]:
    """The names listed, none while the home screen is still coming."""
    table = app.screen.query("#mentor-table").first(DataTable) if app.screen.query("#mentor-table") else None
    return [] if table is None else [table.get_row_at(row)[0].plain for row in range(table.row_count)]


@pytest.fixture
def cursor_rest(monkeypatch) -> asyncio.Event:
    """The cursor's rest on a mentor: over when the test sets the event."""
    over = asyncio.Event()
    over.set()

    async def pause(_: MentorsPane) -> None:
        await over.wait()

    monkeypatch.setattr(MentorsPane, "_cursor_pause", pause)
    return over


@pytest.fixture
def reviews_asked(monkeypatch) -> list[str]:
    """The mentor of each ``mentor_reviews`` call, in order."""
    asked: list[str] = []
    original: Callable[..., Awaitable[list[Review]]] = Services.mentor_reviews

    async def mentor_reviews(services: Services, mentor_id: str, *args: object, **kwargs: object) -> list[Review]:
        asked.append(mentor_id)
        return await original(services, mentor_id, *args, **kwargs)

    monkeypatch.setattr(Services, "mentor_reviews", mentor_reviews)
    return asked


async def test_the_detail_is_asked_for_only_where_the_cursor_rests(world, clock, cursor_rest, reviews_asked):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#mentor-table", FittedTable)
        assert reviews_asked == [table.selected_key]  # the first mentor, selected as the list came
        reviews_asked.clear()
        cursor_rest.clear()
        table.focus()
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert reviews_asked == []  # still moving
        assert "loading…" in str(app.screen.query_one("#mentor-detail-text").content)
        cursor_rest.set()
        await settle(app, pilot)
        assert reviews_asked == [table.selected_key] and table.cursor_row == 3
        assert "loading…" not in str(app.screen.query_one("#mentor-detail-text").content)


async def test_the_list_does_not_wait_for_the_students_own_sessions(world, clock, monkeypatch):
    answered = asyncio.Event()
    original: Callable[[Services], Awaitable[list[SessionView]]] = Services.my_sessions

    async def my_sessions(services: Services) -> list[SessionView]:
        sessions = await original(services)
        await answered.wait()
        return sessions

    monkeypatch.setattr(Services, "my_sessions", my_sessions)
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(names(app)), "the directory lists the mentors")
        assert len(names(app)) == 5  # while the student's sessions are still being read
        pane = app.screen.query_one(MentorsPane)
        assert pane.check_action("message", ()) is False  # not known yet whom they may write to
        answered.set()
        await settle(app, pilot)
        assert names(app)[0] == "Ana Souza" and pane.check_action("message", ()) is True  # Sam's mentor


async def test_the_footer_is_rebuilt_only_when_booking_or_writing_changes(world, clock, monkeypatch):
    told: list[str | None] = []
    original = MentorsPane.refresh_bindings

    def refresh_bindings(pane: MentorsPane) -> None:
        told.append(pane.query_one("#mentor-table", FittedTable).selected_key)
        original(pane)

    monkeypatch.setattr(MentorsPane, "refresh_bindings", refresh_bindings)
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # Ana, Dev, Ben, Ada, Chloé: Sam has sessions with all but Dev, so may write to them.
        assert names(app) == ["Ana Souza", "Dev Patel", "Ben Okoro", "Ada Byron", "Chloé Martin"]
        app.screen.query_one("#mentor-table").focus()
        await settle(app, pilot)
        told.clear()
        shown = []
        for _ in range(4):
            await pilot.press("down")
            await settle(app, pilot)
            shown.append("message" in {key.action for key in app.screen.query(FooterKey)})
        assert shown == [False, True, True, True]
        assert len(told) == 2  # to Dev (no writing) and back (Ben); Ada and Chloé change nothing
