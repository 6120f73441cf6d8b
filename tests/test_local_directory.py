"""Upgrade 011 of the embedded database: each mentor's rating count and sum, kept by
triggers whoever writes the file, counted from the rated sessions an older file had."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime

import pytest
from test_local_repository import PASSWORD, cheap_hashing  # noqa: F401 - an autouse fixture

from mentor_tui.domain.models import Role
from mentor_tui.repository import local, sqlite_file

NOW = datetime(2026, 11, 1, tzinfo=UTC)
STAMP = local.to_db_time(NOW)
FIGURES = "select rating_count, rating_sum from mentor_ratings where mentor_id = ?"


def account(conn, name: str, role: Role) -> str:
    return local.create_account(
        conn, email=f"{name}@example.org", password=PASSWORD, full_name=name, role=role, now=NOW
    ).id


def session(conn, session_id: str, mentor: str, student: str, day: int, rating: int | None = None) -> None:
    """A session written straight to the file; completed, then rated, when ``rating`` is given."""
    conn.execute(
        "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes,"
        " status, created_at, updated_at) values (?, ?, ?, 'x', ?, 60, 'confirmed', ?, ?)",
        (session_id, mentor, student, f"2026-10-{day:02d}T10:00:00.000000+00:00", STAMP, STAMP),
    )
    if rating is not None:
        conn.execute("update mentor_sessions set status = 'completed' where id = ?", (session_id,))
        conn.execute("update mentor_sessions set rating = ? where id = ?", (rating, session_id))


def test_a_version_10_file_counts_the_ratings_it_had_once(tmp_path, monkeypatch):
    db_path = tmp_path / "mentor.db"
    upgrades_to_10 = tmp_path / "upgrades-to-10"
    upgrades_to_10.mkdir()
    for step in sqlite_file.UPGRADE_DIR.glob("*.sql"):
        if sqlite_file.file_version(step) <= 10:
            shutil.copy(step, upgrades_to_10)
    with monkeypatch.context() as patch:
        patch.setattr(sqlite_file, "UPGRADE_DIR", upgrades_to_10)
        old = sqlite_file.connect(db_path)
        assert old.execute("pragma user_version").fetchone()[0] == 10
        ada, bob, sam = (account(old, n, r) for n, r in (("ada", Role.MENTOR), ("bob", Role.MENTOR), ("sam", Role.STUDENT)))
        for number, (mentor, day, rating) in enumerate(((ada, 1, 5), (ada, 2, 4), (bob, 3, 3), (bob, 4, None))):
            session(old, f"s{number}", mentor, sam, day, rating)
        old.close()
    sqlite_file.connect(db_path).close()
    sqlite_file.connect(db_path).close()  # at the newest version now: the step does not run again
    with sqlite3.connect(db_path) as conn:
        assert conn.execute(FIGURES, (ada,)).fetchall() == [(2, 9)]
        assert conn.execute(FIGURES, (bob,)).fetchall() == [(1, 3)]


@pytest.fixture
def conn(tmp_path):
    connection = sqlite_file.connect(tmp_path / "mentor.db")
    connection.row_factory = None  # plain tuples
    yield connection
    connection.close()


def test_whoever_writes_a_session_the_figures_follow(conn):
    ada, bob, sam = (account(conn, n, r) for n, r in (("ada", Role.MENTOR), ("bob", Role.MENTOR), ("sam", Role.STUDENT)))
    session(conn, "unrated", ada, sam, 1)
    assert conn.execute(FIGURES, (ada,)).fetchall() == []
    session(conn, "first", ada, sam, 2, 4)
    assert conn.execute(FIGURES, (ada,)).fetchall() == [(1, 4)]
    conn.execute("update mentor_sessions set status = 'completed', rating = 5 where id = 'unrated'")
    assert conn.execute(FIGURES, (ada,)).fetchall() == [(2, 9)]
    conn.execute("update mentor_sessions set feedback = 'Well prepared' where id = 'first'")
    assert conn.execute(FIGURES, (ada,)).fetchall() == [(2, 9)]
    conn.execute("update mentor_sessions set mentor_id = ? where id = 'first'", (bob,))
    assert (conn.execute(FIGURES, (ada,)).fetchall(), conn.execute(FIGURES, (bob,)).fetchall()) == ([(1, 5)], [(1, 4)])
    conn.execute("delete from mentor_notifications where session_id = 'unrated'")
    conn.execute("delete from mentor_sessions where id = 'unrated'")
    assert conn.execute(FIGURES, (ada,)).fetchall() == [(0, 0)]
