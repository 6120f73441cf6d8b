"""The embedded backend: one SQLite file with the schema in ``sql/sqlite/``.

Storage only (``repository.base.Storage``): the services decide every rule and
message; the schema repeats the important rules (constraints and triggers) as a
second line. SQLite work runs in a worker thread on one connection guarded by a
lock, so the event loop never waits on the disk. Writes run in ``BEGIN IMMEDIATE``
transactions: the services' booking check and the insert happen under SQLite's
write lock, so two processes sharing the file cannot both take one slot.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TypeVar

from ..clock import Clock
from ..domain import messages
from ..domain.booking_rules import EXPIRED_REASON, BookingRules, context_window
from ..domain.errors import InvalidCredentials, InvalidInput, NotAllowed, NotSignedIn
from ..domain.models import (
    ACTIVE_STATUSES,
    AvailabilitySlot,
    BookingRequest,
    Conversation,
    MentorSession,
    MentorOrder,
    MentorPage,
    MentorStudent,
    MentorSummary,
    MentorTotals,
    Message,
    Notification,
    Profile,
    ProfileUpdate,
    Proposal,
    Review,
    ReviewStats,
    Role,
    SessionNotes,
    SessionStatus,
    SessionView,
    TimeRange,
    parse_session_time,
)
from ..domain.money import CENT
from ..domain.rules import MAX_DURATION
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleRequest, RescheduleStatus
from . import local_notes
from .base import BookingCheck, MessageCheck, NoShowCheck, ProposalCheck, RescheduleCheck, SessionChanges, WindowCheck
from .session_file import SessionFile
from .sqlite_file import connect, transaction, typed_errors

SESSION_FILE_NAME = "local-session.json"
SIGN_IN_LIFETIME = timedelta(days=30)
SCRYPT_PARAMETERS = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_SALT_BYTES = 16
# Hashed when the email is unknown, so a wrong email costs as long as a wrong password.
_NO_SUCH_ACCOUNT_SALT = bytes(_SALT_BYTES)

# Sorted: the partial indexes of upgrade 012 are used only by this exact list.
_ACTIVE = tuple(sorted(status.value for status in ACTIVE_STATUSES))
_PROFILE_COLUMNS = ", ".join(f"p.{name}" for name in Profile.model_fields)
_SESSION_STORED = tuple(name for name in MentorSession.model_fields if name != "time_invalid")  # read-side only
_SESSION_COLUMNS = ", ".join(f"s.{name}" for name in _SESSION_STORED)
_MESSAGE_COLUMNS = (
    "m.id, m.mentor_id, m.student_id, m.sender_id, m.body, m.created_at, m.read_at, m.session_id, m.proposal_id"
)
_PROPOSAL_COLUMNS = ", ".join(Proposal.model_fields)
_NOTIFICATION_COLUMNS = (
    "n.id, n.user_id, n.kind, n.session_id, n.message_id, n.actor_id, coalesce(a.full_name, '') as actor_name,"
    " n.detail, n.created_at, n.read_at"
)
# A person's sessions as two index searches (004's mentor and student indexes); the
# second branch leaves out a row the first found (the schema forbids one, but a hand edit).
_MINE = (
    "select * from mentor_sessions where mentor_id = :me"
    " union all select * from mentor_sessions where student_id = :me and mentor_id <> :me"
)
_FOLD = "mentor_lower"
"""Python's ``str.lower`` as an SQL function on our connection: the directory compares text
without regard to case beyond ASCII (SQLite's ``lower`` knows only ASCII), as PostgreSQL's
``lower`` does. Used in queries only, never in the schema, so other tools can still write
the file."""
_DIRECTORY_TEXT = (
    "p.full_name || char(10) || coalesce(p.profession, '') || char(10)"
    " || (select coalesce(group_concat(value, char(10)), '') from json_each(p.expertise))"
)
"""What a search looks in, one line per field (a search is one line: it never spans two)."""
_DIRECTORY_ORDER = {
    MentorOrder.RATING: (
        "coalesce(r.rating_count, 0) = 0, r.rating_sum * 1.0 / r.rating_count desc, r.rating_count desc, "
    ),
    MentorOrder.RATE: "p.hourly_rate is null, cast(p.hourly_rate as real), ",
    MentorOrder.NAME: "",
}
"""The directory's orders as Supabase's ``mentor_directory`` has them (019); ties by name, then id."""
_MENTORS = "user_profiles p left join mentor_ratings r on r.mentor_id = p.id"
_MENTOR_COLUMNS = f"{_PROFILE_COLUMNS}, r.rating_sum as rating_total, r.rating_count"

T = TypeVar("T")


# --- storage formats -----------------------------------------------------

def to_db_time(value: datetime) -> str:
    """UTC, fixed width (microseconds, '+00:00'), so text order is time order."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _db_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_db_time(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return json.dumps(list(value))
    if isinstance(value, str):
        return str(value)  # plain str, also for StrEnum members
    return value


def insert_row(conn: sqlite3.Connection, table: str, values: Mapping[str, Any]) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    conn.execute(f"insert into {table} ({columns}) values ({marks})", {k: _db_value(v) for k, v in values.items()})


def update_rows(conn: sqlite3.Connection, table: str, values: Mapping[str, Any], where: Mapping[str, Any]) -> int:
    """``update table set values where <all of where>``; returns the number of rows changed."""
    assignments = ", ".join(f"{name} = :set_{name}" for name in values)
    condition = " and ".join(f"{name} = :where_{name}" for name in where)
    params = {f"set_{k}": _db_value(v) for k, v in values.items()}
    params.update({f"where_{k}": _db_value(v) for k, v in where.items()})
    return conn.execute(f"update {table} set {assignments} where {condition}", params).rowcount


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _average(total: int | None, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total or 0) / count).quantize(CENT, rounding=ROUND_HALF_UP)


