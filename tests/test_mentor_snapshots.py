"""Snapshots of every mentor tab at 80x24 and 120x40: demo data at a frozen time, signed in as Maya."""

from __future__ import annotations

import asyncio

import pytest
from pilot_support import paste, until
from test_mentor_support import MAYA, repo_for, seed, settle
from textual.app import App
from textual.widgets import Input, LoadingIndicator, TabbedContent, TextArea

from mentor_tui.app import MentorApp
from mentor_tui.repository.demo import DEMO_PASSWORD
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.mentor_profile import MentorProfileForm
from mentor_tui.widgets.table import FittedTable

TABS = {"overview": "f2", "sessions": "f3", "my-students": "f4", "schedule": "f5", "settings": "f6"}


def mentor_app(clock) -> MentorApp:
    """The app as Maya finds it on start: her sign-in is remembered from an earlier run."""
    seed(clock)
    asyncio.run(repo_for(clock).sign_in(MAYA, DEMO_PASSWORD))
    return MentorApp(repo_for(clock), clock)


def section_ready(app: App[object]) -> bool:
    """The section a key chose has loaded, every list in it holds all its rows, and it has the focus."""
    screen = app.screen
    if not isinstance(screen, HomeScreen) or screen.query(LoadingIndicator):
        return False
    section = screen.query_one("#sections", TabbedContent).active_pane
    focused = screen.focused
    return (
        section is not None
        and all(table.complete for table in section.query(FittedTable))
        and focused is not None
        and section in focused.ancestors
    )


def hold_cursor_still(app: App[object]) -> None:
    """A text box's blinking cursor is drawn or not by the time of the picture: keep it drawn."""
    for box in app.screen.query(Input):
        box.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False


async def hold_still(pilot) -> None:
    """Wait for the state the picture is of, not for a number of frames; then stop the one thing
    that changes by itself."""
    await until(pilot, lambda: section_ready(pilot.app), "the section loaded, filled and focused")
    hold_cursor_still(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("tab", list(TABS))
def test_mentor_tab(tab, size, clock, snap_compare):
    async def show(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(TABS[tab])
        await settle(pilot.app, pilot)
        if tab == "settings":  # the mentor's own part of Settings
            pilot.app.screen.query_one(MentorProfileForm).scroll_visible(top=True, animate=False)
            await settle(pilot.app, pilot)
        await hold_still(pilot)

    assert snap_compare(mentor_app(clock), terminal_size=size, run_before=show)


def test_complete_dialog(clock, snap_compare):
    """The feedback dialog at 80x24, on yesterday's session (the first one to complete in Sessions)."""

    async def show(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("f3")
        await settle(pilot.app, pilot)
        await pilot.press("ctrl+t", "ctrl+t")  # Confirmed
        await settle(pilot.app, pilot)
        pane = pilot.app.screen.query_one("SessionsPane")
        table = pane.query_one("SessionTable")
        now = pilot.app.ctx.clock.now()
        table.move_cursor(row=next(i for i, v in enumerate(table.views) if v.session.end_time <= now))
        await pilot.press("m")
        await settle(pilot.app, pilot)
        await paste(pilot, "Solid progress")
        await settle(pilot.app, pilot)
        hold_cursor_still(pilot.app)
        await pilot.pause()

    assert snap_compare(mentor_app(clock), terminal_size=(80, 24), run_before=show)
