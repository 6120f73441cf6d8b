"""014: the database records who cancelled a session, from the caller's token, for any
client; nobody can write or forge it, and older rows keep their null."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest


@pytest.fixture
def pair(db):
    return db.new_user("mentor"), db.new_user("student")


def ahead() -> datetime:
    return datetime.now(UTC) + timedelta(days=2)


def recorded(db, session_id: str) -> tuple[object, object]:
    row = db.session(session_id)
    return row["cancelled_by"], row["declined"]


@pytest.mark.parametrize(
    ("status", "who", "declined"),
    [("pending", "mentor", True), ("pending", "student", False), ("confirmed", "mentor", False),
     ("confirmed", "student", False)],
)
def test_cancelling_records_the_caller(db, pair, status, who, declined):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead(), status=status)
    actor = mentor if who == "mentor" else student
    assert db.patch(actor, session_id, status="cancelled", cancellation_reason="Away") == [("cancelled",)]
    assert recorded(db, session_id) == (uuid.UUID(actor), declined)


def test_a_client_cannot_write_who_cancelled(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    # Sent along with the cancellation: the caller is recorded instead.
    db.patch(student, session_id, status="cancelled", cancelled_by=mentor, declined=True)
    assert recorded(db, session_id) == (uuid.UUID(student), False)
    # Sent on its own afterwards: nothing changes.
    db.patch(mentor, session_id, cancelled_by=mentor, declined=True)
    assert recorded(db, session_id) == (uuid.UUID(student), False)


def test_a_new_session_has_not_been_cancelled(db, pair):
    mentor, student = pair
    session_id = db.book(student, mentor, ahead(), cancelled_by=student, declined=True)
    assert recorded(db, session_id) == (None, False)


def test_other_changes_keep_the_record_empty(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    db.patch(mentor, session_id, status="confirmed", meeting_link="https://meet.example.org/x")
    assert recorded(db, session_id) == (None, False)


def test_the_constraints_hold_for_trusted_writers_too(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead(), status="cancelled")
    assert recorded(db, session_id) == (None, False)  # as rows from before 014 read
    with db.refused("23514"):
        db.rows("update public.mentor_sessions set cancelled_by = %s where id = %s", (db.new_user("student"), session_id))
    with db.refused("23514"):
        db.rows("update public.mentor_sessions set cancelled_by = %s, declined = true where id = %s", (student, session_id))
    db.rows("update public.mentor_sessions set cancelled_by = %s, declined = true where id = %s", (mentor, session_id))
    assert recorded(db, session_id) == (uuid.UUID(mentor), True)


def test_clients_may_read_the_new_columns(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    db.patch(mentor, session_id, status="cancelled")
    query = "select cancelled_by, declined from public.mentor_sessions where id = %s"
    assert db.act(student, query, (session_id,)) == [(uuid.UUID(mentor), True)]
