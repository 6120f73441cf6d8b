"""Fixed people and sessions for the student screens' tests, made through the services.

The student, Sam, lives in Chicago; the mentors live in London, São Paulo, Lagos,
Paris and Kolkata, so every time on screen is a conversion. Relative to the frozen
``NOW`` (Tuesday 24 November 2026, 10:00 UTC):

- Ada (London): weekly hours Mon-Fri 09:00-17:00; Sam's pending request Mon 30 Nov 15:00 UTC.
- Ana (São Paulo): weekly hours Tue and Thu 14:00-18:00; Sam's confirmed session Thu 26 Nov
  17:00 UTC with a meeting link; rated 5 by Sam and 4 by Tara.
- Ben (Lagos): no weekly hours; Sam's completed, unrated session; rated 3 by Tara.
- Chloé (Paris): no weekly hours; Sam cancelled a session with her.
- Dev (Kolkata): weekly hours Mon-Fri 09:00-12:00; rated 4 by Tara.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from clocks import FixedClock
from pilot_support import settle  # noqa: F401 (the screens tests take it from here)
from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.clock import Clock
from mentor_tui.domain.models import BookingRequest, Profile, ProfileUpdate, Role, SessionView
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
"""The frozen "now" of tests/conftest.py, which the world is built around."""
PASSWORD = "correct horse battery"
SIZE = (80, 24)
WIDE = (120, 40)
MEETING_LINK = "https://meet.jit.si/mentor-tui-ana-and-sam"


@dataclass(frozen=True)
class MentorSpec:
    key: str
    full_name: str
    profession: str
    experience: str
    rate: str
    expertise: tuple[str, ...]
    zone: str
    bio: str
    hours: tuple[tuple[int, time, time], ...] = ()


MENTORS = (
    MentorSpec("ada", "Ada Byron", "Python Engineer", "10 years", "90", ("Python", "Testing"), "Europe/London",
               "Writes payment services in Python and teaches testing.",
               tuple((day, time(9), time(17)) for day in range(5))),
    MentorSpec("ana", "Ana Souza", "Data Scientist", "7 years", "70", ("Python", "Data Science"),
               "America/Sao_Paulo", "Forecasting and pandas, from notebook to production.",
               ((1, time(14), time(18)), (3, time(14), time(18)))),
    MentorSpec("ben", "Ben Okoro", "Frontend Developer", "5 years", "50", ("JavaScript", "React"), "Africa/Lagos",
               "Accessible web interfaces with React."),
    MentorSpec("chloe", "Chloé Martin", "Product Manager", "12 years", "110", ("Product",), "Europe/Paris",
               "Roadmaps, discovery and writing crisp specs."),
    MentorSpec("dev", "Dev Patel", "DevOps Engineer", "8 years", "80", ("Kubernetes", "Python"), "Asia/Kolkata",
               "Kubernetes, CI pipelines and on-call that lets you sleep.",
               tuple((day, time(9), time(12)) for day in range(5))),
)


def email(key: str) -> str:
    return f"{key}@example.org"


@dataclass
class World:
    db_path: Path
    people: dict[str, Profile] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    """Session ids by name."""


def services_for(db_path: Path, clock: Clock, state: str) -> Services:
    """The services on a storage with its own remembered sign-in, as another process or device would have."""
    return Services(LocalRepository(db_path, db_path.parent / f"state-{state}", clock), clock)


async def act_as(world: World, key: str, clock: Clock) -> Services:
    services = services_for(world.db_path, clock, key)
    await services.sign_in(email(key), PASSWORD)
    return services


async def sessions_of(world: World, key: str, clock: Clock) -> list[SessionView]:
    """What ``key`` sees of their sessions, read on a connection of their own."""
    repo = await act_as(world, key, clock)
    try:
        return await repo.my_sessions()
    finally:
        await repo.close()


def utc(day: int, hour: int, minute: int = 0, *, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


async def build_world(db_path: Path, now: datetime = NOW) -> World:
    """The people and sessions above, in a new database at ``db_path``."""
    world = World(db_path)
    setup_clock = FixedClock(now - timedelta(days=20))
    repos: dict[str, Services] = {}
    for spec in MENTORS:
        repo = repos[spec.key] = services_for(db_path, setup_clock, spec.key)
        await repo.sign_up(email(spec.key), PASSWORD, spec.full_name, Role.MENTOR)
        world.people[spec.key] = await repo.update_profile(
            ProfileUpdate(
                profession=spec.profession, experience=spec.experience, hourly_rate=Decimal(spec.rate),
                expertise=spec.expertise, bio=spec.bio, timezone=spec.zone,
            )
        )
    for key, name, zone in (("sam", "Sam Rivera", "America/Chicago"), ("tara", "Tara Singh", "Europe/Berlin")):
        repo = repos[key] = services_for(db_path, setup_clock, key)
        await repo.sign_up(email(key), PASSWORD, name, Role.STUDENT)
        world.people[key] = await repo.update_profile(ProfileUpdate(timezone=zone))
    await _add_sessions(world, repos, setup_clock, now)
    for spec in MENTORS:
        for weekday, start, end in spec.hours:
            await repos[spec.key].set_availability(weekday, start, end)
    for repo in repos.values():
        await repo.close()
    return world


@pytest.fixture(scope="session")
def world_template(tmp_path_factory) -> World:
    """Built once per run: signing everyone up and in (scrypt) is the slow part."""
    return asyncio.run(build_world(tmp_path_factory.mktemp("student-world") / "mentor-tui.db"))


@pytest.fixture
def world(world_template: World, clock) -> World:
    """A copy of the world in this test's own data folder."""
    assert clock.now() == NOW
    db_path = paths.default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(world_template.db_path, db_path)
    return replace(world_template, db_path=db_path)


