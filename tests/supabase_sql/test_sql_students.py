"""mentor_students: kept by the completion trigger, read by the pair, written by no client."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest


def summary(db, mentor, student):
    return db.rows(
        "select total_sessions, last_session_date, subjects from public.mentor_students"
        " where mentor_id = %s and student_id = %s",
        (mentor, student),
    )


def complete(db, mentor, student, start, subject):
    """A confirmed session that has started, completed by its mentor through the API."""
    session_id = db.add_session(mentor, student, start, status="confirmed", subject=subject)
    assert db.patch(mentor, session_id, status="completed") == [("completed",)]
    return session_id


@pytest.fixture
def days_ago():
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return lambda days: now - timedelta(days=days)


def test_completions_keep_the_totals_subjects_and_last_date(db, days_ago):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    assert summary(db, mentor, student) == []

    complete(db, mentor, student, days_ago(3), "Python")
    assert summary(db, mentor, student) == [(1, days_ago(3), ["Python"])]

    # An older session completed later does not move the last date back.
    complete(db, mentor, student, days_ago(10), "SQL")
    complete(db, mentor, student, days_ago(1), "Python")
    assert summary(db, mentor, student) == [(3, days_ago(1), ["Python", "SQL"])]


def test_only_completions_count(db, days_ago):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    cancelled = db.add_session(mentor, student, days_ago(-2), status="confirmed")
    db.patch(student, cancelled, status="cancelled")
    db.add_session(mentor, student, days_ago(1), status="confirmed")
    assert summary(db, mentor, student) == []


def test_the_mentor_and_the_student_read_their_row_and_nobody_else(db, days_ago):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    complete(db, mentor, student, days_ago(1), "Go")
    query = "select total_sessions from public.mentor_students where mentor_id = %s"
    assert db.act(mentor, query, (mentor,)) == [(1,)]
    assert db.act(student, query, (mentor,)) == [(1,)]
    assert db.act(db.new_user("student"), query, (mentor,)) == []
    assert db.act(db.new_user("mentor"), query, (mentor,)) == []


@pytest.mark.parametrize(
    "statement",
    [
        "insert into public.mentor_students (mentor_id, student_id, total_sessions) values ({mentor}, {student}, 99)",
        "update public.mentor_students set total_sessions = 99 where mentor_id = {mentor}",
        "delete from public.mentor_students where mentor_id = {mentor}",
    ],
    ids=["insert", "update", "delete"],
)
def test_no_client_writes_the_summaries(db, days_ago, statement):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    complete(db, mentor, student, days_ago(1), "Go")
    query = statement.format(mentor=f"'{mentor}'", student=f"'{student}'")
    for who in (mentor, student):
        with db.refused("42501"):
            db.act(who, query)
    assert summary(db, mentor, student)[0][0] == 1
