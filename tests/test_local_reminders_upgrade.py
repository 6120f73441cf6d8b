"""SQLite upgrade 016 on a database made before it: the notifications table is made again
with the reminder kinds, keeping every row, and the triggers of 009 and 010 still write to it."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta

import pytest
from test_local_repository import PASSWORD, cheap_hashing, db_path  # noqa: F401 - fixtures

from mentor_tui.domain.models import BookingRequest, NotificationKind, Role
from mentor_tui.repository import sqlite_file
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services


async def test_an_older_database_keeps_its_notifications_and_gains_reminders(db_path, tmp_path, clock, monkeypatch):
    # Every upgrade before 016: the code writing the rows below needs the columns they add.
    older = tmp_path / "upgrades-before-016"
    older.mkdir()
    for path in sqlite_file.UPGRADE_DIR.glob("*.sql"):
        if sqlite_file.file_version(path) < 16:
            shutil.copy(path, older / path.name)
    had = max(sqlite_file.file_version(path) for path in older.glob("*.sql"))
    monkeypatch.setattr(sqlite_file, "UPGRADE_DIR", older)

    mentor = Services(LocalRepository(db_path, tmp_path / "mentor", clock), clock)
    student = Services(LocalRepository(db_path, tmp_path / "student", clock), clock)
    await mentor.sign_up("mentor@example.org", PASSWORD, "Maya", Role.MENTOR)
    await student.sign_up("student@example.org", PASSWORD, "Sam", Role.STUDENT)
    start = (clock.now() + timedelta(minutes=30)).replace(second=0, microsecond=0)
    session = await student.create_session(BookingRequest(
        mentor_id=mentor.me.id, subject="Before 016", scheduled_time=start, duration_minutes=60,
    ))
    [before] = await mentor.notifications()
    for services in (mentor, student):
        await services.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma user_version").fetchone() == (had,)
    conn.close()

    monkeypatch.undo()
    mentor = Services(LocalRepository(db_path, tmp_path / "mentor", clock), clock)
    student = Services(LocalRepository(db_path, tmp_path / "student", clock), clock)
    try:
        await mentor.restore()
        await student.restore()
        assert await mentor.notifications() == [before]  # kept as it was
        await mentor.confirm_session(session.id)  # 009's trigger still writes to the new table
        assert [note.kind for note in await student.notifications()] == [NotificationKind.CONFIRMED]
        assert await student.record_reminder(session.id, NotificationKind.REMINDER) is True
        assert await student.record_reminder(session.id, NotificationKind.REMINDER) is False
    finally:
        for services in (mentor, student):
            await services.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("pragma user_version").fetchone()[0] >= 16
        with pytest.raises(sqlite3.IntegrityError):  # the CHECK still refuses kinds nobody knows
            conn.execute(
                "insert into mentor_notifications (user_id, kind, created_at) values (?, 'invented', '2026')",
                (student.me.id if student.me else "x",),
            )
    conn.close()
