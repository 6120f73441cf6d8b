"""The embedded backend's reviews in depth and session notes (upgrade 015): the queries
``LocalRepository`` runs for them, each on the connection it is given."""

from __future__ import annotations

import sqlite3
from ..domain.models import ReviewStats, SessionNotes, parse_session_time

_NOTES_COLUMNS = "n.session_id, n.summary, n.updated_at, n.session_time"


def notes_from_row(row: sqlite3.Row) -> SessionNotes:
    held, invalid = parse_session_time(row["session_time"])
    return SessionNotes(
        session_id=row["session_id"],
        summary=row["summary"],
        updated_at=row["updated_at"],
        session_time=None if invalid else held,
    )


def review_stats(conn: sqlite3.Connection, mentor_id: str) -> ReviewStats:
    row = conn.execute(
        "select stars_1, stars_2, stars_3, stars_4, stars_5, completed_count from mentor_ratings where mentor_id = ?",
        (mentor_id,),
    ).fetchone()
    if row is None:
        return ReviewStats()
    return ReviewStats(stars=tuple(row)[:5], completed_sessions=row["completed_count"])


def reply_to_review(conn: sqlite3.Connection, me: str, session_id: str, reply: str, now: str) -> bool:
    """Write the reply only while the session is the mentor's, completed, rated and unanswered."""
    return conn.execute(
        "update mentor_sessions set review_reply = ?, review_replied_at = ?"
        " where id = ? and mentor_id = ? and status = 'completed' and rating is not null and review_reply is null",
        (reply, now, session_id, me),
    ).rowcount == 1


def session_notes(conn: sqlite3.Connection, me: str, session_id: str) -> SessionNotes | None:
    row = conn.execute(
        f"select {_NOTES_COLUMNS} from session_notes n where n.session_id = ? and ? in (n.mentor_id, n.student_id)",
        (session_id, me),
    ).fetchone()
    return None if row is None else notes_from_row(row)


def save_session_notes(conn: sqlite3.Connection, me: str, session_id: str, summary: str, now: str) -> bool:
    """Insert or replace the notes of the mentor's session, with the session's pair and time
    (upgrade 015's trigger refuses a session that has not started); False when not theirs."""
    return conn.execute(
        "insert into session_notes (session_id, mentor_id, student_id, session_time, summary, updated_at)"
        " select s.id, s.mentor_id, s.student_id, s.scheduled_time, :summary, :now"
        " from mentor_sessions s where s.id = :session and s.mentor_id = :me"
        " on conflict (session_id) do update set summary = excluded.summary, updated_at = excluded.updated_at",
        {"summary": summary, "now": now, "session": session_id, "me": me},
    ).rowcount == 1


def latest_notes_before(
    conn: sqlite3.Connection, me: str, mentor_id: str, student_id: str, before: str
) -> SessionNotes | None:
    if me not in (mentor_id, student_id):
        return None
    row = conn.execute(
        f"select {_NOTES_COLUMNS} from session_notes n"
        " where n.mentor_id = ? and n.student_id = ? and n.session_time < ?"
        " order by n.session_time desc limit 1",
        (mentor_id, student_id, before),
    ).fetchone()
    return None if row is None else notes_from_row(row)
