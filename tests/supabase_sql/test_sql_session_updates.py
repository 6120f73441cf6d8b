"""After booking: who reads a session, how its status moves by role, and who
writes the rating, the feedback, the meeting link and the cancellation reason."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

LINK = "https://meet.jit.si/mentor-tui-0123456789abcdef"


@pytest.fixture
def pair(db):
    """A fresh mentor and student, so each test's sessions stand alone."""
    return db.new_user("mentor"), db.new_user("student")


def started() -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=10)


def ahead() -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=2)


# --- reading ----------------------------------------------------------------

def test_only_the_two_parties_read_a_session(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    query = "select id from public.mentor_sessions where id = %s"
    assert len(db.act(mentor, query, (session_id,))) == 1
    assert len(db.act(student, query, (session_id,))) == 1
    assert db.act(db.new_user("student"), query, (session_id,)) == []
    assert db.act(db.new_user("mentor"), query, (session_id,)) == []
    with db.refused("42501", "permission denied"):
        db.act(None, query, (session_id,))


def test_a_policy_a_web_app_adds_cannot_widen_what_is_read(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    db.rows('create policy "web app: sessions are public" on public.mentor_sessions for select using (true)')
    try:
        assert db.act(db.new_user("student"), "select 1 from public.mentor_sessions where id = %s", (session_id,)) == []
    finally:
        db.rows('drop policy "web app: sessions are public" on public.mentor_sessions')


# --- status moves -----------------------------------------------------------

# (from, to, who, refusal message or None when allowed)
MOVES = [
    ("pending", "confirmed", "mentor", None),
    ("pending", "confirmed", "student", "Only the mentor can confirm this session."),
    ("pending", "cancelled", "mentor", None),  # declined
    ("pending", "cancelled", "student", None),
    ("pending", "completed", "mentor", "Only a confirmed session can be completed."),
    ("pending", "completed", "student", "Only the mentor can complete this session."),
    ("confirmed", "cancelled", "mentor", None),
    ("confirmed", "cancelled", "student", None),
    ("confirmed", "completed", "mentor", None),
    ("confirmed", "completed", "student", "Only the mentor can complete this session."),
    ("confirmed", "pending", "mentor", "A session never returns to pending."),
    ("confirmed", "pending", "student", "A session never returns to pending."),
    ("completed", "cancelled", "mentor", "Only a pending or confirmed session can be cancelled."),
    ("completed", "cancelled", "student", "Only a pending or confirmed session can be cancelled."),
    ("completed", "confirmed", "mentor", "Only a pending request can be confirmed."),
    ("completed", "pending", "mentor", "A session never returns to pending."),
    ("cancelled", "pending", "student", "A session never returns to pending."),
    ("cancelled", "confirmed", "mentor", "Only a pending request can be confirmed."),
    ("cancelled", "completed", "mentor", "Only a confirmed session can be completed."),
]


@pytest.mark.parametrize(("old", "new", "who", "refusal"), MOVES, ids=[f"{o}-{n}-by-{w}" for o, n, w, _ in MOVES])
def test_status_moves_by_role(db, pair, old, new, who, refusal):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status=old)
    actor = mentor if who == "mentor" else student
    if refusal is None:
        assert db.patch(actor, session_id, status=new) == [(new,)]
    else:
        with db.refused("42501", refusal):
            db.patch(actor, session_id, status=new)
        assert db.session(session_id)["status"] == old


def test_confirming_is_a_compare_and_swap(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    confirm = (
        "update public.mentor_sessions set status = 'confirmed', meeting_link = %s"
        " where id = %s and status = 'pending' returning status"
    )
    assert db.act(mentor, confirm, (LINK, session_id)) == [("confirmed",)]
    assert db.act(mentor, confirm, (LINK, session_id)) == []


def test_a_session_is_completed_only_once_it_has_started(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead(), status="confirmed")
    with db.refused("42501", "only once it has started"):
        db.patch(mentor, session_id, status="completed", feedback="Well done")


def test_outsiders_change_nothing(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    assert db.patch(db.new_user("mentor"), session_id, status="confirmed") == []
    with db.refused("42501", "permission denied"):
        db.patch(None, session_id, status="cancelled")
    assert db.session(session_id)["status"] == "pending"


def test_sessions_are_never_deleted_by_clients(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    for who in (mentor, student):
        with db.refused("42501"):
            db.act(who, "delete from public.mentor_sessions where id = %s", (session_id,))


# --- what each party may write ----------------------------------------------

@pytest.mark.parametrize("column", ["mentor_id", "student_id"])
@pytest.mark.parametrize("who", ["mentor", "student"])
def test_the_parties_never_change(db, pair, column, who):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    actor = mentor if who == "mentor" else student
    with db.refused("42501", "never change"):
        db.patch(actor, session_id, **{column: db.new_user("mentor")})


@pytest.mark.parametrize(
    "change",
    [{"subject": "Rust"}, {"notes": "changed"}, {"duration_minutes": 30}, {"scheduled_time": ahead() + timedelta(days=1)}],
    ids=lambda change: next(iter(change)),
)
def test_what_was_booked_does_not_change(db, pair, change):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead(), notes="first")
    column = next(iter(change))
    with db.refused("42501", f"{column} cannot change"):
        db.patch(student, session_id, **change)


def test_the_student_rates_a_completed_session_once(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status="completed")
    assert db.patch(student, session_id, rating=5, review="Clear and patient") == [("completed",)]
    with db.refused("42501", "already been rated"):
        db.patch(student, session_id, rating=4)
    with db.refused("42501", "already been rated"):
        db.patch(student, session_id, review="Edited later")
    row = db.session(session_id)
    assert (row["rating"], row["review"]) == (5, "Clear and patient")


def test_only_the_student_rates(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status="completed")
    with db.refused("42501", "Only the student can rate"):
        db.patch(mentor, session_id, rating=5)


@pytest.mark.parametrize("status", ["pending", "confirmed", "cancelled"])
def test_only_a_completed_session_is_rated(db, pair, status):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status=status)
    with db.refused("42501", "Only a completed session can be rated"):
        db.patch(student, session_id, rating=5)


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"rating": 0}, "mentor_sessions_rating_check"),
        ({"rating": 6}, "mentor_sessions_rating_check"),
        ({"review": "No stars"}, "mentor_sessions_review_check"),
    ],
)
def test_a_rating_is_1_to_5_and_a_review_comes_with_one(db, pair, change, constraint):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status="completed")
    with db.refused("23514") as info:
        db.patch(student, session_id, **change)
    assert info.value.diag.constraint_name == constraint


