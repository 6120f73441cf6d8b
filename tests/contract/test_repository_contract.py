"""What every backend promises the screens, through the services only."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mentor_tui.domain.models import (
    BookingRequest,
    ProfileUpdate,
    Role,
    SessionStatus,
    TimeRange,
)
from mentor_tui.repository.base import (
    InvalidCredentials,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotSignedIn,
    OutsideAvailability,
    SlotTaken,
)
from mentor_tui.services import Services

PASSWORD = "contract-pass-1"
MENTOR_ZONE = ZoneInfo("America/New_York")
ROOM = "https://meet.example.org/contract-room"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in the mentor's zone, as the UTC instant a client sends."""
    return datetime.combine(day, time(hour, minute), tzinfo=MENTOR_ZONE).astimezone(timezone.utc)


async def join(backend, who: str, role: Role) -> tuple[Services, str]:
    repo = backend.connect()
    email = backend.email(who)
    await repo.sign_up(email, PASSWORD, who.title(), role)
    return repo, email


@pytest.fixture
async def people(backend):
    """A mentor in New York, available 09:00-17:00 every day, with a unique tag; two students."""
    mentor, mentor_email = await join(backend, "mentor", Role.MENTOR)
    tag = f"tag-{uuid.uuid4().hex[:8]}"
    await mentor.update_profile(ProfileUpdate(
        profession="Contract engineer", expertise=("Python", tag), hourly_rate=Decimal("80"),
        timezone=MENTOR_ZONE.key, bio="Writes contracts.",
    ))
    for weekday in range(7):
        await mentor.set_availability(weekday, time(9), time(17))
    student, _ = await join(backend, "student", Role.STUDENT)
    outsider, _ = await join(backend, "outsider", Role.STUDENT)
    day = (backend.clock.now().astimezone(MENTOR_ZONE) + timedelta(days=3)).date()
    return SimpleNamespace(
        mentor=mentor, mentor_email=mentor_email, mentor_id=mentor.me.id, tag=tag,
        student=student, outsider=outsider, day=day,
    )


def book(p, start: datetime, minutes: int = 60, subject: str = "Contract review") -> BookingRequest:
    return BookingRequest(mentor_id=p.mentor_id, subject=subject, scheduled_time=start, duration_minutes=minutes)


async def test_accounts(backend):
    repo, email = await join(backend, "Ann", Role.MENTOR)
    profile = repo.me
    assert (profile.email, profile.full_name, profile.role) == (email.lower(), "Ann", Role.MENTOR)
    with pytest.raises(InvalidInput) as caught:
        await backend.connect().sign_up(email.upper(), PASSWORD, "Ann again", Role.STUDENT)
    assert caught.value.field == "email"
    with pytest.raises(InvalidInput) as caught:
        await backend.connect().sign_up(backend.email("short"), "short", "Short", Role.STUDENT)
    assert caught.value.field == "password"
    other = backend.connect()
    with pytest.raises(InvalidCredentials):
        await other.sign_in(email, "not the password")
    assert (await other.sign_in(email, PASSWORD)).id == profile.id


async def test_remembered_sign_in(backend):
    first = backend.connect("ann")
    profile = await first.sign_up(backend.email("ann"), PASSWORD, "Ann", Role.STUDENT)
    restored = backend.connect("ann")
    assert (await restored.restore()).id == profile.id
    await restored.sign_out()
    assert await backend.connect("ann").restore() is None
    with pytest.raises(NotSignedIn):
        await restored.my_sessions()


async def test_profile_and_directory(backend, people):
    found = (await people.student.list_mentors(people.tag.upper())).mentors
    assert [m.profile.id for m in found] == [people.mentor_id]
    mentor = found[0].profile
    assert (mentor.profession, mentor.hourly_rate) == ("Contract engineer", Decimal(80))
    assert mentor.timezone == MENTOR_ZONE.key
    assert (found[0].average_rating, found[0].rating_count) == (None, 0)
    assert [m.profile.id for m in (await people.student.list_mentors(expertise=people.tag.upper())).mentors] == [
        people.mentor_id
    ]
    assert (await people.student.list_mentors(people.tag, expertise="no-such-tag")).mentors == ()
    assert (await people.student.get_mentor(people.mentor_id)).profile == mentor
    with pytest.raises(NotFound):
        await people.student.get_mentor(str(uuid.uuid4()))
    with pytest.raises(InvalidInput) as caught:
        await people.mentor.update_profile(ProfileUpdate(hourly_rate=Decimal(-5)))
    assert caught.value.field == "hourly_rate"
    updated = await people.mentor.update_profile(ProfileUpdate(meeting_url=ROOM))
    assert updated.meeting_url == ROOM == people.mentor.me.meeting_url


async def test_availability(backend, people):
    slots = await people.student.get_availability(people.mentor_id)
    assert [(s.weekday, s.start_time, s.end_time) for s in slots] == [(d, time(9), time(17)) for d in range(7)]
    with pytest.raises(InvalidInput):
        await people.mentor.set_availability(0, time(16), time(18))
    with pytest.raises(InvalidInput):
        await people.mentor.set_availability(0, time(18), time(18))
    evening = await people.mentor.set_availability(0, time(18), time(20))
    moved = await people.mentor.set_availability(0, time(19), time(21), slot_id=evening.id)
    assert (moved.id, moved.start_time) == (evening.id, time(19))
    await people.mentor.remove_availability(evening.id)
    with pytest.raises(NotFound):
        await people.mentor.remove_availability(evening.id)
    with pytest.raises(NotAllowed):
        await people.student.set_availability(0, time(18), time(20))
    assert len(await people.mentor.get_availability(people.mentor_id)) == 7


