"""Sessions forked from the pre-imported fork server: each on its own, and none able to take
down the server or another session."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

from mentor_tui.kiosk.forkserver import ForkServer, SessionRequest, module_invocation
from mentor_tui.kiosk.limits import MIB
from mentor_tui.kiosk.server import shared_environment

from .conftest import NEW_ACCOUNT, alive, eventually, reported, reporting_app
from .probe import connect, open_screen
from .session_report import LEFT_BEHIND

SIGN_IN_FORM = "Password"


def cmdline(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def app_pids(kiosk) -> set[int]:
    return {session.app.pid for session in kiosk.sessions}


def test_only_this_python_running_a_module_is_forked():
    assert module_invocation([sys.executable, "-m", "mentor_tui", "--db", "x"]) == ("mentor_tui", ["--db", "x"])
    assert module_invocation([sys.executable, "-c", "print()"]) is None
    assert module_invocation(["/usr/bin/python3-other", "-m", "mentor_tui"]) is None
    assert module_invocation([sys.executable, "-m"]) is None


async def test_the_app_is_forked_from_the_fork_server_and_is_the_kiosks_child(start_kiosk, new_key):
    kiosk = await start_kiosk()
    server = kiosk.fork_server
    assert server is not None and server.running
    async with await connect(kiosk.port, new_key()) as conn:
        await (await open_screen(conn)).wait_for(SIGN_IN_FORM)
        (pid,) = app_pids(kiosk)
        assert cmdline(pid) == cmdline(server.pid)  # a fork: no program of its own was executed
        assert cmdline(pid)[1:3] == ["-m", "mentor_tui.kiosk.forkserver"]
        stat = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        assert int(stat[1]) == os.getpid()  # re-parented to the kiosk, which waits for it
        assert int(stat[3]) == pid  # the leader of its own session


async def test_each_session_has_its_own_environment_state_folder_terminal_and_limits(start_kiosk, new_key, tmp_path):
    folder = tmp_path / "reports"
    kiosk = await start_kiosk(app=reporting_app(folder), session_memory=700 * MIB)
    kiosk_umask = os.umask(0o022)
    os.umask(kiosk_umask)
    facts = []
    for term in ("xterm-256color", "screen"):
        async with await connect(kiosk.port, new_key()) as conn:
            screen = await open_screen(conn, term=term)
            await screen.wait_for("reported")
            (session,) = kiosk.sessions
            fact = await reported(folder, session.app.pid)
            assert fact["environ"]["TERM"] == term
            assert fact["environ"]["MENTOR_TUI_STATE_DIR"] == str(session.state_dir)
            assert Path(f"/proc/{fact['pid']}/fd/0").resolve() == Path(fact["terminal"])
            facts.append(fact)
        await eventually(lambda: not kiosk.sessions, "the session ended")

    first, second = facts
    assert first["environ"]["MENTOR_TUI_STATE_DIR"] != second["environ"]["MENTOR_TUI_STATE_DIR"]
    assert LEFT_BEHIND not in second["environ"]  # the first session set it in its own process only
    assert first["random"] != second["random"]  # seeded anew in each session, not copied from the server
    assert "PYTHONHASHSEED" not in second["environ"] and second["environ"]["PATH"] == ""
    for fact in facts:
        assert cmdline(kiosk.fork_server.pid)[1:3] == ["-m", "mentor_tui.kiosk.forkserver"]
        assert fact["address_space"] == [700 * MIB, 700 * MIB]
        assert fact["fds"] == [0, 1, 2]  # no other session's terminal, no socket of the kiosk's
        assert fact["stdio_on_terminal"] and fact["session_leader"] and fact["controls_terminal"]
        assert fact["cwd"] == os.getcwd() and fact["umask"] == kiosk_umask
        assert fact["sigint_raises"] and fact["sigterm_default"] and fact["blocked_signals"] == []


async def test_sessions_get_default_signals_whatever_the_kiosk_ignores(start_kiosk, new_key, tmp_path):
    # A kiosk started under nohup ignores SIGHUP; ignored signals survive exec, and a session
    # that ignored SIGHUP or SIGTERM would outlive its client.
    folder = tmp_path / "reports"
    ignored = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGHUP, signal.SIGTERM)}
    try:
        kiosk = await start_kiosk(app=reporting_app(folder))
    finally:
        for signum, handler in ignored.items():
            signal.signal(signum, handler)
    async with await connect(kiosk.port, new_key()) as conn:
        await (await open_screen(conn)).wait_for("reported")
        (session,) = kiosk.sessions
        fact = await reported(folder, session.app.pid)
    assert fact["sigterm_default"] and fact["sighup_default"] and fact["sigint_raises"]


async def test_no_descriptor_of_another_session_reaches_a_session(start_kiosk, new_key, tmp_path):
    folder = tmp_path / "reports"
    kiosk = await start_kiosk(app=reporting_app(folder))
    async with await connect(kiosk.port, new_key()) as first, await connect(kiosk.port, new_key()) as second:
        for conn in (first, second):
            await (await open_screen(conn)).wait_for("reported")
        for pid in app_pids(kiosk):
            assert sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd")) == [0, 1, 2]
        terminals = {os.readlink(f"/proc/{pid}/fd/0") for pid in app_pids(kiosk)}
        assert len(terminals) == 2


async def test_a_killed_session_leaves_the_fork_server_and_the_others_running(start_kiosk, new_key):
    kiosk = await start_kiosk()
    server_pid = kiosk.fork_server.pid
    async with await connect(kiosk.port, new_key()) as doomed_conn, await connect(kiosk.port, new_key()) as conn:
        doomed = await open_screen(doomed_conn)
        await doomed.wait_for(SIGN_IN_FORM)
        (doomed_session,) = kiosk.sessions
        screen = await open_screen(conn)
        await screen.wait_for(SIGN_IN_FORM)

        os.kill(doomed_session.app.pid, signal.SIGKILL)
        await doomed.wait_closed()
        assert alive(server_pid) and kiosk.fork_server.running
        screen.type(NEW_ACCOUNT)  # the other app still answers
        await screen.wait_for("Full name")

        async with await connect(kiosk.port, new_key()) as later:
            await (await open_screen(later)).wait_for(SIGN_IN_FORM)
            assert kiosk.fork_server.pid == server_pid  # the same server forked it


async def test_a_killed_fork_server_is_replaced_and_sessions_go_on_starting(start_kiosk, new_key, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    folder = tmp_path / "reports"
    kiosk = await start_kiosk(app=reporting_app(folder))
    server = kiosk.fork_server
    first_server = server.pid
    async with await connect(kiosk.port, new_key()) as before:
        await (await open_screen(before)).wait_for("reported")
        (running,) = app_pids(kiosk)

        os.kill(first_server, signal.SIGKILL)
        await eventually(lambda: not alive(first_server) or _zombie(first_server), "the fork server died")

        async with await connect(kiosk.port, new_key()) as during:
            await (await open_screen(during)).wait_for("reported")  # spawned meanwhile
            spawned = (app_pids(kiosk) - {running}).pop()
            assert cmdline(spawned)[:3] == reporting_app(folder)[:3]
        assert server.running and server.pid != first_server and not alive(first_server)
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert len(errors) == 1 and errors[0].startswith("fork server failed")

        await eventually(lambda: app_pids(kiosk) == {running}, "the second session ended")
        await server.wait_ready()  # (until then, sessions are spawned)
        async with await connect(kiosk.port, new_key()) as after:
            await (await open_screen(after)).wait_for("reported")
            forked = (app_pids(kiosk) - {running}).pop()
            assert cmdline(forked) == cmdline(server.pid)
        assert alive(running)  # the first server's session outlived it


async def test_a_fork_server_that_dies_before_it_is_ready_is_not_restarted(caplog, tmp_path):
    server = ForkServer(shared_environment(os.environ))
    server.start()
    os.kill(server.pid, signal.SIGKILL)
    await server.wait_ready()
    assert not server.running and not alive(server.pid)  # reaped: no zombie is left
    master, slave = os.openpty()
    try:
        request = SessionRequest("tests.kiosk.session_report", [str(tmp_path)], {}, os.getcwd(), 0o022, None)
        assert server.launch(request, slave) is None  # the session is spawned instead
    finally:
        os.close(master)
        os.close(slave)
    assert not server.running
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == ["the fork server ended while importing the app: sessions are spawned"]


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[0] == b"Z"
