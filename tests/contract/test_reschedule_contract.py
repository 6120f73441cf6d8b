"""Rescheduling and no-shows through the services, the same on every backend: a party asks to
move a session with a reason, the other accepts (the session moves, its old slot frees, a
confirmed session stays confirmed) or declines; one open request at a time; only the other
party answers; the new time meets the booking rules; both sides hear of it. No-shows are
marked once, after the end, beside the session, and counted in My Students."""

# ruff: noqa: F811 - the imported fixture "people" is every test's parameter, as pytest passes it

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotFound, OutsideAvailability, SlotTaken
from mentor_tui.domain.models import NotificationKind, SessionStatus
from mentor_tui.domain.reschedule import RescheduleStatus


async def confirmed(p, hour: int = 9):
    session = await p.student.create_session(book(p, at(p.day, hour)))
    return await p.mentor.confirm_session(session.id)


async def kinds(services) -> list[NotificationKind]:
    return [note.kind for note in await services.notifications()]


async def test_the_student_asks_with_a_reason_and_the_mentor_accepts(backend, people):
    """The issue's done-when, on both backends."""
    session = await confirmed(people)
    new_time = at(people.day + timedelta(days=1), 10)
    asked = await people.student.propose_reschedule(session.id, new_time, "  Exam clash  ")
    assert (asked.status, asked.reason, asked.old_time, asked.new_time) == (
        RescheduleStatus.OPEN, "Exam clash", session.scheduled_time, new_time
    )
    assert [r.id for r in await people.mentor.reschedules()] == [asked.id]
    assert NotificationKind.RESCHEDULE_PROPOSED in await kinds(people.mentor)

    answered = await people.mentor.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    assert answered.status is RescheduleStatus.ACCEPTED and answered.answered_at is not None
    (view,) = [v for v in await people.student.my_sessions() if v.session.id == session.id]
    assert (view.session.scheduled_time, view.session.status) == (new_time, SessionStatus.CONFIRMED)
    history = await people.student.reschedules()
    assert [(r.proposed_by, r.old_time, r.reason, r.status) for r in history] == [
        (people.student.me.id, session.scheduled_time, "Exam clash", RescheduleStatus.ACCEPTED)
    ]
    assert NotificationKind.RESCHEDULE_ACCEPTED in await kinds(people.student)
    # The old slot is free again: another student books it.
    freed = await people.outsider.create_session(book(people, session.scheduled_time))
    assert freed.status is SessionStatus.PENDING


async def test_only_the_other_party_answers_and_one_request_is_open_at_a_time(backend, people):
    session = await confirmed(people)
    asked = await people.mentor.propose_reschedule(session.id, at(people.day, 13), None)
    with pytest.raises(NotAllowed) as own:
        await people.mentor.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    assert own.value.message == messages.RESCHEDULE_ANSWER_OTHER
    with pytest.raises(NotAllowed) as second:
        await people.student.propose_reschedule(session.id, at(people.day, 14), "Later")
    assert second.value.message == messages.RESCHEDULE_ALREADY_OPEN
    with pytest.raises(NotFound):
        await people.outsider.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    with pytest.raises(NotFound):
        await people.outsider.propose_reschedule(session.id, at(people.day, 15), None)
    with pytest.raises(NotAllowed):
        await people.student.answer_reschedule(asked.id, RescheduleStatus.WITHDRAWN)
    declined = await people.student.answer_reschedule(asked.id, RescheduleStatus.DECLINED)
    assert declined.status is RescheduleStatus.DECLINED
    assert NotificationKind.RESCHEDULE_DECLINED in await kinds(people.mentor)
    (view,) = [v for v in await people.mentor.my_sessions() if v.session.id == session.id]
    assert view.session.scheduled_time == session.scheduled_time
    with pytest.raises(NotAllowed) as again:
        await people.student.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    assert again.value.message == messages.RESCHEDULE_NOT_OPEN
    # Closed, so a new request may be made; its proposer withdraws it.
    later = await people.student.propose_reschedule(session.id, at(people.day, 14), "Later")
    withdrawn = await people.student.answer_reschedule(later.id, RescheduleStatus.WITHDRAWN)
    assert withdrawn.status is RescheduleStatus.WITHDRAWN
    told = [n for n in await people.mentor.notifications() if n.kind is NotificationKind.RESCHEDULE_WITHDRAWN]
    assert [(n.actor_id, n.session_id) for n in told] == [(people.student.me.id, session.id)]
    assert NotificationKind.RESCHEDULE_WITHDRAWN not in await kinds(people.student)


