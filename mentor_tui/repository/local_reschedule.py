"""The embedded backend's rescheduling and no-shows (``sql/sqlite/upgrade/014_reschedules.sql``):
reading what the services' checks need and writing, inside the caller's ``BEGIN IMMEDIATE``
transaction. An accepted move updates the session's time first (the schema's triggers refuse
a clash, and any move no open request names) and then closes the request."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from ..domain.booking_rules import context_window
from ..domain.models import MentorSession
from ..domain.no_show import NoShow, absent_party
from ..domain.reschedule import RescheduleFacts, RescheduleRequest, RescheduleStatus, held_window
from .base import NoShowCheck, RescheduleCheck
from .local import (
    _availability,
    _booking_rules,
    _busy,
    _load_profile,
    _load_session,
    _mentor_held,
    insert_row,
    new_id,
    to_db_time,
)

_REQUEST_COLUMNS = ", ".join(f"r.{name}" for name in RescheduleRequest.model_fields)
_NO_SHOW_COLUMNS = ", ".join(f"n.{name}" for name in NoShow.model_fields)
_MY_SESSION = "join mentor_sessions s on s.id = {}.session_id and :me in (s.mentor_id, s.student_id)"

__all__ = ["answer", "mark_no_show", "no_shows", "propose", "requests"]


def _request(row: sqlite3.Row) -> RescheduleRequest:
    return RescheduleRequest.model_validate(dict(row))


def requests(conn: sqlite3.Connection, me: str) -> list[RescheduleRequest]:
    rows = conn.execute(
        f"select {_REQUEST_COLUMNS} from session_reschedules r {_MY_SESSION.format('r')}"
        " order by r.created_at, r.rowid",
        {"me": me},
    ).fetchall()
    return [_request(row) for row in rows]


def _facts(
    conn: sqlite3.Connection, session: MentorSession | None, request: RescheduleRequest | None,
    new_time: datetime | None, me: str,
) -> RescheduleFacts:
    if session is None or new_time is None:
        return RescheduleFacts(session, request)
    start, end = held_window(new_time, session.duration_minutes)
    return RescheduleFacts(
        session,
        request,
        _load_profile(conn, session.mentor_id),
        _availability(conn, session.mentor_id),
        _busy(conn, (session.mentor_id, session.student_id), start, end),
        _booking_rules(conn, session.mentor_id),
        _mentor_held(conn, session.mentor_id, *context_window(new_time, session.duration_minutes)),
    )


def propose(
    conn: sqlite3.Connection, me: str, session_id: str, new_time: datetime, reason: str | None,
    check: RescheduleCheck, now: datetime,
) -> RescheduleRequest:
    session = _load_session(conn, session_id, me)
    row = conn.execute(
        f"select {_REQUEST_COLUMNS} from session_reschedules r where r.session_id = ? and r.status = 'open'",
        (session_id,),
    ).fetchone()
    check(_facts(conn, session, None if row is None else _request(row), new_time, me))
    assert session is not None  # check refuses a session that is not the person's
    request = RescheduleRequest(
        id=new_id(), session_id=session_id, proposed_by=me, old_time=session.scheduled_time, new_time=new_time,
        reason=reason, created_at=now,
    )
    insert_row(conn, "session_reschedules", request.model_dump(exclude={"answered_at"}))
    return request


def answer(
    conn: sqlite3.Connection, me: str, request_id: str, status: RescheduleStatus, check: RescheduleCheck,
    now: datetime,
) -> RescheduleRequest:
    row = conn.execute(
        f"select {_REQUEST_COLUMNS} from session_reschedules r {_MY_SESSION.format('r')} where r.id = :id",
        {"me": me, "id": request_id},
    ).fetchone()
    request = None if row is None else _request(row)
    session = None if request is None else _load_session(conn, request.session_id, me)
    moving = status is RescheduleStatus.ACCEPTED
    check(_facts(conn, session, request, request.new_time if moving and request else None, me))
    assert request is not None and session is not None  # check refuses a request that is not there
    if moving:
        conn.execute(
            "update mentor_sessions set scheduled_time = :new, updated_at = :now"
            " where id = :id and status in ('pending', 'confirmed')",
            {"new": to_db_time(request.new_time), "now": to_db_time(now), "id": session.id},
        )
    conn.execute(
        "update session_reschedules set status = :status, answered_at = :now where id = :id and status = 'open'",
        {"status": status.value, "now": to_db_time(now), "id": request.id},
    )
    return request.model_copy(update={"status": status, "answered_at": now})


def no_shows(conn: sqlite3.Connection, me: str) -> list[NoShow]:
    rows = conn.execute(
        f"select {_NO_SHOW_COLUMNS} from session_no_shows n {_MY_SESSION.format('n')} order by n.created_at, n.rowid",
        {"me": me},
    ).fetchall()
    return [NoShow.model_validate(dict(row)) for row in rows]


def mark_no_show(
    conn: sqlite3.Connection, me: str, session_id: str, note: str | None, check: NoShowCheck, now: datetime
) -> NoShow:
    session = _load_session(conn, session_id, me)
    marks = conn.execute(
        f"select {_NO_SHOW_COLUMNS} from session_no_shows n where n.session_id = ?", (session_id,)
    ).fetchall()
    check(session, [NoShow.model_validate(dict(row)) for row in marks])
    assert session is not None  # check refuses a session that is not the person's
    mark = NoShow(
        id=new_id(), session_id=session_id, marked_by=me, absent_id=absent_party(session, me), note=note,
        created_at=now,
    )
    insert_row(conn, "session_no_shows", mark.model_dump())
    return mark
