"""Every screen of both roles on a database full of hostile text, through Pilot at 80x24, on
both backends: the embedded one and Supabase through the PostgREST/GoTrue test gateway.

The text must show as text: no crash, no error, nothing on screen that a click would run
(no ``@click`` meta from the data), and clicking every title, border title, text line, table
row and option runs nothing: the app keeps running and writes no screenshot.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Footer, Input, OptionList, Select, Static, Tabs
from textual.widgets._header import HeaderTitle

from clocks import FixedClock
from mentor_tui import paths
from mentor_tui.app import MentorApp
from gateway import Gateway, project_database
from mentor_tui.clock import SystemClock
from mentor_tui.repository.local import LocalRepository
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.dashboard_sessions import SessionsPane
from mentor_tui.screens.inbox import InboxScreen
from mentor_tui.widgets.message_thread import MessageThread
from mentor_tui.widgets.session_actions import SESSION_KEYS
from mentor_tui.widgets.session_actions import SessionActions
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.session_notes import NotesMarkdown
from mentor_tui.widgets.session_table import SessionTable

from hostile_text import (
    BESIDE_SESSIONS,
    MENTOR_EMAIL,
    STUDENT_EMAIL,
    HostileWorld,
    build_hostile_world,
    remember_sign_in,
)
from hostile_text_supabase import build_hostile_project, gateway_repository, remember_gateway_sign_in
from pilot_support import click_at, settle, until
from student_support import NOW

SIZE = (80, 24)
STUDENT_SECTIONS = ("f2", "f3", "f4")
MENTOR_SECTIONS = ("f2", "f3", "f4", "f5", "f6")
MESSAGES = {"student": "f5", "mentor": "f7"}
CALENDAR = {"student": "f6", "mentor": "f5"}


@dataclass
class HostileBackend:
    """The hostile world on one backend, and how to open the app on it signed in as someone."""

    world: HostileWorld
    open_app: Callable[[str], Awaitable[MentorApp]]


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory) -> HostileWorld:
    """Built once: signing people up (scrypt) is the slow part."""
    folder = tmp_path_factory.mktemp("hostile")
    return asyncio.run(build_hostile_world(folder / "mentor-tui.db", folder / "screenshots", NOW))


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Iterator[tuple[str, HostileWorld]]:
    """A Supabase project (gateway) whose rows hold the hostile text, as legacy rows would."""
    folder = tmp_path_factory.mktemp("hostile-project")
    with project_database("hostile") as url:
        yield url, asyncio.run(build_hostile_project(url, Gateway(url), folder, folder / "screenshots"))


def _local(request: pytest.FixtureRequest) -> HostileBackend:
    template: HostileWorld = request.getfixturevalue("hostile_template")
    db_path = paths.default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template.db_path, db_path)
    world = replace(template, db_path=db_path)

    async def open_app(email: str) -> MentorApp:
        clock = FixedClock(NOW)
        await remember_sign_in(world, paths.state_dir(), email, clock)
        return MentorApp(LocalRepository(world.db_path, paths.state_dir(), clock), clock)

    return HostileBackend(world, open_app)


def _gateway(request: pytest.FixtureRequest) -> HostileBackend:
    url, world = request.getfixturevalue("hostile_project")
    gateway = Gateway(url)
    request.addfinalizer(lambda: _no_grammar_errors(gateway))

    async def open_app(email: str) -> MentorApp:
        await remember_gateway_sign_in(gateway, paths.state_dir(), email)
        return MentorApp(gateway_repository(gateway, paths.state_dir()), SystemClock())

    return HostileBackend(world, open_app)


def _no_grammar_errors(gateway: Gateway) -> None:
    assert not gateway.grammar_errors, gateway.grammar_errors


@pytest.fixture(params=["local", "gateway"])
def hostile_backend(request: pytest.FixtureRequest) -> HostileBackend:
    return _local(request) if request.param == "local" else _gateway(request)


async def hostile_app(backend: HostileBackend, email: str, monkeypatch) -> tuple[MentorApp, list[tuple[str, str]]]:
    app = await backend.open_app(email)
    seen: list[tuple[str, str]] = []
    notify = app.notify

    def record(message: str, **kwargs) -> None:
        seen.append((message, kwargs.get("severity", "information")))
        notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", record)
    return app, seen


def screen_text_and_actions(app: MentorApp) -> tuple[str, list[object]]:
    """What the screen shows, and every click action its content carries, but for the links of
    session notes: Markdown makes them clickable, and a click only shows the address (tested in
    ``test_session_notes_ui.py``), which this sweep's clicks check too (nothing opened, nothing run)."""
    lines, actions = [], []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        lines.append(strip.text)
        x = 0
        for segment in strip:
            if segment.style and "@click" in segment.style.meta and not _in_notes(app, x, y):
                actions.append(segment.style.meta["@click"])
            x += segment.cell_length
    return "\n".join(lines), actions


def _in_notes(app: MentorApp, x: int, y: int) -> bool:
    widget, _ = app.screen.get_widget_at(x, y)
    return any(isinstance(node, NotesMarkdown) for node in (widget, *widget.ancestors))


