"""Opening the embedded database file: whose it is, which version, and never through a
symlink or a FIFO.

Kept apart from ``local`` (and its pydantic models) so the command line can refuse a
database that must not be used before the app starts, without slowing the start.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..domain import messages
from ..domain.errors import (
    BackendUnavailable,
    InvalidInput,
    MentorError,
    NotAllowed,
    SlotTaken,
    StorageRefused,
)
from ..domain.messages import NEWER_DATABASE, NOT_A_SESSION_TIME
from ..files import UnsafePath, open_regular

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "sql" / "sqlite"
UPGRADE_DIR = SCHEMA_DIR / "upgrade"
"""One-shot steps (``ALTER TABLE ... ADD COLUMN`` cannot be repeated), ``NNN_name.sql``:
each runs once in every database whose version is below NNN, after the schema files."""
APPLICATION_ID = 0x4D54_5549
"""``PRAGMA application_id`` of a mentor-tui database: "MTUI" in the file header."""
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0


def connect(db_path: Path) -> sqlite3.Connection:
    """Open (creating when needed) the database: WAL, foreign keys, busy timeout, schema applied.

    Raises ``StorageRefused``, having written nothing, for a path that is not a regular
    file (a symlink, a FIFO, a device), a file that is not a mentor-tui database, or one
    made by a newer mentor-tui.
    """
    db_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_file(db_path)
    # mode=rw: SQLite never creates the file itself (it would not be 0600), and a file
    # removed since the check above fails instead of being made anew.
    conn = sqlite3.connect(
        f"{db_path.absolute().as_uri()}?mode=rw",
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"pragma busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        _check_identity(conn, db_path)  # before the first write: WAL mode changes the header
        conn.execute("pragma journal_mode = wal")
        conn.execute("pragma foreign_keys = on")
        _apply_schema(conn, db_path)
    except BaseException:
        conn.close()
        raise
    return conn


def _check_file(path: Path) -> None:
    """Create ``path`` empty and 0600 when missing; else require a regular file that is
    empty or starts with SQLite's header. Never follows a symlink, never blocks on a FIFO."""
    try:
        os.close(open_regular(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        return
    except FileExistsError:
        pass  # also a symlink, dangling or not: open_regular below refuses it
    try:
        fd = open_regular(path, os.O_RDONLY)
    except UnsafePath as exc:
        raise StorageRefused(f"{exc}.") from None
    try:
        header = os.read(fd, len(SQLITE_HEADER))
    finally:
        os.close(fd)
    if header and header != SQLITE_HEADER:
        raise StorageRefused(messages.not_sqlite(path))


def schema_files() -> list[Path]:
    """The idempotent schema files and the upgrade steps, by number (each number used once)."""
    return sorted([*SCHEMA_DIR.glob("*.sql"), *UPGRADE_DIR.glob("*.sql")], key=lambda path: path.name)


def file_version(path: Path) -> int:
    return int(path.name.split("_", 1)[0])


def schema_version(files: list[Path]) -> int:
    """The number of the newest file ("008_x.sql" is 8): the database's ``user_version``."""
    return file_version(files[-1])


_LEGACY_VERSION = re.compile(r"^(\d+)_")


def _identity(conn: sqlite3.Connection, path: Path) -> tuple[str | None, int]:
    """Why this database is not ours to use (or None), and its version (0 when new). Reads only.

    Ours: marked with APPLICATION_ID, or (made before the mark existed) unmarked with
    mentor-tui's ``meta`` table, or still empty. Its version must not be newer than ours.
    """
    foreign = messages.not_our_database(path)
    (application_id,) = conn.execute("pragma application_id").fetchone()
    (version,) = conn.execute("pragma user_version").fetchone()
    if application_id == 0:
        if conn.execute("select 1 from sqlite_master limit 1").fetchone() is None:
            return None, 0  # a new database
        try:
            row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no such table or column
            return foreign, 0
        legacy = _LEGACY_VERSION.match(row[0]) if row and isinstance(row[0], str) else None
        if legacy is None:
            return foreign, 0
        version = int(legacy.group(1))
    elif application_id != APPLICATION_ID:
        return foreign, 0
    if version > schema_version(schema_files()):
        return NEWER_DATABASE, version
    return None, version


def _check_identity(conn: sqlite3.Connection, path: Path) -> int:
    """The database's version; StorageRefused when it is not ours to use."""
    problem, version = _identity(conn, path)
    if problem is not None:
        raise StorageRefused(problem)
    return version


def _statements(script: str) -> Iterator[str]:
    """The statements of a schema file, one at a time (a trigger's body stays whole)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""


def _apply_schema(conn: sqlite3.Connection, path: Path) -> None:
    """In one transaction that first checks again, under the write lock, that the database
    is ours and not newer: every idempotent schema file, then each upgrade step the
    database has not had yet (a new database has had none), all in name order."""
    files = schema_files()
    version = schema_version(files)
    with transaction(conn):
        had = _check_identity(conn, path)
        steps = [p for p in files if p.parent == SCHEMA_DIR] + [
            p for p in files if p.parent == UPGRADE_DIR and file_version(p) > had
        ]
        for statement in _statements("\n".join(p.read_text(encoding="utf-8") for p in steps)):
            conn.execute(statement)
        conn.execute(
            "insert into meta (key, value) values ('schema_version', ?)"
            " on conflict (key) do update set value = excluded.value",
            (files[-1].stem,),
        )
        conn.execute(f"pragma application_id = {APPLICATION_ID}")
        conn.execute(f"pragma user_version = {version}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE``: take the write lock before the first read, so what was read stays true."""
    conn.execute("begin immediate")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("rollback")
        raise
    conn.execute("commit")


@contextmanager
def typed_errors(db_path: Path) -> Iterator[None]:
    """Turn sqlite3 and file errors into the repository's typed errors, with a sentence a person can act on."""
    try:
        yield
    except MentorError:
        raise
    except sqlite3.IntegrityError as exc:
        if "slot_taken" in str(exc):
            raise SlotTaken() from exc
        if "invalid_time" in str(exc):
            raise InvalidInput("scheduled_time", NOT_A_SESSION_TIME) from exc
        if "no_shared_session" in str(exc):
            raise NotAllowed(messages.MESSAGE_NEEDS_SESSION) from exc
        if "booking_rules" in str(exc):
            raise InvalidInput("scheduled_time", messages.BREAKS_BOOKING_RULES) from exc
        if "late_cancel" in str(exc):
            raise InvalidInput("cancellation_reason", messages.LATE_CANCEL_SAY_WHY) from exc
        raise NotAllowed(messages.database_refused_change(exc)) from exc
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise BackendUnavailable(messages.database_busy(db_path)) from exc
        raise BackendUnavailable(messages.database_unusable(db_path, text)) from exc
    except sqlite3.DatabaseError as exc:
        raise BackendUnavailable(messages.database_damaged(db_path, exc)) from exc
    except OSError as exc:
        raise BackendUnavailable(messages.file_unusable(exc.filename or db_path, exc.strerror or exc)) from exc
