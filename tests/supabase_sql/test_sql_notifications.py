"""016: notifications written only by the database, for every step of a session and every
message, to the right person with who acted and what they wrote; each person reads and
marks read only their own, and no client writes or deletes one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from pg_support import Db

from mentor_tui.domain.models import NOTIFICATION_DETAIL_MAX, NotificationKind

COLUMNS = "user_id, kind, session_id, message_id, actor_id, detail"


@pytest.fixture
def people(db: Db) -> SimpleNamespace:
    return SimpleNamespace(mentor=db.new_user("mentor"), student=db.new_user("student"), outsider=db.new_user("student"))


def ahead() -> datetime:
    return (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


def notes_of(db: Db, session_id: str | None = None, message_id: str | None = None) -> list[tuple]:
    """Every notification about a session or a message, oldest first, as the owner sees it."""
    return [
        tuple(str(v) if isinstance(v, uuid.UUID) else v for v in row)
        for row in db.rows(
            f"select {COLUMNS} from public.mentor_notifications"
            " where session_id is not distinct from %s and message_id is not distinct from %s"
            " order by created_at, kind",
            (session_id, message_id),
        )
    ]


def after_request(db: Db, session_id: str) -> list[tuple]:
    """The notifications about a session after the one its request made (set-up writes it too)."""
    return [note for note in notes_of(db, session_id) if note[1] != "requested"]


def test_the_kinds_are_the_domains(db):
    check = db.value(
        "select pg_get_constraintdef(oid) from pg_constraint where conname = 'mentor_notifications_kind_check'"
    )
    assert sorted(kind.value for kind in NotificationKind) == sorted(
        part.split("'")[1] for part in check.split("ARRAY[")[1].split(",")
    )


def test_a_request_tells_the_mentor(db, people):
    session_id = db.book(people.student, people.mentor, ahead(), subject="Python basics")
    assert notes_of(db, session_id) == [(people.mentor, "requested", session_id, None, people.student, "Python basics")]


def test_confirming_then_completing_and_rating_tell_the_other_party(db, people):
    session_id = db.add_session(people.mentor, people.student, ahead())
    db.patch(people.mentor, session_id, status="confirmed", meeting_link="https://meet.example.org/r")
    db.rows("update public.mentor_sessions set scheduled_time = now() - interval '2 hours' where id = %s", (session_id,))
    db.patch(people.mentor, session_id, status="completed", feedback="Great progress")
    db.patch(people.student, session_id, rating=5, review="Very helpful")
    assert after_request(db, session_id) == [
        (people.student, "confirmed", session_id, None, people.mentor, None),
        (people.student, "completed", session_id, None, people.mentor, "Great progress"),
        (people.mentor, "rated", session_id, None, people.student, "Very helpful"),
    ]


def test_declining_tells_the_student_with_the_reason(db, people):
    session_id = db.add_session(people.mentor, people.student, ahead())
    db.patch(people.mentor, session_id, status="cancelled", cancellation_reason="Fully booked")
    assert after_request(db, session_id) == [(people.student, "declined", session_id, None, people.mentor, "Fully booked")]


@pytest.mark.parametrize(("status", "who"), [("pending", "student"), ("confirmed", "mentor"), ("confirmed", "student")])
def test_cancelling_tells_the_other_party_who_cancelled_and_why(db, people, status, who):
    session_id = db.add_session(people.mentor, people.student, ahead(), status=status)
    actor = getattr(people, who)
    other = people.student if who == "mentor" else people.mentor
    db.patch(actor, session_id, status="cancelled", cancellation_reason="Ill today")
    assert after_request(db, session_id) == [(other, "cancelled", session_id, None, actor, "Ill today")]


def test_a_cancellation_without_a_recorded_canceller_tells_both(db, people):
    session_id = db.add_session(people.mentor, people.student, ahead(), status="confirmed")
    db.rows("update public.mentor_sessions set status = 'cancelled' where id = %s", (session_id,))
    assert sorted(after_request(db, session_id)) == sorted([
        (people.mentor, "cancelled", session_id, None, None, None),
        (people.student, "cancelled", session_id, None, None, None),
    ])


def test_a_message_tells_the_recipient_with_a_bounded_excerpt(db, people):
    db.add_session(people.mentor, people.student, ahead())
    body = "y" * 4000
    ((message_id,),) = db.act(
        people.mentor,
        "insert into public.mentor_messages (mentor_id, student_id, sender_id, body) values (%s, %s, %s, %s)"
        " returning id",
        (people.mentor, people.student, people.mentor, body),
    )
    message_id = str(message_id)
    assert notes_of(db, message_id=message_id) == [
        (people.student, "message", None, message_id, people.mentor, body[:NOTIFICATION_DETAIL_MAX])
    ]


def test_a_refused_change_tells_nobody(db, people):
    session_id = db.add_session(people.mentor, people.student, ahead())
    with db.refused("42501"):
        db.patch(people.student, session_id, status="confirmed")
    assert after_request(db, session_id) == []


def test_each_person_reads_and_marks_read_only_their_own(db, people):
    session_id = db.book(people.student, people.mentor, ahead())
    query = "select kind from public.mentor_notifications where session_id = %s"
    assert db.act(people.mentor, query, (session_id,)) == [("requested",)]
    assert db.act(people.student, query, (session_id,)) == []
    assert db.act(people.outsider, query, (session_id,)) == []
    mark = "update public.mentor_notifications set read_at = now() where session_id = %s returning read_at"
    assert db.act(people.outsider, mark, (session_id,)) == []
    assert db.act(people.student, mark, (session_id,)) == []
    [(read_at,)] = db.act(people.mentor, mark, (session_id,))
    assert read_at is not None
    with db.refused("42501", "marked read once"):
        db.act(people.mentor, mark, (session_id,))


def test_no_client_writes_changes_or_deletes_a_notification(db, people):
    session_id = db.book(people.student, people.mentor, ahead())
    note = db.value("select id from public.mentor_notifications where session_id = %s", (session_id,))
    for who in (people.mentor, people.student, people.outsider):
        with db.refused("42501", "permission denied"):
            db.act(
                who,
                "insert into public.mentor_notifications (user_id, kind, actor_id) values (%s, 'confirmed', %s)",
                (who, people.mentor),
            )
    for column, value in (("kind", "confirmed"), ("detail", "forged"), ("user_id", people.student)):
        with db.refused("42501", "permission denied"):
            db.act(people.mentor, f"update public.mentor_notifications set {column} = %s where id = %s", (value, note))
    with db.refused("42501", "permission denied"):
        db.act(people.mentor, "delete from public.mentor_notifications where id = %s", (note,))
    with db.refused("42501", "permission denied"):
        db.act(people.mentor, "select mentor_tui.notify(%s, 'confirmed', null, null, null, null)", (people.student,))
    assert db.value("select count(*) from public.mentor_notifications where session_id = %s", (session_id,)) == 1