_NOT_CLICKED = (Footer, Tabs, Input, Select)
"""Controls whose clicks do the app's own things (quit, sign out, switch tab, type): not data."""


def _clickable_text(widget, app: MentorApp) -> bool:
    if any(isinstance(node, _NOT_CLICKED) for node in (widget, *widget.ancestors)):
        return False
    return isinstance(widget, (Static, DataTable, OptionList, HeaderTitle)) or bool(widget.border_title)


def data_positions(app: MentorApp) -> list[tuple[int, int]]:
    """Where the data's markup or escapes start on screen, and every border title: where a click would act."""
    positions = set()
    text, _ = screen_text_and_actions(app)
    for y, line in enumerate(text.splitlines()):
        for marker in ("[@click", "␛"):
            start = line.find(marker)
            while start != -1:
                positions.add((start, y))
                start = line.find(marker, start + 1)
    for widget in app.screen.query("*"):
        if widget.border_title and widget.display and widget.region:
            positions.add((widget.region.x + 2, widget.region.y))
    return sorted(positions, key=lambda p: (p[1], p[0]))


async def click_all_text(app: MentorApp, pilot, world: HostileWorld) -> int:
    """Click wherever data shows in a title, border title, text, table cell or option."""
    clicks = 0
    for x, y in data_positions(app):
        widget, _ = app.screen.get_widget_at(x, y)
        if not _clickable_text(widget, app):
            continue
        await click_at(pilot, x, y)
        clicks += 1
        assert app.return_code is None and app.is_running
    assert not list(world.screenshot_dir.glob("*")) and not Path("x.db").exists()
    return clicks


async def check_screen(app: MentorApp, pilot, world: HostileWorld, shown: list[str]) -> None:
    await settle(app, pilot)
    text, actions = screen_text_and_actions(app)
    assert actions == []
    shown.append(text)
    assert await click_all_text(app, pilot, world) > 0
    await settle(app, pilot)
    assert screen_text_and_actions(app)[1] == []


def assert_shown_as_text(shown: list[str], seen: list[tuple[str, str]]) -> None:
    everything = "\n".join(shown)
    for marker in BESIDE_SESSIONS.values():  # the reply, notes, no-show and move were each on screen
        assert marker in everything, marker
    assert "[@click=app.quit]" in everything  # the markup is on screen, as text
    assert "␛]52;c;aGVsbG8=␇" in everything or "␛]0;owned␇" in everything  # escapes shown as symbols
    assert "\x1b" not in everything and "\u202e" not in everything and "\x9b" not in everything
    assert [message for message, severity in seen if severity == "error"] == []


async def visit_messages(app: MentorApp, pilot, world: HostileWorld, role: str, shown: list[str]) -> None:
    """The Messages section opens on the hostile conversation, whose thread holds the long body
    and the other body's markup and escapes as text; then it is checked as every section is."""
    await pilot.press(MESSAGES[role])
    await settle(app, pilot)
    thread = app.screen.query_one(MessageThread).query_one(Static).content
    assert isinstance(thread, Text)
    assert "x" * 40 in thread.plain and "[@click=app.quit]Quit[/]" in thread.plain
    assert "␛]52;c;aGVsbG8=␇" in thread.plain and "\x1b" not in thread.plain
    await check_screen(app, pilot, world, shown)


async def visit_inbox(app: MentorApp, pilot, shown: list[str]) -> None:
    """The inbox (F8) lists the hostile names and excerpts as text. Not clicked: a click on a
    line goes where it points, as Enter does."""
    await pilot.press("f8")
    await settle(app, pilot)
    assert isinstance(app.screen, InboxScreen)
    text, actions = screen_text_and_actions(app)
    assert actions == [] and "␛]52;c;aGVsbG8=␇" in text and "\x1b" not in text
    shown.append(text)
    await pilot.press("escape")
    await settle(app, pilot)


async def visit_sections(app: MentorApp, pilot, world: HostileWorld, keys: tuple[str, ...], shown: list[str]) -> None:
    """Show each section and check it; in the sessions section (F3), every session's detail too."""
    for key in keys:
        await pilot.press(key)
        await check_screen(app, pilot, world, shown)
        if key == "f3":  # the invalid ones included
            for _ in range(6):
                await pilot.press("down")
                await check_screen(app, pilot, world, shown)
    assert app.return_code is None


async def visit_beside_sessions(app: MentorApp, pilot, world: HostileWorld, shown: list[str]) -> None:
    """In the sessions section (F3), the completed session's detail page by page (the mentor's
    reply, the no-show, the rendered notes) and the confirmed one's (the request to move it):
    each page shown as text, with no click action but a notes link's, which only shows its address."""
    await pilot.press("f3")
    await settle(app, pilot)
    pane = next(shown_pane for shown_pane in app.screen.query(SessionActions) if shown_pane.showing)
    for name in ("completed", "confirmed"):
        table = next(t for t in pane.session_tables() if world.sessions[name] in [v.session.id for v in t.views])
        table.focus()
        table.move_cursor(row=[v.session.id for v in table.views].index(world.sessions[name]))
        await settle(app, pilot)
        detail = pane.query_one(SessionDetail)
        detail.scroll_home(animate=False)  # from the top: the last session's may have left it scrolled
        await settle(app, pilot)
        await until(pilot, lambda: detail.scroll_y == 0 and detail.max_scroll_y > 0, "the long detail laid out")
        while True:
            text, actions = screen_text_and_actions(app)
            assert actions == []
            shown.append(text)
            if detail.scroll_y >= detail.max_scroll_y:
                break
            detail.scroll_page_down(animate=False)
            await settle(app, pilot)


