"""018: mentor_change_marker(), what live updates poll without Realtime: it moves for each
party when their sessions, conversations or notifications change, never for someone
else's, and only signed-in people may call it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from pg_support import Db

SEND = "insert into public.mentor_messages (mentor_id, student_id, sender_id, body) values (%s, %s, %s, %s)"


@pytest.fixture
def people(db: Db) -> SimpleNamespace:
    return SimpleNamespace(mentor=db.new_user("mentor"), student=db.new_user("student"), outsider=db.new_user("student"))


def marker(db: Db, user_id: str) -> tuple:
    (row,) = db.act(user_id, "select * from public.mentor_change_marker()")
    return row


def markers(db: Db, people: SimpleNamespace) -> dict[str, tuple]:
    return {who: marker(db, user_id) for who, user_id in vars(people).items()}


def moved(before: dict[str, tuple], after: dict[str, tuple]) -> set[str]:
    return {who for who in before if before[who] != after[who]}


def ahead() -> datetime:
    return (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def test_each_step_moves_the_parties_markers_and_never_an_outsiders(db, people):
    start = markers(db, people)
    session_id = db.book(people.student, people.mentor, ahead())
    booked = markers(db, people)
    assert moved(start, booked) == {"mentor", "student"}

    db.patch(people.mentor, session_id, status="confirmed", meeting_link="https://meet.example.org/r")
    confirmed = markers(db, people)
    assert moved(booked, confirmed) == {"mentor", "student"}

    db.act(people.student, SEND, (people.mentor, people.student, people.student, "See you then"))
    sent = markers(db, people)
    assert moved(confirmed, sent) == {"mentor", "student"}

    # Reading changes only the reader's unread counts: their other terminals follow.
    db.act(people.mentor, "update public.mentor_messages set read_at = now() where mentor_id = %s", (people.mentor,))
    read = markers(db, people)
    assert moved(sent, read) == {"mentor"}

    db.act(people.student, "update public.mentor_notifications set read_at = now() where user_id = %s", (people.student,))
    assert moved(read, markers(db, people)) == {"student"}


def test_an_outsider_learns_nothing_of_other_peoples_rows(db, people):
    nobody = db.new_user("student")
    db.book(people.student, people.mentor, ahead() + timedelta(days=1))
    assert marker(db, people.outsider) == marker(db, nobody)


def test_only_signed_in_people_may_call_it(db):
    with Db.refused("42501"):
        db.act(None, "select * from public.mentor_change_marker()")


def test_it_runs_as_the_caller_and_reads_only(db):
    definer, volatility = db.rows(
        "select prosecdef, provolatile from pg_proc where oid = 'public.mentor_change_marker()'::regprocedure"
    )[0]
    assert (definer, volatility) == (False, "s")
