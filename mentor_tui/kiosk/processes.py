"""What the kiosk's processes need of the kernel: adopting orphans, and the descriptors a
started program would inherit. Linux only."""

from __future__ import annotations

import ctypes
import os
import signal

DEFAULT_SIGNALS = (
    signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGPIPE, signal.SIGXFSZ,
    signal.SIGTSTP, signal.SIGTTIN, signal.SIGTTOU, signal.SIGWINCH, signal.SIGCHLD,
)
"""Reset to their defaults in every process the kiosk spawns: posix_spawn keeps ignored signals
ignored (a kiosk started under nohup ignores SIGHUP, which ends a session) and the mask as it was."""

_PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Become the parent of whatever an app leaves behind (instead of init, which in a
    container may never reap it), so leftovers can be ended and reaped here."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def inherited_fds() -> list[int]:
    """Descriptors above stdio that a spawned program would get (the kiosk's own are
    close-on-exec; one handed down to the kiosk by whoever started it may not be)."""
    fds = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if fd > 2 and os.get_inheritable(fd):
                fds.append(fd)
        except OSError:  # the listing's own descriptor, closed by now
            continue
    return fds
