"""The embedded database file: whose it is, which version wrote it, what kind of file it is,
and rows written by older versions or by hand with times no screen can use."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_local_repository import PASSWORD, cheap_hashing, db_path  # noqa: F401 - fixtures

from mentor_tui.domain.errors import InvalidInput, NotAllowed, StorageRefused
from mentor_tui.domain.models import (
    INVALID_TIME,
    BookingRequest,
    ProfileUpdate,
    Role,
    SessionStatus,
)
from mentor_tui.repository import local, sqlite_file
from mentor_tui.repository.local import LocalRepository
from mentor_tui.repository.sqlite_file import APPLICATION_ID, NEWER_DATABASE
from mentor_tui.services import Services


def our_version() -> int:
    return sqlite_file.schema_version(sqlite_file.schema_files())


def header(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return conn.execute("pragma application_id").fetchone()[0], conn.execute("pragma user_version").fetchone()[0]


def test_a_new_database_is_private_and_marked_as_ours(db_path):
    old_umask = os.umask(0)  # the mode comes from the code, not from a strict umask
    try:
        sqlite_file.connect(db_path).close()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert header(db_path) == (APPLICATION_ID, our_version())


def test_an_empty_file_becomes_a_database(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    sqlite_file.connect(db_path).close()
    assert header(db_path) == (APPLICATION_ID, our_version())


@pytest.fixture
def before_upgrades(monkeypatch, tmp_path):
    """Databases made from here on are made as a version without the upgrade steps made them."""
    none = tmp_path / "no-upgrades"
    none.mkdir()
    monkeypatch.setattr(sqlite_file, "UPGRADE_DIR", none)
    return monkeypatch


def test_a_database_from_before_the_mark_is_adopted(db_path, before_upgrades):
    """Versions before the header mark kept only ``meta.schema_version``."""
    conn = sqlite_file.connect(db_path)
    conn.execute("pragma application_id = 0")
    conn.execute("pragma user_version = 0")
    conn.execute("update meta set value = '006_mentor_students' where key = 'schema_version'")
    conn.close()
    before_upgrades.undo()
    sqlite_file.connect(db_path).close()
    assert header(db_path) == (APPLICATION_ID, our_version())


def session_columns(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[1] for row in conn.execute("pragma table_info(mentor_sessions)")]


async def test_an_old_database_gains_the_new_columns_once_and_keeps_its_rows(db_path, tmp_path, clock, before_upgrades):
    """A file from version 7 (no cancelled_by, no declined): opening it runs upgrade 008 once."""
    mentor = Services(LocalRepository(db_path, tmp_path / "state" / "mentor", clock), clock)
    student = Services(LocalRepository(db_path, tmp_path / "state" / "student", clock), clock)
    mentor_id = (await mentor.sign_up("mentor@example.org", PASSWORD, "Mentor", Role.MENTOR)).id
    student_id = (await student.sign_up("student@example.org", PASSWORD, "Student", Role.STUDENT)).id
    for services in (mentor, student):
        await services.close()
    assert header(db_path) == (APPLICATION_ID, 7)
    assert "cancelled_by" not in session_columns(db_path)
    start, stamp = local.to_db_time(clock.now() + timedelta(days=1)), local.to_db_time(clock.now())
    with sqlite3.connect(db_path) as conn:  # a row as version 7 wrote it
        conn.execute(
            "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes,"
            " status, created_at, updated_at) values ('old', ?, ?, 'Old', ?, 60, 'pending', ?, ?)",
            (mentor_id, student_id, start, stamp, stamp),
        )

    before_upgrades.undo()
    mentor = Services(LocalRepository(db_path, tmp_path / "state" / "mentor", clock), clock)
    try:
        assert await mentor.restore() is not None
        [view] = await mentor.my_sessions()
        assert (view.session.id, view.session.subject, view.session.status) == ("old", "Old", SessionStatus.PENDING)
        assert (view.session.cancelled_by, view.session.declined) == (None, False)
        declined = await mentor.decline_session("old", "Away")
        assert (declined.cancelled_by, declined.declined) == (mentor_id, True)
    finally:
        await mentor.close()
    assert header(db_path) == (APPLICATION_ID, our_version()) and our_version() >= 8
    sqlite_file.connect(db_path).close()  # at the newest version now: the step does not run again
    assert session_columns(db_path).count("cancelled_by") == 1


def test_the_database_refuses_a_canceller_who_is_not_a_party(db_path):
    conn = sqlite_file.connect(db_path)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    try:
        m, s, x = (
            local.create_account(conn, email=f"{who}@example.org", password=PASSWORD, full_name=who, role=role, now=now).id
            for who, role in (("m", Role.MENTOR), ("s", Role.STUDENT), ("x", Role.STUDENT))
        )
        conn.execute(
            "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes,"
            " status, created_at, updated_at) values ('s1', ?, ?, 'x', '2026-12-01T10:00:00.000000+00:00', 60,"
            " 'cancelled', ?, ?)",
            (m, s, local.to_db_time(now), local.to_db_time(now)),
        )
        with pytest.raises(sqlite3.IntegrityError, match="only a party"):
            conn.execute("update mentor_sessions set cancelled_by = ? where id = 's1'", (x,))
        with pytest.raises(sqlite3.IntegrityError, match="only the mentor declines"):
            conn.execute("update mentor_sessions set cancelled_by = ?, declined = 1 where id = 's1'", (s,))
        conn.execute("update mentor_sessions set cancelled_by = ?, declined = 1 where id = 's1'", (m,))
    finally:
        conn.close()


def refused_untouched(path: Path, match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(StorageRefused, match=match) as caught:
        sqlite_file.connect(path)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no journal or WAL left


def test_a_database_from_a_newer_version_is_refused_untouched(db_path):
    sqlite_file.connect(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"pragma user_version = {our_version() + 1}")
        conn.execute("pragma journal_mode = delete")
    refused_untouched(db_path, "^This database was made by a newer version of mentor-tui; upgrade mentor-tui.$")
    assert NEWER_DATABASE == "This database was made by a newer version of mentor-tui; upgrade mentor-tui."


def test_an_unmarked_database_of_a_newer_version_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("create table meta (key text primary key, value text not null)")
        conn.execute("insert into meta values ('schema_version', ?)", (f"{our_version() + 1:03d}_future",))
    refused_untouched(db_path, "newer version")


@pytest.mark.parametrize(
    "setup",
    [
        "create table notes (id integer primary key, body text)",
        "create table meta (name text, value text)",  # a meta table, but not ours
        "pragma application_id = 1234",  # another application's mark on an empty database
    ],
    ids=["other-tables", "other-meta", "other-application-id"],
)
def test_another_programs_sqlite_file_is_refused_untouched(db_path, setup):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute(setup)
        conn.execute("create table if not exists filler (x)")
        conn.commit()
    refused_untouched(db_path, "is not a mentor-tui database")


@pytest.mark.parametrize("content", [b"hello", b"PK\x03\x04 a zip archive" * 50], ids=["short", "zip"])
def test_a_file_that_is_not_sqlite_is_refused_untouched(db_path, content):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    refused_untouched(db_path, "not SQLite")


def test_a_symlink_is_never_followed(db_path, tmp_path):
    target = tmp_path / "real.db"
    sqlite_file.connect(target).close()
    before = target.read_bytes()
    db_path.parent.mkdir(parents=True)
    db_path.symlink_to(target)
    with pytest.raises(StorageRefused, match="symbolic link"):
        sqlite_file.connect(db_path)
    assert target.read_bytes() == before


def test_a_dangling_symlink_creates_nothing(db_path, tmp_path):
    db_path.parent.mkdir(parents=True)
    db_path.symlink_to(tmp_path / "would-be-created.db")
    with pytest.raises(StorageRefused, match="symbolic link"):
        sqlite_file.connect(db_path)
    assert not (tmp_path / "would-be-created.db").exists()


def test_a_fifo_is_refused_without_hanging(db_path):
    db_path.parent.mkdir(parents=True)
    os.mkfifo(db_path)
    outcome: list[BaseException] = []

    def open_it() -> None:
        try:
            sqlite_file.connect(db_path)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    opener = threading.Thread(target=open_it, daemon=True)
    opener.start()
    opener.join(timeout=30)  # a safety net so a regression fails instead of hanging the run
    if opener.is_alive():
        with open(db_path, "wb"):  # release the blocked opener so the thread ends
            pass
        pytest.fail("opening a FIFO as the database blocked")
    assert len(outcome) == 1 and isinstance(outcome[0], StorageRefused)
    assert "FIFO" in str(outcome[0])


async def test_the_repository_reports_a_refused_file_as_storage_refused(db_path, tmp_path, clock):
    db_path.parent.mkdir(parents=True)
    db_path.symlink_to(tmp_path / "elsewhere.db")
    repo = LocalRepository(db_path, tmp_path / "state", clock)
    try:
        with pytest.raises(StorageRefused):
            await repo.sign_in("ann@example.org", PASSWORD)
    finally:
        await repo.close()


# --- rows with times no screen can use ---------------------------------------------------------

BAD_TIMES = ["infinity", "20000-01-01T00:00:00+00:00", "1999-12-31T23:00:00.000000+00:00", "not a time"]


def test_the_database_refuses_unusable_times(db_path):
    conn = sqlite_file.connect(db_path)
    try:
        for bad in BAD_TIMES:
            with pytest.raises(sqlite3.IntegrityError, match="invalid_time"):
                conn.execute(
                    "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time,"
                    " duration_minutes, created_at, updated_at) values ('x', 'm', 's', 'S', ?, 60, 'now', 'now')",
                    (bad,),
                )
    finally:
        conn.close()


@pytest.fixture
async def people(db_path, tmp_path, clock):
    mentor = Services(LocalRepository(db_path, tmp_path / "state" / "mentor", clock), clock)
    student = Services(LocalRepository(db_path, tmp_path / "state" / "student", clock), clock)
    await mentor.sign_up("mentor@example.org", PASSWORD, "Mentor", Role.MENTOR)
    await student.sign_up("student@example.org", PASSWORD, "Student", Role.STUDENT)
    yield mentor, student
    await mentor.close()
    await student.close()


@pytest.mark.parametrize("when", [timedelta(days=731), timedelta(days=365 * 100)], ids=["past-two-years", "far"])
async def test_the_embedded_backend_refuses_a_booking_beyond_two_years(people, clock, when):
    mentor, student = people
    assert mentor.me is not None
    request = BookingRequest(
        mentor_id=mentor.me.id, subject="Python", scheduled_time=clock.now() + when, duration_minutes=60
    )
    with pytest.raises(InvalidInput) as caught:
        await student.create_session(request)
    assert caught.value.field == "scheduled_time"
    assert await student.my_sessions() == []


def write_legacy_rows(db_path: Path, mentor_id: str, student_id: str) -> None:
    """Rows as an older version, the web app or a hand-edit could have left them: the
    guarding triggers did not exist then, so they are dropped while writing."""
    stamp = "2026-11-01T00:00:00.000000+00:00"
    with sqlite3.connect(db_path) as conn:
        conn.execute("drop trigger mentor_sessions_real_time_insert")
        for n, (when, status, rating) in enumerate(
            [
                ("infinity", "pending", None),
                ("20000-01-01T00:00:00+00:00", "confirmed", None),
                ("1999-12-31T23:00:00.000000+00:00", "pending", None),
                ("not a time", "confirmed", None),
                ("9999-12-31T23:00:00+00:00", "confirmed", None),
            ]
        ):
            conn.execute(
                "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time,"
                " duration_minutes, status, rating, created_at, updated_at) values (?, ?, ?, ?, ?, 60, ?, ?, ?, ?)",
                (f"legacy-{n}", mentor_id, student_id, f"Legacy {n}", when, status, rating, stamp, stamp),
            )
        # A completed, rated one: completed by update, as the summary trigger wants.
        conn.execute(
            "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time,"
            " duration_minutes, status, created_at, updated_at) values ('legacy-rated', ?, ?, 'Rated', 'infinity',"
            " 60, 'confirmed', ?, ?)",
            (mentor_id, student_id, stamp, stamp),
        )
        conn.execute("update mentor_sessions set status = 'completed', rating = 4, review = 'ok' where id = 'legacy-rated'")


async def test_legacy_rows_with_unusable_times_are_read_and_change_nothing(people, db_path, clock, tmp_path):
    mentor, student = people
    assert mentor.me and student.me
    mentor_id, student_id = mentor.me.id, student.me.id
    await mentor.close()
    await student.close()
    write_legacy_rows(db_path, mentor_id, student_id)

    mentor = Services(LocalRepository(db_path, tmp_path / "state" / "mentor", clock), clock)
    student = Services(LocalRepository(db_path, tmp_path / "state" / "student", clock), clock)
    try:
        assert await mentor.restore() and await student.restore()
        for repo in (mentor, student):
            views = await repo.my_sessions()
            assert len(views) == 6
            assert all(v.session.time_invalid and v.session.scheduled_time == INVALID_TIME for v in views)
        reviews = await student.mentor_reviews(mentor_id)
        assert [(r.rating, r.time_invalid) for r in reviews] == [(4, True)]
        students = await mentor.mentor_students()
        assert [(s.student_id, s.last_session_date) for s in students] == [(student_id, None)]
        stats = await mentor.dashboard_stats()
        assert stats.total_students == 1 and stats.rating_count == 1
        assert stats.upcoming_sessions == 0  # none of them has a time that is coming

        # No action applies, and the rows hold no time a new booking must avoid.
        with pytest.raises(NotAllowed, match="invalid time"):
            await mentor.confirm_session("legacy-0", "")
        with pytest.raises(NotAllowed, match="invalid time"):
            await student.cancel_session("legacy-1", "changed my mind")
        far = datetime(2028, 11, 20, 9, tzinfo=timezone.utc)
        assert await student.busy_times(mentor_id, far - timedelta(days=1), far + timedelta(days=1)) == []
        booked = await student.create_session(
            BookingRequest(mentor_id=mentor_id, subject="Real", scheduled_time=far, duration_minutes=60)
        )
        assert booked.status is SessionStatus.PENDING and not booked.time_invalid
        with sqlite3.connect(db_path) as conn:  # opening again put the guard back
            names = {row[0] for row in conn.execute("select name from sqlite_master where type = 'trigger'")}
        assert "mentor_sessions_real_time_insert" in names
        await mentor.update_profile(ProfileUpdate(bio="Still works."))
    finally:
        await mentor.close()
        await student.close()
