"""Every screen of both roles, on hostile data, in a real terminal: ``python -m mentor_tui`` in a PTY at 80x24.

Reads the very bytes a person's terminal would get. The data's control sequences must never
reach it as sequences (an ESC or C1 that starts one of the data's payloads), no OSC 52
clipboard write may appear at all, and the app must neither crash nor report an error.
Every wait polls the output against a deadline.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

import pyte
import pytest
from clocks import FixedClock
from hostile_text import (
    DATA_MARKERS,
    MENTOR_EMAIL,
    STUDENT_EMAIL,
    build_hostile_world,
    remember_sign_in,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

COLUMNS, ROWS = 80, 24
WAIT = 30.0
"""Longest wait for one screen, in seconds; a loaded machine is slow, a hung app never answers."""

F_KEYS = {
    "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS", "f5": "\x1b[15~", "f6": "\x1b[17~",
    "f7": "\x1b[18~",
}
DOWN, TAB, CTRL_N, CTRL_Q, ESCAPE = "\x1b[B", "\t", "\x0e", "\x11", "\x1b"

# The app's own sequences, to read the text between them.
_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P_^][^\x1b]*\x1b\\|\x1b.")


class Terminal:
    """The app in a pseudo-terminal, with everything it wrote."""

    def __init__(self, db_path: Path, env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the app, its terminal 80x24
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "mentor_tui", "--db", str(db_path)], env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.exit_status: int | None = None
        # What a person sees: the app redraws only what changed, so words on screen
        # need not appear whole in the bytes written after a key press.
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self._stream = pyte.ByteStream(self.screen)
        self.screens: list[str] = []
        """The screen each time what was waited for showed."""

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace")

    def shown_since(self, start: int) -> str:
        """What the app wrote from byte ``start`` on, without its own escape sequences."""
        return _SEQUENCE.sub("", self.output[start:].decode("utf-8", errors="replace"))

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # the app has gone: its end of the terminal is closed
            chunk = b""
        if not chunk:
            self._reap(wait=True)
            return False
        self.output += chunk
        self._stream.feed(chunk)
        return True

    @property
    def on_screen(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, timeout: float = WAIT) -> None:
        """Read until ``words`` are on the screen; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while words not in self.on_screen:
            assert self.exit_status is None, f"the app ended while waiting for {words!r}:\n{self.on_screen}"
            assert time.monotonic() < deadline, f"{words!r} never showed:\n{self.on_screen}"
            self._read(deadline - time.monotonic())
        self.screens.append(self.on_screen)

    def press(self, keys: str, then_shows: str) -> None:
        os.write(self.fd, keys.encode())
        self.wait_for(then_shows)

    def press_until(self, key: str, shows: str, most: int) -> None:
        """Press ``key`` until ``shows`` is on the screen, at most ``most`` times."""
        for _ in range(most):
            if shows in self.on_screen:
                return
            self.press_and_redraw(key)
            self.wait_quiet()
        self.wait_for(shows, 0)

    def wait_quiet(self, quiet: float = 0.3) -> None:
        """Read until the app has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + WAIT
        while self._read(quiet) and time.monotonic() < deadline:
            pass

    def press_and_redraw(self, keys: str) -> None:
        """Press ``keys`` and read until the app has drawn something in answer."""
        start, deadline = len(self.output), time.monotonic() + WAIT
        os.write(self.fd, keys.encode())
        while len(self.output) == start:
            assert time.monotonic() < deadline, "the app did not answer a key"
            self._read(deadline - time.monotonic())

    def quit(self) -> int:
        os.write(self.fd, CTRL_Q.encode())
        deadline = time.monotonic() + WAIT
        while self.exit_status is None and time.monotonic() < deadline:
            self._read(0.2)
            self._reap(wait=False)
        assert self.exit_status is not None, "the app did not quit"
        return self.exit_status

    def _reap(self, *, wait: bool) -> None:
        if self.exit_status is None:
            pid, status = os.waitpid(self.pid, 0 if wait else os.WNOHANG)
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if self.exit_status is None:
            os.kill(self.pid, signal.SIGKILL)
            self._reap(wait=True)
        os.close(self.fd)


@pytest.fixture
def hostile_terminal(tmp_path):
    """Start the app signed in as a given person, on a fresh hostile database; closed after the test."""
    started: list[Terminal] = []

    def start(email: str) -> Terminal:
        now = datetime.now(UTC)  # the app runs on the real clock
        folders = {name: tmp_path / name for name in ("data", "state", "config")}
        for folder in folders.values():
            folder.mkdir(mode=0o700)
        db_path = folders["data"] / "mentor-tui.db"
        world = asyncio.run(build_hostile_world(db_path, tmp_path / "screenshots", now))
        asyncio.run(remember_sign_in(world, folders["state"], email, FixedClock(now)))
        env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.update({f"MENTOR_TUI_{name.upper()}_DIR": str(folder) for name, folder in folders.items()})
        env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        terminal = Terminal(db_path, env)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        terminal.close()
    assert not list((tmp_path / "screenshots").glob("*"))


def assert_nothing_from_the_data_reached_the_terminal(terminal: Terminal) -> None:
    written = terminal.text
    for marker in DATA_MARKERS:
        assert marker not in written, f"the data's {marker!r} reached the terminal"
    assert "\x1b]52;" not in written  # no clipboard write at all: nobody pressed j
    assert "\u202e" not in written and "\x9b" not in written
    # The data was on screen, as text and symbols (on the screens waited for: the bytes written
    # hold only the cells that changed, so a value may never be written in one piece).
    assert any("[@click=app." in screen for screen in terminal.screens)
    assert any("␛]" in screen for screen in terminal.screens)
    shown = terminal.shown_since(0)
    assert "Traceback" not in shown and "Unexpected error" not in shown


def test_every_student_screen_in_a_real_terminal(hostile_terminal):
    terminal = hostile_terminal(STUDENT_EMAIL)
    terminal.wait_for("No rate set")
    terminal.press(CTRL_N, "Send request")
    terminal.press(ESCAPE, "Sort: rating")
    terminal.press(F_KEYS["f3"], "Past and cancelled")
    for _ in range(5):
        terminal.press_and_redraw(DOWN)
    terminal.press(F_KEYS["f4"], "Your profile")
    terminal.press(F_KEYS["f5"], "Write to")  # the conversation with the mentor
    assert_nothing_from_the_data_reached_the_terminal(terminal)
    assert terminal.quit() == 0


def test_every_mentor_screen_in_a_real_terminal(hostile_terminal):
    terminal = hostile_terminal(MENTOR_EMAIL)
    terminal.wait_for("Your profile")  # no rate yet: the app opens the mentor's profile first
    terminal.press(F_KEYS["f2"], "Requests waiting for you")
    terminal.press(F_KEYS["f3"], "Search student or subject")  # left: arrival toasts may cover the right
    for _ in range(5):
        terminal.press_and_redraw(DOWN)
    terminal.press(F_KEYS["f4"], "Sessions with")
    terminal.press(F_KEYS["f5"], "Weekly availability")
    terminal.press(F_KEYS["f6"], "Your profile")
    terminal.press_until(TAB, "Call room", 15)  # down through the mentor's public profile
    terminal.press(F_KEYS["f7"], "Write to")  # the conversation with the student
    assert_nothing_from_the_data_reached_the_terminal(terminal)
    assert terminal.quit() == 0
