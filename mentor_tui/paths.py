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
    """Remembered sign-ins live here (one private file per backend).

    Started by sshd (OpenSSH ``ForceCommand`` on an account many people share) without
    ``MENTOR_TUI_STATE_DIR``, it is a folder of the connecting public key's own, read from
    ``SSH_USER_AUTH``; a connection that cannot be identified remembers nothing.
    """
    if os.environ.get("MENTOR_TUI_STATE_DIR") or not os.environ.get("SSH_CONNECTION"):
        return account_state_dir()
    from .kiosk.openssh import connection_state_dir

    return connection_state_dir(account_state_dir())


def account_state_dir() -> Path:
    """The account's own state folder, whoever is connected (the SSH kiosk keeps its host key here)."""
    return _dir("MENTOR_TUI_STATE_DIR", "state")


def config_dir() -> Path:
    """``config.toml`` lives here."""
    return _dir("MENTOR_TUI_CONFIG_DIR", "config")


def default_db_path() -> Path:
    return data_dir() / "mentor-tui.db"
