"""Load on the SSH kiosk: many people at once over loopback.

Starts ``mentor-tui serve-ssh`` on a free port with folders and a database of its own, opens N
sessions at once (each with its own key, 80x24), waits until every one shows the sign-in form,
then has all of them type an email address at the same time, about five keys a second each,
timing every keystroke from the moment it is sent until the bytes that draw it on the screen
arrive. The sessions arrive within one second (``--arrival``), each timed from its own
arrival. Prints connection set-up times, keystroke-to-screen latency (p50, p95), memory per
session (each app's whole process tree, from /proc: RSS, and PSS, which counts pages shared
with the fork server and the other sessions once) and CPU of idle sessions, before the
typing and again for ten seconds after it.

    python benchmarks/kiosk_load.py [--sessions 50] [--keys 16] [--rate 5] [--arrival 1]

The clients share the machine with the kiosk, so they are kept light: they look for the typed
text in the byte stream instead of emulating a terminal (the tests render screens with pyte;
a Python emulator for 50 screens would measure itself). A person's terminal draws those bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

# The scripted client is a test helper (it needs pyte), so it lives under tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mentor_tui.kiosk.pty_session import session_members
from tests.kiosk.probe import connect

TICKS = os.sysconf("SC_CLK_TCK")
IDLE_WINDOW = 5.0
AFTER_TYPING_WINDOW = 10.0


class Stream(asyncssh.SSHClientSession):
    """The bytes a session sends since the last ``expect``; cheap enough for many at once."""

    def __init__(self) -> None:
        self.chan: asyncssh.SSHClientChannel | None = None
        self.received = bytearray()
        self.closed = False
        self._arrived = asyncio.Event()

    def connection_made(self, chan: asyncssh.SSHClientChannel) -> None:
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        self.received += data
        self._arrived.set()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._arrived.set()

    async def expect(self, pattern: bytes, timeout: float) -> None:
        """Until ``pattern`` has arrived; what came before it is forgotten."""
        async with asyncio.timeout(timeout):
            while (found := self.received.find(pattern)) < 0:
                if self.closed:
                    raise ConnectionError("the session closed")
                del self.received[: max(0, len(self.received) - len(pattern))]
                self._arrived.clear()
                await self._arrived.wait()
        del self.received[: found + len(pattern)]


@dataclass
class Visitor:
    number: int
    conn: asyncssh.SSHClientConnection | None = None
    stream: Stream | None = None
    authenticated: float = 0.0
    shown: float = 0.0
    latencies: list[float] = field(default_factory=list)


async def visit(visitor: Visitor, port: int, arrival: float) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    await asyncio.sleep(random.uniform(0, arrival))
    started = time.perf_counter()
    visitor.conn = await connect(port, key)
    visitor.authenticated = time.perf_counter() - started
    _, visitor.stream = await visitor.conn.create_session(
        Stream, term_type="xterm-256color", term_size=(80, 24), encoding=None
    )
    await visitor.stream.expect(b"Password", timeout=600)  # the sign-in form
    visitor.shown = time.perf_counter() - started


async def type_email(visitor: Visitor, keys: int, rate: float) -> None:
    stream = visitor.stream
    assert stream is not None and stream.chan is not None
    text = f"load{visitor.number:03d}@example.org".ljust(keys, "x")[:keys].encode()
    await asyncio.sleep(random.uniform(0, 1 / rate))  # people do not type in step
    for typed in range(1, keys + 1):
        stream.received.clear()
        sent = time.perf_counter()
        stream.chan.write(text[typed - 1 : typed])
        # The field's whole value is drawn as one run, ended by the escape that styles the cursor.
        await stream.expect(b"m" + text[:typed] + b"\x1b[", timeout=120)
        visitor.latencies.append(time.perf_counter() - sent)
        await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - sent)))


def children_of(pid: int) -> tuple[list[int], list[int]]:
    """The kiosk's apps (its children on a terminal) and its other children (the fork server)."""
    apps, others = [], []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
            if int(fields[1]) == pid:
                (apps if int(fields[4]) else others).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return apps, others


