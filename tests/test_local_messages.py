"""The embedded database's second line for messages and notifications (upgrade 009): written
straight to the file, past the services, it still refuses a message between people who share
no session, a body out of bounds, any change to a message but its first reading, and any
change to a notification but its first reading; and an older file gains the tables once."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_local_repository import PASSWORD, cheap_hashing  # noqa: F401 - an autouse fixture

from mentor_tui.domain.models import Role
from mentor_tui.repository import local, sqlite_file

NOW = datetime(2026, 11, 1, tzinfo=UTC)
STAMP = local.to_db_time(NOW)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "mentor.db"


@pytest.fixture
def conn(db_path):
    connection = sqlite_file.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def people(conn):
    """Ids of a mentor and a student with one session (cancelled: any status counts), and an outsider."""
    m, s, x = (
        local.create_account(conn, email=f"{who}@example.org", password=PASSWORD, full_name=who, role=role, now=NOW).id
        for who, role in (("m", Role.MENTOR), ("s", Role.STUDENT), ("x", Role.STUDENT))
    )
    conn.execute(
        "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes,"
        " status, created_at, updated_at) values ('s1', ?, ?, 'x', '2026-12-01T10:00:00.000000+00:00', 60,"
        " 'pending', ?, ?)",
        (m, s, STAMP, STAMP),
    )
    conn.execute("update mentor_sessions set status = 'cancelled' where id = 's1'")
    return m, s, x


def send(conn, mentor: str, student: str, sender: str, body: str = "Hello", message_id: str = "m1") -> None:
    conn.execute(
        "insert into mentor_messages (id, mentor_id, student_id, sender_id, body, created_at) values (?, ?, ?, ?, ?, ?)",
        (message_id, mentor, student, sender, body, STAMP),
    )


def test_only_session_partners_write_to_each_other(conn, people):
    m, s, x = people
    send(conn, m, s, s)
    with pytest.raises(sqlite3.IntegrityError, match="no_shared_session"):
        send(conn, m, x, x, message_id="m2")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        send(conn, m, s, x, message_id="m3")  # the sender is one of the pair


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_the_body_is_one_to_4000_characters(conn, people, body):
    m, s, _ = people
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        send(conn, m, s, s, body)


def test_a_message_is_only_read_once(conn, people):
    m, s, _ = people
    send(conn, m, s, s)
    for change in ("body = 'Edited'", "sender_id = mentor_id", "created_at = '2001-01-01'", "read_at = null"):
        with pytest.raises(sqlite3.IntegrityError, match="only read, once"):
            conn.execute(f"update mentor_messages set {change} where id = 'm1'")
    conn.execute("update mentor_messages set read_at = ? where id = 'm1'", (STAMP,))
    with pytest.raises(sqlite3.IntegrityError, match="only read, once"):
        conn.execute("update mentor_messages set read_at = ? where id = 'm1'", ("2030-01-01",))


def test_notifications_are_written_by_the_triggers_and_only_read_once(conn, people):
    m, s, _ = people
    send(conn, m, s, m, "x" * 4000)
    rows = conn.execute(
        "select user_id, kind, actor_id, detail from mentor_notifications order by kind"
    ).fetchall()
    # The set-up's request, its cancellation (no canceller recorded: both parties), the message.
    assert [tuple(row) for row in rows] == [
        (m, "cancelled", None, None), (s, "cancelled", None, None), (s, "message", m, "x" * 200), (m, "requested", s, "x"),
    ]
    with pytest.raises(sqlite3.IntegrityError, match="only read, once"):
        conn.execute("update mentor_notifications set detail = 'forged' where kind = 'message'")
    conn.execute("update mentor_notifications set read_at = ? where kind = 'message'", (STAMP,))
    with pytest.raises(sqlite3.IntegrityError, match="only read, once"):
        conn.execute("update mentor_notifications set read_at = ? where kind = 'message'", ("2030-01-01",))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        conn.execute("insert into mentor_notifications (user_id, kind, created_at) values (?, 'hello', ?)", (m, STAMP))


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}


def test_a_version_8_file_gains_the_tables_once_and_keeps_its_rows(db_path, tmp_path, monkeypatch):
    only_008 = tmp_path / "upgrades-to-8"
    only_008.mkdir()
    shutil.copy(sqlite_file.UPGRADE_DIR / "008_session_cancellers.sql", only_008)
    with monkeypatch.context() as patch:
        patch.setattr(sqlite_file, "UPGRADE_DIR", only_008)
        old = sqlite_file.connect(db_path)
        local.create_account(old, email="a@example.org", password=PASSWORD, full_name="A", role=Role.MENTOR, now=NOW)
        assert old.execute("pragma user_version").fetchone()[0] == 8
        old.close()
    assert "mentor_messages" not in tables(db_path)
    sqlite_file.connect(db_path).close()
    sqlite_file.connect(db_path).close()  # at the newest version now: the step does not run again
    assert {"mentor_messages", "mentor_notifications"} <= tables(db_path)
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("select full_name from user_profiles").fetchall() == [("A",)]
        assert connection.execute("pragma user_version").fetchone()[0] == sqlite_file.schema_version(
            sqlite_file.schema_files()
        )
