"""A scripted SSH client with a screen: what a person at a terminal would see of the kiosk.

Used by the kiosk's tests and its load benchmark (which imports it from here); needs pyte
(in the ``test`` extra), so it stays out of the package.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncssh
import pyte


class ScreenSession(asyncssh.SSHClientSession):
    """A session channel whose output is rendered on a pyte screen."""

    def __init__(self, cols: int, rows: int) -> None:
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self.chan: asyncssh.SSHClientChannel | None = None
        self.exit_status: int | None = None
        self.bells = 0
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()
        self._may_write = asyncio.Event()
        self._may_write.set()

    def connection_made(self, chan: asyncssh.SSHClientChannel) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.bells += data.count(b"\x07")
        self._stream.feed(data)
        self._changed.set()

    def pause_writing(self) -> None:
        self._may_write.clear()

    def resume_writing(self) -> None:
        self._may_write.set()

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self._changed.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def wait_for(self, expected: str | Callable[[str], bool], timeout: float = 30.0) -> str:
        """The screen's text once it shows ``expected``; TimeoutError with the screen if it does not."""
        check = (lambda text: expected in text) if isinstance(expected, str) else expected
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not check(text := self.text):
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closed.is_set():
                state = "closed" if self.closed.is_set() else f"not within {timeout} s"
                raise TimeoutError(f"screen never showed {expected!r} ({state}):\n{text}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                pass
        return text

    async def wait_closed(self, timeout: float = 30.0) -> None:
        await asyncio.wait_for(self.closed.wait(), timeout)

    def type(self, keys: str | bytes) -> None:
        assert self.chan is not None
        self.chan.write(keys.encode("utf-8") if isinstance(keys, str) else keys)

    async def send(self, data: bytes) -> None:
        """``data`` as fast as the kiosk lets it in: waits while the channel's window is closed."""
        await self._may_write.wait()
        self.type(data)

    def resize(self, cols: int, rows: int) -> None:
        assert self.chan is not None
        self.screen.resize(rows, cols)
        self.chan.change_terminal_size(cols, rows)


class _Guest(asyncssh.SSHClient):
    """Asks for keyboard-interactive sign-in and has nothing to answer: what a client without a key does."""

    def kbdint_auth_requested(self) -> str:
        return ""


async def connect(port: int, key: asyncssh.SSHKey | None = None, host: str = "127.0.0.1") -> asyncssh.SSHClientConnection:
    """With ``key``, as its holder; without, as a guest (keyboard-interactive, no password)."""
    return await asyncssh.connect(
        host,
        port,
        username="visitor",
        client_factory=asyncssh.SSHClient if key is not None else _Guest,
        client_keys=[key] if key is not None else [],
        known_hosts=None,
        agent_path=None,
        password_auth=False,
        gss_host=None,
    )


async def open_screen(
    conn: asyncssh.SSHClientConnection, cols: int = 80, rows: int = 24, term: str = "xterm-256color",
    asked: tuple[int, int, int, int] | None = None,
) -> ScreenSession:
    """A screen of ``cols`` x ``rows``; ``asked``, the size (columns, rows, pixels wide and
    high) told to the kiosk when that is not the screen's."""
    _, session = await conn.create_session(
        lambda: ScreenSession(cols, rows), term_type=term, term_size=asked or (cols, rows), encoding=None
    )
    return session
