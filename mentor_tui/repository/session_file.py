"""Private files on disk: the remembered sign-in (and other secrets) are written
atomically with mode 0600, so a crash never leaves half a token and no other
account on a shared host can read one. They are never read through a symlink or
a FIFO: whatever else is found in their place is set aside, not followed."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from ..files import UnsafePath, private_dir, read_regular, set_aside

log = logging.getLogger(__name__)

MAX_SESSION_FILE_BYTES = 64 * 1024
"""A remembered sign-in is a few kilobytes; anything far larger is not one."""


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only, replacing it in one step.

    The folder is created 0700 if missing and refused if someone else can write into it;
    the rename replaces whatever was at ``path`` (a symlink included) without following it.
    """
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LOCAL_SESSION_FILE_NAME = "local-session.json"
"""The embedded backend's remembered sign-in, in the state folder."""


def may_hold_sign_in(path: Path, **expected: str) -> bool:
    """Whether ``path`` may hold a remembered sign-in, judged by the file alone: cheap enough
    to decide the first screen before any backend is built, and never changing the file.

    False only when nothing is there, or when the file is a JSON object whose values for
    ``expected``'s keys differ (a sign-in remembered for another database or project).
    Anything else, unreadable or malformed files included, counts as maybe: the backend's
    own restore then looks, and sets aside or deletes what is not a sign-in.
    """
    try:
        raw = read_regular(path, MAX_SESSION_FILE_BYTES)
    except FileNotFoundError:
        return False
    except (UnsafePath, OSError):
        return True
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return True
    return not isinstance(data, dict) or all(data.get(key) == value for key, value in expected.items())


class SessionFile:
    """A JSON object kept in one private file; anything unreadable counts as absent."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any] | None:
        try:
            raw = read_regular(self.path, MAX_SESSION_FILE_BYTES)
        except UnsafePath as exc:  # a symlink, a FIFO, a folder, far too large
            self._set_aside(str(exc))
            return None
        except OSError:  # missing or unreadable: no remembered sign-in
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def save(self, data: dict[str, Any]) -> None:
        write_private_file(self.path, json.dumps(data).encode("utf-8"))

    def delete(self) -> None:
        try:
            self.path.unlink(missing_ok=True)  # a symlink or FIFO goes too, never followed
        except IsADirectoryError:
            self._set_aside(f"{self.path} is a folder")

    def _set_aside(self, reason: str) -> None:
        try:
            aside = set_aside(self.path)
        except OSError as exc:
            log.warning("%s; cannot move it aside (%s); signed out", reason, exc.strerror)
            return
        log.warning("%s; moved it to %s and signed out", reason, aside.name)
