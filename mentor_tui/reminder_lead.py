"""How long before a confirmed session the person is reminded of it (Settings).

Remembered for the person on this machine like the alert switches (``alert_choices``):
a private file of the state folder named by a digest of their id. The same lead time
sets the alarm of the ``.ics`` files they export.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .repository.session_file import SessionFile

if TYPE_CHECKING:
    from .config import Settings

CHOICES = (0, 5, 10, 15, 30, 60)
"""Minutes before the start; 0 is off (the reminder at the start itself still comes)."""
DEFAULT = 15


def lead_file(settings: Settings | None, user_id: str) -> Path:
    state = settings.state_dir if settings is not None else paths.state_dir()
    digest = hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:24]
    return state / f"reminder-{digest}.json"


def load(settings: Settings | None, user_id: str) -> int:
    """The person's lead time in minutes; the default when unset or unreadable."""
    stored = (SessionFile(lead_file(settings, user_id)).load() or {}).get("minutes")
    return stored if type(stored) is int and stored in CHOICES else DEFAULT


def save(settings: Settings | None, user_id: str, minutes: int) -> None:
    if minutes not in CHOICES:
        raise ValueError(f"not a reminder lead time: {minutes!r}")
    SessionFile(lead_file(settings, user_id)).save({"minutes": minutes})


__all__ = ["CHOICES", "DEFAULT", "lead_file", "load", "save"]
