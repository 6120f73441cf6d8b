"""Joining a call from a session, for both roles: a dialog with the link as a terminal hyperlink
(OSC 8), what was done with it (opened or copied), and a QR code of it drawn in the terminal."""

from __future__ import annotations

import asyncio
import webbrowser
from datetime import timedelta
from pathlib import Path

import pytest
import student_support
from hostile_text import OSC8, OSC52, hostile
from session_kit_support import MENTOR, Answers, PaneApp, session, view_of
from session_kit_support import settle as settle_kit
from student_support import (
    MEETING_LINK,
    SIZE,
    app_for,
    remember_sign_in,
    settle,
    signed_in_app,
)
from test_imports import modules_after
from textual.widgets import Static

from mentor_tui.domain.models import SessionStatus
from mentor_tui.screens.dashboard_sessions import SessionsPane
from mentor_tui.widgets import session_call
from mentor_tui.widgets.qr import BLOCKS, QUIET_ZONE, half_blocks, qr_code, qr_matrix
from mentor_tui.widgets.session_call import CallDialog

world_template = student_support.world_template
world = student_support.world

JITSI = "https://meet.jit.si/mentor-tui-" + "0123456789abcdef" * 2
"""A link as a confirmation makes it (domain.meeting): 63 characters."""


@pytest.fixture
def no_browser(monkeypatch) -> list[str]:
    """Where a browser would have opened: nowhere, whatever this machine has."""
    opened: list[str] = []
    monkeypatch.setattr(session_call, "open_in_browser", lambda url: opened.append(url) and False)
    return opened


def links(widget: Static) -> set[str]:
    """The OSC 8 targets in what ``widget`` shows, from its text's spans."""
    return {span.style.link for span in widget.content.spans if not isinstance(span.style, str) and span.style.link}


def links_drawn(app) -> set[str]:
    """The OSC 8 targets of what reaches the terminal."""
    return {seg.style.link for strip in app.screen._compositor.render_strips() for seg in strip
            if seg.style and seg.style.link}


def drawn(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# --- the QR code ----------------------------------------------------------------------


def test_a_jitsi_link_is_a_version_4_code_that_fits_beside_its_words():
    matrix = qr_matrix(JITSI)
    assert len(matrix) == 17 + 4 * 4 + 2 * QUIET_ZONE == 37
    assert all(len(row) == 37 for row in matrix)
    assert not any(matrix[0]) and not any(row[0] for row in matrix)  # the quiet zone is light
    lines = half_blocks(matrix)
    assert len(lines) == 19 and {len(line) for line in lines} == {37}
    code = qr_code(JITSI)
    assert set(code.plain) <= {*BLOCKS.values(), "\n"}
    assert code.plain.split("\n") == lines
    assert code.style.color.name == "#000000" and code.style.bgcolor.name == "#ffffff"  # dark on light, any theme


def test_the_qr_library_loads_only_when_a_code_is_drawn():
    modules = modules_after("import mentor_tui.app, mentor_tui.screens.home, mentor_tui.widgets.session_call")
    assert "mentor_tui.widgets.session_call" in modules
    assert "segno" not in modules


def test_two_rows_of_modules_make_one_line():
    dark, light = True, False
    assert half_blocks([[dark, light, dark, light], [light, dark, dark, light], [dark, dark, light, light]]) == [
        "▀▄█ ",
        "▀▀  ",
    ]


def test_the_longest_link_still_makes_a_code():
    longest = "https://example.org/" + "a" * 480
    size = len(qr_matrix(longest))
    assert (size - 2 * QUIET_ZONE - 17) % 4 == 0 and size > 37


# --- joining, both roles -----------------------------------------------------------------


async def test_a_student_joins_over_ssh_the_link_is_copied_linked_and_drawn_no_browser_opens(world, clock, monkeypatch):
    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.setattr(webbrowser, "get", lambda: Graphical("firefox"))
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)

        dialog = app.screen
        assert isinstance(dialog, CallDialog)
        assert opened == []  # over SSH a browser would open on the server
        assert app.clipboard == MEETING_LINK
        assert links(dialog.query_one("#call-link", Static)) == {MEETING_LINK}
        assert links_drawn(app) == {MEETING_LINK}
        assert "No browser was opened" in str(dialog.query_one("#call-done", Static).content)
        assert "Call with Ana Souza" in str(dialog.query_one("#dialog-box").border_title)

        # All of the code is on screen at 80x24, beside the words, dark on light.
        qr = dialog.query_one("#call-qr", Static)
        code = qr.content.plain.split("\n")
        assert qr.region.height == len(code) and qr.region.width == len(code[0])
        assert qr.region.bottom <= SIZE[1] - 1  # above the footer
        screen = drawn(app).split("\n")
        assert [row[qr.region.x : qr.region.right] for row in screen[qr.region.y : qr.region.bottom]] == code
        assert dialog.query_one("#dialog-ok").region.bottom <= SIZE[1] - 1

        app.copy_to_clipboard("")
        await pilot.press("y")  # copies again, from inside the dialog
        await settle(app, pilot)
        assert app.clipboard == MEETING_LINK
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallDialog)


