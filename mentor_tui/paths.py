"""Where mentor-tui keeps its files.

Each folder can be moved by an environment variable; the SSH kiosk uses
``MENTOR_TUI_STATE_DIR`` to give every connection a remembered sign-in of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "mentor-tui"


def _dir(variable: str, kind: str) -> Path:
    override = os.environ.get(variable)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return getattr(platformdirs, f"user_{kind}_path")(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The embedded database lives here."""
    return _dir("MENTOR_TUI_DATA_DIR", "data")


def state_dir() -> Path:
    """Remembered sign-ins live here (one private file per backend)."""
    return _dir("MENTOR_TUI_STATE_DIR", "state")


def config_dir() -> Path:
    """``config.toml`` lives here."""
    return _dir("MENTOR_TUI_CONFIG_DIR", "config")


def default_db_path() -> Path:
    return data_dir() / "mentor-tui.db"
