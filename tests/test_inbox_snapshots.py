"""How the inbox (F8) looks at the smallest supported terminal and a roomy one: a student
with read and unread notifications (a message among them), and a mentor.

Fixed people and sessions (student_support), a frozen clock; update with
``pytest tests/test_inbox_snapshots.py --snapshot-update`` after looking at the change.
"""

from __future__ import annotations

import asyncio

import pytest
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    WIDE,
    act_as,
    app_for,
    remember_sign_in,
    settle,
    world,
    world_template,
)

from mentor_tui.app import MentorApp

SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])


def app_of(world, clock, who: str) -> MentorApp:
    """Signed in on an event loop of its own: snap_compare runs the app on another."""

    async def prepare() -> None:
        if who == "sam":
            # One read before, then a message: the inbox shows unread marks on the newest only.
            sam = await act_as(world, "sam", clock)
            ana = await act_as(world, "ana", clock)
            try:
                await sam.mark_notifications_read()
                await ana.send_message(world.people["sam"].id, "Bring the notebook you used last time, please.")
            finally:
                await sam.close()
                await ana.close()
        await remember_sign_in(world, clock, who)

    asyncio.run(prepare())
    return app_for(world, clock)


async def open_inbox(pilot) -> None:
    await settle(pilot.app, pilot)
    await pilot.press("f8")
    await settle(pilot.app, pilot)


@SIZES
def test_inbox_student(world, clock, snap_compare, size):
    assert snap_compare(app_of(world, clock, "sam"), terminal_size=size, run_before=open_inbox)


@SIZES
def test_inbox_mentor(world, clock, snap_compare, size):
    assert snap_compare(app_of(world, clock, "ana"), terminal_size=size, run_before=open_inbox)
