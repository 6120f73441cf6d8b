"""The SQLite no-overlap trigger (upgrade 012) searches a window of starts from the
new start minus the longest session (240 minutes) to the new end: a held session that
began up to four hours earlier and still runs is found; one that ended is not."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from mentor_tui.domain.models import Role
from mentor_tui.repository.local import create_account, new_id, to_db_time
from mentor_tui.repository.sqlite_file import connect

START = datetime(2027, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path):
    conn = connect(tmp_path / "overlap.sqlite")
    yield conn
    conn.close()


def person(conn: sqlite3.Connection, role: Role) -> str:
    name = new_id()
    return create_account(conn, email=f"{name}@example.org", password="pw", full_name=name, role=role, now=START).id


def book(conn, mentor, student, start: datetime, minutes: int, status: str = "pending") -> None:
    conn.execute(
        "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes, status,"
        " created_at, updated_at) values (?, ?, ?, 'Python', ?, ?, ?, ?, ?)",
        (new_id(), mentor, student, to_db_time(start), minutes, status, to_db_time(START), to_db_time(START)),
    )


@pytest.mark.parametrize("side", ["mentor", "student"])
def test_a_four_hour_session_that_began_just_under_four_hours_earlier_is_found(conn, side):
    mentor, student = person(conn, Role.MENTOR), person(conn, Role.STUDENT)
    other_mentor, other_student = person(conn, Role.MENTOR), person(conn, Role.STUDENT)
    book(conn, mentor, student, START - timedelta(minutes=225), 240)  # runs until START + 15 minutes
    pair = (mentor, other_student) if side == "mentor" else (other_mentor, student)
    with pytest.raises(sqlite3.IntegrityError, match="slot_taken"):
        book(conn, *pair, START, 15)


def test_sessions_that_end_when_the_new_one_starts_or_hold_no_time_are_not_found(conn):
    mentor, student = person(conn, Role.MENTOR), person(conn, Role.STUDENT)
    book(conn, mentor, student, START - timedelta(minutes=240), 240)  # ends at START
    book(conn, mentor, student, START, 60, status="confirmed")
    book(conn, mentor, student, START + timedelta(hours=1), 60)  # starts as the last ends
    conn.execute("update mentor_sessions set status = 'cancelled' where scheduled_time = ?",
                 (to_db_time(START + timedelta(hours=1)),))
    book(conn, mentor, student, START + timedelta(hours=1), 60)  # a cancelled one holds nothing


def test_a_start_stored_in_another_format_is_still_found(conn):
    """The window is on unixepoch(), not the text: an older version's or a hand edit's
    '2027-03-01 11:30:00' is found like the app's fixed-width UTC."""
    mentor, student = person(conn, Role.MENTOR), person(conn, Role.STUDENT)
    conn.execute(
        "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes, status,"
        " created_at, updated_at) values (?, ?, ?, 'Python', '2027-03-01 11:30:00', 60, 'pending', ?, ?)",
        (new_id(), mentor, student, to_db_time(START), to_db_time(START)),
    )
    with pytest.raises(sqlite3.IntegrityError, match="slot_taken"):
        book(conn, mentor, person(conn, Role.STUDENT), START, 30)
