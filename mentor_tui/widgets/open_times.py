"""Open start times as a person reads them: the first few days, a few times each, in their zone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from itertools import groupby, islice

from .timefmt import TimeFormat


def open_time_lines(starts: Iterable[datetime], times: TimeFormat, days: int, per_day: int) -> list[str]:
    """One line per day ("Tue 1 Dec  09:00 10:00 +3"), the first ``days`` days that have a
    start, each with its first ``per_day`` starts and how many more it has."""
    lines = []
    by_day = groupby(sorted(starts), key=lambda start: start.astimezone(times.zone).date())
    for day, on_day in islice(by_day, days):
        group = list(on_day)
        clocks = " ".join(times.clock(start) for start in group[:per_day])
        more = f" +{len(group) - per_day}" if len(group) > per_day else ""
        lines.append(f"{times.day(day)}  {clocks}{more}")
    return lines


__all__ = ["open_time_lines"]
