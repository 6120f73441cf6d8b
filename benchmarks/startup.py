"""Time from launch to what a person waits for: mentor-tui against a bare Textual app.

Each program runs as a whole process in its own pseudo-terminal (80x24), the way a
person starts it. The clock runs from spawning the process until a text is on the
terminal:

- bare: the one Static of a bare Textual app;
- sign-in: mentor-tui's sign-in form, with a new empty database and settings folder
  (signed out: the form is the first screen, the backend is built after it);
- student rows: a remembered student's first rows of the mentor directory, on the
  demo data;
- mentor figures: a remembered mentor's Overview figures, on the demo data.

Each run takes all four in turn, so that a busy machine slows them alike; the
ratios are of medians over the runs.

    python benchmarks/startup.py [--runs N]

It prints every run (wall time, and the CPU time the program had used by then), the
medians and each scenario's ratio to the bare app.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

COLUMNS, LINES = 80, 24
TIMEOUT_SECONDS = 30.0
SIGN_IN_TEXT = "Create an account"
"""On the sign-in screen only."""
MENTOR_ROW_TEXT = "Carlos Mendes"
"""A demo mentor in the directory's first rows at 80x24, beside no other text: not in the
detail of the first row, nor in the student's notifications (their toast covers the
rows' right half, the experience and rate columns)."""
OVERVIEW_FIGURE_TEXT = "ahead of you"
"""Under the Overview's count of next sessions, once the figures are loaded."""
BARE_TEXT = "Hello from a bare Textual app"

BARE_APP = textwrap.dedent(
    f"""
    from textual.app import App
    from textual.widgets import Static


    class Bare(App):
        def compose(self):
            yield Static({BARE_TEXT!r})


    Bare().run()
    """
)

# CSI, OSC and two-character escape sequences: what is left is the text drawn.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class Taken(NamedTuple):
    wall: float
    """Seconds from spawning the program until the text was on its terminal."""
    cpu: float
    """CPU seconds the program had used by then (all its threads; in clock ticks, 10 ms
    here): on a machine others keep busy, the figure a wait on the CPU does not inflate."""


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far, from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_text(command: list[str], text: str, env: dict[str, str]) -> Taken:
    """From spawning ``command`` in a new pseudo-terminal until ``text`` is on it."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    wanted = text.encode()
    seen = b""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True, close_fds=True
    )
    os.close(slave)
    try:
        while True:
            left = TIMEOUT_SECONDS - (time.perf_counter() - started)
            if left <= 0:
                raise TimeoutError(f"{text!r} did not appear; the screen so far: {_ESCAPES.sub(b'', seen)[-400:]!r}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program ended
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[0]} ended before drawing {text!r}: {_ESCAPES.sub(b'', seen)[-400:]!r}")
            seen += chunk
            if wanted in _ESCAPES.sub(b"", seen):
                return Taken(time.perf_counter() - started, cpu_seconds(process.pid))
    finally:
        _stop(process, master)


def _stop(process: subprocess.Popen[bytes], master: int) -> None:
    """Quit as a person would (ctrl+q), and make sure the process is gone."""
    try:
        os.write(master, b"\x11")
        _drain_until_exit(process, master, deadline=time.monotonic() + 5)
    except OSError:
        pass
    if process.poll() is None:
        process.kill()
    process.wait()
    os.close(master)


def _drain_until_exit(process: subprocess.Popen[bytes], master: int, deadline: float) -> None:
    # Keep reading so a program that writes while it shuts down never blocks on a full pty.
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:
                return


def mentor_tui_command() -> list[str]:
    script = Path(sys.executable).with_name("mentor-tui")
    if script.exists():
        return [str(script)]
    found = shutil.which("mentor-tui")
    return [found] if found else [sys.executable, "-m", "mentor_tui"]


def base_env() -> dict[str, str]:
    # Without PYTHONDONTWRITEBYTECODE: the unmeasured first runs write the bytecode that an
    # installed app has (pip compiles it), or every run would compile mentor-tui's sources.
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("MENTOR_TUI_", "SUPABASE_", "TEXTUAL")) and key != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    return env


def home_env(home: Path, data: Path | None = None) -> dict[str, str]:
    """mentor-tui's folders under ``home``; the database in ``data`` when given."""
    env = base_env()
    for name in ("DATA", "STATE", "CONFIG"):
        env[f"MENTOR_TUI_{name}_DIR"] = str(home / name.lower())
    if data is not None:
        env["MENTOR_TUI_DATA_DIR"] = str(data)
    return env


