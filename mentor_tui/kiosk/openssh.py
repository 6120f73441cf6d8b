"""mentor-tui started by OpenSSH for an account many people share (``ForceCommand mentor-tui``).

With ``ExposeAuthInfo yes`` sshd names, in ``SSH_USER_AUTH``, a file listing how the
connection authenticated, one method a line (``publickey ssh-ed25519 AAAA...``). The
remembered sign-in is kept per public key; a connection that cannot be identified gets a
throwaway folder, so it remembers nothing and never finds someone else's sign-in.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import functools
import os
from collections.abc import Mapping
from pathlib import Path

from .identity import KeyId, StateFolders, private_dir


def authenticated_key(auth_info: str) -> bytes | None:
    """The first public key (SSH wire format) in the contents of an SSH_USER_AUTH file."""
    for line in auth_info.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[0] == "publickey":
            try:
                return base64.b64decode(fields[2], validate=True)
            except binascii.Error:
                return None
    return None


def connection_state_dir(base: Path, environ: Mapping[str, str] = os.environ) -> Path:
    """The state folder for the person on this SSH connection, under the account's ``base``."""
    blob = None
    auth_file = environ.get("SSH_USER_AUTH")
    if auth_file:
        try:
            blob = authenticated_key(Path(auth_file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            blob = None
    if blob is None:
        return _throwaway_dir(base / "ssh-anonymous")
    return private_dir(base / "ssh" / KeyId.of(blob).folder_name)


@functools.cache
def _throwaway_dir(parent: Path) -> Path:
    """One folder per process, named by its id; removed at exit, and by the next process
    when this one was killed (sshd hangs up with a signal, which skips atexit)."""
    private_dir(parent)
    for folder in parent.iterdir():
        if not folder.name.isdigit() or not _running(int(folder.name)) or int(folder.name) == os.getpid():
            StateFolders.discard(folder)
    folder = private_dir(parent / str(os.getpid()))
    atexit.register(StateFolders.discard, folder)
    return folder


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
