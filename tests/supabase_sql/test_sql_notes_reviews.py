"""026 as a hostile client sees it (PostgREST as ``authenticated``): who writes and reads
session notes, the mentor's one reply to a review, and the figures kept for the mentor page;
027: the student hears of the notes (once until read) and of the reply."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest

NOTES = "insert into public.session_notes (session_id, summary) values (%s, %s)"
READ_NOTES = "select session_id, summary, mentor_id, student_id from public.session_notes where session_id = %s"
TOLD = "select kind, actor_id::text, detail from public.mentor_notifications where session_id = %s and kind = %s"


def past() -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=1)


def ahead() -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=2)


@pytest.fixture
def pair(db):
    return db.new_user("mentor"), db.new_user("student")


# --- session notes ------------------------------------------------------------------------

def test_the_mentor_writes_notes_both_read_them_a_stranger_reads_nothing(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, past(), status="completed")
    db.act(mentor, NOTES, (session_id, "- [ ] Write a fixture"))
    for party in (mentor, student):
        assert db.act(party, READ_NOTES, (session_id,)) == [
            (UUID(session_id), "- [ ] Write a fixture", UUID(mentor), UUID(student))
        ]
    assert db.act(db.new_user("student"), READ_NOTES, (session_id,)) == []
    assert db.act(db.new_user("mentor"), READ_NOTES, (session_id,)) == []
    with db.refused("42501", "permission denied"):
        db.act(None, READ_NOTES, (session_id,))


def test_the_pair_and_time_come_from_the_session_whatever_the_client_sends(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, past(), status="completed")
    other = db.new_user("student")
    db.act(mentor, "insert into public.session_notes (session_id, summary, mentor_id, student_id, session_time)"
                   " values (%s, 'x', %s, %s, now())", (session_id, mentor, other))
    assert db.value("select student_id::text from public.session_notes where session_id = %s", (session_id,)) == student
    assert db.value("select session_time = %s from public.session_notes where session_id = %s",
                    (db.session(session_id)["scheduled_time"], session_id))


def test_a_student_or_a_stranger_cannot_write_notes(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, past(), status="completed")
    for someone in (student, db.new_user("mentor")):
        with db.refused("42501", "Only the session's mentor writes its notes."):
            db.act(someone, NOTES, (session_id, "forged"))
    db.act(mentor, NOTES, (session_id, "real"))
    for someone in (student, db.new_user("mentor")):
        assert db.act(someone, "update public.session_notes set summary = 'forged' where session_id = %s"
                               " returning 1", (session_id,)) == []
    with db.refused("42501", "permission denied"):
        db.act(mentor, "delete from public.session_notes where session_id = %s", (session_id,))
    assert db.value("select summary from public.session_notes where session_id = %s", (session_id,)) == "real"


@pytest.mark.parametrize(("status", "when"), [("pending", past), ("confirmed", ahead), ("cancelled", past)])
def test_notes_wait_for_the_session_to_start(db, pair, status, when):
    mentor, student = pair
    session_id = db.add_session(mentor, student, when(), status=status)
    with db.refused("42501", "Notes are written once the session has started."):
        db.act(mentor, NOTES, (session_id, "too early"))


def test_a_confirmed_session_under_way_takes_notes_and_an_upsert_replaces_them(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, datetime.now(timezone.utc) - timedelta(minutes=10), status="confirmed")
    upsert = NOTES + " on conflict (session_id) do update set summary = excluded.summary"
    db.act(mentor, upsert, (session_id, "first"))
    db.act(mentor, upsert, (session_id, "second"))
    assert db.value("select summary from public.session_notes where session_id = %s", (session_id,)) == "second"


def test_notes_tell_the_student_once_until_read(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, past(), status="completed")
    upsert = NOTES + " on conflict (session_id) do update set summary = excluded.summary"
    db.act(mentor, upsert, (session_id, "first"))
    db.act(mentor, upsert, (session_id, "second"))
    db.act(mentor, upsert, (session_id, "second"))
    assert db.act(student, TOLD, (session_id, "notes_written")) == [("notes_written", mentor, None)]
    assert db.act(mentor, TOLD, (session_id, "notes_written")) == []
    db.act(student, "update public.mentor_notifications set read_at = now() where session_id = %s", (session_id,))
    db.act(mentor, upsert, (session_id, "third"))
    assert len(db.act(student, TOLD, (session_id, "notes_written"))) == 2


# --- the reply ------------------------------------------------------------------------------

def rated(db, mentor: str, student: str, stars: int = 4) -> str:
    session_id = db.add_session(mentor, student, past(), status="completed")
    db.patch(student, session_id, rating=stars, review="Helpful")
    return session_id


def test_the_mentor_replies_once_and_the_database_stamps_the_time(db, pair):
    mentor, student = pair
    session_id = rated(db, mentor, student)
    db.patch(mentor, session_id, review_reply="Thank you", review_replied_at=datetime(2000, 1, 1, tzinfo=timezone.utc))
    row = db.session(session_id)
    assert row["review_reply"] == "Thank you"
    assert db.act(student, TOLD, (session_id, "review_replied")) == [("review_replied", mentor, "Thank you")]
    assert row["review_replied_at"] > datetime.now(timezone.utc) - timedelta(minutes=5)
    with db.refused("42501", "You have already replied to this review."):
        db.patch(mentor, session_id, review_reply="Changed my mind")
    with db.refused("42501", "You have already replied to this review."):
        db.patch(mentor, session_id, review_reply=None)


def test_a_student_cannot_reply_and_nobody_replies_to_an_unrated_session(db, pair):
    mentor, student = pair
    session_id = rated(db, mentor, student)
    with db.refused("42501", "Only the session's mentor can reply to its review."):
        db.patch(student, session_id, review_reply="Me too")
    unrated = db.add_session(mentor, student, past() - timedelta(days=1), status="completed")
    with db.refused("42501", "Only a rated session's review can be answered."):
        db.patch(mentor, unrated, review_reply="Thanks?")
    assert db.patch(db.new_user("mentor"), session_id, review_reply="Stranger") == []


def test_the_public_reviews_carry_the_reply(db, pair):
    mentor, student = pair
    session_id = rated(db, mentor, student, stars=5)
    db.patch(mentor, session_id, review_reply="Glad it helped")
    reader = db.new_user("student")
    rows = db.act(reader, "select rating, review, review_reply from public.mentor_reviews_replied(%s, 5)", (mentor,))
    assert rows == [(5, "Helpful", "Glad it helped")]


# --- the mentor page's figures ----------------------------------------------------------------

STATS = "select stars_1, stars_2, stars_3, stars_4, stars_5, completed_count from public.mentor_review_stats(%s)"


def test_the_distribution_and_completed_count_follow_every_change(db, pair):
    mentor, student = pair
    reader = db.new_user("student")
    assert db.act(reader, STATS, (mentor,)) == []
    first = rated(db, mentor, student, stars=4)
    rated(db, mentor, db.new_user("student"), stars=5)
    db.add_session(mentor, db.new_user("student"), past() - timedelta(days=3), status="completed")
    assert db.act(reader, STATS, (mentor,)) == [(0, 0, 0, 1, 1, 3)]
    db.rows("update public.mentor_sessions set rating = 2 where id = %s", (first,))  # the owner, fixing a row
    assert db.act(reader, STATS, (mentor,)) == [(0, 1, 0, 0, 1, 3)]
    db.rows("update public.mentor_sessions set status = 'cancelled', rating = null, review = null where id = %s",
            (first,))
    assert db.act(reader, STATS, (mentor,)) == [(0, 0, 0, 0, 1, 2)]
    assert db.value("select rating_count from public.mentor_ratings where mentor_id = %s", (mentor,)) == 1
    with db.refused("42501", "permission denied"):
        db.act(None, STATS, (mentor,))


def test_a_client_cannot_read_or_write_the_figures_directly(db, pair):
    mentor, _ = pair
    with db.refused("42501", "permission denied"):
        db.act(mentor, "update public.mentor_ratings set stars_5 = 1000 where mentor_id = %s", (mentor,))

