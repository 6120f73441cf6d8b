"""The embedded backend: every rule allowed and refused, sign-in on disk, races, the summary trigger, demo data."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import shutil
import sqlite3
import stat
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from clocks import FixedClock
from test_domain_rules import ALLOWED

from mentor_tui.domain import rules
from mentor_tui.domain.booking_rules import EXPIRED_REASON
from mentor_tui.domain.errors import StorageRefused
from mentor_tui.domain.models import (
    BookingRequest,
    ProfileUpdate,
    Role,
    SessionStatus,
    TimeRange,
)
from mentor_tui.domain.rules import Action
from mentor_tui.repository import demo, local, sqlite_file
from mentor_tui.repository.base import (
    BackendUnavailable,
    InvalidCredentials,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotSignedIn,
    OutsideAvailability,
    SlotTaken,
)
from mentor_tui.repository.local import SESSION_FILE_NAME, LocalRepository
from mentor_tui.services import Services

PASSWORD = "correct horse"
ROOM = "https://meet.example.org/maya"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    """Full-cost scrypt takes ~40 ms a hash and these tests sign up many people; the format is unchanged."""
    monkeypatch.setitem(local.SCRYPT_PARAMETERS, "n", 2**4)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "data" / "mentor.db"


@pytest.fixture
async def connect(db_path, tmp_path, clock):
    """``connect(name)``: the services on a backend over the shared file with the state folder ``name``."""
    opened: list[Services] = []

    def make(name: str) -> Services:
        services = Services(LocalRepository(db_path, tmp_path / "state" / name, clock), clock)
        opened.append(services)
        return services

    yield make
    for repo in opened:
        await repo.close()


async def sign_up(connect, name: str, role: Role, zone: str = "Europe/Berlin") -> Services:
    repo = connect(name)
    await repo.sign_up(f"{name}@example.org", PASSWORD, name.title(), role)
    await repo.update_profile(ProfileUpdate(timezone=zone))
    return repo


@pytest.fixture
async def world(connect):
    """Maya mentors in Berlin, every day 09:00-17:00; Sam and Lee are students; Max is another mentor."""
    maya = await sign_up(connect, "maya", Role.MENTOR)
    await maya.update_profile(ProfileUpdate(expertise=("Python", "Testing"), hourly_rate=Decimal(80)))
    for day in range(7):
        await maya.set_availability(day, time(9), time(17))
    return SimpleNamespace(
        maya=maya,
        max=await sign_up(connect, "max", Role.MENTOR),
        sam=await sign_up(connect, "sam", Role.STUDENT),
        lee=await sign_up(connect, "lee", Role.STUDENT),
    )


# Wednesday 2026-11-25, 09:00 UTC = 10:00 in Berlin; the frozen clock says Tuesday 10:00 UTC.
WEDNESDAY = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def booking(mentor: Services, start: datetime = WEDNESDAY, minutes: int = 60, subject: str = "Python"):
    assert mentor.me is not None
    return BookingRequest(
        mentor_id=mentor.me.id, subject=subject, scheduled_time=start, duration_minutes=minutes
    )


# --- accounts and the remembered sign-in ------------------------------------------------


def test_constructor_touches_no_disk(tmp_path, clock):
    LocalRepository(tmp_path / "nowhere" / "x.db", tmp_path / "no-state", clock)
    assert not (tmp_path / "nowhere").exists()
    assert not (tmp_path / "no-state").exists()


async def test_sign_up_signs_in_and_remembers_privately(connect, db_path, tmp_path):
    repo = connect("ann")
    profile = await repo.sign_up("  Ann@Example.ORG ", PASSWORD, " Ann Lee ", Role.STUDENT)
    assert (profile.email, profile.full_name, profile.role) == ("ann@example.org", "Ann Lee", Role.STUDENT)
    assert repo.me == profile
    file = tmp_path / "state" / "ann" / SESSION_FILE_NAME
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    saved = json.loads(file.read_text())
    assert saved["database"] == str(db_path.resolve())
    assert PASSWORD not in file.read_text()
    with sqlite3.connect(db_path) as conn:  # only a hash of the token is stored
        stored = conn.execute("select count(*) from auth_sessions where token_hash = ?", (saved["token"],))
        assert stored.fetchone() == (0,)
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


async def test_sign_up_refuses_bad_fields_and_a_taken_email(connect):
    repo = connect("ann")
    for kwargs, field in (
        ({"email": "ann"}, "email"),
        ({"password": "short"}, "password"),
        ({"full_name": "  "}, "full_name"),
    ):
        values = {"email": "ann@example.org", "password": PASSWORD, "full_name": "Ann", "role": Role.STUDENT} | kwargs
        with pytest.raises(InvalidInput) as caught:
            await repo.sign_up(**values)
        assert caught.value.field == field
    await repo.sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    with pytest.raises(InvalidInput) as caught:
        await connect("other").sign_up("ANN@example.org", PASSWORD, "Ann Two", Role.MENTOR)
    assert caught.value.field == "email"


async def test_sign_in_checks_the_password(connect):
    await connect("ann").sign_up("ann@example.org", PASSWORD, "Ann", Role.MENTOR)
    repo = connect("ann-again")
    with pytest.raises(InvalidCredentials):
        await repo.sign_in("ann@example.org", "wrong password")
    with pytest.raises(InvalidCredentials):
        await repo.sign_in("nobody@example.org", PASSWORD)
    assert repo.me is None
    profile = await repo.sign_in(" ANN@example.org", PASSWORD)
    assert (profile.full_name, profile.role) == ("Ann", Role.MENTOR)


async def test_restore_resumes_and_sign_out_forgets(connect, tmp_path):
    first = connect("ann")
    profile = await first.sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    assert await connect("ann").restore() == profile
    await first.sign_out()
    assert first.me is None
    assert not (tmp_path / "state" / "ann" / SESSION_FILE_NAME).exists()
    assert await connect("ann").restore() is None
    with pytest.raises(NotSignedIn):
        await first.my_sessions()


async def test_a_revoked_sign_in_is_not_restored(connect, tmp_path):
    repo = connect("ann")
    await repo.sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    file = tmp_path / "state" / "ann" / SESSION_FILE_NAME
    copy = tmp_path / "stolen.json"
    shutil.copy(file, copy)
    await repo.sign_out()
    shutil.copy(copy, file)
    assert await connect("ann").restore() is None
    assert not file.exists()


async def test_an_expired_sign_in_is_not_restored(connect, clock, tmp_path):
    await connect("ann").sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    clock.advance(timedelta(days=29))
    assert await connect("ann").restore() is not None
    clock.advance(timedelta(days=2))
    assert await connect("ann").restore() is None
    assert not (tmp_path / "state" / "ann" / SESSION_FILE_NAME).exists()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"token": 42}', "", '{"database": null}'])
async def test_a_corrupt_session_file_is_removed(connect, db_path, tmp_path, content):
    await connect("ann").sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    file = tmp_path / "state" / "ann" / SESSION_FILE_NAME
    file.write_text(content.replace("null", json.dumps(str(db_path.resolve()))))
    assert await connect("ann").restore() is None
    assert not file.exists()


async def test_a_sign_in_for_another_database_is_left_alone(connect, tmp_path, clock):
    await connect("ann").sign_up("ann@example.org", PASSWORD, "Ann", Role.STUDENT)
    other = LocalRepository(tmp_path / "other.db", tmp_path / "state" / "ann", clock)
    assert await other.restore() is None
    assert (tmp_path / "state" / "ann" / SESSION_FILE_NAME).exists()
    assert not (tmp_path / "other.db").exists()


async def test_restore_without_a_file(connect):
    assert await connect("nobody").restore() is None


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.my_sessions(),
        lambda r: r.list_mentors(),
        lambda r: r.get_mentor("x"),
        lambda r: r.mentor_reviews("x"),
        lambda r: r.update_profile(ProfileUpdate(full_name="X")),
        lambda r: r.create_session(BookingRequest(
            mentor_id="x", subject="s", scheduled_time=WEDNESDAY, duration_minutes=60)),
        lambda r: r.confirm_session("x", ROOM),
        lambda r: r.decline_session("x"),
        lambda r: r.cancel_session("x"),
        lambda r: r.complete_session("x"),
        lambda r: r.rate_session("x", 5),
        lambda r: r.busy_times("x", WEDNESDAY, WEDNESDAY + timedelta(days=1)),
        lambda r: r.mentor_students(),
        lambda r: r.get_availability("x"),
        lambda r: r.set_availability(0, time(9), time(10)),
        lambda r: r.remove_availability("x"),
        lambda r: r.dashboard_stats(),
    ],
)
async def test_everything_needs_a_sign_in(connect, call):
    with pytest.raises(NotSignedIn):
        await call(connect("nobody"))


# --- errors from the database itself ---------------------------------------------------------


async def test_a_file_that_is_not_a_database_is_refused_untouched(connect, db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageRefused, match="is not a mentor-tui database"):
        await connect("ann").sign_in("ann@example.org", PASSWORD)
    assert db_path.read_bytes() == b"this is not sqlite" * 100


async def test_a_locked_database(connect, db_path, monkeypatch):
    monkeypatch.setattr(sqlite_file, "BUSY_TIMEOUT_SECONDS", 0.05)
    repo = connect("ann")
    await repo.sign_up("ann@example.org", PASSWORD, "Ann", Role.MENTOR)
    await repo.close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("begin exclusive")
    try:
        with pytest.raises(BackendUnavailable, match="busy"):
            await connect("ann").sign_in("ann@example.org", PASSWORD)
    finally:
        holder.execute("rollback")
        holder.close()


# --- profiles and the directory ------------------------------------------------------------


async def test_update_profile(world):
    profile = await world.maya.update_profile(ProfileUpdate(
        full_name=" Maya Okafor ", profession="Engineer", expertise=(" Python", "", "SQL", "Python"),
        meeting_url=ROOM, bio="Hello",
    ))
    assert (profile.full_name, profile.profession, profile.expertise) == ("Maya Okafor", "Engineer", ("Python", "SQL"))
    assert (profile.meeting_url, profile.hourly_rate, profile.timezone) == (ROOM, Decimal(80), "Europe/Berlin")
    assert world.maya.me == profile
    cleared = await world.maya.update_profile(ProfileUpdate(bio="", meeting_url=""))
    assert (cleared.bio, cleared.meeting_url) == (None, None)
    for update, field in (
        (ProfileUpdate(hourly_rate=Decimal(10001)), "hourly_rate"),
        (ProfileUpdate(meeting_url="http://insecure.example.org"), "meeting_url"),
        (ProfileUpdate(full_name=" "), "full_name"),
    ):
        with pytest.raises(InvalidInput) as caught:
            await world.maya.update_profile(update)
        assert caught.value.field == field


async def test_directory_filters_and_sorts(world):
    await world.max.update_profile(ProfileUpdate(profession="Data engineer", expertise=("SQL",)))
    names = lambda found: [m.profile.full_name for m in found.mentors]  # noqa: E731
    assert names(await world.sam.list_mentors()) == ["Max", "Maya"]
    assert names(await world.sam.list_mentors("PYTH")) == ["Maya"]
    assert names(await world.sam.list_mentors("data")) == ["Max"]
    assert names(await world.sam.list_mentors("ma", expertise="sql")) == ["Max"]
    assert names(await world.sam.list_mentors(expertise="Pyth")) == []
    assert names(await world.sam.list_mentors("sam")) == []  # students are not listed
    maya = await world.sam.get_mentor(world.maya.me.id)
    assert (maya.profile.hourly_rate, maya.average_rating, maya.rating_count) == (Decimal(80), None, 0)
    with pytest.raises(NotFound):
        await world.sam.get_mentor(world.sam.me.id)


# --- booking ---------------------------------------------------------------------------------


async def test_booking_creates_a_pending_request_both_parties_see(world):
    session = await world.sam.create_session(booking(world.maya, subject=" Async Python "))
    assert (session.status, session.subject, session.student_id) == (
        SessionStatus.PENDING, "Async Python", world.sam.me.id
    )
    [seen_by_maya] = await world.maya.my_sessions()
    [seen_by_sam] = await world.sam.my_sessions()
    assert seen_by_maya == seen_by_sam
    assert (seen_by_sam.session, seen_by_sam.mentor_name, seen_by_sam.student_name) == (session, "Maya", "Sam")
    assert (seen_by_sam.mentor_timezone, seen_by_sam.hourly_rate) == ("Europe/Berlin", Decimal(80))


async def test_a_student_cannot_read_anothers_sessions(world):
    session = await world.sam.create_session(booking(world.maya))
    assert await world.lee.my_sessions() == []
    assert await world.max.my_sessions() == []
    # Lee sees that the time is taken, and nothing else about it.
    around = (WEDNESDAY - timedelta(hours=3), WEDNESDAY + timedelta(hours=3))
    busy = await world.lee.busy_times(world.maya.me.id, *around)
    assert busy == [TimeRange(start=WEDNESDAY, end=WEDNESDAY + timedelta(hours=1))]
    with pytest.raises(NotFound):
        await world.lee.cancel_session(session.id)


async def test_overlapping_bookings_are_refused_for_the_mentor_and_the_student(world):
    await world.sam.create_session(booking(world.maya))
    with pytest.raises(SlotTaken):  # the mentor is busy
        await world.lee.create_session(booking(world.maya, WEDNESDAY + timedelta(minutes=45)))
    with pytest.raises(SlotTaken):  # the student is busy
        await world.sam.create_session(booking(world.max, WEDNESDAY - timedelta(minutes=30)))
    touching = await world.lee.create_session(booking(world.maya, WEDNESDAY + timedelta(hours=1)))
    assert touching.status is SessionStatus.PENDING


async def test_a_cancelled_session_frees_its_slot(world):
    first = await world.sam.create_session(booking(world.maya))
    await world.sam.cancel_session(first.id, "ill")
    assert (await world.lee.create_session(booking(world.maya))).status is SessionStatus.PENDING


async def test_the_database_refuses_an_overlap_the_check_missed(world, db_path):
    """Second line: the trigger refuses a held overlap even if the code above it had a bug."""
    session = await world.sam.create_session(booking(world.maya))
    conn = sqlite_file.connect(db_path)
    try:
        clash = session.model_copy(update={"id": "clash", "student_id": world.lee.me.id})
        with pytest.raises(sqlite3.IntegrityError, match="slot_taken"):
            local.insert_session(conn, clash)
    finally:
        conn.close()


async def test_the_database_refuses_moves_the_rules_forbid(world, clock, db_path):
    session = await session_in(world, clock, SessionStatus.COMPLETED)
    await world.sam.rate_session(session.id, 4)
    conn = sqlite_file.connect(db_path)
    try:
        for change in ({"status": "pending"}, {"rating": 5}, {"rating": None}):
            with pytest.raises(sqlite3.IntegrityError):
                local.update_rows(conn, "mentor_sessions", change, {"id": session.id})
    finally:
        conn.close()


async def test_booking_outside_availability(world):
    evening = WEDNESDAY.replace(hour=17)  # 18:00 in Berlin; Maya stops at 17:00
    with pytest.raises(OutsideAvailability):
        await world.sam.create_session(booking(world.maya, evening))
    with pytest.raises(OutsideAvailability):
        await world.sam.create_session(booking(world.maya, WEDNESDAY.replace(hour=15, minute=30)))
    # Max has set no availability, so any future time will do.
    assert (await world.sam.create_session(booking(world.max, evening))).status is SessionStatus.PENDING


async def test_booking_across_a_dst_change(connect):
    """Sundays 09:00-12:00 in New York: 14:00 UTC before 2027-03-14, 13:00 UTC after."""
    ned = await sign_up(connect, "ned", Role.MENTOR, zone="America/New_York")
    await ned.set_availability(6, time(9), time(12))
    sam = await sign_up(connect, "sam", Role.STUDENT)
    before, after = datetime(2027, 3, 7, tzinfo=timezone.utc), datetime(2027, 3, 14, tzinfo=timezone.utc)
    with pytest.raises(OutsideAvailability):
        await sam.create_session(booking(ned, before.replace(hour=13)))
    await sam.create_session(booking(ned, before.replace(hour=14)))
    await sam.create_session(booking(ned, after.replace(hour=13)))
    with pytest.raises(OutsideAvailability):
        await sam.create_session(booking(ned, after.replace(hour=16)))  # 12:00 EDT, past the window


async def test_booking_refusals(world):
    with pytest.raises(NotAllowed):  # mentors do not book
        await world.max.create_session(booking(world.maya))
    with pytest.raises(NotFound, match="^There is no mentor with that id.$"):  # only mentors are booked
        await world.sam.create_session(booking(world.lee))
    with pytest.raises(NotFound):
        await world.sam.create_session(booking(world.maya).model_copy(update={"mentor_id": "nobody"}))
    for start, minutes, field in (
        (WEDNESDAY - timedelta(days=2), 60, "scheduled_time"),
        (WEDNESDAY, 50, "duration_minutes"),
        (WEDNESDAY, 255, "duration_minutes"),
    ):
        with pytest.raises(InvalidInput) as caught:
            await world.sam.create_session(booking(world.maya, start, minutes))
        assert caught.value.field == field
    with pytest.raises(InvalidInput) as caught:
        await world.sam.create_session(booking(world.maya, subject="x" * 101))
    assert caught.value.field == "subject"


def _book_in_another_process(db: str, state: str, now: str, request: str, gate, results) -> None:
    async def book() -> str:
        clock = FixedClock(datetime.fromisoformat(now))
        repo = Services(LocalRepository(Path(db), Path(state), clock), clock)
        try:
            assert await repo.restore() is not None
            await asyncio.to_thread(gate.wait)
            await repo.create_session(BookingRequest.model_validate_json(request))
            return "booked"
        except SlotTaken:
            return "taken"
        finally:
            await repo.close()

    results.put(asyncio.run(book()))


async def test_two_processes_racing_for_one_slot(world, db_path, tmp_path, clock):
    context = multiprocessing.get_context("spawn")
    gate, results = context.Barrier(2), context.Queue()
    request = booking(world.maya).model_dump_json()
    racers = [
        context.Process(target=_book_in_another_process, args=(
            str(db_path), str(tmp_path / "state" / name), clock.now().isoformat(), request, gate, results,
        ))
        for name in ("sam", "lee")
    ]
    for racer in racers:
        racer.start()
    outcomes = sorted(results.get(timeout=60) for _ in racers)
    for racer in racers:
        racer.join(timeout=60)
    assert outcomes == ["booked", "taken"]
    [session] = await world.maya.my_sessions()
    assert session.session.status is SessionStatus.PENDING


# --- transitions ---------------------------------------------------------------------------

ACT = {
    Action.CONFIRM: lambda repo, sid: repo.confirm_session(sid, ROOM),
    Action.DECLINE: lambda repo, sid: repo.decline_session(sid, "Fully booked that week"),
    Action.CANCEL: lambda repo, sid: repo.cancel_session(sid, "Feeling ill"),
    Action.COMPLETE: lambda repo, sid: repo.complete_session(sid, "Well prepared"),
    Action.RATE: lambda repo, sid: repo.rate_session(sid, 4, "Clear and kind"),
}
# The steps that bring a new request to each status: (who acts, action).
PATH = {
    SessionStatus.PENDING: [],
    SessionStatus.CONFIRMED: [("maya", Action.CONFIRM)],
    SessionStatus.COMPLETED: [("maya", Action.CONFIRM), ("maya", Action.COMPLETE)],
    SessionStatus.CANCELLED: [("sam", Action.CANCEL)],
}


async def session_in(world, clock, status: SessionStatus):
    """A session of Maya with Sam in ``status``, with the clock moved past its start."""
    session = await world.sam.create_session(booking(world.maya))
    clock.advance(WEDNESDAY + timedelta(minutes=10) - clock.now())
    for who, action in PATH[status]:
        session = await ACT[action](getattr(world, who), session.id)
    assert session.status is status
    return session


@pytest.mark.parametrize("status", list(SessionStatus))
@pytest.mark.parametrize("actor", ["maya", "sam", "lee"])
@pytest.mark.parametrize("action", list(Action))
async def test_each_transition_per_role(world, clock, action, actor, status):
    session = await session_in(world, clock, status)
    role = {"maya": Role.MENTOR, "sam": Role.STUDENT, "lee": None}[actor]
    expected = ALLOWED.get((action, role, status))
    act = ACT[action](getattr(world, actor), session.id)
    if role is None:
        with pytest.raises(NotFound):  # an outsider cannot even see the session
            await act
    elif expected is None:
        with pytest.raises(NotAllowed):
            await act
    else:
        changed = await act
        assert changed.status is expected
        [seen] = await world.sam.my_sessions()
        assert seen.session == changed
    [stored] = await world.maya.my_sessions()
    after = expected or status
    if after is SessionStatus.PENDING:  # unanswered past its start: it expires as it is read
        after = SessionStatus.CANCELLED
        assert stored.session.cancellation_reason == EXPIRED_REASON
    assert stored.session.status is after


async def test_each_action_records_its_text(world, clock):
    confirmed = await session_in(world, clock, SessionStatus.CONFIRMED)
    assert confirmed.meeting_link == ROOM
    completed = await world.maya.complete_session(confirmed.id, "  Well prepared ")
    assert completed.feedback == "Well prepared"
    rated = await world.sam.rate_session(completed.id, 5, "Clear and kind")
    assert (rated.rating, rated.review) == (5, "Clear and kind")
    clock.advance(timedelta(days=1))
    request = await world.sam.create_session(booking(world.maya, WEDNESDAY + timedelta(days=2)))
    declined = await world.maya.decline_session(request.id, "Away")
    assert (declined.status, declined.cancellation_reason) == (SessionStatus.CANCELLED, "Away")
    request = await world.sam.create_session(booking(world.maya, WEDNESDAY + timedelta(days=3)))
    cancelled = await world.sam.cancel_session(request.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (SessionStatus.CANCELLED, None)


async def test_confirm_without_a_link_uses_the_mentors_room_else_a_new_one(world, clock):
    session = await world.sam.create_session(booking(world.maya))
    assert (await world.maya.confirm_session(session.id, " ")).meeting_link.startswith("https://meet.jit.si/")
    await world.maya.update_profile(ProfileUpdate(meeting_url=ROOM))
    other = await world.sam.create_session(booking(world.maya, WEDNESDAY + timedelta(hours=2)))
    assert (await world.maya.confirm_session(other.id, "")).meeting_link == ROOM


async def test_complete_is_refused_before_the_start(world, clock):
    session = await world.sam.create_session(booking(world.maya))
    await world.maya.confirm_session(session.id, ROOM)
    with pytest.raises(NotAllowed, match="started"):
        await world.maya.complete_session(session.id)
    clock.advance(WEDNESDAY - clock.now())
    assert (await world.maya.complete_session(session.id)).status is SessionStatus.COMPLETED


async def test_rating_once_and_in_range(world, clock):
    session = await session_in(world, clock, SessionStatus.COMPLETED)
    for bad in (0, 6):
        with pytest.raises(InvalidInput):
            await world.sam.rate_session(session.id, bad)
    await world.sam.rate_session(session.id, 3, "Fine")
    with pytest.raises(NotAllowed, match="already been rated"):
        await world.sam.rate_session(session.id, 5)


async def test_confirm_is_a_compare_and_swap(world, connect):
    """The same mentor, signed in twice, confirms at once: exactly one succeeds."""
    session = await world.sam.create_session(booking(world.maya))
    twin = connect("maya-twin")
    await twin.sign_in("maya@example.org", PASSWORD)
    outcomes = await asyncio.gather(
        world.maya.confirm_session(session.id, ROOM), twin.confirm_session(session.id, ROOM), return_exceptions=True
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["MentorSession", "NotAllowed"]


# --- mentor side ----------------------------------------------------------------------------


async def test_summary_trigger_counts_completed_sessions(world, clock, db_path):
    day = timedelta(days=1)
    plan = [(WEDNESDAY, "Python"), (WEDNESDAY + day, "Testing"), (WEDNESDAY + 2 * day, "Python")]
    sessions = [await world.sam.create_session(booking(world.maya, start, subject=subject)) for start, subject in plan]
    dropped = await world.lee.create_session(booking(world.maya, WEDNESDAY + 3 * day))
    for session in sessions:
        await world.maya.confirm_session(session.id, ROOM)
    await world.lee.cancel_session(dropped.id)
    assert await world.maya.mentor_students() == []
    clock.advance(5 * day)
    for session in sessions:
        await world.maya.complete_session(session.id)
    [summary] = await world.maya.mentor_students()
    assert (summary.student_name, summary.student_id) == ("Sam", world.sam.me.id)
    assert (summary.total_sessions, summary.subjects) == (3, ("Python", "Testing"))
    assert summary.last_session_date == WEDNESDAY + 2 * day
    assert await world.max.mentor_students() == []
    with pytest.raises(NotAllowed):
        await world.sam.mentor_students()


async def test_availability_editing(world):
    maya_id = world.maya.me.id
    added = await world.max.set_availability(4, time(14), time(17))
    assert [s.id for s in await world.sam.get_availability(world.max.me.id)] == [added.id]
    moved = await world.max.set_availability(4, time(13), time(16), slot_id=added.id)
    assert (moved.id, moved.start_time, moved.end_time) == (added.id, time(13), time(16))
    later = await world.max.set_availability(4, time(16), time(18))
    assert [s.start_time for s in await world.max.get_availability(world.max.me.id)] == [time(13), time(16)]
    for weekday, start, end, field in ((4, time(15), time(17), "start_time"), (4, time(12), time(12), "end_time"),
                                       (7, time(9), time(10), "weekday")):
        with pytest.raises(InvalidInput) as caught:
            await world.max.set_availability(weekday, start, end)
        assert caught.value.field == field
    maya_slot = (await world.maya.get_availability(maya_id))[0]
    with pytest.raises(NotFound):
        await world.max.remove_availability(maya_slot.id)
    with pytest.raises(NotFound):
        await world.max.set_availability(0, time(9), time(10), slot_id=maya_slot.id)
    with pytest.raises(NotAllowed):
        await world.sam.set_availability(0, time(9), time(10))
    await world.max.remove_availability(later.id)
    assert [s.id for s in await world.max.get_availability(world.max.me.id)] == [added.id]
    assert len(await world.sam.get_availability(maya_id)) == 7


async def test_dashboard_stats_and_reviews(world, clock):
    first = await world.sam.create_session(booking(world.maya))
    second = await world.lee.create_session(booking(world.maya, WEDNESDAY + timedelta(hours=2)))
    await world.sam.create_session(booking(world.maya, WEDNESDAY + timedelta(days=1)))
    stats = await world.maya.dashboard_stats()
    assert (stats.total_students, stats.upcoming_sessions, stats.completed_today) == (0, 3, 0)
    for session in (first, second):
        await world.maya.confirm_session(session.id, ROOM)
    clock.advance(WEDNESDAY + timedelta(hours=4) - clock.now())
    for session in (first, second):
        await world.maya.complete_session(session.id)
    await world.sam.rate_session(first.id, 5, "Great")
    await world.lee.rate_session(second.id, 4)
    stats = await world.maya.dashboard_stats()
    assert (stats.total_students, stats.upcoming_sessions, stats.completed_today) == (2, 1, 2)
    assert (stats.average_rating, stats.rating_count) == (Decimal("4.50"), 2)
    reviews = await world.lee.mentor_reviews(world.maya.me.id)
    assert [(r.rating, r.comment, r.session_date) for r in reviews] == [
        (4, None, WEDNESDAY + timedelta(hours=2)), (5, "Great", WEDNESDAY)
    ]
    assert len(await world.lee.mentor_reviews(world.maya.me.id, limit=1)) == 1
    listed = await world.lee.get_mentor(world.maya.me.id)
    assert (listed.average_rating, listed.rating_count) == (Decimal("4.50"), 2)
    with pytest.raises(NotAllowed):
        await world.sam.dashboard_stats()


async def test_completed_today_is_the_mentors_own_day(connect, clock):
    """Auckland is UTC+13 in November: 11:30 UTC on the 24th is already the 25th there."""
    kiri = await sign_up(connect, "kiri", Role.MENTOR, zone="Pacific/Auckland")
    sam = await sign_up(connect, "sam", Role.STUDENT)
    late = datetime(2026, 11, 24, 10, 30, tzinfo=timezone.utc)  # 23:30 on the 24th in Auckland
    early = datetime(2026, 11, 24, 11, 30, tzinfo=timezone.utc)  # 00:30 on the 25th in Auckland
    for start in (late, early):
        session = await sam.create_session(booking(kiri, start, minutes=30))
        await kiri.confirm_session(session.id, ROOM)
    clock.advance(timedelta(hours=2))  # 12:00 UTC: the 25th in Auckland
    for view in await kiri.my_sessions():
        await kiri.complete_session(view.session.id)
    assert (await kiri.dashboard_stats()).completed_today == 1


# --- demo data --------------------------------------------------------------------------------


def test_demo_logins_without_demo_data(db_path, tmp_path):
    assert demo.demo_logins(db_path) == ()
    assert not db_path.exists()
    sqlite_file.connect(db_path).close()
    assert demo.demo_logins(db_path) == ()


async def test_demo_seeding(db_path, clock, connect):
    assert demo.seed_demo(db_path, clock.now()) is True
    with sqlite3.connect(db_path) as conn:
        counts = conn.execute("select role, count(*) from user_profiles group by role").fetchall()
        statuses = dict(conn.execute("select status, count(*) from mentor_sessions group by status").fetchall())
        before = conn.execute("select count(*) from mentor_sessions").fetchone()
    assert dict(counts)["mentor"] >= 12 and dict(counts)["student"] >= 6
    assert set(statuses) == set(SessionStatus)
    assert demo.seed_demo(db_path, clock.now() + timedelta(days=3)) is False
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from mentor_sessions").fetchone() == before

    logins = demo.demo_logins(db_path)
    first_mentor = next(login for login in logins if login.role is Role.MENTOR)
    first_student = next(login for login in logins if login.role is Role.STUDENT)
    assert first_mentor.email == "maya@demo.mentor-tui.dev" and first_student.email == "sam@demo.mentor-tui.dev"
    sam = connect("sam")
    await sam.sign_in(first_student.email, demo.DEMO_PASSWORD)
    mentors = (await sam.list_mentors()).mentors
    assert len({tag for m in mentors for tag in m.profile.expertise}) >= 8
    assert (await sam.list_mentors(expertise="python")).total >= 2
    zones = {m.profile.timezone.split("/")[0] for m in mentors}
    assert {"Europe", "America", "Asia"} <= zones
    assert all(m.profile.bio and m.profile.profession and m.profile.hourly_rate for m in mentors)
    assert all([await sam.get_availability(m.profile.id) for m in mentors])
    assert any(m.rating_count for m in mentors)
    sessions = [view.session for view in await sam.my_sessions()]
    assert any(s.status is SessionStatus.COMPLETED and s.rating is None for s in sessions)  # one left to rate


async def test_demo_shows_notes_with_open_items_and_a_replied_review(db_path, clock, connect):
    """On first run: Maya's notes of an earlier session with Sam, whose open items carry into their
    next session, and her reply to a review on her public page; the notices of both already read."""
    from mentor_tui.domain.models import NotificationKind

    demo.seed_demo(db_path, clock.now())
    sam = connect("sam")
    await sam.sign_in("sam@demo.mentor-tui.dev", demo.DEMO_PASSWORD)
    views = await sam.my_sessions()
    maya_id = next(v.session.mentor_id for v in views if v.mentor_name == "Maya Okafor")
    next_one = min((v.session for v in views
                    if v.session.mentor_id == maya_id and v.session.status is SessionStatus.CONFIRMED),
                   key=lambda s: s.scheduled_time)
    carried = await sam.carried_items(next_one)
    assert carried is not None
    earlier, items = carried
    assert items == [
        "Write a parametrized test for the three date formats",
        "Read the pytest chapter on fixtures before our next call",
    ]
    written_up = next(v.session for v in views if v.session.id == earlier.session_id)
    assert (written_up.status, written_up.rating) == (SessionStatus.COMPLETED, None)  # still Sam's to rate
    replied = [r for r in await sam.mentor_reviews(maya_id, 10) if r.reply]
    assert len(replied) == 1 and replied[0].comment
    told = [n for n in await sam.notifications() if n.kind is NotificationKind.NOTES_WRITTEN]
    assert [(n.session_id, n.read_at is not None) for n in told] == [(earlier.session_id, True)]


async def test_demo_leaves_a_database_with_real_accounts_alone(db_path, clock, connect):
    await sign_up(connect, "real", Role.STUDENT)
    with pytest.raises(NotAllowed, match="already has accounts"):
        demo.seed_demo(db_path, clock.now())
    assert demo.demo_logins(db_path) == ()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from accounts").fetchone() == (1,)


async def test_demo_gives_the_first_mentor_work_to_do(db_path, clock, connect):
    demo.seed_demo(db_path, clock.now())
    maya = connect("maya")
    profile = await maya.sign_in("maya@demo.mentor-tui.dev", demo.DEMO_PASSWORD)
    assert "Python" in profile.expertise
    sessions = [view.session for view in await maya.my_sessions()]
    now = clock.now()
    assert any(s.status is SessionStatus.PENDING and s.scheduled_time > now for s in sessions)
    assert any(s.status is SessionStatus.CONFIRMED and s.meeting_link and s.scheduled_time > now for s in sessions)
    assert any(s.cancellation_reason for s in sessions if s.status is SessionStatus.CANCELLED)
    started = [s for s in sessions if s.status is SessionStatus.CONFIRMED and s.scheduled_time <= now < s.end_time]
    assert started
    before = {st.student_id: st.total_sessions for st in await maya.mentor_students()}
    await maya.complete_session(started[0].id, "Good work")
    after = {st.student_id: st.total_sessions for st in await maya.mentor_students()}
    assert after[started[0].student_id] == before.get(started[0].student_id, 0) + 1
    with sqlite3.connect(db_path) as conn:  # someone completed a session yesterday, with feedback
        yesterday = (now - timedelta(days=1)).date().isoformat()
        assert conn.execute(
            "select count(*) from mentor_sessions where status = 'completed' and feedback is not null"
            " and substr(scheduled_time, 1, 10) = ?",
            (yesterday,),
        ).fetchone()[0]


def test_demo_summaries_match_completed_sessions(db_path, clock):
    demo.seed_demo(db_path, clock.now())
    with sqlite3.connect(db_path) as conn:
        summaries = conn.execute(
            "select mentor_id, student_id, total_sessions, last_session_date from mentor_students order by 1, 2"
        ).fetchall()
        expected = conn.execute(
            "select mentor_id, student_id, count(*), max(scheduled_time) from mentor_sessions"
            " where status = 'completed' group by mentor_id, student_id order by 1, 2"
        ).fetchall()
    assert summaries == expected and summaries


def test_demo_data_keeps_the_rules(db_path, clock):
    demo.seed_demo(db_path, clock.now())
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        profiles = conn.execute("select * from user_profiles").fetchall()
        sessions = conn.execute("select * from mentor_sessions").fetchall()
    for row in profiles:
        update = ProfileUpdate(
            full_name=row["full_name"], profession=row["profession"], experience=row["experience"],
            bio=row["bio"], expertise=tuple(json.loads(row["expertise"])), meeting_url=row["meeting_url"],
        )
        assert rules.profile_errors(update) == {}, row["full_name"]
    fields = ("subject", "notes", "meeting_link", "feedback", "review", "cancellation_reason")
    for row in sessions:
        assert rules.text_errors({name: row[name] for name in fields}) == {}, row["id"]


def test_demo_logins_never_follow_a_symlink(db_path, clock, tmp_path):
    demo.seed_demo(db_path, clock.now())
    link = tmp_path / "link.db"
    link.symlink_to(db_path)
    assert demo.demo_logins(db_path) and demo.demo_logins(link) == ()


def test_demo_is_deterministic_for_a_given_now(tmp_path, clock):
    def visible(db: Path) -> list[tuple]:
        demo.seed_demo(db, clock.now())
        with sqlite3.connect(db) as conn:
            return conn.execute(
                "select m.full_name, st.full_name, s.subject, s.scheduled_time, s.duration_minutes, s.status,"
                " s.notes, s.meeting_link, s.feedback, s.rating, s.review, s.cancellation_reason"
                " from mentor_sessions s join user_profiles m on m.id = s.mentor_id"
                " join user_profiles st on st.id = s.student_id order by s.scheduled_time, m.full_name"
            ).fetchall()

    assert visible(tmp_path / "a.db") == visible(tmp_path / "b.db")
