"""One app process on a pseudo-terminal of its own.

The app is the leader of a new session with the PTY as its controlling terminal, so it
and everything it starts can be found (same session id) and ended together, and the
kernel hangs it up even if the kiosk itself dies. Linux only: pidfds and /proc.

What one app may take is bounded here: its input (``INPUT_BUFFER`` held at most, passed on
at ``INPUT_RATE`` after a burst of that size) and, with ``memory_cap``, its address space
(RLIMIT_AS, set in the child before the app runs, so the app and everything it starts inherit it).

An app run as ``python -m module`` is forked by the fork server (``forkserver.py``) when one
is given and ready; otherwise, and for any other program, a fresh process is spawned. Either
way the app is a child of the kiosk, so it is waited for and ended the same way.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import struct
import sys
import termios
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .forkserver import ForkServer, SessionRequest, module_invocation
from .limits import INPUT_BUFFER, INPUT_RATE
from .processes import DEFAULT_SIGNALS, inherited_fds


@dataclass(frozen=True)
class TermSize:
    cols: int
    rows: int
    xpixels: int = 0
    ypixels: int = 0

    def __str__(self) -> str:
        return f"{self.cols}x{self.rows}"

    def packed(self) -> bytes:
        return struct.pack("HHHH", self.rows, self.cols, self.xpixels, self.ypixels)


def session_members(sid: int) -> dict[int, int]:
    """Every process whose session id is ``sid`` (the app and whatever it started): pid -> parent pid."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; the fields after it do not.
        fields = stat[stat.rindex(b")") + 2 :].split()
        if int(fields[3]) == sid:
            members[int(entry.name)] = int(fields[1])
    return members


# Run as ``python -I -S -c _EXEC_WITH_CAP <bytes> <program> <args...>``: posix_spawn cannot set
# a resource limit, so a small interpreter sets it and becomes the app (same pid, same session).
_EXEC_WITH_CAP = """\
import os, resource, sys
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    os.execv(sys.argv[2], sys.argv[2:])
except OSError as exc:
    sys.stderr.write(f"cannot start {sys.argv[2]}: {exc.strerror}\\r\\n")
    sys.exit(127)
"""


