"""Messages and notifications, through the services, the same on every backend: who may
write to whom, what a message may hold, threads and conversations, marking read, and the
notifications the database writes for each step of a session and each message."""

# ruff: noqa: F811 - the imported fixture "people" is every test's parameter, as pytest passes it

from __future__ import annotations

from datetime import timedelta

import pytest
from test_repository_contract import at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed
from mentor_tui.domain.models import NOTIFICATION_DETAIL_MAX, NotificationKind
from mentor_tui.domain.text import FIELDS


def tick(backend) -> None:
    """Let a moment pass between two writes: the embedded backend's clock stands still
    unless moved; a live database's clock moves by itself."""
    if backend.advance is not None:
        backend.advance(timedelta(seconds=1))


async def booked(p):
    """The student's request to the mentor: from then on the two may write to each other."""
    return await p.student.create_session(book(p, at(p.day, 10)))


def kinds(notes) -> list[tuple[NotificationKind, str, str | None]]:
    return [(note.kind, note.actor_name, note.detail) for note in notes]


async def test_only_people_who_share_a_session_write_to_each_other(backend, people):
    with pytest.raises(NotAllowed) as caught:
        await people.student.send_message(people.mentor_id, "Hello")
    assert caught.value.message == messages.MESSAGE_NEEDS_SESSION
    with pytest.raises(NotAllowed) as caught:
        await people.mentor.send_message(people.student.me.id, "Hello")
    assert caught.value.message == messages.MESSAGE_NEEDS_SESSION
    with pytest.raises(NotAllowed) as caught:
        await people.student.send_message(people.student.me.id, "Hello me")
    assert caught.value.message == messages.MESSAGE_SELF

    session = await booked(people)
    await people.student.cancel_session(session.id, "Changed my mind")  # any status counts
    sent = await people.student.send_message(people.mentor_id, "Hello after all")
    assert (sent.sender_id, sent.mentor_id, sent.student_id) == (people.student.me.id, people.mentor_id, people.student.me.id)
    with pytest.raises(NotAllowed):
        await people.outsider.send_message(people.mentor_id, "Me too")
    assert await people.outsider.conversations() == []
    assert await people.outsider.thread(people.mentor_id) == []


async def test_a_message_is_normalised_and_held_to_its_limit(backend, people):
    await booked(people)
    sent = await people.student.send_message(people.mentor_id, "  Line one\r\n\tline two  ")
    assert sent.body == "Line one\n\tline two"
    for empty in ("", "  \n "):
        with pytest.raises(InvalidInput) as caught:
            await people.student.send_message(people.mentor_id, empty)
        assert (caught.value.field, caught.value.message) == ("body", messages.WRITE_MESSAGE)
    limit = FIELDS["body"].max_length
    with pytest.raises(InvalidInput) as caught:
        await people.student.send_message(people.mentor_id, "x" * (limit + 1))
    assert caught.value.message == messages.text_too_long("message", limit)
    with pytest.raises(InvalidInput) as caught:
        await people.student.send_message(people.mentor_id, "ring \x07")
    assert caught.value.field == "body"
    assert (await people.student.send_message(people.mentor_id, "y" * limit)).body == "y" * limit
    assert [m.body for m in await people.mentor.thread(people.student.me.id)] == ["Line one\n\tline two", "y" * limit]


async def test_threads_are_oldest_first_and_page_back(backend, people):
    await booked(people)
    student_id = people.student.me.id
    for n in range(5):
        sender, other = (people.student, people.mentor_id) if n % 2 == 0 else (people.mentor, student_id)
        await sender.send_message(other, f"message {n}")
        tick(backend)
    newest = await people.student.thread(people.mentor_id, limit=3)
    assert [m.body for m in newest] == ["message 2", "message 3", "message 4"]
    older = await people.mentor.thread(student_id, limit=3, before=newest[0].created_at)
    assert [m.body for m in older] == ["message 0", "message 1"]


async def test_conversations_unread_counts_and_marking_read(backend, people):
    await booked(people)
    student_id = people.student.me.id
    await people.student.send_message(people.mentor_id, "One")
    tick(backend)
    await people.student.send_message(people.mentor_id, "Two")
    tick(backend)

    [mentor_side] = await people.mentor.conversations()
    assert (mentor_side.other_id, mentor_side.other_name, mentor_side.last.body, mentor_side.unread) == (
        student_id, "Student", "Two", 2,
    )
    [student_side] = await people.student.conversations()
    assert (student_side.other_id, student_side.other_name, student_side.unread) == (people.mentor_id, "Mentor", 0)

    assert await people.student.mark_thread_read(people.mentor_id) == 0  # one's own messages stay unread
    told = [n for n in await people.mentor.notifications() if n.kind is NotificationKind.MESSAGE]
    assert len(told) == 2 and all(n.read_at is None for n in told)
    assert await people.mentor.mark_thread_read(student_id) == 2
    # Read in the thread, they are not news in the inbox either.
    told = [n for n in await people.mentor.notifications() if n.kind is NotificationKind.MESSAGE]
    assert len(told) == 2 and all(n.read_at is not None for n in told)
    assert await people.mentor.mark_thread_read(student_id) == 0
    assert all(m.read_at is not None for m in await people.student.thread(people.mentor_id))
    [mentor_side] = await people.mentor.conversations()
    assert mentor_side.unread == 0

    await people.mentor.send_message(student_id, "Three")
    [student_side] = await people.student.conversations()
    assert (student_side.last.body, student_side.last.sender_id, student_side.unread) == ("Three", people.mentor_id, 1)


