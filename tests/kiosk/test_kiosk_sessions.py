"""What a person connecting over SSH gets: the app, at their size, as themselves, and nothing else."""

from __future__ import annotations

import logging
import re

import asyncssh
import pytest

from mentor_tui.kiosk.pty_session import session_members

from .conftest import NEW_ACCOUNT, alive, eventually
from .probe import connect, open_screen

SIGN_IN_FORM = "Password"


def field_row(screen, label: str) -> int | None:
    return next((y for y, line in enumerate(screen.text.splitlines()) if label in line and "▊" in line), None)


def focused(screen, label: str) -> bool:
    """The app marks the focused field by colouring its left edge."""
    y = field_row(screen, label)
    if y is None:
        return False
    edge = screen.screen.buffer[y][screen.text.splitlines()[y].index("▊")]
    return edge.fg != edge.bg


async def fill(screen, label: str, value: str, shown: str | None = None) -> None:
    await screen.wait_for(lambda _: focused(screen, label))
    screen.type(value)
    await screen.wait_for(lambda text: (shown or value) in text.splitlines()[field_row(screen, label)])


async def sign_up(screen, name: str, email: str) -> None:
    """Through the app's own sign-up form, a field at a time as a person types."""
    await screen.wait_for(SIGN_IN_FORM)
    screen.type(NEW_ACCOUNT)
    await fill(screen, "Full name", name)
    screen.type("\t")
    await fill(screen, "Email", email)
    screen.type("\t")
    password = "correct-horse-battery"
    await fill(screen, "Password", password, shown="•" * len(password))
    screen.type("\r")
    await screen.wait_for(f"{name} · student")


def the_session(kiosk):
    (session,) = kiosk.sessions
    return session


async def test_a_key_holder_reaches_the_sign_in_screen_and_is_logged(start_kiosk, new_key, caplog):
    caplog.set_level(logging.INFO, logger="mentor_tui.kiosk")
    kiosk = await start_kiosk()
    key = new_key()
    async with await connect(kiosk.port, key) as conn:
        screen = await open_screen(conn, 100, 30)
        text = await screen.wait_for(lambda text: "Email" in text and SIGN_IN_FORM in text)
        assert "Sign in" in text
        state_dir = the_session(kiosk).state_dir
        assert state_dir.stat().st_mode & 0o777 == 0o700
    await eventually(lambda: not kiosk.sessions, "the session ended")

    fingerprint = key.get_fingerprint("sha256")
    connect_line, disconnect_line = (r.getMessage() for r in caplog.records if r.getMessage().startswith("dis") or
                                     r.getMessage().startswith("connect"))
    assert re.fullmatch(rf"connect who={re.escape(fingerprint)} address=127\.0\.0\.1:\d+ term=xterm-256color "
                        r"size=100x30", connect_line)
    assert re.fullmatch(rf"disconnect who={re.escape(fingerprint)} address=127\.0\.0\.1:\d+ size=100x30 "
                        r"duration=\d+\.\ds reason=client-closed", disconnect_line)


async def test_a_resize_reaches_the_app(start_kiosk, new_key):
    kiosk = await start_kiosk()
    async with await connect(kiosk.port, new_key()) as conn:
        screen = await open_screen(conn, 100, 30)
        await screen.wait_for(lambda text: "Quit" in text.splitlines()[29])  # the footer, on the last row

        screen.resize(120, 40)
        # The app lays itself out again: the footer moves to the new last row and spans the new width.
        text = await screen.wait_for(lambda text: "Quit" in text.splitlines()[39] and
                                     text.splitlines()[39].rstrip().endswith("palette"))
        assert len(text.splitlines()[39].rstrip()) > 100


async def test_each_key_has_its_own_remembered_sign_in(start_kiosk, new_key):
    kiosk = await start_kiosk()
    ada, grace = new_key(), new_key()
    async with await connect(kiosk.port, ada) as conn:
        await sign_up(await open_screen(conn), "Ada Lovelace", "ada@example.org")

    async with await connect(kiosk.port, grace) as conn:
        text = await (await open_screen(conn)).wait_for(SIGN_IN_FORM)
        assert "Ada" not in text

    async with await connect(kiosk.port, ada) as conn:
        await (await open_screen(conn)).wait_for("Ada Lovelace · student")