class PtyApp:
    """Runs ``argv`` on a fresh PTY and relays bytes both ways through callbacks."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        size: TermSize,
        *,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[int], None],
        on_input_blocked: Callable[[bool], None],
        memory_cap: int | None = None,
    ) -> None:
        self._argv = list(argv)
        self.memory_cap = memory_cap
        self._env = dict(env)
        self.size = size
        self._on_output = on_output
        self._on_exit = on_exit
        self._on_input_blocked = on_input_blocked
        self._loop = asyncio.get_running_loop()
        self._master = -1
        self._pidfd = -1
        self.pid = 0
        self.exit_code: int | None = None
        self._exited = asyncio.Event()
        self._pending = bytearray()
        self._allowance = float(INPUT_BUFFER)
        self._refilled = self._loop.time()
        self._retry: asyncio.TimerHandle | None = None
        self._input_blocked = False
        self.peak_memory = 0
        """Bytes: the most the app held in memory at once (its peak resident size), known once it has exited."""
        self._reading = False
        self._finishing: asyncio.Task[None] | None = None  # holds the task until it is done

    def start(self, fork_server: ForkServer | None = None) -> None:
        """Start the app: forked by ``fork_server`` when it can run it, else spawned."""
        invocation = module_invocation(self._argv)
        if fork_server is not None and invocation is not None:
            module, args = invocation
            request = SessionRequest(module, args, self._env, os.getcwd(), _current_umask(), self.memory_cap)
            master, slave = self._open_terminal()
            try:
                self.pid = fork_server.launch(request, slave) or 0
            finally:
                os.close(slave)
            if self.pid:
                self._started(master)
                return
            # Not this terminal: a session the server forked before failing may still hold it.
            os.close(master)
        self._spawn()

    def _spawn(self) -> None:
        program = self._argv[0]
        if not (os.path.isfile(program) and os.access(program, os.X_OK)):
            raise FileNotFoundError(2, "no such program", program)
        argv = self._argv
        if self.memory_cap is not None:
            argv = [sys.executable, "-I", "-S", "-c", _EXEC_WITH_CAP, str(self.memory_cap), *argv]
        master, slave = self._open_terminal()
        try:
            name = os.ttyname(slave)
            # A session leader that opens a terminal gets it as its controlling terminal.
            actions = [(os.POSIX_SPAWN_OPEN, 0, name, os.O_RDWR, 0),
                       (os.POSIX_SPAWN_DUP2, 0, 1),
                       (os.POSIX_SPAWN_DUP2, 0, 2),
                       *((os.POSIX_SPAWN_CLOSE, fd) for fd in inherited_fds())]
            self.pid = os.posix_spawn(argv[0], argv, self._env, file_actions=actions,
                                      setsid=True, setsigdef=DEFAULT_SIGNALS, setsigmask=())
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._started(master)

    def _open_terminal(self) -> tuple[int, int]:
        master, slave = os.openpty()
        try:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, self.size.packed())
            # ctrl+c and ctrl+z stay keys even before the app puts the terminal in raw mode.
            attrs = termios.tcgetattr(slave)
            attrs[3] &= ~termios.ISIG
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        return master, slave

    def _started(self, master: int) -> None:
        self._master = master
        os.set_blocking(master, False)
        self._pidfd = os.pidfd_open(self.pid)
        self._loop.add_reader(self._pidfd, self._on_pidfd)
        self.resume_output()

    # --- bytes both ways ---------------------------------------------------------------
    def write(self, data: bytes) -> int:
        """Keys from the person, kept in order for the app; returns how many bytes did not
        fit in the input buffer and were dropped."""
        if self.exit_code is not None:
            return 0
        room = INPUT_BUFFER - len(self._pending)
        self._pending += data[:room]
        self._flush_input()
        return max(len(data) - room, 0)

    @property
    def input_waiting(self) -> int:
        """Bytes of input kept for the app and not yet passed on."""
        return len(self._pending)

    def _flush_input(self) -> None:
        """Pass on what the rate allows and the terminal takes; come back when either has room."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        now = self._loop.time()
        self._allowance = min(float(INPUT_BUFFER), self._allowance + (now - self._refilled) * INPUT_RATE)
        self._refilled = now
        full = False
        while self._pending and self._allowance >= 1:
            try:
                written = os.write(self._master, self._pending[: int(self._allowance)])
            except BlockingIOError:
                full = True
                break
            except OSError:  # the app is gone; its exit is on the way
                self._pending.clear()
            else:
                del self._pending[:written]
                self._allowance -= written
        if full != self._input_blocked:
            # The app is not reading: the person's side is paused until it does.
            if full:
                self._loop.add_writer(self._master, self._flush_input)
            else:
                self._loop.remove_writer(self._master)
            self._input_blocked = full
            self._on_input_blocked(full)
        if self._pending and not full:
            wanted = min(len(self._pending), 4096)
            self._retry = self._loop.call_later((wanted - self._allowance) / INPUT_RATE, self._flush_input)

    def pause_output(self) -> None:
        """The person's side is full; the app waits on its own writes meanwhile."""
        if self._reading:
            self._loop.remove_reader(self._master)
            self._reading = False

    def resume_output(self) -> None:
        if not self._reading and self._master >= 0:
            self._loop.add_reader(self._master, self._read_output)
            self._reading = True

    def _read_output(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: nothing holds the terminal any more
            data = b""
        if data:
            self._on_output(data)
        else:
            self.pause_output()

    def resize(self, size: TermSize) -> None:
        """The window changed: tell the terminal, then the app (its whole process group)."""
        self.size = size
        if self.exit_code is not None:
            return
        fcntl.ioctl(self._master, termios.TIOCSWINSZ, size.packed())
        with suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGWINCH)

    # --- the end ------------------------------------------------------------------------
    @property
    def out_of_memory(self) -> bool:
        """The app has ended in error after holding at least half its memory cap. Past the
        cap its allocations fail (RLIMIT_AS) and it crashes or quits; the kernel does not say
        why a process exited, so that is taken as the sign."""
        return (self.memory_cap is not None and self.exit_code not in (None, 0)
                and self.peak_memory >= self.memory_cap // 2)

    async def stop(self, grace: float = 2.0) -> None:
        """Hang up the app and everything it started; kill what is still there after ``grace``."""
        if not self.pid:  # never started: nothing to end (and process group 0 is the kiosk's own)
            return
        if not self._exited.is_set():
            self._signal_all(signal.SIGHUP)
            self._signal_all(signal.SIGTERM)
            self._signal_all(signal.SIGCONT)  # a stopped process acts on signals only once continued
            try:
                await asyncio.wait_for(self._exited.wait(), grace)
            except TimeoutError:
                self._signal_all(signal.SIGKILL)
        await self._exited.wait()

    def _signal_all(self, signum: int) -> None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)
        for pid in session_members(self.pid):
            with suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)

    def _on_pidfd(self) -> None:
        self._loop.remove_reader(self._pidfd)
        os.close(self._pidfd)
        self._finishing = self._loop.create_task(self._finish())

    async def _finish(self) -> None:
        """The app has exited: end what it left behind, then reap it. Until the reap its
        id stays taken, so the session id cannot come to name someone else's processes."""
        await self._end_leftovers()
        _, status, usage = os.wait4(self.pid, 0)
        self.peak_memory = usage.ru_maxrss * 1024
        self._drain_output()
        self.pause_output()
        if self._input_blocked:
            self._loop.remove_writer(self._master)
        if self._retry is not None:
            self._retry.cancel()
        os.close(self._master)
        self._master = -1
        self.exit_code = os.waitstatus_to_exitcode(status)
        self._exited.set()
        self._on_exit(self.exit_code)

    async def _end_leftovers(self, bound: float = 5.0) -> None:
        deadline = self._loop.time() + bound
        me = os.getpid()
        while leftovers := {pid: parent for pid, parent in session_members(self.pid).items() if pid != self.pid}:
            for pid, parent in leftovers.items():
                with suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
                if parent == me:
                    with suppress(ChildProcessError):
                        os.waitpid(pid, os.WNOHANG)
            if self._loop.time() > deadline:
                return
            await asyncio.sleep(0.01)

    def _drain_output(self) -> None:
        """What the app wrote last (it puts the person's terminal back as it was)."""
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            self._on_output(data)


def _current_umask() -> int:
    """The kiosk's umask, which a spawned app would inherit (reading it means setting it)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
