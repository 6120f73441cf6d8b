"""The remembered Supabase sign-in: supabase-py's session kept in a private file.

``FileSessionStorage`` has the three coroutines of ``supabase_auth``'s
``AsyncSupportedStorage`` (get_item, set_item, remove_item) without inheriting
from it, so this module imports nothing heavy; a test checks the interface.

One file per project (its name carries a hash of ``SUPABASE_URL``), so signing
in to one project never touches another project's sign-in. Several mentor-tui
instances may share the file (two terminals, two kiosk connections of one
person): GoTrue rotates the refresh token on every refresh and revokes the whole
sign-in when an old one is used again, so an instance refreshes only while it
holds ``locked()`` and after re-reading the file (``adopt_newer``), and takes
over a token another instance already rotated instead of spending its own.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from ..files import open_regular, private_dir
from .session_file import SessionFile

LEGACY_SESSION_FILE_NAME = "supabase-session.json"
"""Where versions before per-project files kept the one remembered sign-in."""

SESSION_KEY = "supabase.auth.token"
"""The key supabase_auth stores its session under (``supabase_auth.constants.STORAGE_KEY``)."""


def session_file_name(project_url: str) -> str:
    """The remembered sign-in's file name for one project."""
    digest = hashlib.sha256(project_url.encode("utf-8")).hexdigest()[:16]
    return f"supabase-session-{digest}.json"


def _refresh_token(session: dict[str, Any] | None) -> str | None:
    token = (session or {}).get("refresh_token")
    return token if isinstance(token, str) and token else None


def _user_id(session: dict[str, Any] | None) -> str | None:
    user = (session or {}).get("user")
    return user.get("id") if isinstance(user, dict) else None


def _lock(path: Path) -> int:
    """Block until this process holds the exclusive lock on ``path``; returns its descriptor."""
    private_dir(path.parent)
    fd = open_regular(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _release_when_acquired(acquiring: asyncio.Future[int]) -> None:
    """The waiter was cancelled but its thread may still get the lock: let it go at once."""
    if not acquiring.cancelled() and acquiring.exception() is None:
        os.close(acquiring.result())


class FileSessionStorage:
    """Only the session goes to disk (mode 0600, atomic); anything else the auth
    client stores stays in memory for this run."""

    def __init__(self, state_dir: Path, project_url: str) -> None:
        self._file = SessionFile(Path(state_dir) / session_file_name(project_url))
        self._legacy = SessionFile(Path(state_dir) / LEGACY_SESSION_FILE_NAME)
        self._lock_path = self._file.path.with_name(self._file.path.name + ".lock")
        self._project_url = project_url
        self._session: dict[str, Any] | None = None
        self._loaded = False
        self._memory: dict[str, str] = {}
        self._in_process = asyncio.Lock()

    @property
    def path(self) -> Path:
        return self._file.path

    def _read(self) -> dict[str, Any] | None:
        """The session on disk for this project; a legacy single file moves to this project's name."""
        data = self._file.load()
        if data is None:
            data = self._legacy.load()
            if not data or data.get("project_url") != self._project_url:
                return None  # no file, or another project's: left alone
            self._file.save(data)
            self._legacy.delete()
        if data.get("project_url") == self._project_url and isinstance(data.get("session"), dict):
            return data["session"]
        return None

    def session(self) -> dict[str, Any] | None:
        """This instance's session: as read from the file at first use, then as last saved or adopted."""
        if not self._loaded:
            self._session, self._loaded = self._read(), True
        return self._session

    def tokens(self) -> tuple[str, str] | None:
        """(access token, refresh token) of the session, or None."""
        session = self.session() or {}
        access, refresh = session.get("access_token"), session.get("refresh_token")
        if isinstance(access, str) and isinstance(refresh, str) and access and refresh:
            return access, refresh
        return None

    def adopt_newer(self) -> bool:
        """Re-read the file; take its session if another instance refreshed the same
        person's sign-in since (a different refresh token). True when one was adopted.

        A session of another person (someone signed in as them in another terminal
        since) is never adopted: this instance stays who it is.
        """
        mine, disk = self.session(), self._read()
        if disk is None or _refresh_token(disk) in (None, _refresh_token(mine)):
            return False
        if mine is not None and _user_id(disk) != _user_id(mine):
            return False
        self._session = disk
        return True

    @asynccontextmanager
    async def locked(self) -> AsyncIterator[None]:
        """Hold the lock every instance sharing this file takes to refresh its tokens."""
        async with self._in_process:
            acquiring = asyncio.ensure_future(asyncio.to_thread(_lock, self._lock_path))
            try:
                fd = await asyncio.shield(acquiring)
            except asyncio.CancelledError:
                acquiring.add_done_callback(_release_when_acquired)
                raise
            try:
                yield
            finally:
                os.close(fd)  # closing the descriptor releases the lock

    async def forget(self) -> None:
        """Drop this instance's session, and the file when it still holds that session
        (not when another instance has saved a different sign-in there since)."""
        mine, self._session, self._loaded = self._session, None, True

        def delete() -> None:
            disk = self._read()
            if mine is None or disk is None or _refresh_token(disk) == _refresh_token(mine):
                self._file.delete()

        await asyncio.to_thread(delete)

    # --- supabase_auth's AsyncSupportedStorage -----------------------------
    async def get_item(self, key: str) -> str | None:
        if key != SESSION_KEY:
            return self._memory.get(key)
        session = self.session()
        return None if session is None else json.dumps(session)

    async def set_item(self, key: str, value: str) -> None:
        if key != SESSION_KEY:
            self._memory[key] = value
            return
        session = json.loads(value)
        self._session, self._loaded = session, True
        # fsync off the event loop: the app's screens share it.
        await asyncio.to_thread(self._file.save, {"project_url": self._project_url, "session": session})

    async def remove_item(self, key: str) -> None:
        if key != SESSION_KEY:
            self._memory.pop(key, None)
            return
        await self.forget()
