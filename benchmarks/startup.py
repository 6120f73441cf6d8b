"""Time from launch to the first drawn screen: mentor-tui against a bare Textual app.

Each program runs as a whole process in its own pseudo-terminal (80x24), the way a
person starts it, with a new empty database and settings folder for mentor-tui
(so it is signed out). The clock runs from spawning the process until a text is
on the terminal:

- bare: the one Static of a bare Textual app;
- first screen: mentor-tui's first frame (header, loading indicator, footer),
  drawn before the backend's libraries load;
- sign-in: the sign-in form, once the remembered sign-in has been looked up.

Runs alternate between the programs so that a busy machine slows both alike.

    python benchmarks/startup.py [--runs N]

It prints every run, the medians, the sign-in ratio and, last, the ratio of
the medians for the first drawn screen.
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
from pathlib import Path

COLUMNS, LINES = 80, 24
TIMEOUT_SECONDS = 30.0
FIRST_SCREEN_TEXT = "mentor-tui"
"""The header's title, on every screen, the first one included."""
SIGN_IN_TEXT = "Create an account"
"""On the sign-in screen only."""
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


def time_to_text(command: list[str], texts: tuple[str, ...], env: dict[str, str]) -> list[float]:
    """Seconds from spawning ``command`` in a new pseudo-terminal until each of ``texts`` is on it."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    wanted = [text.encode() for text in texts]
    times: list[float] = []
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
                raise TimeoutError(f"{texts} did not appear; the screen so far: {_ESCAPES.sub(b'', seen)[-400:]!r}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program ended
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[0]} ended before drawing {texts}: {_ESCAPES.sub(b'', seen)[-400:]!r}")
            seen += chunk
            drawn = _ESCAPES.sub(b"", seen)
            while len(times) < len(wanted) and wanted[len(times)] in drawn:
                times.append(time.perf_counter() - started)
            if len(times) == len(wanted):
                return times
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
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MENTOR_TUI_", "SUPABASE_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(LINES))
    return env


def run_mentor_tui(workdir: Path, number: int) -> tuple[float, float]:
    """Seconds to mentor-tui's first screen and to its sign-in form."""
    home = workdir / f"mentor-tui-{number}"
    env = base_env()
    for name in ("DATA", "STATE", "CONFIG"):
        env[f"MENTOR_TUI_{name}_DIR"] = str(home / name.lower())
    first, sign_in = time_to_text(mentor_tui_command(), (FIRST_SCREEN_TEXT, SIGN_IN_TEXT), env)
    return first, sign_in


def run_bare(script: Path) -> float:
    (drawn,) = time_to_text([sys.executable, str(script)], (BARE_TEXT,), base_env())
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each program (default 9)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mentor-tui-startup-") as tmp:
        workdir = Path(tmp)
        bare_script = workdir / "bare_app.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")

        # One unmeasured run each, so both start with compiled bytecode and warm file caches.
        run_bare(bare_script)
        run_mentor_tui(workdir, 0)

        bare: list[float] = []
        first: list[float] = []
        sign_in: list[float] = []
        print(f"{'run':>4} {'bare Textual':>13} {'first screen':>13} {'sign-in':>10}")
        for number in range(1, args.runs + 1):
            bare.append(run_bare(bare_script))
            app_first, app_sign_in = run_mentor_tui(workdir, number)
            first.append(app_first)
            sign_in.append(app_sign_in)
            print(f"{number:>4} {bare[-1] * 1000:>10.0f} ms {first[-1] * 1000:>10.0f} ms {sign_in[-1] * 1000:>7.0f} ms")

    bare_median = statistics.median(bare)
    print(f"median bare Textual app:        {bare_median * 1000:.0f} ms")
    print(f"median mentor-tui first screen: {statistics.median(first) * 1000:.0f} ms")
    print(f"median mentor-tui sign-in form: {statistics.median(sign_in) * 1000:.0f} ms")
    print(f"median ratio, sign-in form / bare Textual: {statistics.median(sign_in) / bare_median:.2f}")
    print(f"median ratio, first screen / bare Textual: {statistics.median(first) / bare_median:.2f}")


if __name__ == "__main__":
    main()