# name: (student, mentor, subject, start, minutes, what happens after booking); in the order the
# steps run: the cancellation first, while its session is still ahead of the set-up clock.
_SESSIONS = (
    ("sam-chloe-cancelled", "sam", "chloe", "Writing a spec", utc(20, 9), 30, ("cancel",)),
    ("sam-ada-pending", "sam", "ada", "Pytest fixtures", utc(30, 15), 60, ()),
    ("sam-ana-confirmed", "sam", "ana", "Pandas group-by", utc(26, 17), 60, ("confirm",)),
    ("sam-ben-completed", "sam", "ben", "React state", utc(17, 15), 45, ("confirm", "complete")),
    ("sam-ana-rated", "sam", "ana", "Intro to forecasting", utc(10, 17), 60, ("confirm", "complete", "rate:5")),
    ("tara-ana-rated", "tara", "ana", "Time series", utc(12, 17), 60, ("confirm", "complete", "rate:4")),
    ("tara-ben-rated", "tara", "ben", "Hooks", utc(13, 12), 60, ("confirm", "complete", "rate:3")),
    ("tara-dev-rated", "tara", "dev", "Helm charts", utc(16, 5), 90, ("confirm", "complete", "rate:4")),
)

REVIEWS = {5: "Clear and patient.", 4: "Helpful, with good examples.", 3: "Fine, a bit rushed."}


async def _add_sessions(
    world: World, repos: dict[str, Services], setup_clock: FixedClock, now: datetime
) -> None:
    async def book(name: str, student: str, mentor: str, subject: str, start: datetime, minutes: int) -> None:
        session = await repos[student].create_session(
            BookingRequest(
                mentor_id=world.people[mentor].id, subject=subject, scheduled_time=start, duration_minutes=minutes
            )
        )
        world.sessions[name] = session.id

    for name, student, mentor, subject, start, minutes, steps in _SESSIONS:
        if steps:
            await book(name, student, mentor, subject, start, minutes)
    for name, student, mentor, *_, steps in _SESSIONS:
        for step in steps:
            session_id = world.sessions[name]
            if step == "confirm":
                link = MEETING_LINK if name == "sam-ana-confirmed" else "https://meet.jit.si/room"
                await repos[mentor].confirm_session(session_id, link)
            elif step == "complete":
                setup_clock.advance(now - setup_clock.now())  # completing needs the session to have begun
                await repos[mentor].complete_session(session_id, "Good progress; practise the exercises.")
            elif step == "cancel":
                await repos[student].cancel_session(session_id, "My exam moved.")
            else:
                rating = int(step.split(":")[1])
                await repos[student].rate_session(session_id, rating, REVIEWS[rating])
    # Requests still open were asked an hour ago: unanswered for longer, they would have expired.
    setup_clock.advance(now - timedelta(hours=1) - setup_clock.now())
    for name, student, mentor, subject, start, minutes, steps in _SESSIONS:
        if not steps:
            await book(name, student, mentor, subject, start, minutes)
    setup_clock.advance(now - setup_clock.now())


async def remember_sign_in(world: World, clock: Clock, who: str = "sam") -> None:
    """Sign ``who`` in where the app looks, so it opens on the home screen."""
    services = Services(LocalRepository(world.db_path, paths.state_dir(), clock), clock)
    await services.sign_in(email(who), PASSWORD)
    await services.close()


def app_for(world: World, clock: Clock) -> MentorApp:
    return MentorApp(LocalRepository(world.db_path, paths.state_dir(), clock), clock)


async def signed_in_app(world: World, clock: Clock, who: str = "sam") -> MentorApp:
    await remember_sign_in(world, clock, who)
    return app_for(world, clock)


