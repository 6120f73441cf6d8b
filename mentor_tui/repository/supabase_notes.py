"""Rows of 026 (reviews in depth and session notes) as models, for ``SupabaseRepository``."""

from __future__ import annotations

from ..domain.models import ReviewStats, SessionNotes, parse_session_time
from .supabase_rows import Row

NOTES_COLUMNS = "session_id,summary,updated_at,session_time"


def notes_from_row(row: Row) -> SessionNotes:
    held, invalid = parse_session_time(row.get("session_time"))
    return SessionNotes(
        session_id=row["session_id"],
        summary=row["summary"],
        updated_at=row["updated_at"],
        session_time=None if invalid else held,
    )


def stats_from_row(row: Row | None) -> ReviewStats:
    """``mentor_review_stats``' one row; no row is a mentor with nothing counted yet."""
    if row is None:
        return ReviewStats()
    stars = tuple(int(row.get(f"stars_{n}") or 0) for n in range(1, 6))
    return ReviewStats(stars=stars, completed_sessions=int(row.get("completed_count") or 0))  # type: ignore[arg-type]