# --- rows to models (one mapping per model) -----------------------------------

def _profile(row: sqlite3.Row) -> Profile:
    return Profile.model_validate({**dict(row), "expertise": json.loads(row["expertise"])})


def _summary(row: sqlite3.Row) -> MentorSummary:
    count = row["rating_count"] or 0
    return MentorSummary(profile=_profile(row), average_rating=_average(row["rating_total"], count), rating_count=count)


def _session(row: sqlite3.Row) -> MentorSession:
    scheduled_time, time_invalid = parse_session_time(row["scheduled_time"])
    return MentorSession.model_validate(
        {**dict(row), "scheduled_time": scheduled_time, "time_invalid": time_invalid}
    )


def _review(row: sqlite3.Row) -> Review:
    session_date, time_invalid = parse_session_time(row["session_date"])
    return Review.model_validate({**dict(row), "session_date": session_date, "time_invalid": time_invalid})


def _session_view(row: sqlite3.Row) -> SessionView:
    return SessionView(
        session=_session(row),
        mentor_name=row["mentor_name"],
        student_name=row["student_name"],
        mentor_timezone=row["mentor_timezone"],
        student_timezone=row["student_timezone"],
        hourly_rate=row["hourly_rate"],
    )


def _slot(row: sqlite3.Row) -> AvailabilitySlot:
    return AvailabilitySlot.model_validate(dict(row))


def _student(row: sqlite3.Row) -> MentorStudent:
    last, invalid = parse_session_time(row["last_session_date"])
    return MentorStudent.model_validate({
        **dict(row),
        "last_session_date": None if invalid else last,
        "subjects": json.loads(row["subjects"]),
    })


def _message(row: sqlite3.Row) -> Message:
    return Message.model_validate(dict(row))


def _proposal(row: sqlite3.Row) -> Proposal:
    return Proposal.model_validate(dict(row))


def _notification(row: sqlite3.Row) -> Notification:
    return Notification.model_validate(dict(row))


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        other_id=row["other_id"], other_name=row["other_name"], last=_message(row), unread=row["unread"]
    )


# --- helpers shared with the demo data -----------------------------------------

def new_id() -> str:
    return str(uuid.uuid4())


def hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT_PARAMETERS)


def create_account(
    conn: sqlite3.Connection, *, email: str, password: str, full_name: str, role: Role, now: datetime, **details: Any
) -> Profile:
    """Insert an account and its profile; ``details`` are further Profile fields (profession, ...).
    Values are stored as given: the services normalise them first."""
    if conn.execute("select 1 from accounts where email = ?", (email,)).fetchone():
        raise InvalidInput("email", messages.EMAIL_IN_USE)
    profile = Profile(id=new_id(), email=email, full_name=full_name, role=role, **details)
    salt = secrets.token_bytes(_SALT_BYTES)
    insert_row(conn, "accounts", {
        "id": profile.id,
        "email": email,
        "password_salt": salt,
        "password_hash": hash_password(password, salt),
        "created_at": now,
    })
    insert_row(conn, "user_profiles", {**dict(profile), "created_at": now, "updated_at": now})
    return profile


def insert_session(conn: sqlite3.Connection, session: MentorSession) -> None:
    insert_row(conn, "mentor_sessions", session.model_dump(include=set(_SESSION_STORED)))


def insert_availability(conn: sqlite3.Connection, slot: AvailabilitySlot, now: datetime) -> None:
    values = {**dict(slot), "created_at": now}
    values["day_of_week"] = values.pop("weekday")
    insert_row(conn, "mentor_availability", values)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- queries ------------------------------------------------------------------------

def _load_profile(conn: sqlite3.Connection, user_id: str) -> Profile | None:
    row = conn.execute(f"select {_PROFILE_COLUMNS} from user_profiles p where p.id = ?", (user_id,)).fetchone()
    return None if row is None else _profile(row)