async def test_the_new_time_meets_the_booking_rules(backend, people):
    session = await confirmed(people)
    await people.student.create_session(book(people, at(people.day, 12)))
    with pytest.raises(SlotTaken):
        await people.student.propose_reschedule(session.id, at(people.day, 12, 30), None)
    with pytest.raises(OutsideAvailability):
        await people.student.propose_reschedule(session.id, at(people.day, 20), None)
    with pytest.raises(NotAllowed):
        await people.student.propose_reschedule(session.id, session.scheduled_time, None)
    with pytest.raises(InvalidInput) as past:
        await people.student.propose_reschedule(session.id, people.student.now() - timedelta(hours=2), None)
    assert past.value.field == "scheduled_time"
    # A move into the session's own old span, shifted by half an hour, is no clash with itself.
    shifted = await people.student.propose_reschedule(session.id, at(people.day, 9, 30), None)
    await people.mentor.answer_reschedule(shifted.id, RescheduleStatus.ACCEPTED)
    (view,) = [v for v in await people.mentor.my_sessions() if v.session.id == session.id]
    assert view.session.scheduled_time == at(people.day, 9, 30)


async def test_an_acceptance_after_the_slot_was_taken_is_refused_and_moves_nothing(backend, people):
    session = await confirmed(people)
    target = at(people.day, 15)
    asked = await people.student.propose_reschedule(session.id, target, "Dentist")
    await people.outsider.create_session(book(people, target))
    with pytest.raises(SlotTaken):
        await people.mentor.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    (view,) = [v for v in await people.mentor.my_sessions() if v.session.id == session.id]
    assert view.session.scheduled_time == session.scheduled_time
    assert [r.status for r in await people.mentor.reschedules()] == [RescheduleStatus.OPEN]


async def test_a_no_show_is_marked_once_after_the_end_and_counted_in_my_students(backend, people):
    session = await confirmed(people)
    with pytest.raises(NotAllowed) as early:
        await people.mentor.mark_no_show(session.id, "Waited")
    assert early.value.message == messages.NO_SHOW_NOT_ENDED
    backend.move_clock(timedelta(days=4))
    await people.mentor.complete_session(session.id, "Did not come")
    mark = await people.mentor.mark_no_show(session.id, "  Waited 15 minutes ")
    assert (mark.absent_id, mark.note) == (people.student.me.id, "Waited 15 minutes")
    with pytest.raises(NotAllowed) as twice:
        await people.mentor.mark_no_show(session.id, None)
    assert twice.value.message == messages.NO_SHOW_ALREADY
    with pytest.raises(NotFound):
        await people.outsider.mark_no_show(session.id, None)
    (student,) = await people.mentor.mentor_students()
    assert student.no_shows == 1
    assert [m.id for m in await people.student.no_shows()] == [mark.id]
    told = [n for n in await people.student.notifications() if n.kind is NotificationKind.NO_SHOW]
    assert [(n.actor_id, n.session_id, n.detail) for n in told] == [(people.mentor_id, session.id, "Waited 15 minutes")]
    # The student may mark the mentor too, once.
    theirs = await people.student.mark_no_show(session.id, None)
    assert theirs.absent_id == people.mentor_id
    assert NotificationKind.NO_SHOW in await kinds(people.mentor)
    (student,) = await people.mentor.mentor_students()
    assert student.no_shows == 1


async def test_a_move_meets_the_mentors_booking_rules_and_its_own_old_time_counts_for_nothing(backend, people):
    session = await confirmed(people, 10)
    await people.mentor.save_booking_rules(
        {"min_notice_minutes": 10080, "buffer_minutes": 0, "max_per_day": None, "max_per_week": None,
         "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}
    )
    with pytest.raises(InvalidInput) as notice:  # a week's notice; the day is 2-4 days ahead
        await people.student.propose_reschedule(session.id, at(people.day, 12), "Later that day")
    assert str(notice.value) == messages.needs_notice(10080)

    await people.mentor.save_booking_rules(
        {"min_notice_minutes": 0, "buffer_minutes": 30, "max_per_day": 2, "max_per_week": None,
         "horizon_days": 730, "cancel_window_hours": 0, "request_expiry_hours": 48}
    )
    await people.outsider.create_session(book(people, at(people.day, 14)))
    with pytest.raises(InvalidInput) as buffer:  # ends 15:00 against another student's 14:00 with 30 minutes' buffer
        await people.student.propose_reschedule(session.id, at(people.day, 12, 45), None)
    assert str(buffer.value) == messages.needs_buffer(30)
    # Two a day: the session's own old time on that day does not count against its move.
    asked = await people.student.propose_reschedule(session.id, at(people.day, 11), None)
    moved = await people.mentor.answer_reschedule(asked.id, RescheduleStatus.ACCEPTED)
    assert moved.status is RescheduleStatus.ACCEPTED