def status_kib(pid: int, field_name: str, file: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def tree_memory(app: int) -> tuple[float, float]:
    """RSS and PSS of an app and everything in its session, in MiB."""
    members = session_members(app)
    rss = sum(status_kib(pid, "VmRSS") for pid in members)
    pss = sum(status_kib(pid, "Pss", "smaps_rollup") for pid in members)
    return rss / 1024, pss / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Figures:
    visitors: list[Visitor]
    apps: list[int]
    all_shown: float
    memory: list[tuple[float, float]]
    idle_cpu: list[float]
    server_rss: float
    start_cpu: list[float]
    """CPU seconds each app had used once every form was shown: what starting one costs."""
    fork_server: tuple[float, float]
    """RSS and PSS of the fork server (0 when the kiosk has none), in MiB."""
    typing_time: float
    typing_cpu: tuple[float, float, float]
    """Cores used while typing: the apps, the kiosk server, these clients."""
    memory_after: list[tuple[float, float]]
    idle_cpu_after: list[float]


async def idle_cpu(apps: list[int], window: float) -> list[float]:
    """Cores each app's session used over ``window`` seconds."""
    before = {app: sum(cpu_ticks(p) for p in session_members(app)) for app in apps}
    await asyncio.sleep(window)
    return [(sum(cpu_ticks(p) for p in session_members(app)) - before[app]) / TICKS / window for app in apps]


async def measure(port: int, server_pid: int, n: int, keys: int, rate: float, arrival: float) -> Figures:
    visitors = [Visitor(i) for i in range(n)]
    started = time.perf_counter()
    await asyncio.gather(*(visit(v, port, arrival) for v in visitors))
    all_shown = time.perf_counter() - started

    apps, others = children_of(server_pid)
    start_cpu = [sum(cpu_ticks(p) for p in session_members(app)) / TICKS for app in apps]
    memory = [tree_memory(app) for app in apps]
    idle = await idle_cpu(apps, IDLE_WINDOW)
    server_rss = status_kib(server_pid, "VmRSS") / 1024
    fork_server = (sum(status_kib(p, "VmRSS") for p in others) / 1024,
                   sum(status_kib(p, "Pss", "smaps_rollup") for p in others) / 1024)

    apps_cpu, server_cpu, clients_cpu = (sum(cpu_ticks(p) for app in apps for p in session_members(app)),
                                         cpu_ticks(server_pid), time.process_time())
    typing_started = time.perf_counter()
    await asyncio.gather(*(type_email(v, keys, rate) for v in visitors))
    typing_time = time.perf_counter() - typing_started
    typing_cpu = (
        (sum(cpu_ticks(p) for app in apps for p in session_members(app)) - apps_cpu) / TICKS / typing_time,
        (cpu_ticks(server_pid) - server_cpu) / TICKS / typing_time,
        (time.process_time() - clients_cpu) / typing_time,
    )
    memory_after = [tree_memory(app) for app in apps]
    idle_after = await idle_cpu(apps, AFTER_TYPING_WINDOW)
    for v in visitors:
        assert v.conn is not None
        v.conn.close()
    return Figures(visitors, apps, all_shown, memory, idle, server_rss, start_cpu, fork_server, typing_time,
                   typing_cpu, memory_after, idle_after)


async def run_kiosk(n: int, keys: int, rate: float, arrival: float) -> Figures:
    """The kiosk in a process of its own, with its own folders; always stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="kiosk-load-") as folder:
        base = Path(folder)
        env = dict(os.environ, **{f"MENTOR_TUI_{kind}_DIR": str(base / kind.lower()) for kind in ("DATA", "STATE", "CONFIG")})
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "mentor_tui", "serve-ssh", "--port", "0", "--db", str(base / "kiosk.db"),
            "--max-sessions", str(n), "--connections-per-minute", str(n + 10), "--shutdown-grace", "1s",
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        assert server.stderr is not None
        log = bytearray()
        draining = None
        try:
            while not (listening := re.search(rb"port (\d+)", log)):
                line = await server.stderr.readline()
                if not line:
                    raise RuntimeError("the kiosk did not start")
                log += line
            draining = asyncio.create_task(_collect(server.stderr, log))
            return await measure(int(listening[1]), server.pid, n, keys, rate, arrival)
        except BaseException:
            print(f"the kiosk's log:\n{log.decode()[-3000:]}", file=sys.stderr)
            raise
        finally:
            if server.returncode is None:
                server.send_signal(signal.SIGTERM)
                await server.wait()
            if draining is not None:
                await draining


async def _collect(stream: asyncio.StreamReader, into: bytearray) -> None:
    while line := await stream.readline():
        into += line


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--keys", type=int, default=16, help="keys each session types")
    parser.add_argument("--rate", type=float, default=5.0, help="keys a second per session")
    parser.add_argument("--arrival", type=float, default=1.0, help="seconds over which the sessions arrive")
    options = parser.parse_args()
    n = options.sessions
    figures = await run_kiosk(n, options.keys, options.rate, options.arrival)

    visitors = figures.visitors
    latencies = [seconds * 1000 for v in visitors for seconds in v.latencies]
    auth = [v.authenticated for v in visitors]
    shown = [v.shown for v in visitors]
    rss = [m[0] for m in figures.memory]
    pss = [m[1] for m in figures.memory]
    held = sum(1 for v in visitors if v.stream is not None and len(v.latencies) == options.keys)
    apps_cpu, server_cpu, clients_cpu = figures.typing_cpu
    print(f"kiosk load: {n} sessions at once over loopback, {os.cpu_count()} CPUs")
    print(f"  sessions held                 {held}/{n} (apps running: {len(figures.apps)})")
    print(f"  set-up, connected and signed  p50 {statistics.median(auth):.2f} s   p95 {percentile(auth, 0.95):.2f} s")
    print(f"  set-up, sign-in form shown    p50 {statistics.median(shown):.2f} s   p95 {percentile(shown, 0.95):.2f} s"
          f"   all {n}: {figures.all_shown:.1f} s (arriving within {options.arrival:g} s)")
    print(f"  CPU per session to the form   mean {statistics.mean(figures.start_cpu):.2f} s   "
          f"max {max(figures.start_cpu):.2f} s")
    print(f"  keystroke to screen           p50 {statistics.median(latencies):.0f} ms   "
          f"p95 {percentile(latencies, 0.95):.0f} ms   ({len(latencies)} keys, all {n} typing at "
          f"{options.rate:g} keys/s each, {figures.typing_time:.1f} s)")
    print(f"  memory per session (RSS)      mean {statistics.mean(rss):.1f} MiB   max {max(rss):.1f} MiB")
    print(f"  memory per session (PSS)      mean {statistics.mean(pss):.1f} MiB   (shared pages counted once)")
    print(f"  CPU per idle session          mean {statistics.mean(figures.idle_cpu) * 100:.2f} % of a core "
          f"(sign-in form shown, nothing typed, {IDLE_WINDOW:g} s)")
    print(f"  kiosk server                  RSS {figures.server_rss:.1f} MiB")
    fork_rss, fork_pss = figures.fork_server
    print(f"  fork server                   RSS {fork_rss:.1f} MiB   PSS {fork_pss:.1f} MiB")
    print(f"  CPU while typing (cores)      apps {apps_cpu:.2f}   kiosk server {server_cpu:.2f}   "
          f"these clients {clients_cpu:.2f}")
    pss_after = [m[1] for m in figures.memory_after]
    print(f"  after typing, PSS per session mean {statistics.mean(pss_after):.1f} MiB   max {max(pss_after):.1f} MiB")
    print(f"  after typing, CPU per idle session  mean {statistics.mean(figures.idle_cpu_after) * 100:.2f} % of a core"
          f"   max {max(figures.idle_cpu_after) * 100:.2f} %   ({AFTER_TYPING_WINDOW:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
