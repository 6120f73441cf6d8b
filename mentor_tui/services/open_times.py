"""The start times a mentor can be booked at: inside their weekly hours, free, and allowed by
their booking rules. One composition for every place that offers times: the booking form,
the directory's "Next open times" and the dialog that moves a session."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..domain import booking_rules
from ..domain.booking_rules import BookingRules, Hidden
from ..domain.models import AvailabilitySlot, MentorSession, TimeRange
from ..domain.slots import open_slots

if TYPE_CHECKING:
    from .core import Services


def _without(ranges: list[TimeRange], moving: MentorSession | None) -> list[TimeRange]:
    """``ranges`` less the one the session being moved holds: moving frees its own slot."""
    if moving is None:
        return ranges
    return [r for r in ranges if (r.start, r.end) != (moving.scheduled_time, moving.end_time)]


async def bookable_starts(
    services: Services,
    mentor_id: str,
    zone: ZoneInfo,
    availability: Sequence[AvailabilitySlot],
    rules: BookingRules,
    now: datetime,
    end: datetime,
    duration_minutes: int,
    *,
    moving: MentorSession | None = None,
) -> tuple[list[datetime], dict[Hidden, list[datetime]]]:
    """The starts from ``now`` to ``end`` a session of ``duration_minutes`` can have with the
    mentor, and those their rules hide, by rule; ``moving`` is a session being moved to one."""
    margin = timedelta(days=booking_rules.CONTEXT_DAYS)
    busy, held = await asyncio.gather(
        services.busy_times(mentor_id, now, end),
        services.mentor_held_times(mentor_id, now - margin, end + margin),
    )
    busy, held = _without(busy, moving), _without(held, moving)

    def compute() -> tuple[list[datetime], dict[Hidden, list[datetime]]]:
        free = open_slots(availability, zone, now, end, duration_minutes, busy, now)
        return booking_rules.bookable(rules, free, duration_minutes, held, zone, now)

    # Some milliseconds of pure Python for a busy week: off the event loop, as keys keep coming.
    return await asyncio.to_thread(compute)


__all__ = ["bookable_starts"]
