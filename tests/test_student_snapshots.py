"""How the student screens look, at the smallest supported terminal and a roomy one.

Fixed people and sessions (student_support), a frozen clock; update with
``pytest tests/test_student_snapshots.py --snapshot-update`` after looking at the change.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from mentor_tui.app import MentorApp
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    WIDE,
    app_for,
    remember_sign_in,
    settle,
    world,
    world_template,
)


def sams_app(world, clock) -> MentorApp:
    """Signed in on an event loop of its own: snap_compare runs the app on another."""
    asyncio.run(remember_sign_in(world, clock))
    return app_for(world, clock)


def pressing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot.app, pilot)
        # A blinking cursor is drawn or not by the time of the picture: hold it steady.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])


@SIZES
def test_mentors(world, clock, snap_compare, size):
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing())


@SIZES
def test_booking_form(world, clock, snap_compare, size):
    keys = ("ctrl+n", *"Pandas group-by")
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing(*keys))


@SIZES
def test_booking_form_with_messages(world, clock, snap_compare, size):
    keys = ("ctrl+n", "tab", *"2026-11-2", "ctrl+s")
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing(*keys))


@SIZES
def test_my_sessions(world, clock, snap_compare, size):
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing("f3"))


def test_rating_dialog(world, clock, snap_compare):
    """The rating dialog at 80x24: stars picked with 4, the comment box and Send in view."""
    keys = ("f3", "tab", "down", "r", "4")
    assert snap_compare(sams_app(world, clock), terminal_size=SIZE, run_before=pressing(*keys))