async def test_a_mentor_joins_where_a_browser_shows_it_and_is_told_so(monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(session_call, "open_in_browser", lambda url: opened.append(url) or True)
    ahead = session("python-review", SessionStatus.CONFIRMED, timedelta(days=1), meeting_link=JITSI)
    app = PaneApp(SessionsPane, MENTOR, Answers([view_of(ahead)]))
    async with app.run_test(size=SIZE) as pilot:
        await settle_kit(app, pilot)
        await pilot.press("o")
        await settle_kit(app, pilot)

        dialog = app.screen
        assert isinstance(dialog, CallDialog)
        assert opened == [JITSI] and app.clipboard == JITSI
        assert str(dialog.query_one("#call-done", Static).content).startswith("Opened in your browser")
        assert links(dialog.query_one("#call-link", Static)) == {JITSI}
        qr = dialog.query_one("#call-qr", Static)
        assert (qr.region.width, qr.region.height) == (37, 19)
        assert qr.region.bottom <= SIZE[1] - 1
        assert dialog.query_one("#call-link").region.x > qr.region.right  # the words stand beside the code

        await pilot.click("#dialog-ok")
        await settle_kit(app, pilot)
        assert not isinstance(app.screen, CallDialog)


async def test_a_long_links_words_come_first_and_its_code_below(no_browser):
    teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + "NjQ5ZTk3YzItYjM2Ny00ZjE2" * 4 + "%40thread.v2/0"
    ahead = session("teams", SessionStatus.CONFIRMED, timedelta(days=1), meeting_link=teams)
    app = PaneApp(SessionsPane, MENTOR, Answers([view_of(ahead)]))
    async with app.run_test(size=SIZE) as pilot:
        await settle_kit(app, pilot)
        await pilot.press("o")
        await settle_kit(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CallDialog)
        assert dialog.query_one("#call-body").has_class("-stacked")
        words, qr = dialog.query_one("#call-words"), dialog.query_one("#call-qr")
        assert words.region.bottom <= qr.region.y and words.region.y >= 1  # the words in view, the code after
        assert links_drawn(app) == {teams}


async def test_y_copies_the_link_without_the_dialog(world, clock, no_browser):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == MEETING_LINK
        assert not isinstance(app.screen, CallDialog)
        assert no_browser == []


async def test_a_hostile_link_is_neither_copied_nor_opened_nor_linked(tmp_path: Path, no_browser):
    evil = "https://evil.example/" + hostile(tmp_path)
    ahead = session("evil", SessionStatus.CONFIRMED, timedelta(days=1), meeting_link=evil)
    app = PaneApp(SessionsPane, MENTOR, Answers([view_of(ahead)]))
    async with app.run_test(size=SIZE) as pilot:
        await settle_kit(app, pilot)
        app.copy_to_clipboard("untouched")
        seen: list[str] = []
        app.notify = lambda message, **options: seen.append(message)  # type: ignore[method-assign]
        await pilot.press("o")
        await settle_kit(app, pilot)

        assert not isinstance(app.screen, CallDialog)
        assert app.clipboard == "untouched" and no_browser == []
        assert len(seen) == 1 and "not a valid https:// address, so it was not opened" in seen[0]
        assert "\x1b" not in seen[0] and OSC52 not in seen[0] and OSC8 not in seen[0]


async def test_a_hostile_name_stays_text_in_the_dialogs_title(tmp_path: Path, no_browser):
    evil = hostile(tmp_path)
    ahead = session("named", SessionStatus.CONFIRMED, timedelta(days=1), meeting_link=JITSI)
    app = PaneApp(SessionsPane, MENTOR, Answers([view_of(ahead, student_name=evil)]))
    async with app.run_test(size=SIZE) as pilot:
        await settle_kit(app, pilot)
        await pilot.press("o")
        await settle_kit(app, pilot)
        assert isinstance(app.screen, CallDialog)
        screen = drawn(app)
        assert "Call with [@click=app.screenshot(" in screen
        assert "\x1b" not in screen and "\u202e" not in screen and "\x9b" not in screen


# --- how it looks -------------------------------------------------------------------------


def test_the_call_dialog_at_80x24(world, clock, snap_compare, no_browser):
    asyncio.run(remember_sign_in(world, clock))

    async def join(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("f3")
        await settle(pilot.app, pilot)
        await pilot.press("o")
        await settle(pilot.app, pilot)

    assert snap_compare(app_for(world, clock), terminal_size=SIZE, run_before=join)
