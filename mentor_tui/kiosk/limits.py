"""How much one host gives: sessions at once, connections per address, how long a
session may stay idle or open, and how much of the machine one session may take
(terminal size, input, memory)."""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

_UNITS = {"s": 1, "m": 60, "h": 3600}
_SIZE_UNITS = {"K": 2**10, "M": 2**20, "G": 2**30}

MIB = 2**20
MAX_COLUMNS = 500
MAX_ROWS = 200
"""A larger terminal costs the app memory and time on every frame and shows a person nothing more."""
MAX_PIXELS = 16384
"""Widest and tallest pixel size passed on (an 8K screen is 7680 wide); beyond, the client is not believed."""
INPUT_BUFFER = 8 * 1024
"""Bytes of a person's input held for their app at most, and the most passed on at once (a
pasted bio of 2000 characters is 2 to 8 KiB); what arrives beyond is dropped, with a bell."""
INPUT_RATE = 2 * 1024
"""Bytes a second passed to the app after such a burst: far above typing or mouse reports.
The app takes every byte it is given into its own queue of events, so this, not the app's
reading, is what keeps a flood of keys from growing it."""


def parse_duration(text: str) -> float:
    """``"90s"``, ``"15m"``, ``"8h"``, or a plain number of seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a duration like 90s, 15m or 8h")
    return float(match[1]) * _UNITS.get(match[2], 1)


def parse_size(text: str) -> int:
    """``"512M"``, ``"1G"``, ``"1.5G"``, ``"768MiB"``: bytes, in powers of 1024; the unit is required."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG])(?:i?B)?\s*", text, re.IGNORECASE)
    if not match or float(match[1]) <= 0:
        raise ValueError(f"{text!r} is not a size like 512M or 1G")
    return int(float(match[1]) * _SIZE_UNITS[match[2].upper()])


def format_size(size: int) -> str:
    """``"512 MiB"``, ``"1 GiB"``, ``"1.5 GiB"``."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


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
    session_memory: int = 512 * MIB
    """The address space each app process may use (RLIMIT_AS)."""


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
