"""Real PostgreSQL for tests: the server, throw-away databases, the Supabase
stand-in and the migrations, and a client that acts the way PostgREST does.

Plain module (tests/ is on sys.path): ``import pg_support``. The fixtures that
wrap it live in each test package's conftest.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

import mentor_tui

Query = str | sql.SQL | sql.Composed
"""What the helpers execute: plain SQL text or SQL composed with psycopg.sql."""

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
STANDIN_DIR = Path(__file__).parent / "supabase_sql"
# A Supabase project created today: no default privileges on new public objects.
STANDIN = STANDIN_DIR / "standin.sql"
# Applied after STANDIN: the broad default grants projects had before 30 May 2026.
STANDIN_LEGACY = STANDIN_DIR / "standin_legacy.sql"
MIGRATIONS = sorted((Path(mentor_tui.__file__).parent / "sql" / "supabase").glob("*.sql"))


def server_url() -> str:
    """The test server (MENTOR_TUI_TEST_PG, else the local default), checked reachable.

    Unreachable: the calling test is skipped, saying why; in CI (CI set) it fails.
    """
    url = os.environ.get("MENTOR_TUI_TEST_PG") or DEFAULT_URL
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL is not reachable at {url} (set MENTOR_TUI_TEST_PG): {exc}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@contextmanager
def fresh_database(server_url: str, label: str) -> Iterator[str]:
    """A new empty database on the server, yielded as a connection URL;
    dropped afterwards, even if still in use."""
    name = f"mentor_tui_sql_{label[-24:]}_{os.getpid()}_{secrets.token_hex(3)}".lower()
    with psycopg.connect(server_url, autocommit=True) as server:
        server.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield psycopg.conninfo.make_conninfo(server_url, dbname=name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as server:
            server.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


class Scripts:
    """The SQL files: the Supabase stand-in and the migrations, in name order."""

    @staticmethod
    def run(conn: psycopg.Connection, path: Path) -> list[str]:
        """Run one SQL file on an autocommit connection; returns the notices it raised.

        A file is one transaction (begin ... commit); if it fails half-way the
        connection is left inside the failed transaction, so roll it back here.
        """
        notices: list[str] = []

        def collect(diag: psycopg.errors.Diagnostic) -> None:
            notices.append(diag.message_primary or "")

        conn.add_notice_handler(collect)
        try:
            conn.execute(path.read_text())
        except psycopg.Error:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.execute("rollback")
            raise
        finally:
            conn.remove_notice_handler(collect)
        return notices

    @classmethod
    def load_standin(cls, conn: psycopg.Connection, legacy: bool = False) -> None:
        """The Supabase stand-in, as a project created today; ``legacy`` adds the
        broad default grants of projects created before 30 May 2026."""
        cls.run(conn, STANDIN)
        if legacy:
            cls.run(conn, STANDIN_LEGACY)

    @classmethod
    def migrate(cls, conn: psycopg.Connection) -> list[str]:
        notices: list[str] = []
        for path in MIGRATIONS:
            notices += cls.run(conn, path)
        return notices


@contextmanager
def standin_database(server_url: str, label: str, *, legacy: bool = False) -> Iterator["Db"]:
    """A fresh database holding only the Supabase stand-in, as a Db (autocommit admin connection)."""
    with fresh_database(server_url, label) as url, psycopg.connect(url, autocommit=True) as admin:
        Scripts.load_standin(admin, legacy=legacy)
        yield Db(url, admin)


@dataclass
class Db:
    """One test database: a superuser connection plus helpers to act as a client."""

    url: str
    admin: psycopg.Connection

    # --- as the project owner (trusted: no rules apply) -------------------
    def rows(self, query: Query, params: Any = None) -> list[tuple]:
        cur = self.admin.execute(query, params)
        return cur.fetchall() if cur.description else []

    def value(self, query: Query, params: Any = None) -> Any:
        (row,) = self.rows(query, params)
        return row[0]

    def new_user(self, role: str | None = "student", *, name: str | None = None, tz: str | None = None) -> str:
        """Sign someone up as the auth service does; the trigger creates the profile."""
        user_id = str(uuid.uuid4())
        meta: dict[str, str] = {"full_name": name or f"User {user_id[:8]}"}
        if role is not None:
            meta["role"] = role
        self.rows(
            "insert into auth.users (id, email, raw_user_meta_data) values (%s, %s, %s)",
            (user_id, f"{user_id[:8]}@example.org", json.dumps(meta)),
        )
        if tz is not None:
            self.rows("update public.user_profiles set timezone = %s where user_id = %s", (tz, user_id))
        return user_id

    def add_session(
        self, mentor: str, student: str, start: datetime, minutes: int = 60, status: str = "pending", **columns: Any
    ) -> str:
        """A session written directly, as history or set-up (any status, any time)."""
        query, params = self.booking(student, mentor, start, minutes, status=status, **columns)
        return str(self.value(query, params))

    def session(self, session_id: str) -> dict[str, Any]:
        cur = self.admin.cursor(row_factory=psycopg.rows.dict_row)
        row = cur.execute("select * from public.mentor_sessions where id = %s", (session_id,)).fetchone()
        assert row is not None, f"no session {session_id}"
        return row

    # --- as a client, the way PostgREST runs each request ------------------
    @contextmanager
    def client(self, user_id: str | None, conn: psycopg.Connection | None = None) -> Iterator[psycopg.Connection]:
        """One request: a transaction as ``authenticated`` with ``sub`` = user_id
        (``anon`` without a user), committed when the block ends without error;
        on ``conn`` if given (another connection), else on the admin one."""
        conn = conn or self.admin
        role = "authenticated" if user_id else "anon"
        claims = {"role": role, **({"sub": user_id} if user_id else {})}
        with conn.transaction():
            conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
            conn.execute("select set_config('request.jwt.claims', %s, true)", (json.dumps(claims),))
            yield conn

    def act(self, user_id: str | None, query: Query, params: Any = None) -> list[tuple]:
        with self.client(user_id) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    @staticmethod
    def booking(student: str, mentor: str, start: datetime, minutes: int = 60, **columns: Any) -> tuple[Query, list]:
        """POST /mentor_sessions as the student: the insert and its parameters."""
        values = {
            "mentor_id": mentor,
            "student_id": student,
            "subject": "Python",
            "scheduled_time": start,
            "duration_minutes": minutes,
            **columns,
        }
        query = sql.SQL("insert into public.mentor_sessions ({}) values ({}) returning id").format(
            sql.SQL(", ").join(map(sql.Identifier, values)), sql.SQL(", ").join(sql.Placeholder() * len(values))
        )
        return query, list(values.values())

    def book(self, student: str, mentor: str, start: datetime, minutes: int = 60, **columns: Any) -> str:
        """A student books through the API; returns the new session's id."""
        ((session_id,),) = self.act(student, *self.booking(student, mentor, start, minutes, **columns))
        return str(session_id)

    def patch(self, user_id: str | None, session_id: str, **changes: Any) -> list[tuple]:
        """PATCH /mentor_sessions?id=eq.<id> with Prefer: return=representation."""
        query = sql.SQL("update public.mentor_sessions set {} where id = %s returning status").format(
            sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in changes)
        )
        return self.act(user_id, query, [*changes.values(), session_id])

    @staticmethod
    @contextmanager
    def refused(sqlstate: str, message: str | None = None) -> Iterator[pytest.ExceptionInfo]:
        """The block must fail with this SQLSTATE (and a message containing ``message``)."""
        with pytest.raises(psycopg.Error) as info:
            yield info
        assert info.value.sqlstate == sqlstate, f"{info.value.sqlstate}: {info.value}"
        if message is not None:
            assert message in (info.value.diag.message_primary or ""), info.value.diag.message_primary
