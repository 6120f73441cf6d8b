"""The SSH side of the kiosk: who may connect, what they may ask for, one app per connection.

asyncssh refuses port forwarding, X11 forwarding, tunnels and scp unless told otherwise;
agent forwarding is turned off below; exec requests and subsystems (sftp) are refused here.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from ..repository.session_file import write_private_file
from . import terminal
from .identity import KeyId, StateFolders
from .limits import (
    INPUT_BUFFER,
    MAX_COLUMNS,
    MAX_PIXELS,
    MAX_ROWS,
    ConnectionRate,
    Limits,
    format_duration,
    format_size,
    warning_lead,
)
from .log_text import quoted
from .forkserver import ForkServer, module_invocation
from .processes import adopt_orphans
from .pty_session import PtyApp, TermSize

log = logging.getLogger("mentor_tui.kiosk")

HOST_KEY_NAME = "ssh_host_ed25519_key"
LOGIN_TIMEOUT = 30.0
"""Seconds a connection may take to authenticate and then to ask for the app."""
QUIET = 0.05
"""Seconds without output from the app after which it is between two frames."""
RECEIVE_WINDOW = 4 * INPUT_BUFFER
"""Bytes a client may send before the kiosk reads them: while reading is paused (the app
does not read its input), this is all a client can make the kiosk hold."""
BELL_INTERVAL = 1.0
"""Seconds between two bells for dropped input: one per burst, not one per packet."""
_TERM_NAME = re.compile(r"[A-Za-z0-9._+-]{1,64}")

# What the app may see of the kiosk's environment: its locale, home and backend settings.
# Not PATH: with none, nothing the app might launch by name (a console web browser can
# run commands) is found. Not SSH_*, DISPLAY or an agent socket: those are the operator's.
_ENV_NAMES = frozenset({
    "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH",
    "SUPABASE_URL", "SUPABASE_ANON_KEY", "SSL_CERT_FILE", "SSL_CERT_DIR",
    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
})
_ENV_PREFIXES = ("LC_", "MENTOR_TUI_")


@dataclass(frozen=True)
class KioskConfig:
    state_root: Path
    app_argv: Sequence[str]
    """The app and its backend options; every connection runs one."""
    host: str = "127.0.0.1"
    port: int = 2222
    authorized_keys: Path | None = None
    """Only these keys may connect; None: any key, as public SSH apps do."""
    allow_guests: bool = False
    limits: Limits = field(default_factory=Limits)
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


def app_environment(environ: Mapping[str, str], term: str, state_dir: Path) -> dict[str, str]:
    return {**shared_environment(environ), "TERM": term, "MENTOR_TUI_STATE_DIR": str(state_dir)}


def shared_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What every app sees of ``environ``: also the fork server's, whose imports may read it.
    (The state folder is each app's own.)"""
    env = {name: value for name, value in environ.items()
           if (name in _ENV_NAMES or name.startswith(_ENV_PREFIXES)) and name != "MENTOR_TUI_STATE_DIR"}
    # glibc reserves 64 MiB of address space for each thread's malloc arena; under the
    # memory cap (RLIMIT_AS) that would count as used. Two arenas keep the cap about memory.
    # (Read when malloc starts: a forked session has the fork server's.)
    env.update(PATH="", MALLOC_ARENA_MAX="2", MENTOR_TUI_KIOSK="1")
    return env


def term_name(requested: str) -> str:
    """The client's TERM for the app when it looks like a terminal name; else a common one."""
    return requested if _TERM_NAME.fullmatch(requested) else "xterm-256color"


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """The kiosk's ed25519 host key, made on first start and kept, so clients see one fingerprint."""
    if not path.exists():
        write_private_file(path, asyncssh.generate_private_key("ssh-ed25519").export_private_key())
        log.info("created host key %s", path)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise PermissionError(f"{path} can be read by others (mode {mode:o}): run chmod 600 {path}")
    return asyncssh.read_private_key(path)


