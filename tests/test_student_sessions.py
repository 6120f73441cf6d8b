"""My Sessions: upcoming and past lists, cancel with confirmation, join, rate once."""

from __future__ import annotations

import webbrowser

from textual.widgets import DataTable, Input, Static

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import Role, SessionStatus
from mentor_tui.repository.local import LocalRepository
from mentor_tui.screens import call_link
from mentor_tui.screens.my_sessions import CancelScreen, MySessionsPane, RateScreen
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


async def open_my_sessions(app, pilot) -> MySessionsPane:
    await settle(app, pilot)
    await pilot.press("f2")
    await settle(app, pilot)
    return app.screen.query_one(MySessionsPane)


def rows(app, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{table_id}", DataTable)
    return [[cell.plain for cell in table.get_row_at(row)] for row in range(table.row_count)]


def detail(app) -> str:
    return str(app.screen.query_one("#session-detail", Static).content)


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


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
        table = app.screen.query_one("#upcoming", DataTable)
        styles = {str(table.get_row_at(row)[-1].style) for row in range(table.row_count)}
        past = app.screen.query_one("#past", DataTable)
        styles |= {str(past.get_row_at(row)[-1].style) for row in range(past.row_count)}
        assert styles == {"bold green", "bold yellow", "red", "cyan"}
        assert str(app.screen.query_one("#upcoming-title", Static).content) == "Upcoming · 2"


async def test_the_detail_shows_both_zones_and_what_to_do_next(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        text = detail(app)
        assert "Pandas group-by with Ana Souza" in text
        assert "Thu 26 Nov 11:00–12:00  your time (America/Chicago)\nThu 26 Nov 14:00–15:00  Ana's time (America/Sao_Paulo)" in text
        assert f"Meeting link: {MEETING_LINK}  j joins" in text
        await pilot.press("down")
        await pilot.pause()
        assert "Waiting for Ada to confirm. c cancels the request." in detail(app)
        await pilot.press("tab")  # the past list
        await pilot.pause()
        assert "Cancelled: My exam moved." in detail(app)
        await pilot.press("down")
        await pilot.pause()
        assert "How was it? r rates it, once." in detail(app)
        assert "Ben's feedback: Good progress; practise the exercises." in detail(app)
        await pilot.press("down")
        await pilot.pause()
        assert "You rated it ★★★★★  “Clear and patient.”" in detail(app)


async def test_cancel_asks_first_and_escape_keeps_the_session(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("down")  # Ada's pending request
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CancelScreen)
        assert "“Pytest fixtures” with Ada Byron, Mon 30 Nov 09:00" in str(app.screen.query_one(".about").content)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CancelScreen)
        assert (await session_named(world, "Pytest fixtures", clock)).status is SessionStatus.PENDING

        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press(*"Found the answer", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, CancelScreen)
        cancelled = await session_named(world, "Pytest fixtures", clock)
        assert cancelled.status is SessionStatus.CANCELLED
        assert cancelled.cancellation_reason == "Found the answer"
        assert [row[1] for row in rows(app, "upcoming")] == ["Ana Souza"]
        assert rows(app, "past")[0][:2] == ["Mon 30 Nov 09:00", "Ada Byron"]
        assert rows(app, "past")[0][-1] == "✕ Cancelled"


async def test_only_pending_or_confirmed_sessions_can_be_cancelled(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("tab", "down", "c")  # the completed "React state"
        await settle(app, pilot)
        assert not isinstance(app.screen, CancelScreen)
        assert "Only a pending or confirmed session can be cancelled." in messages(app)


async def test_rate_a_completed_session_once(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("r")  # the confirmed session: not yet
        await settle(app, pilot)
        assert "Only a completed session can be rated." in messages(app)

        await pilot.press("tab", "down", "r")  # React state, completed and unrated
        await settle(app, pilot)
        assert isinstance(app.screen, RateScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(app.screen.query_one("#modal-message").content).startswith("Pick 1 to 5 stars")
        await pilot.press("4")
        app.screen.query_one("#review").focus()
        await pilot.press(*"Patient and practical", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, RateScreen)
        rated = await session_named(world, "React state", clock)
        assert (rated.rating, rated.review) == (4, "Patient and practical")
        assert "You rated it ★★★★☆  “Patient and practical”" in detail(app)

        await pilot.press("r")  # a second time
        await settle(app, pilot)
        assert not isinstance(app.screen, RateScreen)
        assert "This session has already been rated." in messages(app)


async def test_a_rating_sent_meanwhile_elsewhere_refuses_this_one_inline(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("tab", "down", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, RateScreen)
        other = await act_as(world, "sam", clock)  # Sam on another device
        await other.rate_session(world.sessions["sam-ben-completed"], 5)
        await other.close()

        await pilot.press("2", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RateScreen)
        assert str(app.screen.query_one("#modal-message").content) == "This session has already been rated."
    assert (await session_named(world, "React state", clock)).rating == 5


async def test_join_copies_the_link_and_shows_it(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert app.clipboard == MEETING_LINK
        assert f"Copied to your clipboard: {MEETING_LINK}" in messages(app)
        await pilot.press("down", "j")  # pending: nothing to join yet
        await settle(app, pilot)
        assert "Only a confirmed session can be joined." in messages(app)


def test_the_browser_opens_only_where_the_person_sees_it(monkeypatch):
    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(call_link.sys, "platform", "linux")
    monkeypatch.setattr(webbrowser, "get", lambda: Graphical("firefox"))
    assert call_link.open_in_browser(MEETING_LINK) is False  # no screen: a headless host

    monkeypatch.setenv("DISPLAY", ":0")
    assert call_link.open_in_browser(MEETING_LINK) is True
    assert opened == [MEETING_LINK]

    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    assert call_link.open_in_browser(MEETING_LINK) is False  # it would open on the server

    monkeypatch.delenv("SSH_CONNECTION")
    monkeypatch.setattr(webbrowser, "get", lambda: webbrowser.GenericBrowser("lynx"))
    assert call_link.open_in_browser(MEETING_LINK) is False  # a console browser would take the terminal
    assert opened == [MEETING_LINK]


async def test_a_new_student_is_told_how_to_book(clock):
    repo = LocalRepository(paths.default_db_path(), paths.state_dir(), clock)
    await repo.sign_up("new@example.org", PASSWORD, "New Student", Role.STUDENT)
    await repo.close()
    app = MentorApp(LocalRepository(paths.default_db_path(), paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_my_sessions(app, pilot)
        assert pane.has_class("-none")
        assert str(app.screen.query_one("#sessions-none", Static).content) == (
            "You have no sessions yet.\nFind a mentor under Mentors (F1) and press ctrl+n to book one."
        )
        await pilot.press("f1")
        await settle(app, pilot)
        assert "No mentors have joined yet" in str(app.screen.query_one("#mentor-empty", Static).content)


async def test_a_reason_box_and_the_keep_button_leave_nothing_behind(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_sessions(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CancelScreen)
        assert app.screen.query_one("#reason", Input).has_focus
        app.screen.query_one(".close").press()
        await settle(app, pilot)
        assert not isinstance(app.screen, CancelScreen)
    assert (await session_named(world, "Pandas group-by", clock)).status is SessionStatus.CONFIRMED