def test_only_the_mentor_writes_feedback(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, started(), status="confirmed")
    with db.refused("42501", "Only the mentor can write feedback"):
        db.patch(student, session_id, feedback="I was great")
    assert db.patch(mentor, session_id, status="completed", feedback="Good progress") == [("completed",)]
    assert db.session(session_id)["feedback"] == "Good progress"


def test_only_the_mentor_sets_the_meeting_link_and_only_a_web_address(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead(), status="confirmed")
    with db.refused("42501", "Only the mentor can set the meeting link"):
        db.patch(student, session_id, meeting_link=LINK)
    for bad in ("http://meet.example.org/x", "file:///etc/passwd", "javascript:alert(1)"):
        with db.refused("23514") as info:
            db.patch(mentor, session_id, meeting_link=bad)
        assert info.value.diag.constraint_name == "mentor_sessions_meeting_link_text_check"
    db.patch(mentor, session_id, meeting_link=LINK)
    assert db.session(session_id)["meeting_link"] == LINK


def test_a_cancellation_reason_comes_with_the_cancellation(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    with db.refused("42501", "only when cancelling"):
        db.patch(student, session_id, cancellation_reason="Busy")
    db.patch(mentor, session_id, status="cancelled", cancellation_reason="Travelling that week")
    with db.refused("42501", "only when cancelling"):
        db.patch(mentor, session_id, cancellation_reason="Changed my mind")
    assert db.session(session_id)["cancellation_reason"] == "Travelling that week"


def test_every_change_moves_updated_at(db, pair):
    mentor, student = pair
    session_id = db.add_session(mentor, student, ahead())
    before = db.session(session_id)["updated_at"]
    db.patch(mentor, session_id, status="confirmed", meeting_link=LINK)
    assert db.session(session_id)["updated_at"] > before
