"""A mentor's booking rules and request expiry, the same on every backend: the mentor
sets them in Settings, students read them, and a booking or cancellation that breaks
them is refused with the rule's own sentence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import at, book, join, people  # noqa: F401  (fixture)

from mentor_tui.domain import messages
from mentor_tui.domain.booking_rules import EXPIRED_REASON, LIMITS
from mentor_tui.domain.models import NotificationKind, Role, SessionStatus
from mentor_tui.repository.base import InvalidInput, NotAllowed

DEFAULTS = {"min_notice_minutes": 0, "buffer_minutes": 0, "max_per_day": None, "max_per_week": None,
            "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}


def values(**changes):
    return DEFAULTS | changes


async def refused(call) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        await call
    return caught.value


async def test_students_read_the_rules_only_the_mentor_writes(backend, people):
    fresh = await people.student.booking_rules(people.mentor_id)
    assert fresh.min_notice_minutes == 0 and fresh.horizon_days == 730 and fresh.max_per_day is None
    saved = await people.mentor.save_booking_rules(values(min_notice_minutes=720, buffer_minutes=15, max_per_week=9))
    seen = await people.student.booking_rules(people.mentor_id)
    assert seen == saved
    assert (seen.min_notice_minutes, seen.buffer_minutes, seen.max_per_week) == (720, 15, 9)
    with pytest.raises(NotAllowed):
        await people.student.save_booking_rules(values())
    wrong = await refused(people.mentor.save_booking_rules(values(buffer_minutes=LIMITS["buffer_minutes"][1] + 1)))
    assert wrong.field == "buffer_minutes"


async def test_notice_buffer_and_daily_limit_refuse_with_the_rules_sentence(backend, people):
    await people.mentor.save_booking_rules(values(min_notice_minutes=10080))  # a week; the day is 2-4 days ahead
    error = await refused(people.student.create_session(book(people, at(people.day, 10))))
    assert (error.field, str(error)) == ("scheduled_time", messages.needs_notice(10080))
    await people.mentor.save_booking_rules(values(min_notice_minutes=720, buffer_minutes=15, max_per_day=2))

    await people.student.create_session(book(people, at(people.day, 10)))
    error = await refused(people.student.create_session(book(people, at(people.day, 11))))
    assert str(error) == messages.needs_buffer(15)
    await people.outsider.create_session(book(people, at(people.day, 11, 15)))
    held = await people.student.mentor_held_times(people.mentor_id, at(people.day, 0), at(people.day, 23))
    assert [r.start for r in held] == [at(people.day, 10), at(people.day, 11, 15)]
    error = await refused(people.student.create_session(book(people, at(people.day, 14))))
    assert str(error) == messages.day_full(2)
    await people.student.create_session(book(people, at(people.day + timedelta(days=1), 14)))


async def test_horizon(backend, people):
    await people.mentor.save_booking_rules(values(horizon_days=7))
    error = await refused(people.student.create_session(book(people, at(people.day + timedelta(days=6), 10))))
    assert str(error) == messages.beyond_horizon(7)


async def test_a_late_cancel_needs_a_reason_and_is_marked_late(backend, people):
    await people.mentor.save_booking_rules(values(cancel_window_hours=168))
    session = await people.student.create_session(book(people, at(people.day, 10)))
    await people.mentor.confirm_session(session.id)
    error = await refused(people.student.cancel_session(session.id))
    assert (error.field, str(error)) == ("cancellation_reason", messages.late_cancel_needs_reason(168))
    cancelled = await people.student.cancel_session(session.id, "Flu")
    assert cancelled.status is SessionStatus.CANCELLED and cancelled.cancelled_late is True


async def test_a_cancel_outside_the_window_is_not_late(backend, people):
    await people.mentor.save_booking_rules(values(cancel_window_hours=1))
    session = await people.student.create_session(book(people, at(people.day, 10)))
    await people.mentor.confirm_session(session.id)
    cancelled = await people.student.cancel_session(session.id)
    assert not cancelled.cancelled_late


async def test_an_unanswered_request_expires_and_both_parties_hear_of_it(backend, people):
    await people.mentor.save_booking_rules(values(request_expiry_hours=2))
    session = await people.student.create_session(book(people, at(people.day, 10)))
    backend.move_clock(timedelta(hours=2) - timedelta(seconds=1))
    [view] = await people.student.my_sessions()
    assert view.session.status is SessionStatus.PENDING
    backend.move_clock(timedelta(seconds=1))
    [view] = await people.mentor.my_sessions()
    assert (view.session.id, view.session.status, view.session.cancellation_reason) == (
        session.id, SessionStatus.CANCELLED, EXPIRED_REASON)
    for person in (people.mentor, people.student):
        notes = await person.notifications()
        assert any(n.kind is NotificationKind.CANCELLED and n.detail == EXPIRED_REASON for n in notes)


async def test_a_mentor_cannot_set_rules_for_another(backend, people):
    other, _ = await join(backend, "other", Role.MENTOR)
    await other.save_booking_rules(values(min_notice_minutes=60))
    assert (await people.student.booking_rules(people.mentor_id)).min_notice_minutes == 0


async def test_the_mentors_own_proposal_is_not_held_to_their_rules(backend, people):
    await people.student.create_session(book(people, at(people.day, 9)))  # they now share a session
    await people.mentor.save_booking_rules(values(min_notice_minutes=10080, buffer_minutes=60))
    proposal, _ = await people.mentor.propose(people.student.me.id, "Pairing", at(people.day, 10), 60)
    accepted = await people.student.accept_proposal(proposal.id)
    assert accepted.status is SessionStatus.CONFIRMED
