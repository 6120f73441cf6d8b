"""My Sessions: upcoming and past lists, cancel with an optional reason, join, copy the link, rate once."""

from __future__ import annotations

import webbrowser

from student_support import (  # noqa: F401 (fixtures)
    MEETING_LINK,
    PASSWORD,
    SIZE,
    WIDE,
    act_as,
    sessions_of,
    settle,
    signed_in_app,
    world,
    world_template,
)
from textual.widgets import DataTable, Input, Static

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import Role, SessionStatus
from mentor_tui.repository.local import LocalRepository
from mentor_tui.screens.my_sessions import MySessionsPane
from mentor_tui.widgets import session_call
from mentor_tui.widgets.dialog import ConfirmDialog
from mentor_tui.widgets.notice import Notice
from mentor_tui.widgets.session_call import CallDialog
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.session_dialogs import PICK_RATING, RatingDialog, ReasonDialog
from pilot_support import paste


async def open_my_sessions(app, pilot) -> MySessionsPane:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    return app.screen.query_one(MySessionsPane)


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


def detail(app) -> str:
    return app.screen.query_one(SessionDetail).text


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


def footer_actions(app) -> set[str]:
    """The session actions the footer shows now."""
    return {
        binding.action
        for _, binding, enabled, _ in app.screen.active_bindings.values()
        if binding.show and enabled
    } & {"confirm", "decline", "cancel", "complete", "rate", "join", "copy_link"}


async def session_named(world, subject: str, clock):
    return next(v.session for v in await sessions_of(world, "sam", clock) if v.session.subject == subject)


