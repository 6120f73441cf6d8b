"""How a person wants to hear of a notification that arrives while the app is open.

Three switches: a toast, the terminal bell, a terminal notification (OSC 9 / 777). The
config file gives the defaults (``notify_toast``, ``notify_bell``, ``notify_terminal``);
what the person switches in Settings is remembered for them on this machine, in a private
file of the state folder, and wins over the config.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .repository.session_file import SessionFile

if TYPE_CHECKING:
    from .config import Settings

CHOICES = ("toast", "bell", "terminal")


@dataclass(frozen=True)
class AlertChoices:
    toast: bool = True
    bell: bool = True
    terminal: bool = True


def configured(settings: Settings | None) -> AlertChoices:
    """The config's defaults (all on without a config)."""
    if settings is None:
        return AlertChoices()
    return AlertChoices(toast=settings.notify_toast, bell=settings.notify_bell, terminal=settings.notify_terminal)


def choices_file(settings: Settings | None, user_id: str) -> Path:
    """The person's file: named by a digest of their id, so no stored id can name a path."""
    state = settings.state_dir if settings is not None else paths.state_dir()
    digest = hashlib.sha256(user_id.encode("utf-8")).hexdigest()[:24]
    return state / f"alerts-{digest}.json"


def load(settings: Settings | None, user_id: str) -> AlertChoices:
    """The config's defaults, overridden by each switch the person has set here (an unreadable file sets none)."""
    chosen = configured(settings)
    stored = SessionFile(choices_file(settings, user_id)).load() or {}
    given = {name: value for name, value in stored.items() if name in CHOICES and isinstance(value, bool)}
    return replace(chosen, **given)


def save(settings: Settings | None, user_id: str, choices: AlertChoices) -> None:
    """Remember every switch for the person (0600, written in one step)."""
    SessionFile(choices_file(settings, user_id)).save(asdict(choices))


__all__ = ["CHOICES", "AlertChoices", "choices_file", "configured", "load", "save"]
