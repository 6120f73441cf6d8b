"""Moving a session to a new time: the request and its rules, once, whichever backend stores it.

Either party of a pending or confirmed session that has not started proposes a new time
with a reason; one request per session is open at a time; only the other party accepts or
declines it, and only its proposer withdraws it. The new time must pass the booking checks
(``rules.validate_booking``) against the times held by the mentor and the student, the
session's own old time aside. On acceptance the session moves (a confirmed one stays
confirmed). The databases enforce the same again (``sql/supabase/023_reschedules.sql``,
``sql/sqlite/upgrade/014_reschedules.sql``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from . import messages, rules
from .booking_rules import BookingRules
from .errors import NotAllowed, NotFound
from .models import (
    ACTIVE_STATUSES,
    AvailabilitySlot,
    BookingRequest,
    MentorSession,
    Profile,
    TimeRange,
    UtcDatetime,
)


class RescheduleStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


ANSWERS = frozenset({RescheduleStatus.ACCEPTED, RescheduleStatus.DECLINED, RescheduleStatus.WITHDRAWN})


class RescheduleRequest(BaseModel):
    """One request to move a session, kept after it is answered: the session's history."""

    model_config = ConfigDict(frozen=True)

    id: str
    session_id: str
    proposed_by: str
    old_time: UtcDatetime
    new_time: UtcDatetime
    reason: str | None = None
    status: RescheduleStatus = RescheduleStatus.OPEN
    created_at: UtcDatetime
    answered_at: UtcDatetime | None = None


@dataclass(frozen=True)
class RescheduleFacts:
    """What a backend read, in the transaction that then writes, for the services' check:
    the session (None when the signed-in person is not a party), the request in question
    (the open one when proposing), the mentor's profile, weekly windows and booking rules,
    the times held around the new time by the mentor or the student, and the mentor's own
    held times in ``booking_rules.context_window`` of it (their notice, limits and buffers
    apply to a move as to a booking)."""

    session: MentorSession | None
    request: RescheduleRequest | None
    mentor: Profile | None = None
    availability: Sequence[AvailabilitySlot] = ()
    busy: Sequence[TimeRange] = ()
    booking_rules: BookingRules | None = None
    mentor_held: Sequence[TimeRange] = ()


def _movable(session: MentorSession, now: datetime) -> None:
    if session.time_invalid:
        raise NotAllowed(messages.INVALID_TIME)
    if session.status not in ACTIVE_STATUSES:
        raise NotAllowed(messages.RESCHEDULE_NOT_ACTIVE)
    if session.scheduled_time <= now:
        raise NotAllowed(messages.RESCHEDULE_STARTED)


def refusal_to_propose(session: MentorSession, person_id: str, open_request: RescheduleRequest | None,
                       now: datetime) -> str | None:
    """Why ``person_id`` may not ask to move ``session`` now, or None when they may."""
    try:
        if rules.party_role(session, person_id) is None:
            raise NotAllowed(messages.NOT_A_PARTY)
        _movable(session, now)
    except NotAllowed as refused:
        return refused.message
    if open_request is not None:
        return messages.RESCHEDULE_ALREADY_OPEN
    return None


def check_new_time(facts: RescheduleFacts, new_time: datetime, now: datetime) -> None:
    """The booking checks for the session at ``new_time``: a real future time within the
    horizon, inside the mentor's windows, clear of every other held time of either party."""
    session = facts.session
    assert session is not None  # callers check the session first
    if new_time == session.scheduled_time:
        raise NotAllowed(messages.RESCHEDULE_SAME_TIME)
    if facts.mentor is None:
        raise NotFound(messages.NO_SUCH_MENTOR)
    own = (session.scheduled_time, session.end_time)
    rules.validate_booking(
        BookingRequest(
            mentor_id=session.mentor_id,
            subject=session.subject,
            scheduled_time=new_time,
            duration_minutes=session.duration_minutes,
        ),
        student_id=session.student_id,
        mentor=facts.mentor,
        availability=facts.availability,
        busy=[held for held in facts.busy if (held.start, held.end) != own],
        now=now,
        booking_rules=facts.booking_rules,
        # The session being moved frees its old time: it counts against no limit or buffer.
        mentor_held=[held for held in facts.mentor_held if (held.start, held.end) != own],
    )


def check_propose(facts: RescheduleFacts, person_id: str, new_time: datetime, now: datetime) -> None:
    """Raise with the reason when ``person_id`` may not ask to move the session to ``new_time``."""
    if facts.session is None:
        raise NotFound(messages.NO_SUCH_SESSION)
    refused = refusal_to_propose(facts.session, person_id, facts.request, now)
    if refused is not None:
        raise NotAllowed(refused)
    check_new_time(facts, new_time, now)


def refusal_to_answer(session: MentorSession, request: RescheduleRequest, person_id: str,
                      answer: RescheduleStatus, now: datetime) -> str | None:
    """Why ``person_id`` may not give ``answer`` to ``request`` now, or None when they may."""
    if rules.party_role(session, person_id) is None or request.session_id != session.id:
        return messages.NO_SUCH_RESCHEDULE
    if request.status is not RescheduleStatus.OPEN:
        return messages.RESCHEDULE_NOT_OPEN
    if answer is RescheduleStatus.WITHDRAWN:
        return None if person_id == request.proposed_by else messages.RESCHEDULE_WITHDRAW_OWN
    if person_id == request.proposed_by:
        return messages.RESCHEDULE_ANSWER_OTHER
    if answer is RescheduleStatus.ACCEPTED:
        try:
            _movable(session, now)
        except NotAllowed as refused:
            return refused.message
        if session.scheduled_time != request.old_time:
            return messages.RESCHEDULE_SESSION_CHANGED
    return None


def check_answer(facts: RescheduleFacts, person_id: str, answer: RescheduleStatus, now: datetime) -> None:
    """Raise with the reason when ``person_id`` may not give ``answer``; an acceptance must
    also pass the booking checks at the new time, as the backend read the held times."""
    if answer not in ANSWERS:
        raise NotAllowed(messages.NO_SUCH_RESCHEDULE)
    if facts.session is None or facts.request is None:
        raise NotFound(messages.NO_SUCH_RESCHEDULE)
    refused = refusal_to_answer(facts.session, facts.request, person_id, answer, now)
    if refused is not None:
        raise NotAllowed(refused)
    if answer is RescheduleStatus.ACCEPTED:
        check_new_time(facts, facts.request.new_time, now)


def open_request(requests: Sequence[RescheduleRequest], session_id: str) -> RescheduleRequest | None:
    """The session's open request, if any (the databases allow one)."""
    return next((r for r in requests if r.session_id == session_id and r.status is RescheduleStatus.OPEN), None)


def held_window(new_time: datetime, duration_minutes: int) -> tuple[datetime, datetime]:
    """The span whose held times the booking checks need for a move to ``new_time``."""
    return new_time, new_time + timedelta(minutes=duration_minutes)


__all__ = [
    "ANSWERS",
    "RescheduleFacts",
    "RescheduleRequest",
    "RescheduleStatus",
    "check_answer",
    "check_new_time",
    "check_propose",
    "held_window",
    "open_request",
    "refusal_to_answer",
    "refusal_to_propose",
]
