"""Opening files and folders that only their owner may touch.

A folder or file under a shared path (``/tmp``, a kiosk account) may have been
prepared by someone else: a symlink to a file of ours, a FIFO that blocks the
reader forever, a folder others can write into. These helpers never follow a
symlink, never block on a FIFO and refuse anything that is not ours.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from .domain.errors import MentorError


class UnsafePath(MentorError):
    """A file or folder mentor-tui refuses to use; the message names it and says why."""


def private_dir(path: Path) -> Path:
    """``path`` as a folder only we can use: created 0700 (with its parents) if missing.

    An existing folder that is not a real directory (a file, a symlink), is owned by
    another user or is writable by group or others is refused.
    """
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except NotADirectoryError:
        raise UnsafePath(f"{path} is inside something that is not a folder; refusing to use it") from None
    except OSError as exc:
        raise UnsafePath(f"{path} cannot be created ({exc.strerror}); refusing to use it") from None
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafePath(f"{path} is a symbolic link, not a folder; refusing to use it")
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(f"{path} is not a folder; refusing to use it")
    if info.st_uid != os.geteuid():
        raise UnsafePath(f"{path} belongs to another user; refusing to use it")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafePath(f"{path} can be written by other users; refusing to use it")
    return path


def open_regular(path: Path, flags: int, mode: int = 0o600, *, follow_symlinks: bool = False) -> int:
    """``os.open`` that never blocks, only returns a regular file and, unless
    ``follow_symlinks`` (for files that are not secret, such as config.toml), never
    follows a symlink.

    New files get ``mode`` (0600 by default). The descriptor is returned in
    blocking mode; the caller closes it.
    """
    flags |= os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_symlinks else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise UnsafePath(f"{path} is a symbolic link; refusing to use it") from None
        if exc.errno == errno.ENXIO:  # a FIFO with no reader, opened for writing
            raise UnsafePath(f"{path} is a FIFO, not a regular file; refusing to use it") from None
        if exc.errno == errno.EISDIR:
            raise UnsafePath(f"{path} is a folder, not a regular file; refusing to use it") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(f"{path} is {_kind(info.st_mode)}, not a regular file; refusing to use it")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path, max_bytes: int, *, follow_symlinks: bool = False) -> bytes:
    """The whole of a small regular file, opened as ``open_regular`` opens it.

    Raises ``UnsafePath`` for what ``open_regular`` refuses and for a file longer than
    ``max_bytes`` (a small settings or sign-in file that big is not one of ours), and
    ``OSError`` (``FileNotFoundError`` included) as ``os.open`` does.
    """
    fd = open_regular(path, os.O_RDONLY, follow_symlinks=follow_symlinks)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"{path} is larger than {max_bytes // 1024} KiB; refusing to use it")
    return data


def check_regular_or_missing(path: Path) -> None:
    """Refuse ``path`` unless it is absent or a regular file (never a symlink)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePath(f"{path} is {_kind(info.st_mode)}, not a regular file; refusing to use it")


def set_aside(path: Path) -> Path:
    """Rename ``path`` (whatever it is, never following it) to ``<name>.bad-<UTC time>``
    beside it, so the next open starts afresh and the person can still look at it."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.bad-{stamp}")
    number = 1
    while os.path.lexists(target):
        target, number = path.with_name(f"{path.name}.bad-{stamp}-{number}"), number + 1
    os.rename(path, target)
    return target


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


__all__ = ["UnsafePath", "check_regular_or_missing", "open_regular", "private_dir", "read_regular", "set_aside"]
