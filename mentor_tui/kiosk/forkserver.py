"""Sessions forked from a process that has already imported the app, as multiprocessing's
forkserver does: a connection costs a fork instead of an interpreter start and its imports.

The kiosk starts the fork server (``python -m mentor_tui.kiosk.forkserver FD``) before any
client arrives and talks to it over a private socketpair: one request per session, the
session's PTY passed with SCM_RIGHTS, the new process's pid in reply. The server is single
threaded and never runs an event loop, so a fork copies no thread and no half-held lock.

Each session is forked twice: the intermediate process exits at once, so the session is
re-parented to the kiosk (a child subreaper, see ``adopt_orphans``), which waits for it, has a
pidfd for it and reads its memory peak exactly as for a spawned app. Before its pid is
reported the session is the leader of a new session with the PTY as its controlling terminal;
then it takes its own environment, working folder, umask and limits, keeps no descriptor but
0, 1 and 2, and runs the module as ``python -m`` would.

Shared by every session (the price of not importing per session): the interpreter's hash seed
and whatever the preloaded modules computed at import from the server's environment, which
is the sessions' environment without TERM and the state folder.
"""

from __future__ import annotations

import asyncio
import atexit
import fcntl
import gc
import importlib
import json
import logging
import os
import resource
import runpy
import signal
import socket
import sys
import termios
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass
from types import FrameType
from typing import Any

from rich.cells import cell_len

from .processes import DEFAULT_SIGNALS, adopt_orphans, inherited_fds

log = logging.getLogger("mentor_tui.kiosk")

PRELOAD = (
    "mentor_tui.cli",
    "mentor_tui.config",
    "mentor_tui.app",
    "mentor_tui.screens.sign_in",
    "textual.drivers.linux_driver",
    "textual.scrollbar",
    "textual.layouts.factory",
    "concurrent.futures.thread",
    "tomllib",
    "mentor_tui.repository.factory",
    "mentor_tui.repository.local",
)
"""What a session needs to draw the sign-in form (what ``python -X importtime`` shows the app
loading by then, Textual's lazy imports included), and the embedded backend it opens next."""
READY = b"ready"
"""What the server says once it has imported the app."""
READY_TIMEOUT = 30.0
"""Seconds the kiosk waits at start for the server's imports before it listens anyway."""
REPLY_TIMEOUT = 5.0
"""Seconds the kiosk waits for a pid; past that the server is taken as stuck and replaced."""
_MAX_REQUEST = 1 << 20

_Handler = Callable[[int, FrameType | None], Any] | int | None


@dataclass(frozen=True)
class SessionRequest:
    module: str
    args: list[str]
    env: dict[str, str]
    cwd: str
    umask: int
    memory_cap: int | None


def module_invocation(argv: Sequence[str]) -> tuple[str, list[str]] | None:
    """``[this python, "-m", module, *args]`` as (module, args): what the fork server can run.
    Anything else (another program, interpreter options) is spawned as before."""
    if len(argv) >= 3 and argv[0] == sys.executable and argv[1] == "-m":
        return argv[2], list(argv[3:])
    return None