class Kiosk:
    """The listening server, the sessions it holds and its shutdown."""

    def __init__(self, config: KioskConfig) -> None:
        self.config = config
        self.limits = config.limits
        self.folders = StateFolders(config.state_root)
        self.rate = ConnectionRate(config.limits.connections_per_minute)
        self.visits: set[Visit] = set()
        self.sessions: set[AppSession] = set()
        self.closing = False
        self.port = 0
        self.host_fingerprint = ""
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self.fork_server: ForkServer | None = None
        self._grace_over = asyncio.Event()
        self._stop_requested = asyncio.Event()

    async def start(self) -> None:
        self.folders.prepare()
        adopt_orphans()
        if module_invocation(self.config.app_argv) is not None:
            # A program of its own, not a fork of the kiosk: it never holds the host key.
            self.fork_server = ForkServer(shared_environment(self.config.environ))
            self.fork_server.start()
        try:
            if self.fork_server is not None:
                await self.fork_server.wait_ready()
            key = load_host_key(self.folders.root / HOST_KEY_NAME)
            self.host_fingerprint = key.get_fingerprint("sha256")
            if self.config.authorized_keys:
                asyncssh.read_authorized_keys(str(self.config.authorized_keys))  # a bad file fails now, not per client
            self._acceptor = await asyncssh.create_server(
                lambda: Visit(self),
                self.config.host,
                self.config.port,
                server_host_keys=[key],
                encoding=None,
                line_editor=False,
                agent_forwarding=False,
                login_timeout=LOGIN_TIMEOUT,
                window=RECEIVE_WINDOW,
                keepalive_interval=30,
                keepalive_count_max=3,
            )
            self.port = self._acceptor.get_port()
        except BaseException:
            if self.fork_server is not None:
                self.fork_server.close()
            raise
        log.info("listening on %s port %d, host key %s", self.config.host, self.port, self.host_fingerprint)

    def key_allowed(self, key: asyncssh.SSHKey, host: str) -> bool:
        if self.config.authorized_keys is None:
            return True
        try:
            allowed = asyncssh.read_authorized_keys(str(self.config.authorized_keys))
        except (OSError, ValueError) as exc:
            log.error("cannot read %s: %s", self.config.authorized_keys, exc)
            return False
        return allowed.validate(key, host, host) is not None

    async def serve_until_signalled(self) -> None:
        """Until SIGTERM or SIGINT; a second one cuts the grace period short."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_signal, signum)
        try:
            await self._stop_requested.wait()
            await self.shutdown()
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)

    def _on_signal(self, signum: int) -> None:
        log.info("%s received", signal.Signals(signum).name)
        if self._stop_requested.is_set():
            self._grace_over.set()
        self._stop_requested.set()

    async def shutdown(self) -> None:
        """Stop listening, tell everyone, give them the grace period, then end what is left."""
        self.closing = True
        if self._acceptor is not None:
            self._acceptor.close()
        grace = self.limits.shutdown_grace
        log.info("shutting down: %d session(s), %s grace", len(self.sessions), format_duration(grace))
        for session in list(self.sessions):
            session.warn(f"The kiosk is shutting down: this session ends in {format_duration(grace)}.")
        if self.sessions:
            self._grace_over.clear()
            try:
                await asyncio.wait_for(self._grace_over.wait(), grace)
            except TimeoutError:
                pass
        endings = [session.end("shutdown", "The kiosk has shut down. Goodbye.") for session in list(self.sessions)]
        await asyncio.gather(*endings)
        for visit in list(self.visits):
            visit.conn.close()
        if self._acceptor is not None:
            await self._acceptor.wait_closed()
        if self.fork_server is not None:
            self.fork_server.close()
        log.info("stopped")

    def session_ended(self, session: AppSession) -> None:
        self.sessions.discard(session)
        if not self.sessions:
            self._grace_over.set()


class Visit(asyncssh.SSHServer):
    """One SSH connection: who it is, at most one app, and its log lines."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.kiosk = kiosk
        self.key: KeyId | None = None
        self.authenticated = False
        self.session: AppSession | None = None
        self.refusal: str | None = None
        self.address = "?"
        self.host = ""
        self.began = time.monotonic()
        self.conn: asyncssh.SSHServerConnection
        self._waiting: asyncio.TimerHandle | None = None

    @property
    def who(self) -> str:
        if self.key is not None:
            return self.key.fingerprint
        return "guest" if self.authenticated else "-"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.host, port = conn.get_extra_info("peername")[:2]
        self.address = f"[{self.host}]:{port}" if ":" in self.host else f"{self.host}:{port}"
        self.kiosk.visits.add(self)
        if self.kiosk.closing:
            self._refuse("shutdown", asyncssh.DISC_SERVICE_NOT_AVAILABLE, "The kiosk is shutting down.")
        elif not self.kiosk.rate.allow(self.host):
            self._refuse("rate-limited", asyncssh.DISC_TOO_MANY_CONNECTIONS,
                         "Too many new connections from your address; please wait a minute.")
        else:
            self._waiting = asyncio.get_running_loop().call_later(LOGIN_TIMEOUT * 2, self._no_app_requested)

    def _refuse(self, reason: str, code: int, message: str) -> None:
        self.refusal = reason
        self.conn.disconnect(code, message)

    def _no_app_requested(self) -> None:
        self._refuse("no-app-requested", asyncssh.DISC_BY_APPLICATION, "This kiosk only runs mentor-tui.")

    def connection_lost(self, exc: Exception | None) -> None:
        self.kiosk.visits.discard(self)
        if self._waiting is not None:
            self._waiting.cancel()
        if self.session is None or not self.session.started:
            reason = self.refusal or ("not-authenticated" if not self.authenticated else "client-closed")
            log.info("refused who=%s address=%s duration=%.1fs reason=%s",
                     self.who, self.address, time.monotonic() - self.began, reason)

    def app_started(self) -> None:
        if self._waiting is not None:
            self._waiting.cancel()

    # --- authentication: the last method tried before success is the one that succeeded ---
    def begin_auth(self, username: str) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if not self.kiosk.key_allowed(key, self.host):
            return False
        self.key = KeyId.of(key.public_data)
        return True

    def kbdint_auth_supported(self) -> bool:
        return self.kiosk.config.allow_guests

    def get_kbdint_challenge(self, username: str, lang: str, submethods: str) -> bool:
        self.key = None  # a guest: no prompt, no password
        return True

    def password_auth_supported(self) -> bool:
        return False

    def auth_completed(self) -> None:
        self.authenticated = True

    def session_requested(self) -> AppSession | bool:
        if self.session is not None and self.session.started:
            return False  # one app per connection
        self.session = AppSession(self)
        return self.session