def _directory(
    conn: sqlite3.Connection, text: str, expertise: str | None, order: MentorOrder, limit: int
) -> tuple[list[MentorSummary], int]:
    """The first ``limit`` matching mentors in ``order``, and how many match in all."""
    conditions = ["p.role = 'mentor'"]
    if text:
        conditions.append(f"instr({_FOLD}({_DIRECTORY_TEXT}), :text) > 0")
    if expertise:
        conditions.append(f"exists (select 1 from json_each(p.expertise) where {_FOLD}(value) = :tag)")
    where = " and ".join(conditions)
    params = {"text": text.lower(), "tag": (expertise or "").lower(), "limit": limit}
    # Counted apart: the first rows then come in the order of an index (011) and the
    # reading stops at ``limit``, where a count over the same rows would read them all.
    (total,) = conn.execute(f"select count(*) from user_profiles p where {where}", params).fetchone()
    rows = conn.execute(
        f"select {_MENTOR_COLUMNS} from {_MENTORS} where {where}"
        f" order by {_DIRECTORY_ORDER[order]}p.full_name collate nocase, p.id limit :limit",
        params,
    ).fetchall()
    return [_summary(row) for row in rows], total


def _load_session(conn: sqlite3.Connection, session_id: str, user_id: str) -> MentorSession | None:
    """A session the user is a party to; to anyone else it does not exist."""
    row = conn.execute(
        f"select {_SESSION_COLUMNS} from mentor_sessions s where s.id = ? and ? in (s.mentor_id, s.student_id)",
        (session_id, user_id),
    ).fetchone()
    return None if row is None else _session(row)


def _availability(conn: sqlite3.Connection, mentor_id: str) -> list[AvailabilitySlot]:
    rows = conn.execute(
        "select id, mentor_id, day_of_week as weekday, start_time, end_time from mentor_availability"
        " where mentor_id = ? order by day_of_week, start_time",
        (mentor_id,),
    ).fetchall()
    return [_slot(row) for row in rows]


def _busy(conn: sqlite3.Connection, people: tuple[str, str], start: datetime, end: datetime) -> list[TimeRange]:
    """Held intervals of either person (as mentor or as student) overlapping ``[start, end)``."""
    # One branch per column, each through its held-time index (012), starts bounded
    # below by the longest session so the window is a range, not a person's history.
    held = (
        f"select scheduled_time, duration_minutes from mentor_sessions where {{}} in (:a, :b)"
        f" and status in {_ACTIVE} and unixepoch(scheduled_time) > unixepoch(:start) - {MAX_DURATION * 60}"
        " and unixepoch(scheduled_time) < unixepoch(:end)"
    )
    rows = conn.execute(
        f"select distinct scheduled_time, duration_minutes from ({held.format('mentor_id')}"
        f" union all {held.format('student_id')})"
        " where unixepoch(scheduled_time) + duration_minutes * 60 > unixepoch(:start)"
        " order by scheduled_time",
        {"a": people[0], "b": people[1], "start": to_db_time(start), "end": to_db_time(end)},
    ).fetchall()
    ranges = []
    for row in rows:
        begins, invalid = parse_session_time(row["scheduled_time"])
        if not invalid:  # an unusable stored time holds no slot a reader could compute
            ranges.append(TimeRange(start=begins, end=begins + timedelta(minutes=row["duration_minutes"])))
    return ranges


