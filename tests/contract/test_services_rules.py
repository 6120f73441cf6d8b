"""The rules the services apply once, seen the same through both backends: limits and
their messages, who cancelled, a change that lost a race, an unknown mentor, and the
Overview's counts agreeing with the lists."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from test_repository_contract import PASSWORD, at, book, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain import messages
from mentor_tui.domain.errors import InvalidInput, NotAllowed, NotFound
from mentor_tui.domain.models import ProfileUpdate, Role, SessionStatus
from mentor_tui.domain.text import FIELDS
from mentor_tui.repository.base import SessionChanges, Storage
from mentor_tui.services import sessions

URL_FIELDS = ("meeting_url", "meeting_link")


def one_too_many(name: str) -> str:
    """A value for field ``name`` that is valid but for being one character over its limit."""
    length = FIELDS[name].max_length + 1
    if name in URL_FIELDS:
        prefix = "https://meet.example.org/"
        return prefix + "r" * (length - len(prefix))
    return "x" * length


async def write(p, name: str, value: str) -> None:
    """Write ``value`` into field ``name`` as the screens do; every one of these is refused
    by the services before a backend is asked, whatever session id is named."""
    someone = str(uuid.uuid4())
    if name == "expertise":
        await p.mentor.update_profile(ProfileUpdate(expertise=(value,)))
    elif name in ("full_name", "profession", "experience", "bio", "meeting_url"):
        await p.mentor.update_profile(ProfileUpdate.model_validate({name: value}))
    elif name in ("subject", "notes"):
        await p.student.create_session(book(p, at(p.day, 10)).model_copy(update={name: value}))
    elif name == "cancellation_reason":
        await p.student.cancel_session(someone, value)
    elif name == "meeting_link":
        await p.mentor.confirm_session(someone, value)
    elif name == "feedback":
        await p.mentor.complete_session(someone, value)
    elif name == "body":
        await p.student.send_message(p.mentor_id, value)
    elif name == "review_reply":
        await p.mentor.reply_to_review(someone, value)
    elif name == "summary":
        await p.mentor.save_session_notes(someone, value)
    elif name == "reason":
        await p.student.propose_reschedule(someone, at(p.day, 15), value)
    elif name == "note":
        await p.mentor.mark_no_show(someone, value)
    else:
        await p.student.rate_session(someone, 5, value)


@pytest.mark.parametrize("name", list(FIELDS))
async def test_one_character_over_any_limit_is_refused_with_the_one_message(backend, people, name):
    with pytest.raises(InvalidInput) as caught:
        await write(people, name, one_too_many(name))
    assert caught.value.field == name
    assert caught.value.message == messages.text_too_long(FIELDS[name].label, FIELDS[name].max_length)
    assert await people.mentor.my_sessions() == []


async def test_who_cancelled_is_recorded_and_a_decline_told_apart(backend, people):
    declined = await people.mentor.decline_session((await people.student.create_session(book(people, at(people.day, 9)))).id)
    withdrawn = await people.student.cancel_session((await people.student.create_session(book(people, at(people.day, 11)))).id)
    confirmed = await people.student.create_session(book(people, at(people.day, 13)))
    await people.mentor.confirm_session(confirmed.id)
    dropped = await people.mentor.cancel_session(confirmed.id, "Ill")
    mentor_id, student_id = people.mentor_id, people.student.me.id
    assert (declined.cancelled_by, declined.declined) == (mentor_id, True)
    assert (withdrawn.cancelled_by, withdrawn.declined) == (student_id, False)
    assert (dropped.cancelled_by, dropped.declined) == (mentor_id, False)
    seen = {v.session.id: (v.session.cancelled_by, v.session.declined) for v in await people.student.my_sessions()}
    assert seen == {declined.id: (mentor_id, True), withdrawn.id: (student_id, False), dropped.id: (mentor_id, False)}


class ChangedMeanwhile:
    """A backend on which ``meanwhile`` runs after the services read a session and before they write it."""

    def __init__(self, storage: Storage, meanwhile: Callable[[], Awaitable[object]]) -> None:
        self._storage = storage
        self._meanwhile = meanwhile

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)

    async def write_session(self, session_id: str, expected: SessionStatus, changes: SessionChanges, **options: Any):
        await self._meanwhile()
        return await self._storage.write_session(session_id, expected, changes, **options)


async def test_a_change_that_lost_a_race_says_what_the_session_became(backend, people):
    request = await people.student.create_session(book(people, at(people.day, 10)))
    racing = backend.connect(storage=ChangedMeanwhile(
        backend.open_storage(), lambda: people.student.cancel_session(request.id, "Solved it")
    ))
    await racing.sign_in(people.mentor_email, PASSWORD)
    with pytest.raises(NotAllowed) as caught:
        await racing.confirm_session(request.id)
    assert caught.value.message == messages.just_became("cancelled")
    [seen] = await people.mentor.my_sessions()
    assert (seen.session.status, seen.session.cancelled_by) == (SessionStatus.CANCELLED, people.student.me.id)


@pytest.mark.parametrize("mentor_id", ["0f6f3a4e-52a5-4c11-9d0e-6d1c2b3a4f50", "not-an-id"])
async def test_an_unknown_mentor_is_not_found_alike(backend, people, mentor_id):
    with pytest.raises(NotFound) as caught:
        await people.student.get_mentor(mentor_id)
    assert caught.value.message == messages.NO_SUCH_MENTOR
    with pytest.raises(NotFound) as caught:
        await people.student.create_session(book(people, at(people.day, 10)).model_copy(update={"mentor_id": mentor_id}))
    assert caught.value.message == messages.NO_SUCH_MENTOR


async def test_a_student_is_no_mentor_to_book(backend, people):
    with pytest.raises(NotFound) as caught:
        await people.outsider.create_session(book(people, at(people.day, 10)).model_copy(
            update={"mentor_id": people.student.me.id}
        ))
    assert caught.value.message == messages.NO_SUCH_MENTOR


async def test_the_overview_counts_what_the_lists_show(backend, people):
    first = await people.student.create_session(book(people, at(people.day, 10)))
    await people.mentor.confirm_session(first.id)
    await people.student.create_session(book(people, at(people.day, 12)))
    await people.mentor.decline_session((await people.student.create_session(book(people, at(people.day, 14)))).id)

    async def agree() -> int:
        stats = await people.mentor.dashboard_stats()
        listed = sessions.upcoming((v.session for v in await people.mentor.my_sessions()), backend.clock.now())
        assert stats.upcoming_sessions == len(listed)
        return stats.upcoming_sessions

    assert await agree() == 2
    backend.move_clock(first.scheduled_time + timedelta(minutes=5) - backend.clock.now())
    assert await agree() == 1  # the one under way is still upcoming, as the "Next sessions" list says;
    # the request nobody answered expired (48 hours) on the way, for the list and the count alike


async def test_a_mentor_cannot_book_and_a_student_has_no_schedule(backend, people):
    with pytest.raises(NotAllowed) as caught:
        await people.mentor.create_session(book(people, at(people.day, 10)))
    assert caught.value.message == messages.only_role(Role.STUDENT)
    with pytest.raises(NotAllowed) as caught:
        await people.student.remove_availability(str(uuid.uuid4()))
    assert caught.value.message == messages.only_role(Role.MENTOR)