async def test_upcoming_and_past_in_my_zone_with_cost_and_a_status_seen_at_a_glance(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_my_sessions(app, pilot)
        # Times in Chicago (UTC-6); the soonest upcoming first, the latest past first.
        assert rows(app, "upcoming") == [
            ["Thu 26 Nov 11:00", "Ana Souza", "Pandas group-by", "60", "$70.00", "✔ Confirmed"],
            ["Mon 30 Nov 09:00", "Ada Byron", "Pytest fixtures", "60", "$90.00", "◷ Pending"],
        ]
        assert rows(app, "past") == [
            ["Fri 20 Nov 03:00", "Chloé Martin", "Writing a spec", "30", "$55.00", "✕ Cancelled"],
            ["Tue 17 Nov 09:00", "Ben Okoro", "React state", "45", "$37.50", "★ Completed"],
            ["Tue 10 Nov 11:00", "Ana Souza", "Intro to forecasting", "60", "$70.00", "★ Completed"],
        ]
        # Each status has its own colour as well as its own word and mark.
        styles = set()
        for table_id in ("upcoming", "past"):
            table = app.screen.query_one(f"#{table_id}", DataTable)
            styles |= {str(table.get_row_at(row)[-1].style) for row in range(table.row_count)}
        assert styles == {"bold green", "bold yellow", "red", "cyan"}
        assert str(app.screen.query_one("#upcoming-title", Static).content) == "Upcoming · 2"
        header = [str(column.label) for column in app.screen.query_one("#past", DataTable).columns.values()]
        assert header == ["When", "Mentor", "Subject", "Min", "Cost", "Status"]


async def test_the_columns_fit_80_columns_without_a_horizontal_scrollbar(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        for table_id in ("upcoming", "past"):
            table = app.screen.query_one(f"#{table_id}", DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
            assert not table.show_horizontal_scrollbar


async def test_the_detail_shows_both_zones_and_names_the_keys_that_apply(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        text = detail(app)
        assert text.startswith(
            "Pandas group-by with Ana Souza\n"
            "Thu 26 Nov 11:00–12:00  your time (America/Chicago), 60 min\n"
            "Thu 26 Nov 14:00–15:00  Ana's time (America/Sao_Paulo)\n"
            "✔ Confirmed\n"
        )
        assert f"Call: {MEETING_LINK}" in text
        assert text.endswith("\nKeys: x Cancel · o Join call · y Copy link · s Reschedule")
        assert footer_actions(app) == {"cancel", "join", "copy_link"}

        await pilot.press("down")
        await pilot.pause()
        assert detail(app).endswith("\nWaiting for Ada to confirm. Keys: x Cancel · s Reschedule")
        assert footer_actions(app) == {"cancel"}

        await pilot.press("tab")  # the past list
        await pilot.pause()
        assert "✕ Cancelled by you: My exam moved." in detail(app)
        assert detail(app).endswith("Nothing to do with this session.")
        assert footer_actions(app) == set()

        await pilot.press("down")
        await pilot.pause()
        assert "Feedback: Good progress; practise the exercises." in detail(app)
        assert detail(app).endswith("\nHow was it? Keys: r Rate · n No-show")
        assert footer_actions(app) == {"rate"}

        await pilot.press("down")
        await pilot.pause()
        assert "Rating: ★★★★★  “Clear and patient.”" in detail(app)
        assert footer_actions(app) == set()


async def test_cancel_asks_for_an_optional_reason_and_escape_keeps_the_session(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("down")  # Ada's pending request
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        about = str(app.screen.query_one("#dialog-about", Static).content)
        assert "“Pytest fixtures” with Ada Byron, Mon 30 Nov 09:00" in about
        assert app.screen.query_one("#cancellation_reason", Input).has_focus
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert not isinstance(app.screen, ReasonDialog)
        assert (await session_named(world, "Pytest fixtures", clock)).status is SessionStatus.PENDING

        await pilot.press("x")
        await settle(app, pilot)
        await pilot.press(*"Found the answer", "escape")  # something typed: asks first
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # keep editing
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        assert app.screen.query_one("#cancellation_reason", Input).value == "Found the answer"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReasonDialog)
        cancelled = await session_named(world, "Pytest fixtures", clock)
        assert cancelled.status is SessionStatus.CANCELLED
        assert cancelled.cancellation_reason == "Found the answer"
        assert "Cancelled “Pytest fixtures”." in messages(app)
        assert [row[1] for row in rows(app, "upcoming")] == ["Ana Souza"]
        assert rows(app, "past")[0][:2] == ["Mon 30 Nov 09:00", "Ada Byron"]
        assert rows(app, "past")[0][-1] == "✕ Cancelled"


async def test_a_key_that_does_not_apply_is_neither_shown_nor_run_and_a_stale_one_is_explained(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_my_sessions(app, pilot)
        await pilot.press("r")  # the confirmed session is still ahead: no Rate
        await pilot.press("tab", "down", "x")  # the completed "React state": no Cancel
        await settle(app, pilot)
        assert isinstance(app.screen.query_one(MySessionsPane), MySessionsPane)
        assert not app.screen.is_modal
        assert "cancel" not in footer_actions(app)
        # Run anyway (as a stale footer would): the services say why not.
        pane.action_cancel()
        await settle(app, pilot)
        assert "Only a pending or confirmed session can be cancelled." in messages(app)
        assert not app.screen.is_modal


async def test_rate_a_completed_session_once(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("tab", "down", "r")  # React state, completed and unrated
        await settle(app, pilot)
        assert isinstance(app.screen, RatingDialog)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(app.screen.query_one("#dialog-error", Static).content) == PICK_RATING
        await pilot.press("4")
        assert app.screen.rating == 4
        app.screen.query_one("#review").focus()
        await pilot.press(*"Patient, 5 stars", "enter")  # digits in the comment are typing
        await settle(app, pilot)
        assert not isinstance(app.screen, RatingDialog)
        rated = await session_named(world, "React state", clock)
        assert (rated.rating, rated.review) == (4, "Patient, 5 stars")
        assert "Rating: ★★★★☆  “Patient, 5 stars”" in detail(app)
        assert "Thank you: your ★★★★☆ for “React state” is saved." in messages(app)
        assert "rate" not in footer_actions(app)  # once


async def test_the_comment_box_of_the_rating_dialog_is_visible_at_80x24(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("tab", "down", "r")
        await settle(app, pilot)
        review = app.screen.query_one("#review", Input)
        assert review.region.height >= 1 and review.region.bottom <= SIZE[1] - 1  # above the footer
        send = app.screen.query_one("#dialog-ok")
        assert send.region.height >= 1 and send.region.bottom <= SIZE[1] - 1


async def test_a_rating_sent_meanwhile_elsewhere_refuses_this_one_inside_the_dialog(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("tab", "down", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, RatingDialog)
        other = await act_as(world, "sam", clock)  # Sam on another device
        await other.rate_session(world.sessions["sam-ben-completed"], 5)
        await other.close()

        await pilot.press("2")
        app.screen.query_one("#review").focus()
        await pilot.pause()
        await paste(pilot, "Kept as typed")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RatingDialog)
        assert str(app.screen.query_one("#dialog-error", Static).content) == "This session has already been rated."
        assert app.screen.rating == 2
        assert app.screen.query_one("#review", Input).value == "Kept as typed"
    assert (await session_named(world, "React state", clock)).rating == 5


async def test_join_copies_the_link_and_y_copies_it_alone(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert app.clipboard == MEETING_LINK
        assert isinstance(app.screen, CallDialog)  # the link, what was done with it, its QR code
        await pilot.press("escape")
        await settle(app, pilot)

        app.copy_to_clipboard("")
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == MEETING_LINK
        assert f"Copied the call link: {MEETING_LINK}" in messages(app)

        await pilot.press("down")  # pending: nothing to join yet, and neither key shows
        await pilot.pause()
        assert not {"join", "copy_link"} & footer_actions(app)


def test_the_browser_opens_only_where_the_person_sees_it(monkeypatch):
    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(session_call.sys, "platform", "linux")
    monkeypatch.setattr(webbrowser, "get", lambda: Graphical("firefox"))
    assert session_call.open_in_browser(MEETING_LINK) is False  # no screen: a headless host

    monkeypatch.setenv("DISPLAY", ":0")
    assert session_call.open_in_browser(MEETING_LINK) is True
    assert opened == [MEETING_LINK]

    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    assert session_call.open_in_browser(MEETING_LINK) is False  # it would open on the server

    monkeypatch.delenv("SSH_CONNECTION")
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("lynx"))
    assert session_call.open_in_browser(MEETING_LINK) is False  # a console browser would take the terminal
    assert opened == [MEETING_LINK]


async def test_a_new_student_is_told_how_to_book(clock):
    repo = LocalRepository(paths.default_db_path(), paths.state_dir(), clock)
    await repo.sign_up("new@example.org", PASSWORD, "New Student", Role.STUDENT)
    await repo.close()
    app = MentorApp(LocalRepository(paths.default_db_path(), paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_my_sessions(app, pilot)
        assert pane.has_class("-none")
        assert str(app.screen.query_one("#sessions-none", Notice).content) == (
            "You have no sessions yet.\nFind a mentor under Mentors (F2) and press ctrl+n to book one."
        )
        await pilot.press("ctrl+r")  # an empty pane keeps its keys
        await settle(app, pilot)
        assert pane.has_class("-none")


async def test_the_keep_button_leaves_nothing_behind(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.click("#dialog-back")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReasonDialog)
    assert (await session_named(world, "Pandas group-by", clock)).status is SessionStatus.CONFIRMED
