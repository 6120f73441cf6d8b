"""A stand-in app for the kiosk's tests: ``python -m tests.kiosk.session_report FOLDER``.

Writes what its process was given (environment, folders, limits, descriptors, terminal,
signals) to FOLDER/<pid>.json, says "reported" on its terminal, then waits to be hung up.
A forked session's environment cannot be read from /proc/<pid>/environ (that shows the
environment the process was executed with), so the process reports its own.
"""

from __future__ import annotations

import json
import os
import random
import resource
import signal
import sys
from pathlib import Path

LEFT_BEHIND = "MENTOR_TUI_TEST_LEFT_BEHIND"
"""Set by every report after it is written: no later session may find it."""


def report() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "environ": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": _umask(),
        "address_space": list(resource.getrlimit(resource.RLIMIT_AS)),
        "fds": _open_fds(),
        "terminal": os.ttyname(0),
        "stdio_on_terminal": all(os.path.samestat(os.fstat(fd), os.fstat(0)) for fd in (1, 2)),
        "session_leader": os.getsid(0) == os.getpid(),
        "controls_terminal": os.tcgetpgrp(0) == os.getpgrp(),
        "sigint_raises": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "sigterm_default": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
        "sighup_default": signal.getsignal(signal.SIGHUP) == signal.SIG_DFL,
        "blocked_signals": sorted(signal.pthread_sigmask(signal.SIG_BLOCK, ())),
        "random": random.random(),
    }


def _open_fds() -> list[int]:
    listed = [int(fd) for fd in os.listdir("/proc/self/fd")]
    # The listing's own descriptor is closed by now.
    return sorted(fd for fd in listed if os.path.exists(f"/proc/self/fd/{fd}"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main(folder: str) -> None:
    Path(folder, f"{os.getpid()}.json").write_text(json.dumps(report()))
    os.environ[LEFT_BEHIND] = "1"
    sys.stdout.write("reported\r\n")
    sys.stdout.flush()
    signal.pause()


if __name__ == "__main__":
    main(sys.argv[1])
