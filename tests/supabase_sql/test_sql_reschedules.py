"""023 and 024 as ``authenticated`` through the API: a party asks to move a session in their
own name; only the other party accepts (``accept_reschedule``) or declines, only the proposer
withdraws (``close_reschedule``); the move happens in the accepting transaction under the
no-overlap rule, and no client moves a session by a plain UPDATE. An acceptance racing a new
booking of the same slot: exactly one wins. No-shows: once per party, after the end of a
confirmed or completed session, never changed. 027: the other party hears of a withdrawal, the
absent party of a no-show."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import psycopg
import pytest
from pg_support import Db

ASK = (
    "insert into public.session_reschedules (session_id, proposed_by, old_time, new_time, reason)"
    " values (%s, %s, %s, %s, %s) returning id, old_time, status"
)
ACCEPT = "select id, scheduled_time, status from public.accept_reschedule(%s)"
CLOSE = "select status from public.close_reschedule(%s, %s)"
MARK = "insert into public.session_no_shows (session_id, marked_by, absent_id, note) values (%s, %s, %s, %s) returning absent_id::text"
ROUNDS = 8


@pytest.fixture
def pair(db: Db, soon: datetime) -> SimpleNamespace:
    """A confirmed session between a mentor and a student, and an outsider."""
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session = db.add_session(mentor, student, soon, status="confirmed")
    return SimpleNamespace(mentor=mentor, student=student, outsider=db.new_user("student"), soon=soon, session=session)


def ask(db: Db, p: SimpleNamespace, by: str, new_time: datetime, reason: str | None = "Exam clash") -> str:
    ((request_id, old_time, status),) = db.act(by, ASK, (p.session, by, datetime(2001, 1, 1, tzinfo=UTC), new_time, reason))
    assert (old_time, status) == (p.soon, "open")  # the database takes the old time from the session
    return str(request_id)


def notes(db: Db, user: str, kind: str) -> list[tuple]:
    return db.rows("select actor_id::text, detail from public.mentor_notifications where user_id = %s and kind = %s",
                   (user, kind))


def test_the_other_party_accepts_and_the_session_moves_staying_confirmed(db, pair):
    target = pair.soon + timedelta(hours=3)
    request = ask(db, pair, pair.student, target)
    assert notes(db, pair.mentor, "reschedule_proposed") == [(pair.student, "Exam clash")]
    with db.refused("42501", "Only the other person answers"):
        db.act(pair.student, ACCEPT, (request,))
    with db.refused("42501", "no such request"):
        db.act(pair.outsider, ACCEPT, (request,))
    ((session_id, moved, status),) = db.act(pair.mentor, ACCEPT, (request,))
    assert (str(session_id), moved, status) == (pair.session, target, "confirmed")
    assert db.value("select status from public.session_reschedules where id = %s", (request,)) == "accepted"
    assert notes(db, pair.student, "reschedule_accepted") == [(pair.mentor, None)]
    with db.refused("42501", "already been answered"):
        db.act(pair.mentor, ACCEPT, (request,))
    # The old slot is free: another student books it.
    db.book(pair.outsider, pair.mentor, pair.soon)


def test_decline_by_the_other_party_and_withdrawal_by_the_proposer_only(db, pair):
    request = ask(db, pair, pair.mentor, pair.soon + timedelta(hours=2), None)
    with db.refused("42501", "only in your own name"):
        db.act(pair.student, ASK, (pair.session, pair.mentor, pair.soon, pair.soon + timedelta(hours=5), None))
    with db.refused("23505"):  # one open request per session
        ask(db, pair, pair.student, pair.soon + timedelta(hours=4))
    with db.refused("42501", "withdraws"):
        db.act(pair.student, CLOSE, (request, "withdrawn"))
    with db.refused("42501", "Only the other person"):
        db.act(pair.mentor, CLOSE, (request, "declined"))
    assert db.act(pair.student, CLOSE, (request, "declined")) == [("declined",)]
    assert notes(db, pair.mentor, "reschedule_declined") == [(pair.student, None)]
    assert db.session(pair.session)["scheduled_time"] == pair.soon
    again = ask(db, pair, pair.student, pair.soon + timedelta(hours=4))
    assert db.act(pair.student, CLOSE, (again, "withdrawn")) == [("withdrawn",)]
    assert notes(db, pair.mentor, "reschedule_withdrawn") == [(pair.student, None)]
    assert notes(db, pair.student, "reschedule_withdrawn") == []


def test_no_client_moves_a_session_or_a_request_directly(db, pair):
    for party in (pair.mentor, pair.student):
        with db.refused("42501", "scheduled_time cannot change"):
            db.patch(party, pair.session, scheduled_time=pair.soon + timedelta(hours=6))
    request = ask(db, pair, pair.student, pair.soon + timedelta(hours=3))
    for party in (pair.mentor, pair.student):
        with db.refused("42501", "permission denied"):
            db.act(party, "update public.session_reschedules set status = 'accepted' where id = %s", (request,))
        with db.refused("42501", "permission denied"):
            db.act(party, "delete from public.session_reschedules where id = %s", (request,))
    assert db.act(pair.outsider, "select id from public.session_reschedules where id = %s", (request,)) == []
    with db.refused("42501", "permission denied"):
        db.act(None, "select id from public.session_reschedules")
    with db.refused("42501"):  # an outsider asks to move someone else's session
        db.act(pair.outsider, ASK, (pair.session, pair.outsider, pair.soon, pair.soon + timedelta(hours=5), None))
    with db.refused("23514"):
        db.act(pair.student, ASK, (pair.session, pair.student, pair.soon, datetime.now(UTC) - timedelta(hours=1), None))


def test_an_acceptance_into_a_taken_slot_is_the_overlap_error_and_moves_nothing(db, pair):
    target = pair.soon + timedelta(hours=3)
    request = ask(db, pair, pair.student, target)
    db.book(pair.outsider, pair.mentor, target + timedelta(minutes=30))
    with db.refused("23P01"):
        db.act(pair.mentor, ACCEPT, (request,))
    assert db.session(pair.session)["scheduled_time"] == pair.soon
    assert db.value("select status from public.session_reschedules where id = %s", (request,)) == "open"


def test_an_acceptance_racing_a_booking_of_the_same_slot_has_exactly_one_winner(db, soon):
    mentor = db.new_user("mentor")
    for round_ in range(ROUNDS):
        student, rival = db.new_user("student"), db.new_user("student")
        start = soon + timedelta(days=round_, hours=1)
        target = start + timedelta(hours=4)
        session = db.add_session(mentor, student, start, status="confirmed")
        ((request,),) = db.act(student, "insert into public.session_reschedules (session_id, proposed_by, old_time,"
                               " new_time) values (%s, %s, %s, %s) returning id", (session, student, start, target))
        barrier = threading.Barrier(2)
        outcomes: dict[str, str | None] = {}

        def run(name: str, user: str, query, params) -> None:
            with psycopg.connect(db.url, autocommit=True) as conn:
                barrier.wait()
                try:
                    with db.client(user, conn) as client:
                        client.execute(query, params)
                    outcomes[name] = None
                except psycopg.Error as error:
                    outcomes[name] = error.sqlstate

        threads = [
            threading.Thread(target=run, args=("move", mentor, ACCEPT, (request,))),
            threading.Thread(target=run, args=("booking", rival, *db.booking(rival, mentor, target))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes.values(), key=str) == sorted([None, "23P01"], key=str), outcomes
        held = db.rows(
            "select id::text from public.mentor_sessions where mentor_id = %s and scheduled_time = %s"
            " and status in ('pending', 'confirmed')",
            (mentor, target),
        )
        winner = "move" if outcomes["move"] is None else "booking"
        assert len(held) == 1 and (held[0][0] == session) == (winner == "move")


def test_a_no_show_is_marked_once_by_each_party_after_the_end(db, pair):
    past = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    ended = db.add_session(pair.mentor, pair.student, past, status="completed")
    with db.refused("42501", "after the session has ended"):
        db.act(pair.mentor, MARK, (pair.session, pair.mentor, pair.student, None))
    cancelled = db.add_session(pair.mentor, pair.student, past - timedelta(days=1), status="cancelled")
    with db.refused("42501", "confirmed or completed"):
        db.act(pair.mentor, MARK, (cancelled, pair.mentor, pair.student, None))
    # The database names the absent party itself: the other one.
    assert db.act(pair.mentor, MARK, (ended, pair.mentor, pair.mentor, "Waited")) == [(pair.student,)]
    with db.refused("42501", "already marked"):
        db.act(pair.mentor, MARK, (ended, pair.mentor, pair.student, None))
    with db.refused("42501", "own name"):
        db.act(pair.student, MARK, (ended, pair.mentor, pair.student, None))
    with db.refused("42501"):
        db.act(pair.outsider, MARK, (ended, pair.outsider, pair.student, None))
    with db.refused("23514"):
        db.act(pair.student, MARK, (ended, pair.student, pair.mentor, "x" * 501))
    assert db.act(pair.student, MARK, (ended, pair.student, pair.mentor, None)) == [(pair.mentor,)]
    # Each absent party hears of it, from whoever marked them, with the note (027).
    assert notes(db, pair.student, "no_show") == [(pair.mentor, "Waited")]
    assert notes(db, pair.mentor, "no_show") == [(pair.student, None)]
    query = "select count(*) from public.session_no_shows where session_id = %s"
    assert db.act(pair.mentor, query, (ended,)) == [(2,)]
    assert db.act(pair.outsider, query, (ended,)) == [(0,)]
    for party in (pair.mentor, pair.student):
        with db.refused("42501", "permission denied"):
            db.act(party, "update public.session_no_shows set note = 'x' where session_id = %s", (ended,))
    # Kept beside the session: its status is still one the web app knows.
    assert db.session(ended)["status"] == "completed"
