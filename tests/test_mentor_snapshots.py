"""Snapshots of every mentor tab at 80x24 and 120x40: demo data at a frozen time, signed in as Maya."""

from __future__ import annotations

import asyncio

import pytest
from test_mentor_support import MAYA, repo_for, seed, settle

from mentor_tui.app import MentorApp
from mentor_tui.repository.demo import DEMO_PASSWORD
from mentor_tui.screens.mentor_profile import MentorProfileForm

TABS = {"overview": "f2", "sessions": "f3", "my-students": "f4", "schedule": "f5", "settings": "f6"}


def mentor_app(clock) -> MentorApp:
    """The app as Maya finds it on start: her sign-in is remembered from an earlier run."""
    seed(clock)
    asyncio.run(repo_for(clock).sign_in(MAYA, DEMO_PASSWORD))
    return MentorApp(repo_for(clock), clock)


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
        await pilot.press("m", *"Solid progress")
        await settle(pilot.app, pilot)

    assert snap_compare(mentor_app(clock), terminal_size=(80, 24), run_before=show)
