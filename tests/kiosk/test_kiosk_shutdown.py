"""``mentor-tui serve-ssh`` as a service manager runs it, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import sys
from pathlib import Path

import pytest

from mentor_tui.kiosk.pty_session import session_members

from .conftest import alive
from .probe import connect, open_screen


def children_of(pid: int) -> tuple[list[int], list[int]]:
    """The apps (children on a terminal) and the rest (the fork server)."""
    apps, others = [], []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            (apps if int(fields[4]) else others).append(int(stat.parent.name))
    return apps, others


async def test_sigterm_tells_everyone_then_ends_every_session_and_frees_the_port(tmp_path, new_key):
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "mentor_tui", "serve-ssh", "--port", "0", "--state-dir", str(tmp_path / "state"),
        "--db", str(tmp_path / "kiosk.db"), "--shutdown-grace", "2s",
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        log = b""
        while not (listening := re.search(rb"listening on 127\.0\.0\.1 port (\d+)", log)):
            line = await asyncio.wait_for(server.stderr.readline(), 30)
            assert line, f"the server ended before listening: {log.decode()}"
            log += line
        port = int(listening[1])

        async with await connect(port, new_key()) as conn:
            screen = await open_screen(conn)
            await screen.wait_for("Password")
            (app,), (fork_server,) = children_of(server.pid)

            server.send_signal(signal.SIGTERM)
            await screen.wait_for("The kiosk is shutting down: this session ends in 2 seconds.")
            await screen.wait_closed()
            assert "The kiosk has shut down. Goodbye." in screen.text

        assert await asyncio.wait_for(server.wait(), 30) == 0
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()

    log += await server.stderr.read()
    assert re.search(rb"disconnect who=SHA256:\S+ .* reason=shutdown\n", log), log.decode()
    assert log.rstrip().endswith(b"stopped")
    assert not alive(app) and not session_members(app) and not alive(fork_server)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port)).close()
    with socket.socket() as sock:  # a restarted kiosk can listen there again (asyncio reuses addresses too)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen()
