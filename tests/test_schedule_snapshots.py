"""How a /schedule preview looks, for Sam (student, Chicago) asking Ana (mentor, São Paulo) for
Thursday 1pm, 45 minutes, at 80x24 and 120x40; and Ana's proposal card as Sam sees it.

Update with ``pytest tests/test_schedule_snapshots.py --snapshot-update`` after looking at the change.
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
    utc,
    world,
    world_template,
)

from mentor_tui.app import MentorApp
from mentor_tui.widgets.message_composer import MessageComposer
from mentor_tui.widgets.message_open import Partner

SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])


def signed_in(world, clock, who: str = "sam") -> MentorApp:
    """Signed in on an event loop of its own: snap_compare runs the app on another."""
    asyncio.run(remember_sign_in(world, clock, who))
    return app_for(world, clock)


async def _open_ana(pilot) -> MessageComposer:
    app = pilot.app
    await settle(app, pilot)
    app.screen.show_section("messages")
    await settle(app, pilot)
    pane = app.screen.query_one("MessagesPane")
    ana = pilot.app.world.people["ana"]
    pane.open_conversation(Partner(ana.id, ana.full_name))
    pane.refresh_data()
    await settle(app, pilot)
    box = pane.query_one(MessageComposer)
    box.cursor_blink = False
    return box


async def _preview(pilot) -> None:
    box = await _open_ana(pilot)
    box.insert("/schedule thursday 1pm 45m Python review")
    await pilot.press("enter")
    await settle(pilot.app, pilot)


@SIZES
def test_schedule_preview(world, clock, snap_compare, size):
    app = signed_in(world, clock)
    app.world = world  # for run_before, which gets only the pilot
    assert snap_compare(app, terminal_size=size, run_before=_preview)


async def _propose(world, clock) -> None:
    services = await act_as(world, "ana", clock)
    try:
        await services.propose(world.people["sam"].id, "Pairing on pandas", utc(27, 13), 60)
    finally:
        await services.close()


async def _on_the_list(pilot) -> None:
    await _open_ana(pilot)
    pilot.app.screen.query_one("#conversations").focus()  # a and o show in the footer
    await settle(pilot.app, pilot)


def test_proposal_card(world, clock, snap_compare):
    asyncio.run(_propose(world, clock))
    app = signed_in(world, clock)
    app.world = world
    assert snap_compare(app, terminal_size=SIZE, run_before=_on_the_list)
