"""017: proposals, as ``authenticated`` through the API: only the two parties read one; only
the mentor of a pair who share a session proposes, in their own name; nobody updates or
deletes one directly; ``mentor_accept_proposal`` makes it a confirmed session once, only
for its student, only before its start, and still under the no-overlap rule. A message
points only to its pair's own session or proposal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from pg_support import Db

PROPOSE = (
    "insert into public.mentor_proposals (mentor_id, student_id, subject, scheduled_time, duration_minutes, meeting_link)"
    " values (%s, %s, 'Pairing', %s, 60, 'https://meet.example.org/room') returning id"
)
ACCEPT = "select id, status, meeting_link, scheduled_time from public.mentor_accept_proposal(%s)"
SEND = (
    "insert into public.mentor_messages (mentor_id, student_id, sender_id, body, session_id, proposal_id)"
    " values (%s, %s, %s, 'See this', %s, %s) returning id"
)


@pytest.fixture
def pair(db: Db, soon: datetime) -> SimpleNamespace:
    """A mentor and a student with one cancelled session (any status counts), and an outsider."""
    mentor, student = db.new_user("mentor"), db.new_user("student")
    db.add_session(mentor, student, soon, status="cancelled")
    return SimpleNamespace(mentor=mentor, student=student, outsider=db.new_user("student"), soon=soon)


def propose(db: Db, pair: SimpleNamespace, start: datetime | None = None) -> str:
    ((proposal_id,),) = db.act(pair.mentor, PROPOSE, (pair.mentor, pair.student, start or pair.soon))
    return str(proposal_id)


def test_the_two_parties_read_a_proposal_and_nobody_else(db, pair):
    proposal = propose(db, pair)
    query = "select id::text from public.mentor_proposals where id = %s"
    for party in (pair.mentor, pair.student):
        assert db.act(party, query, (proposal,)) == [(proposal,)]
    assert db.act(pair.outsider, query, (proposal,)) == []
    with db.refused("42501", "permission denied"):
        db.act(None, query, (proposal,))


def test_only_the_mentor_of_a_pair_who_share_a_session_proposes_in_their_own_name(db, pair):
    with db.refused("42501"):  # a student proposing to their mentor
        db.act(pair.student, PROPOSE, (pair.student, pair.mentor, pair.soon))
    with db.refused("42501", "only in your own name"):  # spoofing the mentor
        db.act(pair.student, PROPOSE, (pair.mentor, pair.student, pair.soon))
    with db.refused("42501"):  # no shared session
        db.act(pair.mentor, PROPOSE, (pair.mentor, pair.outsider, pair.soon))
    with db.refused("23514"):
        db.act(pair.mentor, PROPOSE, (pair.mentor, pair.student, datetime.now(UTC) - timedelta(hours=1)))


def test_a_new_proposal_is_open_and_stamped_by_the_database(db, pair):
    ((created, session, accepted),) = db.act(
        pair.mentor,
        "insert into public.mentor_proposals (mentor_id, student_id, subject, scheduled_time, duration_minutes,"
        " meeting_link, created_at, accepted_at, accepted_session_id)"
        " select %s, %s, 'Pairing', %s, 60, 'https://meet.example.org/room', '2001-01-01', now(), s.id"
        " from public.mentor_sessions s where s.mentor_id = %s"
        " returning created_at, accepted_session_id, accepted_at",
        (pair.mentor, pair.student, pair.soon, pair.mentor),
    )
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)
    assert (session, accepted) == (None, None)


def test_nobody_updates_or_deletes_a_proposal_directly(db, pair):
    proposal = propose(db, pair)
    for party in (pair.mentor, pair.student):
        with db.refused("42501", "permission denied"):
            db.act(party, "update public.mentor_proposals set accepted_at = now() where id = %s", (proposal,))
        with db.refused("42501", "permission denied"):
            db.act(party, "delete from public.mentor_proposals where id = %s", (proposal,))


def test_the_student_accepts_once_as_a_confirmed_session_with_the_mentors_link(db, pair):
    proposal = propose(db, pair)
    with db.refused("42501", "Only the student"):
        db.act(pair.mentor, ACCEPT, (proposal,))
    with db.refused("42501", "no such proposal"):
        db.act(pair.outsider, ACCEPT, (proposal,))
    ((session_id, status, link, start),) = db.act(pair.student, ACCEPT, (proposal,))
    assert (status, link, start) == ("confirmed", "https://meet.example.org/room", pair.soon)
    assert db.value("select accepted_session_id from public.mentor_proposals where id = %s", (proposal,)) == session_id
    told = db.act(pair.mentor, "select kind, actor_id::text from public.mentor_notifications where session_id = %s",
                  (session_id,))
    assert told == [("confirmed", pair.student)]
    with db.refused("42501", "already accepted"):
        db.act(pair.student, ACCEPT, (proposal,))


def test_a_proposal_expires_at_its_start(db, pair):
    proposal = propose(db, pair)
    db.rows("update public.mentor_proposals set scheduled_time = now() where id = %s", (proposal,))
    with db.refused("42501", "expired"):
        db.act(pair.student, ACCEPT, (proposal,))


def test_accepting_still_meets_the_no_overlap_rule(db, pair):
    held = pair.soon + timedelta(days=1)
    db.add_session(pair.mentor, pair.outsider, held + timedelta(minutes=30))
    proposal = propose(db, pair, held)
    with db.refused("23P01"):
        db.act(pair.student, ACCEPT, (proposal,))
    assert db.value("select accepted_at from public.mentor_proposals where id = %s", (proposal,)) is None


def test_a_message_points_only_to_its_pairs_own_session_or_proposal(db, pair):
    proposal = propose(db, pair)
    own = db.value("select id from public.mentor_sessions where mentor_id = %s", (pair.mentor,))
    others = db.add_session(db.new_user("mentor"), pair.outsider, pair.soon + timedelta(days=2))
    db.act(pair.mentor, SEND, (pair.mentor, pair.student, pair.mentor, None, proposal))
    db.act(pair.student, SEND, (pair.mentor, pair.student, pair.student, own, None))
    with db.refused("42501"):  # a proposal travels only from its mentor
        db.act(pair.student, SEND, (pair.mentor, pair.student, pair.student, None, proposal))
    with db.refused("42501"):
        db.act(pair.student, SEND, (pair.mentor, pair.student, pair.student, others, None))


def test_clients_hold_exactly_select_and_insert(db):
    granted = {
        privilege
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
        if db.value("select has_table_privilege('authenticated', 'public.mentor_proposals', %s)", (privilege,))
    }
    assert granted == {"SELECT", "INSERT"}
    assert not db.value("select has_table_privilege('anon', 'public.mentor_proposals', 'SELECT')")
    assert not db.value("select has_function_privilege('anon', 'public.mentor_accept_proposal(uuid)', 'execute')")
