"""Issue 10's "Done when": the seed journey through SupabaseRepository and the
PostgREST/GoTrue gateway, on a stand-in set up as a Supabase project created
today with the migrations applied twice, ends exactly as on the embedded backend.

A session can be completed only once it has started, by the database's clock
(real time) on Supabase and by the injected clock locally. "Time passes" is
therefore, on the gateway, the project owner moving the booked session into the
past (triggers off, as an administrator restoring history would) and, locally,
the frozen clock moving forward.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from clocks import FixedClock
from gateway import Gateway, project_database

from mentor_tui.clock import SystemClock
from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role, SessionStatus
from mentor_tui.services import Services

ZONE = ZoneInfo("Europe/Berlin")
ROOM = "https://meet.example.org/journey-room"


@pytest.fixture(scope="module")
def project_url() -> Iterator[str]:
    with project_database("journey") as url:
        yield url


@dataclass
class Backend:
    connect: Callable[[str], Services]
    now: Callable[[], datetime]
    started: Callable[[str, datetime], Awaitable[None]]
    """``started(session_id, start)``: time passes until the session has begun."""


@pytest.fixture(params=["local", "gateway"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock) -> AsyncIterator[Backend]:
    opened: list[Services] = []
    if request.param == "local":
        from mentor_tui.repository.local import LocalRepository

        def connect(name: str) -> Services:
            opened.append(Services(LocalRepository(tmp_path / "journey.db", tmp_path / name, clock), clock))
            return opened[-1]

        async def started(session_id: str, start: datetime) -> None:
            clock.advance(start + timedelta(minutes=5) - clock.now())

        yield Backend(connect, clock.now, started)
    else:
        from mentor_tui.repository.supabase import SupabaseRepository

        url = request.getfixturevalue("project_url")
        gateway = Gateway(url)

        def connect(name: str) -> Services:
            system = SystemClock()
            key = gateway.config.publishable_key
            opened.append(Services(SupabaseRepository(gateway.url, key, tmp_path / name, system, transport=gateway), system))
            return opened[-1]

        async def started(session_id: str, start: datetime) -> None:
            with psycopg.connect(url, autocommit=True) as owner, owner.transaction():
                owner.execute("set local session_replication_role = replica")
                owner.execute(
                    "update public.mentor_sessions set scheduled_time = now() - interval '5 minutes' where id = %s",
                    (session_id,),
                )

        yield Backend(connect, lambda: datetime.now(timezone.utc), started)
        assert not gateway.grammar_errors
    for repo in opened:
        await repo.close()


async def test_seed_journey(backend: Backend) -> None:
    suffix = f"{id(backend):x}"
    mentor = backend.connect("mentor")
    await mentor.sign_up(f"mentor-{suffix}@example.org", "journey-pass-1", "Maria Mentor", Role.MENTOR)
    await mentor.update_profile(ProfileUpdate(
        profession="Engineer", expertise=("Python", "SQL"), hourly_rate=Decimal("60"), timezone=ZONE.key,
        bio="Helps with Python.", meeting_url=ROOM,
    ))
    for weekday in range(7):
        await mentor.set_availability(weekday, time(9), time(17))
    student = backend.connect("student")
    await student.sign_up(f"student-{suffix}@example.org", "journey-pass-1", "Sam Student", Role.STUDENT)

    [found] = [m for m in (await student.list_mentors("Maria")).mentors if m.profile.full_name == "Maria Mentor"]
    assert (found.profile.profession, found.profile.hourly_rate, found.profile.expertise) == (
        "Engineer", Decimal("60"), ("Python", "SQL"))
    day = (backend.now().astimezone(ZONE) + timedelta(days=3)).date()
    start = datetime.combine(day, time(10), tzinfo=ZONE).astimezone(timezone.utc)
    booked = await student.create_session(BookingRequest(
        mentor_id=found.profile.id, subject="Decorators", scheduled_time=start, duration_minutes=60, notes="Chapter 7",
    ))
    assert booked.status is SessionStatus.PENDING

    confirmed = await mentor.confirm_session(booked.id, ROOM)
    assert (confirmed.status, confirmed.meeting_link) == (SessionStatus.CONFIRMED, ROOM)
    [joined] = await student.my_sessions()  # what "Join" opens
    assert (joined.session.meeting_link, joined.mentor_name, joined.student_name) == (ROOM, "Maria Mentor", "Sam Student")

    await backend.started(booked.id, start)
    completed = await mentor.complete_session(booked.id, "Good progress")
    assert (completed.status, completed.feedback) == (SessionStatus.COMPLETED, "Good progress")
    rated = await student.rate_session(booked.id, 5, "Very clear")
    assert (rated.status, rated.rating, rated.review) == (SessionStatus.COMPLETED, 5, "Very clear")

    [summary] = await mentor.mentor_students()
    assert (summary.student_name, summary.total_sessions, summary.subjects) == ("Sam Student", 1, ("Decorators",))
    [review] = await student.mentor_reviews(found.profile.id)
    assert (review.rating, review.comment) == (5, "Very clear")
    listed = await student.get_mentor(found.profile.id)
    assert (listed.average_rating, listed.rating_count) == (Decimal("5.00"), 1)
    stats = await mentor.dashboard_stats()
    assert (stats.total_students, stats.upcoming_sessions, stats.rating_count, stats.average_rating) == (
        1, 0, 1, Decimal("5.00"))
