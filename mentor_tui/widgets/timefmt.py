"""The one way times and dates are written, for both roles: always in the signed-in person's zone.

A date reads "Tue 1 Dec"; the year is added ("Tue 1 Dec 2027") only when it is
not the current one. A time is 24-hour "14:00".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..domain.models import MentorSession

INVALID_TIME_LABEL = "invalid time"
"""Shown instead of the time of a session whose stored time is unusable (``time_invalid``)."""


@dataclass(frozen=True)
class TimeFormat:
    zone: ZoneInfo
    now: datetime
    """Decides which year is "this year"."""

    def day(self, day: date) -> str:
        """'Tue 1 Dec', or 'Tue 1 Dec 2027' outside the current year."""
        label = f"{day:%a} {day.day} {day:%b}"
        return label if day.year == self.now.astimezone(self.zone).year else f"{label} {day.year}"

    def clock(self, instant: datetime) -> str:
        """'14:00' on the wall clock of the zone."""
        return f"{instant.astimezone(self.zone):%H:%M}"

    def when(self, instant: datetime) -> str:
        """'Tue 1 Dec 14:00'."""
        local = instant.astimezone(self.zone)
        return f"{self.day(local.date())} {local:%H:%M}"

    def span(self, start: datetime, end: datetime) -> str:
        """'Tue 1 Dec 14:00–15:00', naming the end's day too when it falls on another date."""
        if start.astimezone(self.zone).date() == end.astimezone(self.zone).date():
            return f"{self.when(start)}–{self.clock(end)}"
        return f"{self.when(start)}–{self.when(end)}"

    def session_when(self, session: MentorSession) -> str:
        """When ``session`` starts, or "invalid time"."""
        return INVALID_TIME_LABEL if session.time_invalid else self.when(session.scheduled_time)

    def session_span(self, session: MentorSession) -> str:
        """When ``session`` runs, or "invalid time"."""
        return INVALID_TIME_LABEL if session.time_invalid else self.span(session.scheduled_time, session.end_time)

    def in_zone(self, zone: ZoneInfo) -> TimeFormat:
        """The same format on another person's wall clock."""
        return TimeFormat(zone, self.now)


__all__ = ["INVALID_TIME_LABEL", "TimeFormat"]