async def test_conversations_are_newest_first(backend, people):
    other_student = backend.connect()
    await other_student.sign_up(backend.email("second"), "contract-pass-1", "Second", "student")
    first = await booked(people)
    await other_student.create_session(book(people, at(people.day, 12)))
    await people.mentor.send_message(first.student_id, "To the first")
    tick(backend)
    await people.mentor.send_message(other_student.me.id, "To the second")
    assert [c.other_name for c in await people.mentor.conversations()] == ["Second", "Student"]


async def test_each_step_of_a_session_notifies_the_other_party(backend, people):
    session = await booked(people)
    tick(backend)
    await people.mentor.confirm_session(session.id)
    tick(backend)
    cancelled = await people.student.create_session(book(people, at(people.day, 13)))
    tick(backend)
    await people.mentor.confirm_session(cancelled.id)
    tick(backend)
    await people.mentor.cancel_session(cancelled.id, "Double-booked myself")
    tick(backend)
    declined = await people.student.create_session(book(people, at(people.day, 15)))
    tick(backend)
    await people.mentor.decline_session(declined.id, "Not my field")
    tick(backend)
    await people.mentor.send_message(people.student.me.id, "See you soon")

    student_notes = await people.student.notifications()
    assert kinds(student_notes) == [
        (NotificationKind.MESSAGE, "Mentor", "See you soon"),
        (NotificationKind.DECLINED, "Mentor", "Not my field"),
        (NotificationKind.CANCELLED, "Mentor", "Double-booked myself"),
        (NotificationKind.CONFIRMED, "Mentor", None),
        (NotificationKind.CONFIRMED, "Mentor", None),
    ]
    assert [n.session_id for n in student_notes[1:]] == [declined.id, cancelled.id, cancelled.id, session.id]
    assert student_notes[0].message_id is not None and student_notes[0].session_id is None
    mentor_notes = await people.mentor.notifications()
    assert [(n.kind, n.actor_name, n.session_id) for n in mentor_notes] == [
        (NotificationKind.REQUESTED, "Student", declined.id),
        (NotificationKind.REQUESTED, "Student", cancelled.id),
        (NotificationKind.REQUESTED, "Student", session.id),
    ]
    assert await people.outsider.notifications() == []
    assert await people.outsider.unread_notifications() == 0


async def test_a_student_cancelling_tells_the_mentor_who_and_why(backend, people):
    session = await booked(people)
    tick(backend)
    await people.mentor.confirm_session(session.id)
    tick(backend)
    await people.student.cancel_session(session.id, "x" * 500)
    [latest, *_] = await people.mentor.notifications()
    assert (latest.kind, latest.actor_id, latest.actor_name) == (NotificationKind.CANCELLED, people.student.me.id, "Student")
    assert latest.detail == "x" * NOTIFICATION_DETAIL_MAX


async def test_completing_and_rating_notify(backend, people):
    session = await booked(people)
    await people.mentor.confirm_session(session.id)
    backend.move_clock(timedelta(days=4))
    await people.mentor.complete_session(session.id, "Well done")
    backend.move_clock(timedelta(seconds=1))
    await people.student.rate_session(session.id, 5, "Thank you")
    [completed, *_] = await people.student.notifications()
    assert (completed.kind, completed.detail) == (NotificationKind.COMPLETED, "Well done")
    [rated, *_] = await people.mentor.notifications()
    assert (rated.kind, rated.actor_name, rated.detail) == (NotificationKind.RATED, "Student", "Thank you")


async def test_marking_notifications_read(backend, people):
    for hour in (10, 12, 14):
        await people.student.create_session(book(people, at(people.day, hour)))
        tick(backend)
    assert await people.mentor.unread_notifications() == 3
    newest, *older = await people.mentor.notifications()
    assert await people.mentor.mark_notifications_read([newest.id]) == 1
    assert await people.mentor.mark_notifications_read([newest.id]) == 0
    assert await people.mentor.mark_notifications_read([]) == 0
    assert await people.student.mark_notifications_read([n.id for n in older]) == 0  # not theirs
    assert await people.mentor.unread_notifications() == 2
    assert await people.mentor.mark_notifications_read() == 2
    assert await people.mentor.unread_notifications() == 0
    assert all(n.read_at is not None for n in await people.mentor.notifications())
    assert len(await people.mentor.notifications(limit=2)) == 2
