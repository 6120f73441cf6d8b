"""Opens the configured backend.

The backend is built on its first use, in a worker thread: its libraries
(pydantic models and SQLite for the embedded one, supabase-py for Supabase)
then load while the first screen is already on the terminal, not before it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..clock import Clock
    from ..config import Settings
    from .base import Storage


def open_repository(settings: Settings, clock: Clock) -> Storage:
    """The backend ``settings`` names, built when first called."""
    return DeferredRepository(settings.backend, lambda: build_repository(settings, clock))


def build_repository(settings: Settings, clock: Clock) -> Storage:
    """The backend ``settings`` names, now. Neither constructor touches the disk or the network."""
    if settings.backend == "supabase":
        from .supabase import SupabaseRepository

        # load_settings refuses the supabase backend without both values.
        assert settings.supabase_url and settings.supabase_key
        return SupabaseRepository(settings.supabase_url, settings.supabase_key, settings.state_dir, clock)
    from .local import LocalRepository

    return LocalRepository(settings.db_path, settings.state_dir, clock)


def check_storage(settings: Settings) -> None:
    """Open an existing embedded database once, before the app starts, so a file that must
    not be used (a symlink or FIFO, someone else's SQLite file, a newer schema) is refused
    with a one-line ``MentorError`` instead of inside the app. A missing one is left for
    the first sign-up to create; Supabase keeps nothing here to check."""
    if settings.backend != "local" or not os.path.lexists(settings.db_path):
        return
    from ..files import check_regular_or_missing

    check_regular_or_missing(settings.db_path)  # before SQLite could block on a FIFO
    from .sqlite_file import connect, typed_errors

    with typed_errors(settings.db_path):
        connect(settings.db_path).close()


def may_be_signed_in(settings: Settings) -> bool:
    """Whether the backend ``settings`` names may remember a sign-in, from its files alone
    (no backend library is imported): when not, the app shows the sign-in form first and
    builds the backend when the form is sent. A "maybe" is settled by the backend's ``restore``."""
    from .session_file import LOCAL_SESSION_FILE_NAME, may_hold_sign_in

    if settings.backend == "supabase":
        from .supabase_storage import LEGACY_SESSION_FILE_NAME, session_file_name

        url = settings.supabase_url or ""
        return may_hold_sign_in(settings.state_dir / session_file_name(url), project_url=url) or may_hold_sign_in(
            settings.state_dir / LEGACY_SESSION_FILE_NAME, project_url=url
        )
    return may_hold_sign_in(settings.state_dir / LOCAL_SESSION_FILE_NAME, database=str(settings.db_path.resolve()))


class DeferredRepository:
    """Storage that builds the real backend on the first call of any of its methods."""

    def __init__(self, name: str, build: Callable[[], Storage]) -> None:
        self.name = name
        self._build = build
        self._backend: Storage | None = None
        self._building = asyncio.Lock()

    async def backend(self) -> Storage:
        async with self._building:
            if self._backend is None:
                self._backend = await asyncio.to_thread(self._build)
        return self._backend

    async def close(self) -> None:
        if self._backend is not None:
            await self._backend.close()

    def __getattr__(self, method: str) -> Callable[..., Any]:
        # Only reached for names not defined here: the protocol's other methods.
        if method.startswith("_"):
            raise AttributeError(method)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await getattr(await self.backend(), method)(*args, **kwargs)

        call.__name__ = method
        return call