# --- the kiosk's side ----------------------------------------------------------------------
class ForkServer:
    """Starts the server, asks it for sessions, and replaces it when it dies. ``launch``
    returning None means "spawn this one instead"; that happens while no server is usable."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = dict(env)
        self._sock: socket.socket | None = None
        self.pid = 0
        self._ready = False
        self._served = 0

    @property
    def running(self) -> bool:
        return self._sock is not None

    async def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Until the server has imported the app (or is gone, or ``timeout`` has passed)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._sock is not None and not self._poll_ready() and loop.time() < deadline:
            await asyncio.sleep(0.02)

    def _poll_ready(self) -> bool:
        if not self._ready and self._sock is not None:
            try:
                said = self._sock.recv(len(READY), socket.MSG_DONTWAIT)
            except BlockingIOError:
                return False
            except OSError:
                said = b""
            if said != READY:
                log.error("the fork server ended while importing the app: sessions are spawned")
                self.close()
            self._ready = said == READY
        return self._ready

    def start(self) -> None:
        """Start the server; it imports the app while the kiosk goes on."""
        adopt_orphans()  # the sessions become the kiosk's children when their first parent exits
        self._ready = False
        self._served = 0
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            os.set_inheritable(theirs.fileno(), True)
            argv = [sys.executable, "-m", __name__, str(theirs.fileno())]
            actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDWR, 0), (os.POSIX_SPAWN_DUP2, 0, 1),
                       *((os.POSIX_SPAWN_CLOSE, fd) for fd in inherited_fds() if fd != theirs.fileno())]
            # Its own session: a ctrl+c meant for the kiosk's terminal does not reach it.
            # Default handlers, which it records and gives each session, whatever the kiosk ignores.
            self.pid = os.posix_spawn(argv[0], argv, self._env, file_actions=actions, setsid=True,
                                      setsigdef=DEFAULT_SIGNALS, setsigmask=())
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.settimeout(REPLY_TIMEOUT)
        self._sock = ours

    def launch(self, request: SessionRequest, terminal: int) -> int | None:
        """The pid of a new session on ``terminal`` (the PTY's slave side), or None.

        Blocks the kiosk for one round trip (two forks): the server answers as soon as the
        session holds its terminal, before it imports or draws anything. While the server is
        still importing, None: waiting for it would cost the person as much as a spawn, and
        every other session of the kiosk its share of the wait."""
        if not self._poll_ready():
            return None
        assert self._sock is not None
        try:
            socket.send_fds(self._sock, [json.dumps(asdict(request)).encode()], [terminal])
            reply = json.loads(self._sock.recv(4096) or b"{}")
        except (OSError, ValueError) as exc:
            reply = {"error": str(exc) or type(exc).__name__}
        if "pid" in reply:
            self._served += 1
            return int(reply["pid"])
        # Dead, stuck or failing: replaced, and said once, not per session. One that never
        # served a session (it cannot import the app, say) is not restarted in a loop.
        served = self._served
        self.close()
        log.error("fork server failed (%s): %s", reply.get("error", "it exited"),
                  "restarting it" if served else "sessions are spawned")
        if served:
            self._restart()
        return None

    def _restart(self) -> None:
        try:
            self.start()
        except OSError as exc:
            log.error("cannot start the fork server: %s; sessions are spawned", exc)

    def close(self) -> None:
        """End the server (killed: a stuck one would not read its socket) and reap it. Its
        sessions go on: they are the kiosk's children."""
        if self._sock is None:
            return
        self._sock.close()
        self._sock = None
        try:
            os.kill(self.pid, signal.SIGKILL)  # a stuck one would not read its socket
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


# --- the server's side ---------------------------------------------------------------------
def serve(sock: socket.socket) -> None:
    """Import the app, then fork a session per request until the kiosk closes the socket."""
    fresh = {signum: signal.getsignal(signum) for signum in signal.valid_signals()}
    for module in PRELOAD:
        importlib.import_module(module)
    cell_len("\u2022")  # Rich loads its table of character widths on the first wide one
    # Sessions get the handlers a fresh interpreter has, should a module change one at import.
    handlers = {signum: handler for signum, handler in fresh.items() if signal.getsignal(signum) != handler}
    gc.freeze()  # the collector would otherwise touch, and so copy, every shared object
    sock.send(READY)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, _MAX_REQUEST, 1)
        except ConnectionError:
            return
        if not message:
            return  # the kiosk has gone
        try:
            request = SessionRequest(**json.loads(message))
            if len(fds) != 1:
                raise ValueError("a request carries one terminal")
            if threading.active_count() != 1:
                raise RuntimeError("the fork server has threads: a fork would copy held locks")
            reply: dict[str, object] = {"pid": _fork_session(sock, request, fds[0], handlers)}
        except Exception as exc:  # noqa: BLE001 - the kiosk logs it and spawns instead
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            for fd in fds:
                os.close(fd)
        sock.send(json.dumps(reply).encode())


def _fork_session(sock: socket.socket, request: SessionRequest, terminal: int,
                  handlers: dict[signal.Signals, _Handler]) -> int:
    """Fork the session's process (through one that exits at once); its pid once it holds its terminal."""
    ready_r, ready_w = os.pipe()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        intermediate = os.fork()
        if intermediate == 0:
            try:
                os.close(ready_r)
                if os.fork() == 0:
                    _run_session(sock, request, terminal, ready_w, handlers)
            finally:
                os._exit(0)
        os.close(ready_w)
        ready_w = -1
        os.waitpid(intermediate, 0)
        reported = b""
        while chunk := os.read(ready_r, 8):  # until the session has closed its end
            reported += chunk
    finally:
        os.close(ready_r)
        if ready_w >= 0:
            os.close(ready_w)
    if len(reported) != 4:
        raise OSError("the session failed before reaching its terminal")
    return int.from_bytes(reported, "little")


def _run_session(sock: socket.socket, request: SessionRequest, terminal: int, ready: int,
                 handlers: dict[signal.Signals, _Handler]) -> None:
    """In the session's process; never returns."""
    try:
        os.setsid()
        fcntl.ioctl(terminal, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(terminal, fd)
        sock.detach()  # its descriptor is closed below; the object must not close a reused number later
        os.write(ready, os.getpid().to_bytes(4, "little"))
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        os.environ.clear()
        os.environ.update(request.env)
        os.chdir(request.cwd)
        os.umask(request.umask)
        if request.memory_cap is not None:
            resource.setrlimit(resource.RLIMIT_AS, (request.memory_cap, request.memory_cap))
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # as Python does on a terminal
    except BaseException as exc:
        with suppress(Exception):  # nothing here may keep the session from exiting
            os.write(2, f"cannot start the session: {exc}\r\n".encode())
        os._exit(127)
    os._exit(_run_module(request.module, request.args))


def _run_module(module: str, args: list[str]) -> int:
    """``python -m module args...`` in this process: its exit code."""
    code = 0
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - reported as the interpreter would, then exit 1
        traceback.print_exc()
        code = 1
    finally:
        with suppress(Exception):  # nothing here may keep the session from exiting
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
    return code


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])))
