"""The Mentors search while typing: at most one query per pause, a newer search never
replaced by an older answer, keys typed before the first list arrives kept in the search
box, and the line saying how many more match than are shown.

The typing pause and the backend's answers are gates the test opens, so nothing here
depends on how fast the machine is."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from mentor_tui.domain.models import MentorPage
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens import mentors as mentors_module
from mentor_tui.screens.mentors import MentorsPane, more_line
from mentor_tui.services import Services
from pilot_support import until
from student_support import SIZE, settle, signed_in_app, world, world_template  # noqa: F401 (fixtures)


class Backend:
    """Wraps ``Services.list_mentors``: records each search's text, and holds the answer
    to a search whose text has a gate until the test opens it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.searches: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}
        original: Callable[..., Awaitable[MentorPage]] = Services.list_mentors

        async def list_mentors(services: Services, text: str = "", *args: object, **kwargs: object) -> MentorPage:
            self.searches.append(text)
            page = await original(services, text, *args, **kwargs)
            if text in self.gates:
                await self.gates[text].wait()
            return page

        monkeypatch.setattr(Services, "list_mentors", list_mentors)

    def hold(self, text: str) -> asyncio.Event:
        self.gates[text] = asyncio.Event()
        return self.gates[text]


@pytest.fixture
def backend(monkeypatch) -> Backend:
    return Backend(monkeypatch)


@pytest.fixture
def typing_pause(monkeypatch) -> asyncio.Event:
    """The pause after a key: over when the test sets the event (as if the person stopped typing)."""
    over = asyncio.Event()

    async def pause(_: MentorsPane) -> None:
        await over.wait()

    monkeypatch.setattr(MentorsPane, "_typing_pause", pause)
    return over


def search_box_focused(app) -> bool:
    """The section has given its search box the focus (a moment after it is shown)."""
    return app.focused is not None and app.focused.id == "mentor-search"


def names(app) -> list[str]:
    table = app.screen.query_one("#mentor-table", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


async def test_a_key_after_a_quiet_spell_searches_at_once_and_quicker_keys_wait_for_the_pause(
    world, clock, backend, monkeypatch
):
    monkeypatch.setattr(mentors_module, "TYPING_PAUSE", 3600)
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert backend.searches == [""]  # the tab's one load
        await pilot.press(*"pyth")
        await until(pilot, lambda: backend.searches == ["", "p"], "the search for p")
        for _ in range(5):
            await pilot.pause()
        # "p" searched at once; "y", "t" and "h" came within the pause, so they wait it out,
        # each cancelling the wait before it.
        assert backend.searches == ["", "p"]
        monkeypatch.setattr(mentors_module, "TYPING_PAUSE", 0)
        await pilot.press("o")
        await settle(app, pilot)
        assert backend.searches == ["", "p", "pytho"]
        assert names(app) == ["Ana Souza", "Dev Patel", "Ada Byron"]


async def test_an_older_answer_arriving_last_never_replaces_a_newer_one(world, clock, backend, typing_pause):
    typing_pause.set()
    app = await signed_in_app(world, clock)
    first_list = backend.hold("")
    async with app.run_test(size=SIZE) as pilot:
        while backend.searches != [""]:  # the tab's first load has asked and waits for its answer
            await pilot.pause()
        await until(pilot, lambda: search_box_focused(app), "the search box has the focus")
        await pilot.press(*"okoro")
        while names(app) != ["Ben Okoro"]:
            await pilot.pause()
        first_list.set()  # the first load's answer (every mentor) comes last
        await settle(app, pilot)
        assert names(app) == ["Ben Okoro"]
        assert app.screen.query_one("#mentor-search", Input).value == "okoro"


async def test_keys_typed_before_the_list_arrives_go_to_the_search_box(world, clock, backend, typing_pause):
    typing_pause.set()
    app = await signed_in_app(world, clock)
    first_list = backend.hold("")
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, HomeScreen):  # the remembered sign-in is being checked
            await pilot.pause()
        await until(pilot, lambda: search_box_focused(app), "the search box has the focus")
        # Before the first list has come: "q" and letters are text, not keys of the tab bar.
        assert backend.searches == [""] and not names(app)
        await pilot.press(*"q ana")
        search = app.screen.query_one("#mentor-search", Input)
        assert (app.is_running, app.focused, search.value) == (True, search, "q ana")
        assert app.screen.query_one("#sections", TabbedContent).active == "mentors"
        first_list.set()
        await pilot.press("ctrl+u", *"souza")
        await settle(app, pilot)
        assert names(app) == ["Ana Souza"]


async def test_a_page_of_the_first_matches_says_how_many_more(world, clock, monkeypatch):
    original = Services.list_mentors

    async def two_at_most(services: Services, text: str = "", expertise=None, order=None, limit: int = 0):
        return await original(services, text, expertise, order, limit=2)

    monkeypatch.setattr(Services, "list_mentors", two_at_most)
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        more = app.screen.query_one("#mentor-more", Static)
        assert len(names(app)) == 2
        assert more.display and str(more.content) == "Showing 2 of 5 — type to narrow your search"
        await pilot.press(*"okoro")
        await settle(app, pilot)
        assert names(app) == ["Ben Okoro"] and not more.display


def test_the_more_line_counts_with_thousands_separators():
    page = MentorPage(mentors=(), total=9812)
    assert more_line(page) == "Showing 0 of 9,812 — type to narrow your search"
    assert more_line(MentorPage()) == ""