async def test_a_guest_remembers_nothing(start_kiosk):
    kiosk = await start_kiosk(allow_guests=True)
    async with await connect(kiosk.port) as conn:
        screen = await open_screen(conn)
        guest_dir = the_session(kiosk).state_dir
        assert guest_dir.parent == kiosk.folders.guests
        await sign_up(screen, "Guest Person", "guest@example.org")
    await eventually(lambda: not guest_dir.exists(), "the guest's folder was removed")

    async with await connect(kiosk.port) as conn:
        text = await (await open_screen(conn)).wait_for(SIGN_IN_FORM)
        assert "Guest Person" not in text


async def test_nothing_but_the_app_is_offered(start_kiosk, new_key):
    kiosk = await start_kiosk()
    async with await connect(kiosk.port, new_key()) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_process("cat /etc/passwd")
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.start_sftp_client()
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", kiosk.port)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", kiosk.port)

        no_terminal = await conn.create_process(encoding="utf-8")  # a shell, without a PTY
        await no_terminal.wait_closed()
        assert "needs a terminal" in await no_terminal.stdout.read()
        assert no_terminal.exit_status == 1
    assert not kiosk.sessions


async def test_ctrl_c_and_ctrl_z_are_keys_for_the_app(start_kiosk, new_key):
    kiosk = await start_kiosk()
    async with await connect(kiosk.port, new_key()) as conn:
        screen = await open_screen(conn)
        await screen.wait_for(SIGN_IN_FORM)
        app = the_session(kiosk).app
        screen.type("\x03\x1a")
        await screen.wait_for("ctrl+q")  # the app's own hint: ctrl+c does not quit it
        screen.type("still here")
        await screen.wait_for("still here")
        assert app.exit_code is None


async def test_a_dropped_connection_leaves_no_process(start_kiosk, new_key):
    kiosk = await start_kiosk()
    conn = await connect(kiosk.port, new_key())
    await (await open_screen(conn)).wait_for(SIGN_IN_FORM)
    pid = the_session(kiosk).app.pid
    assert alive(pid)

    conn.abort()  # no goodbye: the network went away

    await eventually(lambda: not alive(pid) and not session_members(pid), "the app and its processes are gone")
    await eventually(lambda: not kiosk.sessions, "the kiosk forgot the session")


async def test_an_idle_session_is_warned_then_ended(start_kiosk, new_key):
    kiosk = await start_kiosk(idle_timeout=6)  # the app starts within the 3 s before the warning
    async with await connect(kiosk.port, new_key()) as conn:
        screen = await open_screen(conn)
        await screen.wait_for(SIGN_IN_FORM)
        pid = the_session(kiosk).app.pid

        await screen.wait_for("Still there? Press a key")
        screen.type("x")  # a key press keeps the session and takes the warning away
        await screen.wait_for(lambda text: "Still there" not in text and "x" in text)

        await screen.wait_for("Still there? Press a key")
        await screen.wait_closed()
        assert "Disconnected after 6 seconds without a key press." in screen.text
    await eventually(lambda: not alive(pid), "the app ended")


async def test_the_next_client_is_told_the_kiosk_is_full(start_kiosk, new_key):
    kiosk = await start_kiosk(max_sessions=1)
    async with await connect(kiosk.port, new_key()) as first:
        await (await open_screen(first)).wait_for(SIGN_IN_FORM)
        async with await connect(kiosk.port, new_key()) as second:
            screen = await open_screen(second)
            await screen.wait_closed()
            assert "The kiosk is full right now." in screen.text
            assert screen.exit_status == 1
        assert len(kiosk.sessions) == 1


async def test_an_app_that_cannot_start_is_explained_and_nothing_is_left(start_kiosk, tmp_path):
    kiosk = await start_kiosk(allow_guests=True, app=[str(tmp_path / "no-such-program")])
    async with await connect(kiosk.port) as conn:
        screen = await open_screen(conn)
        await screen.wait_closed()
    assert "The app could not start." in screen.text
    assert screen.exit_status == 1
    assert not kiosk.sessions and not any(kiosk.folders.guests.iterdir())
