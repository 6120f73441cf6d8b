"""Reminders kept as notifications, the same on every backend: once per session, person and
kind, only for a party of a confirmed session and only near its start; the inbox names the
other party."""

# ruff: noqa: F811 - the imported fixture "people" is every test's parameter, as pytest passes it

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain.errors import NotAllowed
from mentor_tui.domain.models import NotificationKind


async def confirmed_soon(p, minutes: int = 20):
    """A confirmed session starting in ``minutes``: proposed by the mentor, accepted by the student."""
    await p.student.create_session(book(p, at(p.day, 10)))  # the pair share a session from here on
    start = (p.student.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    proposal, _ = await p.mentor.propose(p.student.me.id, "Reminder check", start, 30)
    return await p.student.accept_proposal(proposal.id)


async def test_a_reminder_is_kept_once_per_person_and_kind(backend, people):
    session = await confirmed_soon(people)
    assert await people.student.record_reminder(session.id, NotificationKind.REMINDER) is True
    assert await people.student.record_reminder(session.id, NotificationKind.REMINDER) is False
    assert await people.mentor.record_reminder(session.id, NotificationKind.REMINDER) is True
    notes = [note for note in await people.student.notifications() if note.kind is NotificationKind.REMINDER]
    assert [(note.session_id, note.actor_name, note.read_at) for note in notes] == [(session.id, "Mentor", None)]
    mentor_notes = await people.mentor.notifications()
    assert [note.actor_name for note in mentor_notes if note.kind is NotificationKind.REMINDER] == ["Student"]


async def test_no_reminder_before_its_time_or_for_someone_else(backend, people):
    session = await confirmed_soon(people)
    with pytest.raises(NotAllowed):
        await people.student.record_reminder(session.id, NotificationKind.STARTING)  # not started yet
    with pytest.raises(NotAllowed):
        await people.outsider.record_reminder(session.id, NotificationKind.REMINDER)
    pending = await people.student.create_session(book(people, at(people.day, 12)))
    with pytest.raises(NotAllowed):
        await people.student.record_reminder(pending.id, NotificationKind.REMINDER)
    assert not [note for note in await people.student.notifications() if note.kind is NotificationKind.REMINDER]


async def test_the_start_reminder_once_the_session_is_under_way(backend, people):
    session = await confirmed_soon(people, minutes=2)
    backend.move_clock(timedelta(minutes=5))
    assert await people.student.record_reminder(session.id, NotificationKind.STARTING) is True
    assert await people.student.record_reminder(session.id, NotificationKind.STARTING) is False
