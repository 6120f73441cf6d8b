"""What one client can make the kiosk and its app spend: terminal size, input, memory, log lines."""

from __future__ import annotations

import fcntl
import logging
import os
import struct
import sys
import termios
from pathlib import Path

from mentor_tui.kiosk.limits import MIB
from mentor_tui.kiosk.log_text import quoted
from mentor_tui.kiosk.pty_session import session_members

from .conftest import NEW_ACCOUNT, alive, eventually, reported, reporting_app
from .probe import connect, open_screen

SIGN_IN_FORM = "Password"


def the_app(kiosk):
    (session,) = kiosk.sessions
    return session.app


def terminal_size_seen_by(pid: int) -> tuple[int, int, int, int]:
    """Columns, rows and pixels of the app's own terminal, as the app's ioctl reads them."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        rows, cols, xpixels, ypixels = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    finally:
        os.close(fd)
    return cols, rows, xpixels, ypixels


def resident(pid: int) -> int:
    """Bytes of memory ``pid`` holds now (VmRSS)."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


async def test_a_huge_terminal_is_cut_to_500x200_at_start_and_on_every_resize(start_kiosk, new_key, caplog):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    kiosk = await start_kiosk()
    async with await connect(kiosk.port, new_key()) as conn:
        screen = await open_screen(conn, asked=(10000, 10000, 90000, 90000))
        pid = the_app(kiosk).pid
        assert terminal_size_seen_by(pid) == (500, 200, 0, 0)

        screen.resize(100, 30)
        await eventually(lambda: terminal_size_seen_by(pid)[:2] == (100, 30), "the app's terminal is 100x30")
        screen.chan.change_terminal_size(10000, 10000)
        await eventually(lambda: terminal_size_seen_by(pid)[:2] == (500, 200), "the app's terminal is 500x200")
    assert any("size=500x200" in record.getMessage() for record in caplog.records
               if record.getMessage().startswith("connect"))


async def test_every_app_runs_under_the_session_memory_cap(start_kiosk, new_key):
    kiosk = await start_kiosk(session_memory=768 * MIB)
    async with await connect(kiosk.port, new_key()) as conn:
        await (await open_screen(conn)).wait_for(SIGN_IN_FORM)
        limits = Path(f"/proc/{the_app(kiosk).pid}/limits").read_text().splitlines()
        line = next(line for line in limits if line.startswith("Max address space"))
    assert line.split()[3:5] == [str(768 * MIB), str(768 * MIB)]  # soft and hard: the app cannot raise it


ALLOCATES = ("import os, sys\nopen(sys.argv[1], 'w').write(str(os.getpid()))\n"
             "chunks = []\nwhile True:\n    chunks.append(b'x' * 2**20)\n")


async def test_a_session_over_its_memory_cap_ends_with_the_reason_logged(start_kiosk, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    pid_file = tmp_path / "app.pid"
    kiosk = await start_kiosk(allow_guests=True, session_memory=128 * MIB,
                              app=[sys.executable, "-c", ALLOCATES, str(pid_file)])
    async with await connect(kiosk.port) as conn:
        screen = await open_screen(conn)
        await screen.wait_closed()
    assert "This session ran out of memory: the kiosk allows 128 MiB per session." in screen.text
    assert screen.exit_status == 1
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("disconnect")]
    assert line.endswith("reason=memory-limit")
    assert not kiosk.sessions and not any(kiosk.folders.guests.iterdir())
    pid = int(pid_file.read_text())
    assert not alive(pid) and not session_members(pid)


async def test_an_app_that_simply_fails_is_not_blamed_on_memory(start_kiosk, caplog):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    kiosk = await start_kiosk(allow_guests=True, app=[sys.executable, "-c", "raise SystemExit(3)"])
    async with await connect(kiosk.port) as conn:
        screen = await open_screen(conn)
        await screen.wait_closed()
    assert screen.exit_status == 3
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("disconnect")]
    assert line.endswith("reason=app-exited")


async def flood(kiosk, key) -> tuple[int, int]:
    """20 MiB of keys as fast as the kiosk takes them; then the app is asked to act on one more.
    Returns how much the kiosk (this process) and the app grew meanwhile, in bytes."""
    async with await connect(kiosk.port, key) as conn:
        screen = await open_screen(conn)
        await screen.wait_for(SIGN_IN_FORM)
        app = the_app(kiosk)
        kiosk_before, app_before = resident(os.getpid()), resident(app.pid)

        chunk = b"a" * 32768
        for _ in range(20 * MIB // len(chunk)):
            await screen.send(chunk)
        await eventually(lambda: screen.bells > 0, "a bell for the dropped input")
        await eventually(lambda: app.input_waiting == 0, "what was kept of the flood reached the app")
        screen.type(NEW_ACCOUNT)  # the app still answers
        await screen.wait_for("Full name", timeout=60)

        assert app.exit_code is None and the_app(kiosk) is app  # the session is kept
        return resident(os.getpid()) - kiosk_before, resident(app.pid) - app_before


async def test_a_key_flood_is_dropped_with_a_bell_and_leaves_the_kiosk_within_bounds(start_kiosk, new_key):
    kiosk_growth, _ = await flood(await start_kiosk(), new_key())
    assert kiosk_growth < 64 * MIB


async def test_a_key_flood_leaves_the_app_within_bounds(start_kiosk, new_key):
    _, app_growth = await flood(await start_kiosk(), new_key())
    assert app_growth < 64 * MIB


async def test_a_terminal_name_cannot_forge_a_log_line(start_kiosk, new_key, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    folder = tmp_path / "reports"
    kiosk = await start_kiosk(app=reporting_app(folder))
    # (asyncssh itself refuses a terminal name that is not ASCII)
    forged = "xterm\n2026-11-30T09:00:00Z connect who=SHA256:someone-else\x1b[2J\x7f"
    async with await connect(kiosk.port, new_key()) as conn:
        await (await open_screen(conn, term=forged)).wait_for("reported")
        facts = await reported(folder, the_app(kiosk).pid)
        assert facts["environ"]["TERM"] == "xterm-256color"  # the app gets a terminal name it can use
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("connect")]
    assert "\n" not in line and "\x1b" not in line and "\x7f" not in line
    assert r'term="xterm\n2026-11-30T09:00:00Z connect who=SHA256:someone-else\x1b[2J\x7f"' in line
    await eventually(lambda: not kiosk.sessions, "the session ended")


def test_log_values_are_one_token_or_quoted_with_controls_escaped():
    assert quoted("xterm-256color") == "xterm-256color"
    assert quoted("") == '""'
    assert quoted('a "b"\\') == r'"a \"b\"\\"'
    assert quoted("x\u202ey\u2028\x9b") == r'"x\u202ey\u2028\x9b"'
    assert quoted("a" * 100, limit=4) == '"aaaa..."'