def run_sign_in(workdir: Path, number: int) -> Taken:
    """To mentor-tui's sign-in form, signed out on a new database."""
    return time_to_text(mentor_tui_command(), SIGN_IN_TEXT, home_env(workdir / f"signed-out-{number}"))


def remembered_homes(workdir: Path) -> dict[str, dict[str, str]]:
    """The environment of a remembered demo student and of a remembered demo mentor, sharing
    one demo database: seeded and signed in once, here, as ``mentor-tui --demo`` and a
    sign-in would."""
    import asyncio

    from mentor_tui.clock import SystemClock
    from mentor_tui.repository.demo import DEMO_PASSWORD, demo_logins, seed_demo
    from mentor_tui.repository.local import LocalRepository

    data = workdir / "demo-data"
    data.mkdir(mode=0o700)
    db_path = data / "mentor-tui.db"
    clock = SystemClock()
    seed_demo(db_path, clock.now())
    logins = demo_logins(db_path)
    homes = {}
    for role in ("student", "mentor"):
        login = next(login for login in logins if login.role.value == role)
        home = workdir / f"remembered-{role}"
        homes[role] = home_env(home, data)

        async def sign_in(state: Path, email: str) -> None:
            repo = LocalRepository(db_path, state, clock)
            await repo.sign_in(email, DEMO_PASSWORD)
            await repo.close()

        asyncio.run(sign_in(home / "state", login.email))
    return homes


def run_remembered(env: dict[str, str], text: str) -> Taken:
    return time_to_text(mentor_tui_command(), text, env)


def run_bare(script: Path) -> Taken:
    return time_to_text([sys.executable, str(script)], BARE_TEXT, base_env())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each program (default 9)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mentor-tui-startup-") as tmp:
        workdir = Path(tmp)
        bare_script = workdir / "bare_app.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        homes = remembered_homes(workdir)
        scenarios: dict[str, Callable[[int], Taken]] = {
            "bare Textual": lambda _: run_bare(bare_script),
            "sign-in form": lambda number: run_sign_in(workdir, number),
            "student rows": lambda _: run_remembered(homes["student"], MENTOR_ROW_TEXT),
            "mentor figures": lambda _: run_remembered(homes["mentor"], OVERVIEW_FIGURE_TEXT),
        }

        # One unmeasured run each, so all start with compiled bytecode and warm file caches.
        for scenario in scenarios.values():
            scenario(0)

        times: dict[str, list[Taken]] = {name: [] for name in scenarios}
        print("wall ms (CPU ms) to the text, each run:")
        print(f"{'run':>4}" + "".join(f" {name:>17}" for name in scenarios))
        for number in range(1, args.runs + 1):
            for name, scenario in scenarios.items():
                times[name].append(scenario(number))
            print(f"{number:>4}" + "".join(
                f" {times[name][-1].wall * 1000:>8.0f} ({times[name][-1].cpu * 1000:>4.0f}) ms" for name in scenarios
            ))

    medians = {
        name: Taken(statistics.median(t.wall for t in taken), statistics.median(t.cpu for t in taken))
        for name, taken in times.items()
    }
    for name, median in medians.items():
        print(f"median {name + ':':<16} {median.wall * 1000:5.0f} ms wall, {median.cpu * 1000:5.0f} ms CPU")
    bare = medians.pop("bare Textual")
    for name, median in medians.items():
        print(
            f"median ratio, {name} / bare Textual: {median.wall / bare.wall:.2f} wall, {median.cpu / bare.cpu:.2f} CPU"
        )


if __name__ == "__main__":
    main()