class AppSession(asyncssh.SSHServerSession):
    """The channel of one connection, joined to its app on a PTY."""

    def __init__(self, visit: Visit) -> None:
        self.visit = visit
        self.kiosk = visit.kiosk
        self.chan: asyncssh.SSHServerChannel | None = None
        self.open = False
        self.term: str | None = None
        self.size = TermSize(80, 24)
        self.app: PtyApp | None = None
        self.state_dir: Path | None = None
        self.started = False
        self._began = 0.0
        self._last_input = 0.0
        self._last_output = 0.0
        self._idle_warned = False
        self._warning: str | None = None
        self._warning_until_key = False
        self._warning_rings = False
        self._warning_handle: asyncio.TimerHandle | None = None
        self._last_bell = -BELL_INTERVAL
        self._timers: list[asyncio.TimerHandle] = []
        self._idle_timer: asyncio.TimerHandle | None = None
        self._ending: asyncio.Task[None] | None = None

    # --- what the client asks for ------------------------------------------------------
    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:
        self.chan = chan
        self.open = True

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        self.term = term_type or "xterm-256color"
        self.size = _term_size(*term_size)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.visit.refusal = "exec-refused"
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        self.visit.refusal = "subsystem-refused"
        return False

    def session_started(self) -> None:
        if self.term is None:
            return self._turn_away("no-terminal", "mentor-tui needs a terminal: connect with ssh -t, from a terminal.")
        if self.kiosk.closing:
            return self._turn_away("shutdown", "The kiosk is shutting down. Please come back later.")
        if len(self.kiosk.sessions) >= self.kiosk.limits.max_sessions:
            return self._turn_away("kiosk-full", "The kiosk is full right now. Please try again in a few minutes.")
        folders = self.kiosk.folders
        self.state_dir = folders.for_key(self.visit.key) if self.visit.key else folders.for_guest()
        app = PtyApp(
            self.kiosk.config.app_argv,
            app_environment(self.kiosk.config.environ, term_name(self.term), self.state_dir),
            self.size,
            on_output=self._output,
            on_exit=self._app_exited,
            on_input_blocked=self._input_blocked,
            memory_cap=self.kiosk.limits.session_memory,
        )
        try:
            app.start(self.kiosk.fork_server)
        except OSError as exc:
            log.error("cannot start the app: %s", exc)
            return self._turn_away("app-failed", "The app could not start. Please try again later.")
        self.app = app
        self.started = True
        self.visit.app_started()
        self.kiosk.sessions.add(self)
        self._began = self._last_input = time.monotonic()
        log.info("connect who=%s address=%s term=%s size=%s", self.visit.who, self.visit.address, quoted(self.term),
                 self.size)
        self._schedule_limits()

    def _turn_away(self, reason: str, message: str) -> None:
        self.visit.refusal = reason
        self._send(terminal.line(message))
        self.end(reason)

    # --- bytes both ways ----------------------------------------------------------------
    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self.app is None:
            return
        self._last_input = time.monotonic()
        if self._idle_warned:
            self._idle_warned = False
            if self._warning_until_key:
                self._warning = None
                self._repaint()
        if self.app.write(data):
            self._ring()

    def _ring(self) -> None:
        """Input was dropped: the person hears it, once a burst."""
        now = time.monotonic()
        if now - self._last_bell >= BELL_INTERVAL:
            self._last_bell = now
            self._send(terminal.BELL)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = _term_size(width, height, pixwidth, pixheight)
        if self.app is not None:
            self.app.resize(self.size)

    def eof_received(self) -> bool:
        """The client's input is closed (``ssh < file``): nobody can use the app any more."""
        if self.started:
            self.end("client-closed")
        return self.started

    def _output(self, data: bytes) -> None:
        self._last_output = time.monotonic()
        self._send(data)
        if self._warning is not None:
            self._draw_warning_soon()

    def _send(self, data: bytes) -> None:
        if not self.open:
            return
        assert self.chan is not None
        try:
            self.chan.write(data)
        except BrokenPipeError:  # the client closed its side; connection_lost follows
            self.open = False
            self.end("client-closed")

    def _input_blocked(self, blocked: bool) -> None:
        if self.open:
            assert self.chan is not None
            (self.chan.pause_reading if blocked else self.chan.resume_reading)()

    def pause_writing(self) -> None:
        if self.app is not None:
            self.app.pause_output()

    def resume_writing(self) -> None:
        if self.app is not None:
            self.app.resume_output()

    # --- limits and warnings ------------------------------------------------------------
    def _schedule_limits(self) -> None:
        limits = self.kiosk.limits
        loop = asyncio.get_running_loop()
        length, lead = limits.max_session_length, warning_lead(limits.max_session_length)
        self._timers += [
            loop.call_later(length - lead, self.warn,
                            f"This session ends in {format_duration(lead)}: the kiosk allows {format_duration(length)}."),
            loop.call_later(length, self.end, "max-length",
                            f"This session reached the kiosk's limit of {format_duration(length)}. Goodbye."),
        ]
        self._check_idle()

    def _check_idle(self) -> None:
        timeout = self.kiosk.limits.idle_timeout
        lead = warning_lead(timeout)
        idle = time.monotonic() - self._last_input
        if idle >= timeout:
            self.end("idle-timeout", f"Disconnected after {format_duration(timeout)} without a key press.")
            return
        if idle >= timeout - lead and not self._idle_warned:
            self._idle_warned = True
            self.warn(f"Still there? Press a key within {format_duration(round(timeout - idle))} to stay connected.",
                      until_key=True)
        next_check = timeout - idle if self._idle_warned else timeout - lead - idle
        self._idle_timer = asyncio.get_running_loop().call_later(next_check, self._check_idle)

    def warn(self, text: str, *, until_key: bool = False) -> None:
        """Show ``text`` over the app's top line until the session ends (or, ``until_key``,
        until the next key press). Drawn while the app pauses between frames, never inside
        one, and again whenever the app has painted over it."""
        self._warning = text
        self._warning_until_key = until_key
        self._warning_rings = True
        self._draw_warning_soon()

    def _draw_warning_soon(self) -> None:
        if self._warning_handle is None:
            self._warning_handle = asyncio.get_running_loop().call_later(QUIET, self._draw_warning)

    def _draw_warning(self) -> None:
        self._warning_handle = None
        if self._warning is None or self._ending is not None:
            return
        quiet_for = time.monotonic() - self._last_output
        if quiet_for < QUIET:
            self._warning_handle = asyncio.get_running_loop().call_later(QUIET - quiet_for, self._draw_warning)
            return
        self._send((terminal.BELL if self._warning_rings else b"") + terminal.banner(self._warning, self.size.cols))
        self._warning_rings = False

    def _repaint(self) -> None:
        """Have the app draw every cell again, over a warning: a resize to one column fewer
        and back, which the app answers with a full repaint."""
        if self.app is None or self.app.exit_code is not None:
            return
        size = self.size
        self.app.resize(TermSize(max(size.cols - 1, 1), size.rows, size.xpixels, size.ypixels))
        asyncio.get_running_loop().call_later(0.05, self._restore_size, size)

    def _restore_size(self, size: TermSize) -> None:
        if self.app is not None and self.app.exit_code is None and self.size == size:
            self.app.resize(size)

    # --- the end ------------------------------------------------------------------------
    def _app_exited(self, code: int) -> None:
        if self.app is not None and self.app.out_of_memory:
            self.end("memory-limit", f"This session ran out of memory: the kiosk allows "
                     f"{format_size(self.kiosk.limits.session_memory)} per session. Goodbye.")
        else:
            self.end("app-exited")

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self.started:  # a refused request closes only its own channel
            self.end("client-closed" if exc is None else "connection-lost")

    def end(self, reason: str, farewell: str | None = None) -> asyncio.Task[None]:
        """End the app and the connection, once; the first reason is the one logged."""
        if self._ending is None:
            self._ending = asyncio.get_running_loop().create_task(self._end(reason, farewell))
        return self._ending

    async def _end(self, reason: str, farewell: str | None) -> None:
        for timer in [*self._timers, self._idle_timer, self._warning_handle]:
            if timer is not None:
                timer.cancel()
        if self.app is not None:
            await self.app.stop()
        if farewell:
            self._send(terminal.farewell(farewell))
        if self.open:
            assert self.chan is not None
            if reason in ("app-exited", "memory-limit"):
                status = self.app.exit_code if self.app is not None else None
            else:
                status = 0 if self.started else 1
            self.chan.exit(status if status is not None and status >= 0 else 1)
            # The client leaves by itself once the channel is closed; the connection is closed after.
            with suppress(TimeoutError):
                await asyncio.wait_for(self.chan.wait_closed(), 2.0)
        self.visit.conn.close()
        self._discard_guest_folder()
        if self.started:
            self.kiosk.session_ended(self)
            log.info("disconnect who=%s address=%s size=%s duration=%.1fs reason=%s", self.visit.who,
                     self.visit.address, self.size, time.monotonic() - self._began, reason)

    def _discard_guest_folder(self) -> None:
        if self.visit.key is None and self.state_dir is not None:
            StateFolders.discard(self.state_dir)


def _term_size(width: int, height: int, pixwidth: int = 0, pixheight: int = 0) -> TermSize:
    """What the client asks for, within what the kiosk gives (500x200). Some clients send
    0x0 when they cannot tell; the app still needs a size. Pixel sizes are passed on only
    for a size that was not cut and when believable: an app divides them by the cells."""
    cols, rows = min(width or 80, MAX_COLUMNS), min(height or 24, MAX_ROWS)
    if (cols, rows) != (width, height) or not (0 < pixwidth <= MAX_PIXELS and 0 < pixheight <= MAX_PIXELS):
        pixwidth = pixheight = 0
    return TermSize(cols, rows, pixwidth, pixheight)
