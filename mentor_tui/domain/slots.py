"""Weekly availability in a named time zone, turned into real instants.

A mentor says "Fridays 14:00-17:00" in their own zone. Which UTC instants that
means changes with daylight saving time, so every window is computed for one
concrete local date with ``zoneinfo`` and only then compared in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .models import AvailabilitySlot, TimeRange


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a session ending at 10:00 does not clash with one starting at 10:00."""
    return a_start < b_end and b_start < a_end


def local_window(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of the wall-clock window ``start``-``end`` on ``day`` in ``zone``."""
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


def _local_dates(start: datetime, end: datetime, zone: ZoneInfo) -> Iterable[date]:
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def windows_between(
    slots: Sequence[AvailabilitySlot], zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Every availability window (as UTC instants) that touches ``[start, end)``, in order."""
    found = []
    for day in _local_dates(start, end, zone):
        for slot in slots:
            if slot.weekday == day.weekday():
                window = local_window(day, slot.start_time, slot.end_time, zone)
                if overlaps(*window, start, end):
                    found.append(window)
    return sorted(found)


def within_availability(
    start: datetime, duration_minutes: int, slots: Sequence[AvailabilitySlot], zone: ZoneInfo
) -> bool:
    """True when the whole session fits inside one of the mentor's weekly windows."""
    end = start + timedelta(minutes=duration_minutes)
    return any(
        w_start <= start and end <= w_end for w_start, w_end in windows_between(slots, zone, start, end)
    )


def open_slots(
    slots: Sequence[AvailabilitySlot],
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    busy: Iterable[TimeRange],
    now: datetime,
    step_minutes: int = 30,
) -> list[datetime]:
    """Start times in ``[start, end)`` where a session of this length fits and nothing is held.

    ``start``/``end`` bound the day as the viewer sees it (say, the student's local
    date); candidate starts step through each window from its beginning.
    """
    length = timedelta(minutes=duration_minutes)
    step = timedelta(minutes=step_minutes)
    held = [(r.start, r.end) for r in busy]
    starts: list[datetime] = []
    for w_start, w_end in windows_between(slots, zone, start, end):
        candidate = w_start
        while candidate + length <= w_end:
            if (
                start <= candidate < end
                and candidate > now
                and not any(overlaps(candidate, candidate + length, b0, b1) for b0, b1 in held)
            ):
                starts.append(candidate)
            candidate += step
    return sorted(set(starts))


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local calendar day as UTC instants (23 or 25 hours long on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)
