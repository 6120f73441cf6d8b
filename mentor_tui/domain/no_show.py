"""No-shows: after a confirmed session has ended (one its mentor completed counts too), each
party may mark the other absent, once, with an optional note. Kept beside the session, never
as a status of its own (the web app that shares the sessions table knows only four). The
databases enforce the same again (``sql/supabase/024_no_shows.sql``,
``sql/sqlite/upgrade/014_reschedules.sql``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from . import messages, rules
from .errors import NotAllowed, NotFound
from .models import MentorSession, SessionStatus, UtcDatetime

MARKABLE = frozenset({SessionStatus.CONFIRMED, SessionStatus.COMPLETED})


class NoShow(BaseModel):
    """``marked_by`` says ``absent_id`` (the other party) did not come to the session."""

    model_config = ConfigDict(frozen=True)

    id: str
    session_id: str
    marked_by: str
    absent_id: str
    note: str | None = None
    created_at: UtcDatetime


def absent_party(session: MentorSession, person_id: str) -> str:
    """Whom ``person_id`` marks absent: the other party."""
    return session.student_id if person_id == session.mentor_id else session.mentor_id


def refusal(session: MentorSession, person_id: str, marks: Iterable[NoShow], now: datetime) -> str | None:
    """Why ``person_id`` may not mark the other party of ``session`` absent now, or None."""
    if rules.party_role(session, person_id) is None:
        return messages.NOT_A_PARTY
    if session.time_invalid:
        return messages.INVALID_TIME
    if session.status not in MARKABLE:
        return messages.NO_SHOW_NOT_CONFIRMED
    if session.end_time > now:
        return messages.NO_SHOW_NOT_ENDED
    if any(mark.session_id == session.id and mark.marked_by == person_id for mark in marks):
        return messages.NO_SHOW_ALREADY
    return None


def check_mark(session: MentorSession | None, person_id: str, marks: Iterable[NoShow], now: datetime) -> None:
    """The rule a backend calls with the session and its marks as read just before inserting."""
    if session is None:
        raise NotFound(messages.NO_SUCH_SESSION)
    reason = refusal(session, person_id, marks, now)
    if reason is not None:
        raise NotAllowed(reason)


__all__ = ["MARKABLE", "NoShow", "absent_party", "check_mark", "refusal"]