async def test_booking_and_who_sees_it(backend, people):
    start = at(people.day, 10)
    session = await people.student.create_session(book(people, start))
    assert (session.status, session.scheduled_time, session.duration_minutes) == (SessionStatus.PENDING, start, 60)
    [for_mentor] = await people.mentor.my_sessions()
    [for_student] = await people.student.my_sessions()
    assert for_mentor.session.id == for_student.session.id == session.id
    assert (for_student.mentor_name, for_student.student_name) == ("Mentor", "Student")
    await people.student.update_profile(ProfileUpdate(timezone="Asia/Tokyo"))
    [for_mentor] = await people.mentor.my_sessions()
    # Each side can show the session on the other's wall clock too.
    assert (for_mentor.mentor_timezone, for_mentor.student_timezone) == (MENTOR_ZONE.key, "Asia/Tokyo")
    assert await people.outsider.my_sessions() == []
    window = await people.outsider.busy_times(people.mentor_id, at(people.day, 0), at(people.day, 23))
    assert window == [TimeRange(start=start, end=start + timedelta(hours=1))]
    with pytest.raises(SlotTaken):
        await people.outsider.create_session(book(people, at(people.day, 10, 30)))
    with pytest.raises(OutsideAvailability):
        await people.outsider.create_session(book(people, at(people.day, 17)))
    with pytest.raises(InvalidInput) as caught:
        await people.outsider.create_session(book(people, at(people.day, 12), minutes=50))
    assert caught.value.field == "duration_minutes"
    adjacent = await people.outsider.create_session(book(people, at(people.day, 11)))
    assert adjacent.status is SessionStatus.PENDING


async def test_confirm_decline_cancel(backend, people):
    first = await people.student.create_session(book(people, at(people.day, 10)))
    second = await people.student.create_session(book(people, at(people.day, 12)))
    with pytest.raises(NotAllowed):
        await people.student.confirm_session(first.id, ROOM)
    with pytest.raises(NotFound):
        await people.outsider.cancel_session(first.id)
    confirmed = await people.mentor.confirm_session(first.id, ROOM)
    assert (confirmed.status, confirmed.meeting_link) == (SessionStatus.CONFIRMED, ROOM)
    with pytest.raises(NotAllowed):
        await people.mentor.confirm_session(first.id, ROOM)
    with pytest.raises(NotAllowed):
        await people.mentor.complete_session(first.id, "Too early")
    declined = await people.mentor.decline_session(second.id, "Away that day")
    assert (declined.status, declined.cancellation_reason) == (SessionStatus.CANCELLED, "Away that day")
    cancelled = await people.student.cancel_session(first.id, "Exam moved")
    assert (cancelled.status, cancelled.cancellation_reason) == (SessionStatus.CANCELLED, "Exam moved")
    with pytest.raises(NotAllowed):
        await people.mentor.cancel_session(first.id)
    # A cancelled session frees its time.
    again = await people.outsider.create_session(book(people, at(people.day, 10)))
    assert again.status is SessionStatus.PENDING


async def test_complete_rate_and_summaries(backend, people):
    start = at(people.day, 10)
    session = await people.student.create_session(book(people, start, subject="Testing"))
    await people.mentor.confirm_session(session.id, ROOM)
    stats = await people.mentor.dashboard_stats()
    assert (stats.total_students, stats.upcoming_sessions, stats.rating_count) == (0, 1, 0)
    backend.move_clock(start + timedelta(minutes=5) - backend.clock.now())
    completed = await people.mentor.complete_session(session.id, "Solid work")
    assert (completed.status, completed.feedback) == (SessionStatus.COMPLETED, "Solid work")
    with pytest.raises(NotAllowed):
        await people.mentor.rate_session(session.id, 5)
    rated = await people.student.rate_session(session.id, 4, "Helpful")
    assert (rated.rating, rated.review) == (4, "Helpful")
    with pytest.raises(NotAllowed):
        await people.student.rate_session(session.id, 5)
    [summary] = await people.mentor.mentor_students()
    assert (summary.student_name, summary.total_sessions, summary.subjects) == ("Student", 1, ("Testing",))
    assert summary.last_session_date == start
    [review] = await people.outsider.mentor_reviews(people.mentor_id)
    assert (review.rating, review.comment, review.session_date) == (4, "Helpful", start)
    listed = await people.outsider.get_mentor(people.mentor_id)
    assert (listed.average_rating, listed.rating_count) == (Decimal("4.00"), 1)
    stats = await people.mentor.dashboard_stats()
    assert (stats.total_students, stats.upcoming_sessions, stats.completed_today) == (1, 0, 1)
    assert (stats.average_rating, stats.rating_count) == (Decimal("4.00"), 1)


async def test_mentor_only_views(backend, people):
    with pytest.raises(NotAllowed):
        await people.student.dashboard_stats()
    with pytest.raises(NotAllowed):
        await people.student.mentor_students()
    assert await people.mentor.mentor_students() == []