def _mentor_held(conn: sqlite3.Connection, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
    """The mentor's own held intervals overlapping ``[start, end)`` (their limits and buffers)."""
    rows = conn.execute(
        f"select scheduled_time, duration_minutes from mentor_sessions where mentor_id = :m and status in {_ACTIVE}"
        f" and unixepoch(scheduled_time) > unixepoch(:start) - {MAX_DURATION * 60}"
        " and unixepoch(scheduled_time) < unixepoch(:end)"
        " and unixepoch(scheduled_time) + duration_minutes * 60 > unixepoch(:start) order by scheduled_time",
        {"m": mentor_id, "start": to_db_time(start), "end": to_db_time(end)},
    ).fetchall()
    ranges = []
    for row in rows:
        begins, invalid = parse_session_time(row["scheduled_time"])
        if not invalid:
            ranges.append(TimeRange(start=begins, end=begins + timedelta(minutes=row["duration_minutes"])))
    return ranges


_RULE_COLUMNS = tuple(name for name in BookingRules.__dataclass_fields__ if name != "mentor_id")


def _booking_rules(conn: sqlite3.Connection, mentor_id: str) -> BookingRules:
    row = conn.execute(
        f"select {', '.join(_RULE_COLUMNS)} from mentor_booking_rules where mentor_id = ?", (mentor_id,)
    ).fetchone()
    return BookingRules(mentor_id=mentor_id, **({} if row is None else dict(row)))


def _shared_session(conn: sqlite3.Connection, mentor_id: str, student_id: str) -> bool:
    """Whether the pair share a session of any status (who may message or propose)."""
    found = conn.execute(
        "select 1 from mentor_sessions where mentor_id = ? and student_id = ? limit 1", (mentor_id, student_id)
    ).fetchone()
    return found is not None


class LocalRepository:
    """Storage on a SQLite file; acts only as the signed-in person."""

    name = "local"

    def __init__(self, db_path: Path, state_dir: Path, clock: Clock) -> None:
        self.db_path = Path(db_path)
        self._clock = clock
        self._session_file = SessionFile(Path(state_dir) / SESSION_FILE_NAME)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._user_id: str | None = None
        self._token_hash: str | None = None

    # --- running SQL off the event loop ------------------------------------------

    async def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self._locked, work, False)

    async def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self._locked, work, True)

    def _locked(self, work: Callable[[sqlite3.Connection], T], write: bool) -> T:
        with self._lock, typed_errors(self.db_path):
            if self._conn is None:
                self._conn = connect(self.db_path)
                self._conn.create_function(_FOLD, 1, _lower, deterministic=True)
            if not write:
                return work(self._conn)
            with transaction(self._conn) as conn:
                return work(conn)

    def _me(self) -> str:
        """The signed-in person's id: whom every query acts as."""
        if self._user_id is None:
            raise NotSignedIn()
        return self._user_id

    # --- auth ------------------------------------------------------------------------

    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> Profile:
            profile = create_account(conn, email=email, password=password, full_name=full_name, role=role, now=now)
            self._remember(conn, profile.id, now)
            return profile

        return await self._write(work)

    async def sign_in(self, email: str, password: str) -> Profile:
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> Profile:
            row = conn.execute(
                "select id, password_salt, password_hash from accounts where email = ?", (email,)
            ).fetchone()
            salt, expected = (row["password_salt"], row["password_hash"]) if row else (_NO_SUCH_ACCOUNT_SALT, b"")
            if not hmac.compare_digest(hash_password(password, salt), expected) or row is None:
                raise InvalidCredentials()
            profile = _load_profile(conn, row["id"])
            if profile is None:
                raise InvalidCredentials()
            self._remember(conn, profile.id, now)
            return profile

        return await self._write(work)

    def _remember(self, conn: sqlite3.Connection, user_id: str, now: datetime) -> None:
        """Start a remembered sign-in: the token's hash in the table, the token itself in a private file."""
        token = secrets.token_urlsafe(32)
        token_hash = _token_hash(token)
        insert_row(conn, "auth_sessions", {
            "token_hash": token_hash,
            "account_id": user_id,
            "created_at": now,
            "expires_at": now + SIGN_IN_LIFETIME,
        })
        self._session_file.save({"database": str(self.db_path.resolve()), "token": token})
        self._user_id, self._token_hash = user_id, token_hash

    async def sign_out(self) -> None:
        token_hash, self._user_id, self._token_hash = self._token_hash, None, None
        try:
            if token_hash is not None:
                await self._write(
                    lambda conn: update_rows(conn, "auth_sessions", {"revoked": 1}, {"token_hash": token_hash})
                )
        finally:
            await asyncio.to_thread(self._session_file.delete)

    async def restore(self) -> Profile | None:
        data = await asyncio.to_thread(self._session_file.load) or {}
        database, token = data.get("database"), data.get("token")
        ours = str(self.db_path.resolve())
        if isinstance(database, str) and isinstance(token, str) and database != ours:
            return None  # remembered for another database file: leave it for that one
        if database != ours or not isinstance(token, str):
            await asyncio.to_thread(self._session_file.delete)
            return None
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> Profile | None:
            row = conn.execute(
                "select account_id from auth_sessions where token_hash = ? and revoked = 0 and expires_at > ?",
                (_token_hash(token), to_db_time(now)),
            ).fetchone()
            return None if row is None else _load_profile(conn, row["account_id"])

        profile = await self._read(work)
        if profile is None:
            await asyncio.to_thread(self._session_file.delete)
            return None
        self._user_id, self._token_hash = profile.id, _token_hash(token)
        return profile

    # --- profiles ------------------------------------------------------------------

    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        me = self._me()
        values: dict[str, Any] = {name: getattr(changes, name) for name in changes.model_fields_set}
        values["updated_at"] = self._clock.now()

        def work(conn: sqlite3.Connection) -> Profile:
            update_rows(conn, "user_profiles", values, {"id": me})
            profile = _load_profile(conn, me)
            assert profile is not None  # the signed-in person's row; accounts are never deleted here
            return profile

        return await self._write(work)

    async def list_mentors(self, text: str, expertise: str | None, order: MentorOrder, limit: int) -> MentorPage:
        self._me()
        mentors, total = await self._read(lambda conn: _directory(conn, text, expertise, order, limit))
        return MentorPage(mentors=tuple(mentors), total=total)

    async def expertise_tags(self) -> list[str]:
        self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                "select distinct e.value from user_profiles p, json_each(p.expertise) e where p.role = 'mentor'"
            ).fetchall()
        )
        return [row[0] for row in rows]

    async def get_mentor(self, mentor_id: str) -> MentorSummary | None:
        self._me()
        row = await self._read(
            lambda conn: conn.execute(
                f"select {_MENTOR_COLUMNS} from {_MENTORS} where p.id = ? and p.role = 'mentor'", (mentor_id,)
            ).fetchone()
        )
        return None if row is None else _summary(row)

    async def mentor_reviews(self, mentor_id: str, limit: int) -> list[Review]:
        self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                "select rating, review as comment, scheduled_time as session_date, review_reply as reply"
                " from mentor_sessions"
                " where mentor_id = ? and status = 'completed' and rating is not null"
                " order by scheduled_time desc limit ?",
                (mentor_id, limit),
            ).fetchall()
        )
        return [_review(row) for row in rows]

    # --- reviews in depth and session notes (queries in local_notes) ----------------------

    async def review_stats(self, mentor_id: str) -> ReviewStats:
        self._me()
        return await self._read(lambda conn: local_notes.review_stats(conn, mentor_id))

    async def reply_to_review(self, session_id: str, reply: str) -> MentorSession | None:
        me, now = self._me(), to_db_time(self._clock.now())

        def work(conn: sqlite3.Connection) -> MentorSession | None:
            written = local_notes.reply_to_review(conn, me, session_id, reply, now)
            return _load_session(conn, session_id, me) if written else None

        return await self._write(work)

    async def session_notes(self, session_id: str) -> SessionNotes | None:
        me = self._me()
        return await self._read(lambda conn: local_notes.session_notes(conn, me, session_id))

    async def save_session_notes(self, session_id: str, summary: str) -> SessionNotes:
        me, now = self._me(), to_db_time(self._clock.now())

        def work(conn: sqlite3.Connection) -> SessionNotes:
            if not local_notes.save_session_notes(conn, me, session_id, summary, now):
                raise NotAllowed(messages.ONLY_MENTOR_WRITES_NOTES)
            saved = local_notes.session_notes(conn, me, session_id)
            assert saved is not None  # written just now in this transaction
            return saved

        return await self._write(work)

    async def latest_notes_before(self, mentor_id: str, student_id: str, before: datetime) -> SessionNotes | None:
        me, until = self._me(), to_db_time(before)
        return await self._read(lambda conn: local_notes.latest_notes_before(conn, me, mentor_id, student_id, until))

    # --- sessions ------------------------------------------------------------------

    async def my_sessions(self) -> list[SessionView]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                f"select {_SESSION_COLUMNS}, m.full_name as mentor_name, st.full_name as student_name,"
                " m.timezone as mentor_timezone, st.timezone as student_timezone, m.hourly_rate"
                f" from ({_MINE}) s join user_profiles m on m.id = s.mentor_id"
                " join user_profiles st on st.id = s.student_id"
                " order by s.scheduled_time desc, s.created_at desc",
                {"me": me},
            ).fetchall()
        )
        # Thousands of models for a busy mentor: built off the event loop, and after the
        # connection's lock is released.
        return await asyncio.to_thread(lambda: [_session_view(row) for row in rows])

    async def get_session(self, session_id: str) -> MentorSession | None:
        me = self._me()
        return await self._read(lambda conn: _load_session(conn, session_id, me))

    async def create_session(self, request: BookingRequest, check: BookingCheck) -> MentorSession:
        me = self._me()
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> MentorSession:
            mentor = _load_profile(conn, request.mentor_id)
            start = request.scheduled_time
            end = start + timedelta(minutes=request.duration_minutes)
            check(
                mentor,
                _availability(conn, request.mentor_id),
                _busy(conn, (request.mentor_id, me), start, end),
                _booking_rules(conn, request.mentor_id),
                _mentor_held(conn, request.mentor_id, *context_window(start, request.duration_minutes)),
            )
            session = MentorSession(
                id=new_id(),
                mentor_id=request.mentor_id,
                student_id=me,
                subject=request.subject,
                scheduled_time=start,
                duration_minutes=request.duration_minutes,
                status=SessionStatus.PENDING,
                notes=request.notes,
                created_at=now,
                updated_at=now,
            )
            insert_session(conn, session)
            return session

        return await self._write(work)

    async def write_session(
        self, session_id: str, expected: SessionStatus, changes: SessionChanges, *, unrated: bool = False
    ) -> MentorSession | None:
        me = self._me()
        values = {name: _db_value(value) for name, value in changes.items()}
        values["updated_at"] = to_db_time(self._clock.now())
        assignments = [f"{name} = :set_{name}" for name in values]
        if changes.get("status") == SessionStatus.CANCELLED:
            # Who cancelled, judged on the row as it was (SQLite evaluates the right-hand
            # sides on the old row): the database's record, as Supabase's trigger keeps it.
            assignments += ["cancelled_by = :me", "declined = (status = 'pending' and mentor_id = :me)"]
        params = {f"set_{name}": value for name, value in values.items()}
        params |= {"id": session_id, "expected": str(expected), "me": me}

        def work(conn: sqlite3.Connection) -> MentorSession | None:
            changed = conn.execute(
                f"update mentor_sessions set {', '.join(assignments)}"
                " where id = :id and status = :expected and :me in (mentor_id, student_id)"
                + (" and rating is null" if unrated else ""),
                params,
            ).rowcount
            return _load_session(conn, session_id, me) if changed else None

        return await self._write(work)

    # --- rescheduling and no-shows (repository/local_reschedule.py) ------------------

    async def propose_reschedule(
        self, session_id: str, new_time: datetime, reason: str | None, check: RescheduleCheck
    ) -> RescheduleRequest:
        from . import local_reschedule

        me, now = self._me(), self._clock.now()
        return await self._write(lambda conn: local_reschedule.propose(conn, me, session_id, new_time, reason, check, now))

    async def answer_reschedule(
        self, request_id: str, answer: RescheduleStatus, check: RescheduleCheck
    ) -> RescheduleRequest:
        from . import local_reschedule

        me, now = self._me(), self._clock.now()
        return await self._write(lambda conn: local_reschedule.answer(conn, me, request_id, answer, check, now))

    async def reschedules(self) -> list[RescheduleRequest]:
        from . import local_reschedule

        me = self._me()
        return await self._read(lambda conn: local_reschedule.requests(conn, me))

    async def mark_no_show(self, session_id: str, note: str | None, check: NoShowCheck) -> NoShow:
        from . import local_reschedule

        me, now = self._me(), self._clock.now()
        return await self._write(lambda conn: local_reschedule.mark_no_show(conn, me, session_id, note, check, now))

    async def no_shows(self) -> list[NoShow]:
        from . import local_reschedule

        me = self._me()
        return await self._read(lambda conn: local_reschedule.no_shows(conn, me))

    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        me = self._me()
        return await self._read(lambda conn: _busy(conn, (mentor_id, me), start, end))

    # --- mentor side -----------------------------------------------------------------

    async def mentor_students(self) -> list[MentorStudent]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                "select ms.mentor_id, ms.student_id, p.full_name as student_name, ms.total_sessions,"
                " ms.last_session_date, ms.subjects,"
                " (select count(*) from session_no_shows n where n.absent_id = ms.student_id"
                "  and n.marked_by = ms.mentor_id) as no_shows"
                " from mentor_students ms join user_profiles p on p.id = ms.student_id"
                " where ms.mentor_id = ? order by p.full_name collate nocase, p.id",
                (me,),
            ).fetchall()
        )
        return [_student(row) for row in rows]

    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        self._me()
        return await self._read(lambda conn: _availability(conn, mentor_id))

    async def save_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None, check: WindowCheck
    ) -> AvailabilitySlot | None:
        me = self._me()
        now = self._clock.now()
        slot = AvailabilitySlot(
            id=slot_id or new_id(), mentor_id=me, weekday=weekday, start_time=start, end_time=end
        )

        def work(conn: sqlite3.Connection) -> AvailabilitySlot | None:
            check(_availability(conn, me))
            if slot_id is None:
                insert_availability(conn, slot, now)
                return slot
            changed = update_rows(
                conn,
                "mentor_availability",
                {"day_of_week": weekday, "start_time": start, "end_time": end},
                {"id": slot_id, "mentor_id": me},
            )
            return slot if changed else None

        return await self._write(work)

    async def delete_availability(self, slot_id: str) -> bool:
        me = self._me()
        removed = await self._write(
            lambda conn: conn.execute(
                "delete from mentor_availability where id = ? and mentor_id = ?", (slot_id, me)
            ).rowcount
        )
        return bool(removed)

    async def booking_rules(self, mentor_id: str) -> BookingRules:
        self._me()
        return await self._read(lambda conn: _booking_rules(conn, mentor_id))

    async def save_booking_rules(self, rules: BookingRules) -> BookingRules:
        me = self._me()
        values = {name: getattr(rules, name) for name in _RULE_COLUMNS}
        now = to_db_time(self._clock.now())

        def work(conn: sqlite3.Connection) -> BookingRules:
            conn.execute(
                f"insert into mentor_booking_rules (mentor_id, {', '.join(values)}, updated_at)"
                f" values (:me, {', '.join(':' + name for name in values)}, :now)"
                f" on conflict (mentor_id) do update set {', '.join(f'{n} = excluded.{n}' for n in values)},"
                " updated_at = excluded.updated_at",
                {"me": me, "now": now, **values},
            )
            return _booking_rules(conn, me)

        return await self._write(work)

    async def mentor_held_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        self._me()
        return await self._read(lambda conn: _mentor_held(conn, mentor_id, start, end))

    async def expire_stale_requests(self) -> int:
        me = self._me()
        now = to_db_time(self._clock.now())
        # The 009 trigger tells both parties: nobody is recorded as the canceller.
        return await self._write(
            lambda conn: conn.execute(
                "update mentor_sessions set status = 'cancelled', cancellation_reason = :reason,"
                " cancelled_by = null, declined = 0, updated_at = :now"
                f" where id in (select id from ({_MINE}) s where s.status = 'pending' and ("
                " unixepoch(s.scheduled_time) <= unixepoch(:now)"
                " or unixepoch(s.created_at) + 3600 * coalesce((select r.request_expiry_hours"
                " from mentor_booking_rules r where r.mentor_id = s.mentor_id), 48) <= unixepoch(:now)))",
                {"me": me, "now": now, "reason": EXPIRED_REASON},
            ).rowcount
        )

    async def mentor_totals(self) -> MentorTotals:
        me = self._me()
        row = await self._read(
            lambda conn: conn.execute(
                "select (select count(*) from mentor_students where mentor_id = :me) as total_students,"
                " r.rating_sum as rating_total, r.rating_count"
                " from (select 1) left join mentor_ratings r on r.mentor_id = :me",
                {"me": me},
            ).fetchone()
        )
        count = row["rating_count"] or 0
        return MentorTotals(
            total_students=row["total_students"],
            average_rating=_average(row["rating_total"], count),
            rating_count=count,
        )

    # --- messages and notifications -----------------------------------------------------

    async def conversations(self) -> list[Conversation]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                f"select {_MESSAGE_COLUMNS}, o.id as other_id, o.full_name as other_name,"
                " (select count(*) from mentor_messages u where u.mentor_id = m.mentor_id"
                "  and u.student_id = m.student_id and u.sender_id <> :me and u.read_at is null) as unread"
                # One's messages as two index searches (by pair, by student), as _MINE does for sessions.
                " from (select rowid as row, * from mentor_messages where mentor_id = :me"
                "  union all select rowid, * from mentor_messages where student_id = :me and mentor_id <> :me) m"
                " join user_profiles o on o.id = case when m.mentor_id = :me then m.student_id else m.mentor_id end"
                " where m.row = (select l.rowid from mentor_messages l"
                "  where l.mentor_id = m.mentor_id and l.student_id = m.student_id"
                "  order by l.created_at desc, l.rowid desc limit 1)"
                " order by m.created_at desc, m.row desc",
                {"me": me},
            ).fetchall()
        )
        return [_conversation(row) for row in rows]

    async def thread(self, mentor_id: str, student_id: str, limit: int, before: datetime | None) -> list[Message]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                f"select {_MESSAGE_COLUMNS} from mentor_messages m"
                " where m.mentor_id = :mentor and m.student_id = :student and :me in (m.mentor_id, m.student_id)"
                " and (:before is null or m.created_at < :before)"
                " order by m.created_at desc, m.rowid desc limit :limit",
                {
                    "mentor": mentor_id, "student": student_id, "me": me, "limit": limit,
                    "before": None if before is None else to_db_time(before),
                },
            ).fetchall()
        )
        return [_message(row) for row in reversed(rows)]

    async def send_message(
        self,
        mentor_id: str,
        student_id: str,
        body: str,
        check: MessageCheck,
        *,
        session_id: str | None = None,
        proposal_id: str | None = None,
    ) -> Message:
        me = self._me()
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> Message:
            check(_shared_session(conn, mentor_id, student_id))
            message = Message(
                id=new_id(), mentor_id=mentor_id, student_id=student_id, sender_id=me, body=body, created_at=now,
                session_id=session_id, proposal_id=proposal_id,
            )
            insert_row(conn, "mentor_messages", message.model_dump(exclude={"read_at"}))
            return message

        return await self._write(work)

    async def mark_thread_read(self, mentor_id: str, student_id: str) -> int:
        me = self._me()
        now = to_db_time(self._clock.now())
        return await self._write(
            lambda conn: conn.execute(
                "update mentor_messages set read_at = :now where mentor_id = :mentor and student_id = :student"
                " and :me in (mentor_id, student_id) and sender_id <> :me and read_at is null",
                {"now": now, "mentor": mentor_id, "student": student_id, "me": me},
            ).rowcount
        )

    # --- proposals -----------------------------------------------------------------------

    async def create_proposal(
        self,
        student_id: str,
        subject: str,
        scheduled_time: datetime,
        duration_minutes: int,
        meeting_link: str,
        check: MessageCheck,
    ) -> Proposal:
        me = self._me()
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> Proposal:
            check(_shared_session(conn, me, student_id))
            proposal = Proposal(
                id=new_id(), mentor_id=me, student_id=student_id, subject=subject, scheduled_time=scheduled_time,
                duration_minutes=duration_minutes, meeting_link=meeting_link, created_at=now,
            )
            insert_row(conn, "mentor_proposals", proposal.model_dump())
            return proposal

        return await self._write(work)

    async def proposals(self, mentor_id: str, student_id: str) -> list[Proposal]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                f"select {_PROPOSAL_COLUMNS} from mentor_proposals"
                " where mentor_id = :mentor and student_id = :student and :me in (mentor_id, student_id)"
                " order by created_at, rowid",
                {"mentor": mentor_id, "student": student_id, "me": me},
            ).fetchall()
        )
        return [_proposal(row) for row in rows]

    async def accept_proposal(self, proposal_id: str, check: ProposalCheck) -> MentorSession:
        me = self._me()
        now = self._clock.now()

        def work(conn: sqlite3.Connection) -> MentorSession:
            row = conn.execute(
                f"select {_PROPOSAL_COLUMNS} from mentor_proposals where id = ? and ? in (mentor_id, student_id)",
                (proposal_id, me),
            ).fetchone()
            proposal = None if row is None else _proposal(row)
            check(proposal)
            assert proposal is not None  # check refuses a proposal that is not there
            session = MentorSession(
                id=new_id(),
                mentor_id=proposal.mentor_id,
                student_id=proposal.student_id,
                subject=proposal.subject,
                scheduled_time=proposal.scheduled_time,
                duration_minutes=proposal.duration_minutes,
                status=SessionStatus.CONFIRMED,
                meeting_link=proposal.meeting_link,
                created_at=now,
                updated_at=now,
            )
            insert_session(conn, session)  # the no-overlap trigger refuses a taken slot
            update_rows(
                conn, "mentor_proposals", {"accepted_session_id": session.id, "accepted_at": now}, {"id": proposal.id}
            )
            return session

        return await self._write(work)

    async def notifications(self, limit: int) -> list[Notification]:
        me = self._me()
        rows = await self._read(
            lambda conn: conn.execute(
                f"select {_NOTIFICATION_COLUMNS} from mentor_notifications n"
                " left join user_profiles a on a.id = n.actor_id"
                " where n.user_id = ? order by n.created_at desc, n.rowid desc limit ?",
                (me, limit),
            ).fetchall()
        )
        return [_notification(row) for row in rows]

    async def unread_notifications(self) -> int:
        me = self._me()
        row = await self._read(
            lambda conn: conn.execute(
                "select count(*) from mentor_notifications where user_id = ? and read_at is null", (me,)
            ).fetchone()
        )
        return int(row[0])

    async def mark_notifications_read(self, ids: Sequence[str] | None) -> int:
        me = self._me()
        now = to_db_time(self._clock.now())
        chosen = None if ids is None else json.dumps(list(ids))
        return await self._write(
            lambda conn: conn.execute(
                "update mentor_notifications set read_at = :now where user_id = :me and read_at is null"
                " and (:ids is null or id in (select value from json_each(:ids)))",
                {"now": now, "me": me, "ids": chosen},
            ).rowcount
        )

    async def record_reminder(self, session_id: str, kind: str) -> bool:
        me = self._me()
        now = to_db_time(self._clock.now())
        # The unique index of upgrade 016 keeps one per session, person and kind: "or ignore".
        return await self._write(
            lambda conn: conn.execute(
                "insert or ignore into mentor_notifications (user_id, kind, session_id, actor_id, created_at)"
                " select :me, :kind, s.id, case when s.mentor_id = :me then s.student_id else s.mentor_id end, :now"
                " from mentor_sessions s where s.id = :id and s.status = 'confirmed'"
                " and :me in (s.mentor_id, s.student_id)",
                {"me": me, "kind": kind, "id": session_id, "now": now},
            ).rowcount
            == 1
        )

    # --- live updates ----------------------------------------------------------------
    async def change_token(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on this repository's connection: it changes when
        another connection (another process, or another repository on the same file) commits,
        never for this one's own writes. One cheap read under the connection's lock, in a
        worker thread like every other."""
        return await self._read(lambda conn: int(conn.execute("pragma data_version").fetchone()[0]))

    async def close(self) -> None:
        def shut() -> None:
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None

        await asyncio.to_thread(shut)


__all__ = [
    "SESSION_FILE_NAME",
    "LocalRepository",
    "create_account",
    "insert_availability",
    "insert_row",
    "insert_session",
    "update_rows",
]
