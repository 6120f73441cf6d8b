"""CPU an idle, signed-in mentor-tui uses with live updates on and off.

Each run starts the app as a whole process in its own pseudo-terminal (80x24) on a new
embedded database, signed in as a student, waits until the home screen is drawn and
has settled, then leaves it alone for N seconds and reads the CPU time (user + system,
every thread) the process used meanwhile from ``/proc`` (Linux). With live updates on,
the app asks SQLite's change counter once a second; off, it does nothing at all.

    python benchmarks/live_idle.py [--seconds N] [--runs R]

It prints every run, then the medians as CPU seconds and as a share of one core, and
last the CPU one read of the change signal takes (measured in-process, many reads).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

COLUMNS, LINES = 80, 24
HOME_TEXT = "My Sessions"
"""A student's section tab: the home screen is drawn."""
SETTLE_SECONDS = 2.0
"""After the home screen appears: its first loads finish before the idle window starts."""
TIMEOUT_SECONDS = 60.0
EMAIL, PASSWORD = "idle@example.org", "correct horse battery"

APP = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from mentor_tui.app import MentorApp
    from mentor_tui.clock import SystemClock
    from mentor_tui.repository.local import LocalRepository

    db_path, state_dir, live = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "on"
    clock = SystemClock()
    MentorApp(LocalRepository(db_path, state_dir, clock), clock, live=live).run()
    """
)


def make_database(folder: Path) -> tuple[Path, Path]:
    """A new database with one student, remembered as signed in in the state folder."""
    from mentor_tui.clock import SystemClock
    from mentor_tui.domain.models import Role
    from mentor_tui.repository.local import LocalRepository
    from mentor_tui.services import Services

    db_path, state_dir = folder / "mentor-tui.db", folder / "state"

    async def sign_up() -> None:
        clock = SystemClock()
        services = Services(LocalRepository(db_path, state_dir, clock), clock)
        await services.sign_up(EMAIL, PASSWORD, "Idle Student", Role.STUDENT)
        await services.close()

    asyncio.run(sign_up())
    return db_path, state_dir


def cpu_per_read(db_path: Path, state_dir: Path, reads: int = 2000) -> float:
    """CPU seconds one read of the change signal takes in this process, thread hand-off included:
    what live updates add each second, finer than the idle runs' clock ticks can show."""
    from mentor_tui.clock import SystemClock
    from mentor_tui.repository.local import LocalRepository

    async def read_all() -> float:
        repository = LocalRepository(db_path, state_dir, SystemClock())
        await repository.change_token()  # connected before timing
        started = time.process_time()
        for _ in range(reads):
            await repository.change_token()
        used = time.process_time() - started
        await repository.close()
        return used / reads

    return asyncio.run(read_all())


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def drain(master: int, until: float, wanted: bytes = b"") -> bytes:
    """Read the terminal until ``until`` (or until ``wanted`` has been seen); what was read."""
    seen = b""
    while (remaining := until - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], remaining)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            if wanted and wanted in seen:
                break
    return seen


def idle_cpu(db_path: Path, state_dir: Path, live: bool, seconds: float) -> float:
    """CPU seconds the app used over ``seconds`` of idling, live updates on or off."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}
    command = [sys.executable, "-c", APP, str(db_path), str(state_dir), "on" if live else "off"]
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    try:
        if HOME_TEXT.encode() not in drain(master, time.monotonic() + TIMEOUT_SECONDS, HOME_TEXT.encode()):
            raise SystemExit("the home screen did not appear")
        drain(master, time.monotonic() + SETTLE_SECONDS)
        before = cpu_seconds(process.pid)
        drain(master, time.monotonic() + seconds)
        return cpu_seconds(process.pid) - before
    finally:
        process.kill()
        process.wait()
        os.close(master)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each run idles (default 30)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind, alternating (default 3)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db_path, state_dir = make_database(Path(folder))
        used: dict[bool, list[float]] = {True: [], False: []}
        for run in range(1, options.runs + 1):
            for live in (False, True):
                cpu = idle_cpu(db_path, state_dir, live, options.seconds)
                used[live].append(cpu)
                print(f"run {run} live {'on ' if live else 'off'}: {cpu:.3f} CPU s in {options.seconds:g} s")
        read = cpu_per_read(db_path, state_dir)
    for live in (False, True):
        median = statistics.median(used[live])
        share = 100 * median / options.seconds
        print(f"median live {'on ' if live else 'off'}: {median:.3f} CPU s, {share:.2f}% of a core")
    extra = statistics.median(used[True]) - statistics.median(used[False])
    print(f"live updates cost: {extra:.3f} CPU s over {options.seconds:g} s, {100 * extra / options.seconds:.2f}% of a core")
    print(f"one read of the change signal: {1e6 * read:.0f} µs of CPU, {100 * read:.3f}% of a core at one a second")


if __name__ == "__main__":
    main()
