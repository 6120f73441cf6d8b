"""Typing a date and a wall-clock time, as the booking and rescheduling forms do: ISO dates
that ↑↓ step by a day, "14:30"-style times, and the instant they name in a zone (None in a
daylight-saving gap, so a form can say so instead of booking a time that does not exist)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.binding import Binding, BindingType
from textual.widgets import Input

from ..domain.text import SHORT_INPUT_MAX


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_clock(text: str) -> time | None:
    """'14:30', '9:05' or '9' as a wall-clock time."""
    text = text.strip()
    hours, _, minutes = text.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()) or len(minutes) not in (0, 2):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when the clocks skip it (a DST gap)."""
    local = datetime.combine(day, at, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


class DateInput(Input):
    """A date field ↑↓ move by a day, while it holds a valid date (a half-typed one is left alone)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "shift_day(-1)", "Day before", show=False),
        Binding("down", "shift_day(1)", "Day after", show=False),
    ]

    def __init__(self, first: date, *, id: str) -> None:
        super().__init__(id=id, placeholder="YYYY-MM-DD", compact=True, max_length=SHORT_INPUT_MAX)
        self.first = first
        """Arrows never go before this day (today in the student's zone)."""

    def action_shift_day(self, days: int) -> None:
        current = parse_day(self.value)
        if current is None:
            return
        self.value = max(self.first, current + timedelta(days=days)).isoformat()
        self.cursor_position = len(self.value)


__all__ = ["DateInput", "local_instant", "parse_clock", "parse_day"]
