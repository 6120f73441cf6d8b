"""What a person may do to a session, and which list it is in: ``services.sessions`` for
every status, every party and every moment (before the start, under way, after the end,
and a stored time that is unusable)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mentor_tui.domain import messages
from mentor_tui.domain.models import MentorSession, SessionStatus
from mentor_tui.services.sessions import (
    SessionAction,
    allowed_actions,
    is_past,
    is_upcoming,
    needs_answer,
    needs_completion,
    past,
    refusal,
    upcoming,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MENTOR, STUDENT, OUTSIDER = "mentor-1", "student-1", "someone-else"
LINK = "https://meet.example.org/room"
START = {  # a one-hour session
    "before": NOW + timedelta(hours=2),
    "under way": NOW - timedelta(minutes=30),
    "after": NOW - timedelta(hours=3),
    "invalid": NOW - timedelta(hours=3),  # with time_invalid
}

A = SessionAction
# (status, party) -> what they may do at a valid time; COMPLETE needs the start reached.
MAY = {
    (SessionStatus.PENDING, MENTOR): {A.CONFIRM, A.DECLINE, A.CANCEL},
    (SessionStatus.PENDING, STUDENT): {A.CANCEL},
    (SessionStatus.CONFIRMED, MENTOR): {A.CANCEL, A.COMPLETE, A.JOIN, A.COPY_LINK, A.WRITE_NOTES},
    (SessionStatus.CONFIRMED, STUDENT): {A.CANCEL, A.JOIN, A.COPY_LINK},
    (SessionStatus.COMPLETED, MENTOR): {A.WRITE_NOTES},
    (SessionStatus.COMPLETED, STUDENT): {A.RATE},
}


def session(status: SessionStatus, when: str, **fields) -> MentorSession:
    return MentorSession(
        id="s-1", mentor_id=MENTOR, student_id=STUDENT, subject="Python", scheduled_time=START[when],
        duration_minutes=60, status=status, meeting_link=LINK if status is not SessionStatus.PENDING else None,
        created_at=NOW - timedelta(days=3), updated_at=NOW - timedelta(days=3),
        time_invalid=when == "invalid", **fields,
    )


def expected(status: SessionStatus, party: str, when: str) -> set[SessionAction]:
    if when == "invalid":
        return set()
    may = set(MAY.get((status, party), set()))
    if when == "before":
        may.discard(A.COMPLETE)
        if status is SessionStatus.CONFIRMED:  # notes wait for the start, as completing does
            may.discard(A.WRITE_NOTES)
    if when == "after":  # over: it can be completed, no longer called off
        may -= {A.CANCEL, A.DECLINE}
    if status in (SessionStatus.PENDING, SessionStatus.CONFIRMED) and party != OUTSIDER and when == "before":
        may.add(A.RESCHEDULE)  # either party, only before the start
    if status in (SessionStatus.CONFIRMED, SessionStatus.COMPLETED) and party != OUTSIDER and when == "after":
        may.add(A.NO_SHOW)  # either party, only once it has ended
    return may


@pytest.mark.parametrize("when", list(START))
@pytest.mark.parametrize("party", [MENTOR, STUDENT, OUTSIDER])
@pytest.mark.parametrize("status", list(SessionStatus))
def test_allowed_actions_for_every_status_party_and_moment(status, party, when):
    s = session(status, when)
    allowed = allowed_actions(s, party, NOW)
    assert allowed == expected(status, party, when)
    for action in SessionAction:
        reason = refusal(s, party, action, NOW)
        assert (reason is None) == (action in allowed), (action, reason)
        if reason is not None and party == OUTSIDER:
            assert reason == messages.NOT_A_PARTY
        elif reason is not None and when == "invalid" and action not in (A.JOIN, A.COPY_LINK):
            assert reason == messages.INVALID_TIME


def test_refusals_say_why():
    pending, confirmed = session(SessionStatus.PENDING, "before"), session(SessionStatus.CONFIRMED, "before")
    assert refusal(pending, STUDENT, A.CONFIRM, NOW) == messages.only_party("mentor", "confirm")
    assert refusal(confirmed, MENTOR, A.COMPLETE, NOW) == messages.NOT_STARTED
    assert refusal(confirmed, MENTOR, A.CONFIRM, NOW) == messages.WRONG_STATUS["confirm"]
    assert refusal(pending, MENTOR, A.JOIN, NOW) == messages.ONLY_CONFIRMED_CALL
    linkless = confirmed.model_copy(update={"meeting_link": None})
    assert refusal(linkless, STUDENT, A.COPY_LINK, NOW) == messages.NO_CALL_YET
    rated = session(SessionStatus.COMPLETED, "after", rating=4)
    assert refusal(rated, STUDENT, A.RATE, NOW) == messages.ALREADY_RATED
    assert A.RATE not in allowed_actions(rated, STUDENT, NOW)
    assert A.REPLY in allowed_actions(rated, MENTOR, NOW)
    assert refusal(rated, STUDENT, A.REPLY, NOW) == messages.ONLY_MENTOR_REPLIES
    replied = rated.model_copy(update={"review_reply": "Thanks"})
    assert refusal(replied, MENTOR, A.REPLY, NOW) == messages.ALREADY_REPLIED
    assert refusal(confirmed, MENTOR, A.WRITE_NOTES, NOW) == messages.NOTES_NOT_YET


@pytest.mark.parametrize("when", list(START))
@pytest.mark.parametrize("status", list(SessionStatus))
def test_upcoming_is_holding_a_slot_and_not_over(status, when):
    s = session(status, when)
    holds = status in (SessionStatus.PENDING, SessionStatus.CONFIRMED)
    assert is_upcoming(s, NOW) is (holds and when in ("before", "under way"))
    assert is_past(s, NOW) is not is_upcoming(s, NOW)


def test_a_session_ending_now_is_past():
    s = session(SessionStatus.CONFIRMED, "before").model_copy(update={"scheduled_time": NOW - timedelta(hours=1)})
    assert not is_upcoming(s, NOW) and is_past(s, NOW)


def test_the_lists_split_and_order_every_session_once():
    sessions = [
        session(status, when).model_copy(update={"id": f"{status}-{when}"})
        for status in SessionStatus
        for when in START
    ]
    soon, gone = upcoming(sessions, NOW), past(sessions, NOW)
    assert sorted(s.id for s in soon + gone) == sorted(s.id for s in sessions)
    assert [s.id for s in soon] == ["confirmed-under way", "pending-under way", "confirmed-before", "pending-before"]
    assert [s.scheduled_time for s in gone] == sorted((s.scheduled_time for s in gone), reverse=True)


def test_what_needs_the_mentor():
    request = session(SessionStatus.PENDING, "before")
    assert needs_answer(request, MENTOR, NOW) and not needs_answer(request, STUDENT, NOW)
    assert not needs_answer(session(SessionStatus.PENDING, "after"), MENTOR, NOW)  # over: no longer upcoming
    assert needs_completion(session(SessionStatus.CONFIRMED, "under way"), MENTOR, NOW)
    assert not needs_completion(session(SessionStatus.CONFIRMED, "before"), MENTOR, NOW)
    assert not needs_completion(session(SessionStatus.CONFIRMED, "invalid"), MENTOR, NOW)
