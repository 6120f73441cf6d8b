"""How the calendar looks at 80x24 and 120x40: Sam's (student, Chicago) week grid with his confirmed
session opened, his agenda, and Maya's (mentor, London) schedule grid with her open hours shaded.

A frozen clock and fixed data; update with ``pytest tests/test_calendar_snapshots.py --snapshot-update``
after looking at the change.
"""

from __future__ import annotations

import asyncio

import pytest
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    WIDE,
    app_for,
    remember_sign_in,
    settle,
    world,
    world_template,
)
from test_mentor_snapshots import hold_still, mentor_app

SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])


def pressing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in keys:
            await pilot.press(key)
            # F6 moves the focus into the calendar once its section is shown: a key sent
            # sooner would go to the tab bar.
            await settle(pilot.app, pilot)

    return run_before


def sams_app(world, clock):
    """Signed in on an event loop of its own: snap_compare runs the app on another."""
    asyncio.run(remember_sign_in(world, clock))
    return app_for(world, clock)


@SIZES
def test_student_week(world, clock, snap_compare, size):
    # From now (Tuesday 04:00 in Chicago) to Thursday 11:00, Ana's confirmed session, opened.
    keys = ("f6", "l", "l", *"j" * 7, "enter")
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing(*keys))


@SIZES
def test_student_agenda(world, clock, snap_compare, size):
    assert snap_compare(sams_app(world, clock), terminal_size=size, run_before=pressing("f6", "v"))


@SIZES
def test_mentor_schedule_week(clock, snap_compare, size):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press("f5")
        await hold_still(pilot)
        await pilot.press("tab", "h", "k", "k")  # from the availability list to the grid: Monday 08:00
        await settle(pilot.app, pilot)

    assert snap_compare(mentor_app(clock), terminal_size=size, run_before=run_before)
