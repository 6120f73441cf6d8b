"""The remembered Supabase sign-in: supabase-py's session kept in a private file.

``FileSessionStorage`` has the three coroutines of ``supabase_auth``'s
``AsyncSupportedStorage`` (get_item, set_item, remove_item) without inheriting
from it, so this module imports nothing heavy; a test checks the interface.

The file records which project the tokens belong to: a session saved for one
``SUPABASE_URL`` is never sent to another.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from .session_file import SessionFile

SESSION_FILE_NAME = "supabase-session.json"

SESSION_KEY = "supabase.auth.token"
"""The key supabase_auth stores its session under (``supabase_auth.constants.STORAGE_KEY``)."""


class FileSessionStorage:
    """Only the session goes to disk (mode 0600, atomic); anything else the auth
    client stores stays in memory for this run."""

    def __init__(self, path: Path, project_url: str) -> None:
        self._file = SessionFile(path)
        self._project_url = project_url
        self._session: dict[str, Any] | None = None
        self._loaded = False
        self._memory: dict[str, str] = {}

    @property
    def path(self) -> Path:
        return self._file.path

    def session(self) -> dict[str, Any] | None:
        """The stored session JSON, if the file holds one for this project."""
        if not self._loaded:
            data = self._file.load()
            if data and data.get("project_url") == self._project_url and isinstance(data.get("session"), dict):
                self._session = data["session"]
            self._loaded = True
        return self._session

    def tokens(self) -> tuple[str, str] | None:
        """(access token, refresh token) of the stored session, or None."""
        session = self.session() or {}
        access, refresh = session.get("access_token"), session.get("refresh_token")
        if isinstance(access, str) and isinstance(refresh, str) and access and refresh:
            return access, refresh
        return None

    async def forget(self) -> None:
        self._session, self._loaded = None, True
        await asyncio.to_thread(self._file.delete)

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
