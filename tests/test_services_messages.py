"""The services' rules for messages and notifications, applied once before any backend is
asked: what a message holds, who is the mentor and who the student of a conversation, that
the pair must share a session, and how much one call may ask for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotSignedIn
from mentor_tui.domain.models import Message, Profile, Role
from mentor_tui.services import Services
from mentor_tui.services import messages as rules

MENTOR = Profile(id="mentor-1", full_name="Mia", role=Role.MENTOR)
STUDENT = Profile(id="student-1", full_name="Sam", role=Role.STUDENT)


class Recorder:
    """Storage that records what the services asked for and answers as if it shared a session."""

    name = "recorder"

    def __init__(self, shared: bool = True) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.shared = shared

    async def thread(self, mentor_id, student_id, limit, before):
        self.calls.append(("thread", (mentor_id, student_id, limit, before)))
        return []

    async def send_message(self, mentor_id, student_id, body, check):
        self.calls.append(("send_message", (mentor_id, student_id, body)))
        check(self.shared)
        return Message(id="m", mentor_id=mentor_id, student_id=student_id, sender_id="x", body=body,
                       created_at=datetime(2026, 1, 1, tzinfo=UTC))

    async def mark_thread_read(self, mentor_id, student_id):
        self.calls.append(("mark_thread_read", (mentor_id, student_id)))
        return 0

    async def notifications(self, limit):
        self.calls.append(("notifications", limit))
        return []

    async def mark_notifications_read(self, ids):
        self.calls.append(("mark_notifications_read", ids))
        return 0


def services_as(person: Profile | None, storage: Recorder) -> Services:
    services = Services(storage, clock=None)  # type: ignore[arg-type]  # these calls never read the clock
    services._set_person(person)
    return services


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Hi", "Hi"), ("  Hi\r\nthere \t", "Hi\nthere"), ("[b]markup[/b] stays text", "[b]markup[/b] stays text")],
)
def test_a_body_is_stored_normalised(typed, stored):
    assert rules.body(typed) == stored


@pytest.mark.parametrize("typed", ["", " \n\t "])
def test_an_empty_body_asks_for_a_message(typed):
    with pytest.raises(InvalidInput) as caught:
        rules.body(typed)
    assert (caught.value.field, caught.value.message) == ("body", messages.WRITE_MESSAGE)


def test_a_body_is_held_to_4000_characters_without_controls():
    assert rules.body("x" * 4000) == "x" * 4000
    with pytest.raises(InvalidInput) as caught:
        rules.body("x" * 4001)
    assert caught.value.message == messages.text_too_long("message", 4000)
    with pytest.raises(InvalidInput) as caught:
        rules.body("clipboard \x1b]52;c;eA==\x07")
    assert caught.value.message == messages.text_has_controls("message", multiline=True)


def test_the_pair_is_mentor_then_student_whoever_writes():
    assert rules.pair(MENTOR, STUDENT.id) == (MENTOR.id, STUDENT.id)
    assert rules.pair(STUDENT, MENTOR.id) == (MENTOR.id, STUDENT.id)
    with pytest.raises(NotAllowed) as caught:
        rules.pair(STUDENT, STUDENT.id)
    assert caught.value.message == messages.MESSAGE_SELF


async def test_sending_needs_a_shared_session_as_the_backend_read_it():
    storage = Recorder(shared=False)
    with pytest.raises(NotAllowed) as caught:
        await services_as(STUDENT, storage).send_message(MENTOR.id, "  Hello ")
    assert caught.value.message == messages.MESSAGE_NEEDS_SESSION
    assert storage.calls == [("send_message", (MENTOR.id, STUDENT.id, "Hello"))]
    storage.shared = True
    sent = await services_as(MENTOR, storage).send_message(STUDENT.id, "Hi back")
    assert (sent.mentor_id, sent.student_id, sent.body) == (MENTOR.id, STUDENT.id, "Hi back")


async def test_a_refused_body_never_reaches_the_backend():
    storage = Recorder()
    with pytest.raises(InvalidInput):
        await services_as(STUDENT, storage).send_message(MENTOR.id, "x" * 4001)
    assert storage.calls == []


async def test_how_much_one_call_asks_for_is_bounded():
    storage = Recorder()
    services = services_as(MENTOR, storage)
    await services.thread(STUDENT.id)
    await services.thread(STUDENT.id, limit=10**6)
    await services.thread(STUDENT.id, limit=-5)
    await services.notifications()
    await services.notifications(limit=10**6)
    assert storage.calls == [
        ("thread", (MENTOR.id, STUDENT.id, rules.THREAD_PAGE, None)),
        ("thread", (MENTOR.id, STUDENT.id, rules.THREAD_MAX, None)),
        ("thread", (MENTOR.id, STUDENT.id, 1, None)),
        ("notifications", rules.NOTIFICATIONS_PAGE),
        ("notifications", rules.NOTIFICATIONS_MAX),
    ]


async def test_marking_no_notifications_asks_nothing():
    storage = Recorder()
    services = services_as(STUDENT, storage)
    assert await services.mark_notifications_read([]) == 0
    await services.mark_notifications_read()
    await services.mark_notifications_read(("a", "b"))
    assert storage.calls == [("mark_notifications_read", None), ("mark_notifications_read", ["a", "b"])]


async def test_signed_out_nothing_is_asked():
    storage = Recorder()
    services = services_as(None, storage)
    for call in (
        services.conversations(), services.thread(MENTOR.id), services.send_message(MENTOR.id, "Hi"),
        services.mark_thread_read(MENTOR.id), services.notifications(), services.unread_notifications(),
        services.mark_notifications_read(),
    ):
        with pytest.raises(NotSignedIn):
            await call
    assert storage.calls == []
