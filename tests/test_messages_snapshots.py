"""How the Messages section looks, for Sam (student) at 80x24 and 120x40: a conversation over
two days with Ana (open, with a draft in the box), Ben's newer one; the empty section; and
Ana's side of it, as a mentor, at 80x24.

Update with ``pytest tests/test_messages_snapshots.py --snapshot-update`` after looking at the change.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from clocks import FixedClock
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
from mentor_tui.widgets.message_composer import MessageComposer

SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])

CONVERSATION = (
    (-26 * 60, "ana", "sam", "Hi Sam, before Thursday: have a look at the group-by chapter."),
    (-25 * 60, "sam", "ana", "Will do. Should I bring the sales notebook?\nIt has the messy dates."),
    (-24 * 60 + 5, "ana", "sam", "Yes please. The call link is https://meet.jit.si/mentor-tui-ana-and-sam"),
    (-30, "sam", "ana", "Done, see you then!"),
    (-10, "ben", "sam", "Your React state exercise looks good. Two small notes for next time."),
)


async def _write(world, now) -> None:
    for minutes, sender, to, body in CONVERSATION:
        clock = FixedClock(now + timedelta(minutes=minutes))
        services = await act_as(world, sender, clock)
        try:
            await services.send_message(world.people[to].id, body)
        finally:
            await services.close()


def signed_in(world, clock, *, messages: bool, who: str = "sam") -> MentorApp:
    """Signed in on an event loop of its own: snap_compare runs the app on another."""
    if messages:
        asyncio.run(_write(world, clock.now()))
    asyncio.run(remember_sign_in(world, clock, who))
    return app_for(world, clock)


async def _show_messages(pilot, key: str = "f5") -> None:
    await settle(pilot.app, pilot)
    await pilot.press(key)
    await settle(pilot.app, pilot)
    box = pilot.app.screen.query(MessageComposer)
    if box:
        box.first().cursor_blink = False
    await pilot.pause()


async def _with_a_draft(pilot) -> None:
    await _show_messages(pilot)
    await pilot.press("down")  # Ana's, over two days
    await settle(pilot.app, pilot)
    await pilot.press("enter", *"Thanks!")  # Enter on a conversation goes to its box
    await pilot.press("ctrl+j", *"See you next week.")
    await settle(pilot.app, pilot)


@SIZES
def test_messages(world, clock, snap_compare, size):
    assert snap_compare(signed_in(world, clock, messages=True), terminal_size=size, run_before=_with_a_draft)


@SIZES
def test_no_messages_yet(world, clock, snap_compare, size):
    assert snap_compare(signed_in(world, clock, messages=False), terminal_size=size, run_before=_show_messages)


def test_messages_for_a_mentor(world, clock, snap_compare):
    """Ana's side of the same conversation, as her F7 (her clock is São Paulo's)."""

    async def show(pilot) -> None:
        await _show_messages(pilot, "f7")

    assert snap_compare(signed_in(world, clock, messages=True, who="ana"), terminal_size=SIZE, run_before=show)