async def visit_calendar(app: MentorApp, pilot, world: HostileWorld, role: str, shown: list[str]) -> None:
    """The calendar's week grid, then its agenda of upcoming sessions, whose rows name the other person."""
    await pilot.press(CALENDAR[role])
    await check_screen(app, pilot, world, shown)
    await pilot.press("v")
    await check_screen(app, pilot, world, shown)
    assert "[@click=app" in shown[-1]  # a hostile subject or name, as text, in the agenda
    await pilot.press("v")


async def test_every_student_screen_shows_hostile_text_as_text_and_no_click_acts(hostile_backend, monkeypatch):
    app, seen = await hostile_app(hostile_backend, STUDENT_EMAIL, monkeypatch)
    world = hostile_backend.world
    shown: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await check_screen(app, pilot, world, shown)  # Mentors, the first section
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingScreen)
        await check_screen(app, pilot, world, shown)
        await pilot.press("escape")
        await visit_sections(app, pilot, world, STUDENT_SECTIONS[1:], shown)
        await visit_beside_sessions(app, pilot, world, shown)
        await visit_calendar(app, pilot, world, "student", shown)
        await visit_messages(app, pilot, world, "student", shown)
        await visit_inbox(app, pilot, shown)
    assert_shown_as_text(shown, seen)
    assert "invalid time" in "\n".join(shown)


async def test_every_mentor_screen_shows_hostile_text_as_text_and_no_click_acts(hostile_backend, monkeypatch):
    app, seen = await hostile_app(hostile_backend, MENTOR_EMAIL, monkeypatch)
    world = hostile_backend.world
    shown: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await visit_sections(app, pilot, world, MENTOR_SECTIONS, shown)
        for _ in range(8):  # on down Settings to the public profile: expertise, bio, call room
            await pilot.press("tab", "tab", "tab")
            await check_screen(app, pilot, world, shown)
            if "Call room" in shown[-1]:
                break
        assert "Call room" in shown[-1]
        await visit_beside_sessions(app, pilot, world, shown)
        await visit_calendar(app, pilot, world, "mentor", shown)
        await visit_messages(app, pilot, world, "mentor", shown)
        await visit_inbox(app, pilot, shown)
    assert_shown_as_text(shown, seen)
    assert "invalid time" in "\n".join(shown)


async def test_a_session_with_an_invalid_time_offers_no_action(hostile_backend, monkeypatch):
    app, seen = await hostile_app(hostile_backend, MENTOR_EMAIL, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        pane = app.screen.query_one(SessionsPane)
        table = pane.query_one(SessionTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            view = pane.selected_view()
            assert view is not None
            if view.session.time_invalid:
                assert not any(pane.check_action(action, ()) for action in SESSION_KEYS)
                assert "invalid time" in pane.query_one(SessionDetail).text
        assert any(view.session.time_invalid for view in table.views)
    assert [message for message, severity in seen if severity == "error"] == []


# Local only: the reminder needs the clock moved, and the gateway's world runs on the real one.
@pytest.mark.parametrize("hostile_backend", ["local"], indirect=True)
async def test_a_reminder_and_the_call_it_offers_show_hostile_text_as_text(hostile_backend, monkeypatch):
    """The reminder toast names the hostile subject and mentor; the join key then offers the
    session's call, whose hostile link is refused in a warning titled with the mentor's name.
    Each toast's title and text hold the markup as text and no control character."""
    app, seen = await hostile_app(hostile_backend, STUDENT_EMAIL, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        confirmed = hostile_backend.world.sessions["confirmed"]
        views = await app.ctx.services.my_sessions_as_stored()
        start = next(view.session.scheduled_time for view in views if view.session.id == confirmed)
        app.ctx.clock.advance(start - timedelta(minutes=5) - app.ctx.clock.now())
        await app.check_reminders()
        await pilot.press("escape")  # from the directory's search box to its list
        await pilot.press("o")
        await settle(app, pilot)
        assert screen_text_and_actions(app)[1] == []
        toasts = {note.message.split(":", 1)[0]: note for note in app._notifications}
    reminder, refused = toasts["Starts in 5 min"], toasts["This session's call link is not a valid https"]
    assert "[@click=app" in reminder.message and refused.title.startswith("Call with [@click=app")
    for shown_text in (reminder.title, reminder.message, refused.title, refused.message):
        assert "\x1b" not in shown_text and "\u202e" not in shown_text and "\x9b" not in shown_text
    assert not reminder.markup and not refused.markup
    assert [message for message, severity in seen if severity == "error"] == []
