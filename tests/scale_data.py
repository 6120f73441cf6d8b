"""A large, deterministic data set on either database, loaded in bulk with the
triggers off, then ANALYZEd: for the query-plan tests (a few thousand people) and
``benchmarks/scale.py`` (10,000 mentors, 50,000 students, 200,000 sessions).

Plain module (tests/ is on sys.path): ``import scale_data``.

The shape: mentors take sessions in turn (session k: mentor k mod M, a student
spread by a prime stride), five minutes apart, the past completed (most rated) or
cancelled, the future pending or confirmed; so no person's held sessions overlap,
as the databases' rules require even with triggers off. Beside them, two people
the benchmark asks about: a busy mentor (``busy_sessions`` sessions with
``busy_students`` students of their own) and a student with seven sessions.
Messages and notifications go to the pairs and people of the sessions.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

STEP = timedelta(minutes=5)
BUSY_STEP = timedelta(hours=2)
STRIDE = 7919  # prime: a student's consecutive sessions are a whole round of students apart
TAGS = ("Python", "Rust", "SQL", "Design", "Career", "Go", "Data", "Security")


@dataclass(frozen=True)
class Scale:
    mentors: int
    students: int
    sessions: int
    busy_sessions: int
    busy_students: int
    messages: int
    notifications: int

    def __post_init__(self) -> None:
        pool = self.students - self.busy_students - 1
        # Five minutes apart and an hour long: a person needs 13 steps between their sessions.
        assert self.mentors >= 13 and pool >= 13 and pool % STRIDE != 0, self


PLANS = Scale(
    mentors=2_000, students=6_000, sessions=40_000, busy_sessions=2_000, busy_students=400,
    messages=20_000, notifications=20_000,
)
BENCHMARK = Scale(
    mentors=10_000, students=50_000, sessions=200_000, busy_sessions=5_000, busy_students=1_000,
    messages=100_000, notifications=100_000,
)


def person_id(kind: int, number: int) -> str:
    """Deterministic ids: kind 1 mentors, 2 students."""
    return str(uuid.UUID(int=(kind << 64) | number))


@dataclass(frozen=True)
class People:
    scale: Scale

    def mentor(self, i: int) -> str:
        return person_id(1, i)

    def student(self, i: int) -> str:
        return person_id(2, i)

    @property
    def busy_mentor(self) -> str:
        return self.mentor(0)

    @property
    def seven_student(self) -> str:
        """The student with seven sessions: the last one."""
        return self.student(self.scale.students - 1)

    def busy_student(self, j: int) -> str:
        pool = self.scale.students - self.scale.busy_students - 1
        return self.student(pool + j)


def _profiles(scale: Scale, people: People) -> Iterator[tuple[str, str, str, str | None, str | None, list[str]]]:
    """(id, full_name, role, profession, hourly_rate, expertise)."""
    for i in range(scale.mentors):
        tags = [TAGS[i % len(TAGS)], TAGS[(i // len(TAGS)) % len(TAGS)]]
        yield people.mentor(i), f"Mentor {i:05d}", "mentor", "Engineer", f"{40 + i % 60}.00", sorted(set(tags))
    for i in range(scale.students):
        yield people.student(i), f"Student {i:05d}", "student", None, None, []


@dataclass(frozen=True)
class SessionRow:
    id: str
    mentor_id: str
    student_id: str
    subject: str
    scheduled_time: datetime
    status: str
    rating: int | None

    @property
    def cancelled_by(self) -> str | None:
        return self.student_id if self.status == "cancelled" else None


def _session(number: int, mentor: str, student: str, start: datetime, now: datetime) -> SessionRow:
    past = start + timedelta(hours=1) < now
    if past:
        status = "cancelled" if number % 10 == 0 else "completed"
    else:
        status = "confirmed" if number % 2 else "pending"
    rating = 1 + number % 5 if status == "completed" and number % 4 else None
    return SessionRow(str(uuid.UUID(int=(3 << 64) | number)), mentor, student, TAGS[number % len(TAGS)], start,
                      status, rating)


def sessions(scale: Scale, people: People, now: datetime) -> Iterator[SessionRow]:
    pool = scale.students - scale.busy_students - 1
    # The main run ends a few weeks after now; the busy mentor's run ends at now + 30 days.
    first = (now - STEP * int(scale.sessions * 0.9)).replace(second=0, microsecond=0)
    for k in range(scale.sessions):
        mentor = people.mentor(1 + k % (scale.mentors - 1))
        student = people.student((k * STRIDE) % pool)
        yield _session(k, mentor, student, first + STEP * k, now)
    busy_first = (now + timedelta(days=30) - BUSY_STEP * scale.busy_sessions).replace(minute=30, second=0, microsecond=0)
    for j in range(scale.busy_sessions):
        number = scale.sessions + j
        yield _session(number, people.busy_mentor, people.busy_student(j % scale.busy_students),
                       busy_first + BUSY_STEP * j, now)
    # Seven, long past (completed, nothing held), with different mentors.
    for j in range(7):
        number = scale.sessions + scale.busy_sessions + j
        start = (now - timedelta(days=900 + 30 * j)).replace(minute=15, second=0, microsecond=0)
        yield _session(number, people.mentor(1 + j), people.seven_student, start, now)


def _messages(scale: Scale, rows: list[SessionRow]) -> Iterator[tuple[str, str, str, str, str, datetime]]:
    """(id, mentor_id, student_id, sender_id, body, created_at), on the pairs of the sessions."""
    for n in range(scale.messages):
        s = rows[(n * 13) % len(rows)]
        sender = s.mentor_id if n % 2 else s.student_id
        yield str(uuid.UUID(int=(4 << 64) | n)), s.mentor_id, s.student_id, sender, f"Message {n}", \
            s.scheduled_time - timedelta(minutes=n % 50)


def _notifications(
    scale: Scale, rows: list[SessionRow], now: datetime
) -> Iterator[tuple[str, str, str, str, str, datetime, datetime | None]]:
    """(id, user_id, kind, session_id, actor_id, created_at, read_at): read an hour after
    they came, except those of the last week."""
    for n in range(scale.notifications):
        s = rows[(n * 17) % len(rows)]
        user, actor = (s.mentor_id, s.student_id) if n % 2 else (s.student_id, s.mentor_id)
        created = s.scheduled_time - timedelta(days=1)
        read = created + timedelta(hours=1) if created < now - timedelta(days=7) else None
        yield str(uuid.UUID(int=(5 << 64) | n)), user, "requested", s.id, actor, created, read


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


# --- SQLite ---------------------------------------------------------------------

def load_sqlite(conn: sqlite3.Connection, scale: Scale, now: datetime) -> People:
    """Into a database whose schema ``sqlite_file.connect`` applied. SQLite cannot switch
    triggers off: they are dropped for the load and created again from their own text."""
    people = People(scale)
    stamp = _utc(now)
    rows = list(sessions(scale, people, now))
    conn.execute("begin immediate")
    triggers = [sql for (sql,) in conn.execute("select sql from sqlite_master where type = 'trigger'")]
    for (name,) in conn.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        conn.execute(f'drop trigger "{name}"')
    profiles = list(_profiles(scale, people))
    conn.executemany(
        "insert into accounts (id, email, password_salt, password_hash, created_at) values (?, ?, ?, ?, ?)",
        ((p[0], f"{p[0]}@example.org", bytes(16), b"x", stamp) for p in profiles),
    )
    conn.executemany(
        "insert into user_profiles (id, email, full_name, role, profession, hourly_rate, expertise, created_at,"
        " updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((p[0], f"{p[0]}@example.org", p[1], p[2], p[3], p[4], json.dumps(p[5]), stamp, stamp)
         for p in profiles),
    )
    conn.executemany(
        "insert into mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes, status,"
        " rating, cancelled_by, created_at, updated_at) values (?, ?, ?, ?, ?, 60, ?, ?, ?, ?, ?)",
        ((s.id, s.mentor_id, s.student_id, s.subject, _utc(s.scheduled_time), s.status, s.rating, s.cancelled_by,
          _utc(s.scheduled_time - timedelta(days=3)), stamp) for s in rows),
    )
    conn.execute(
        "insert into mentor_students (mentor_id, student_id, total_sessions, last_session_date, subjects,"
        " created_at, updated_at)"
        " select mentor_id, student_id, count(*), max(scheduled_time), json_group_array(distinct subject), ?, ?"
        " from mentor_sessions where status = 'completed' group by mentor_id, student_id",
        (stamp, stamp),
    )
    conn.executemany(
        "insert into mentor_messages (id, mentor_id, student_id, sender_id, body, created_at) values (?, ?, ?, ?, ?, ?)",
        ((*m[:5], _utc(m[5])) for m in _messages(scale, rows)),
    )
    conn.executemany(
        "insert into mentor_notifications (id, user_id, kind, session_id, actor_id, created_at, read_at)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        ((*n[:5], _utc(n[5]), n[6] and _utc(n[6])) for n in _notifications(scale, rows, now)),
    )
    for sql in triggers:
        conn.execute(sql)
    conn.execute("commit")
    conn.execute("analyze")
    return people


# --- PostgreSQL -----------------------------------------------------------------

def load_postgres(admin: psycopg.Connection, scale: Scale, now: datetime) -> People:
    """Into a migrated database, as its owner, with ``session_replication_role = replica``
    (user triggers off; constraints, exclusion ones included, still hold), then ANALYZE."""
    people = People(scale)
    rows = list(sessions(scale, people, now))
    profiles = list(_profiles(scale, people))
    with admin.transaction():
        admin.execute("set local session_replication_role = replica")
        with admin.cursor().copy("copy auth.users (id, email) from stdin") as copy:
            for p in profiles:
                copy.write_row((p[0], f"{p[0]}@example.org"))
        with admin.cursor().copy(
            "copy public.user_profiles (user_id, full_name, role, profession, hourly_rate, expertise) from stdin"
        ) as copy:
            for p in profiles:
                copy.write_row((p[0], p[1], p[2], p[3], p[4], p[5]))
        with admin.cursor().copy(
            "copy public.mentor_sessions (id, mentor_id, student_id, subject, scheduled_time, duration_minutes,"
            " status, rating, cancelled_by, created_at, updated_at) from stdin"
        ) as copy:
            for s in rows:
                copy.write_row((s.id, s.mentor_id, s.student_id, s.subject, s.scheduled_time, 60, s.status, s.rating,
                                s.cancelled_by, s.scheduled_time - timedelta(days=3), now))
        admin.execute(
            "insert into public.mentor_students (mentor_id, student_id, total_sessions, last_session_date, subjects)"
            " select mentor_id, student_id, count(*), max(scheduled_time), array_agg(distinct subject)"
            " from public.mentor_sessions where status = 'completed' group by mentor_id, student_id"
        )
        with admin.cursor().copy(
            "copy public.mentor_messages (id, mentor_id, student_id, sender_id, body, created_at) from stdin"
        ) as copy:
            for m in _messages(scale, rows):
                copy.write_row(m)
        with admin.cursor().copy(
            "copy public.mentor_notifications (id, user_id, kind, session_id, actor_id, created_at, read_at)"
            " from stdin"
        ) as copy:
            for n in _notifications(scale, rows, now):
                copy.write_row(n)
    admin.execute("analyze")
    return people
