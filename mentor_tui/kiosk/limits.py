"""How much one host gives: sessions at once, connections per address, and how long a
session may stay idle or open."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_UNITS = {"s": 1, "m": 60, "h": 3600}


def parse_duration(text: str) -> float:
    """``"90s"``, ``"15m"``, ``"8h"``, or a plain number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration like 90s, 15m or 8h")
    return float(match[1]) * _UNITS.get(match[2], 1)


def format_duration(seconds: float) -> str:
    """For messages people read: "15 minutes", "1 hour", "30 seconds"."""
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    count = round(seconds)
    return f"{count} second{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Limits:
    idle_timeout: float = 15 * 60
    max_sessions: int = 50
    connections_per_minute: int = 30
    """New connections from one address in any minute; a class behind one NAT shares it."""
    max_session_length: float = 8 * 3600
    shutdown_grace: float = 10


def warning_lead(period: float) -> float:
    """How long before a timed disconnect the person is warned: a minute, less for short limits."""
    return min(60.0, period / 2)


class ConnectionRate:
    """Counts new connections per address over the last minute."""

    WINDOW = 60.0

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._per_minute = per_minute
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, address: str) -> bool:
        now = self._clock()
        if len(self._seen) > 1024:
            self._forget_quiet(now)
        recent = self._seen.setdefault(address, deque())
        while recent and now - recent[0] >= self.WINDOW:
            recent.popleft()
        if len(recent) >= self._per_minute:
            return False
        recent.append(now)
        return True

    def _forget_quiet(self, now: float) -> None:
        """Addresses with nothing in the window cost memory and tell nothing."""
        for address in [a for a, times in self._seen.items() if not times or now - times[-1] >= self.WINDOW]:
            del self._seen[address]
