"""Where the backends used to differ (issue 10, item 4): the same rules, limits and
defaults on every backend, through the services only."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from test_repository_contract import ROOM, at, book, join, people  # noqa: F401  (people is a fixture)

from mentor_tui.domain.models import ProfileUpdate, Role, SessionStatus
from mentor_tui.domain.text import FIELDS, normalise_tags
from mentor_tui.repository.base import InvalidInput, NotFound


async def test_confirm_without_a_link_uses_the_room_or_a_new_one(backend, people):
    first = await people.student.create_session(book(people, at(people.day, 10)))
    roomless = await people.mentor.confirm_session(first.id, "")
    assert roomless.status is SessionStatus.CONFIRMED and roomless.meeting_link.startswith("https://")
    await people.mentor.update_profile(ProfileUpdate(meeting_url=ROOM))
    second = await people.student.create_session(book(people, at(people.day, 12)))
    assert (await people.mentor.confirm_session(second.id, "")).meeting_link == ROOM


async def test_expertise_is_normalised_alike(backend):
    mentor, _ = await join(backend, "tags", Role.MENTOR)
    typed = (" Python ", "python", "SQL", "", "sql ")
    updated = await mentor.update_profile(ProfileUpdate(expertise=typed))
    assert updated.expertise == normalise_tags(typed) == ("Python", "SQL")


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("full_name", {"full_name": "x" * (FIELDS["full_name"].max_length + 1)}),
        ("profession", {"profession": "x" * (FIELDS["profession"].max_length + 1)}),
        ("bio", {"bio": "x" * (FIELDS["bio"].max_length + 1)}),
        ("expertise", {"expertise": ("x" * (FIELDS["expertise"].max_length + 1),)}),
        ("meeting_url", {"meeting_url": "http://meet.example.org/plain"}),
        ("full_name", {"full_name": "Ann\x1b]52;c;aGk=\x07"}),
    ],
)
async def test_profile_limits_alike(backend, field, change):
    mentor, _ = await join(backend, "limits", Role.MENTOR)
    with pytest.raises(InvalidInput) as caught:
        await mentor.update_profile(ProfileUpdate.model_construct(**change))
    assert caught.value.field == field


async def test_session_text_limits_alike(backend, people):
    too_long = "x" * (FIELDS["subject"].max_length + 1)
    with pytest.raises(InvalidInput) as caught:
        await people.student.create_session(book(people, at(people.day, 10), subject=too_long))
    assert caught.value.field == "subject"
    with pytest.raises(InvalidInput) as caught:
        await people.student.create_session(book(people, at(people.day, 10), subject="Hi\x1b[6n"))
    assert caught.value.field == "subject"
    session = await people.student.create_session(book(people, at(people.day, 10), subject="x" * FIELDS["subject"].max_length))
    with pytest.raises(InvalidInput) as caught:
        await people.mentor.decline_session(session.id, "x" * (FIELDS["cancellation_reason"].max_length + 1))
    assert caught.value.field == "cancellation_reason"
    with pytest.raises(InvalidInput) as caught:
        await people.mentor.confirm_session(session.id, "http://meet.example.org/plain")
    assert caught.value.field == "meeting_link"


async def test_unknown_mentor_and_far_future_alike(backend, people):
    stranger = book(people, at(people.day, 10)).model_copy(update={"mentor_id": str(uuid.uuid4())})
    with pytest.raises(NotFound):
        await people.student.create_session(stranger)
    far = at(people.day + timedelta(days=3 * 365), 10)
    with pytest.raises(InvalidInput) as caught:
        await people.student.create_session(book(people, far))
    assert caught.value.field == "scheduled_time"


async def test_lists_longer_than_the_projects_max_rows_are_complete(backend, people):
    if backend.cap_rows is not None:
        backend.cap_rows(3)
    assert len(await people.student.get_availability(people.mentor_id)) == 7
    for hour in (9, 11, 13, 15):
        await people.student.create_session(book(people, at(people.day, hour), subject=f"Topic {hour}"))
    assert len(await people.student.my_sessions()) == 4
    assert len(await people.mentor.my_sessions()) == 4
    assert Decimal(80) == (await people.student.get_mentor(people.mentor_id)).profile.hourly_rate
