"""The clock is passed in, so tests can freeze time and nothing reads the machine's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, tz-aware, in UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

