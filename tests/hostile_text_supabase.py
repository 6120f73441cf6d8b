"""The hostile-text world on a Supabase project: made through SupabaseRepository and the
PostgREST/GoTrue test gateway (tests/gateway/), then overwritten by the database owner.

The migrations refuse every hostile value with CHECK constraints added NOT VALID, so rows
written before them stay. That is what is simulated: in the test's own database the owner
drops those constraints, writes the rows with triggers off (``session_replication_role =
replica``), then adds the constraints back NOT VALID, as the migrations left them.

The project's clock is the database's real now(), so the sessions are booked around real
time, and "completed" is moved into the past by the owner before the mentor completes it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
from gateway import Gateway
from hostile_text import (
    BESIDE_SESSIONS,
    PASSWORD,
    HostileWorld,
    hostile,
    long_hostile,
    make_people_and_sessions,
    summary_markdown,
)
from psycopg import sql

from mentor_tui.clock import SystemClock
from mentor_tui.domain.models import NOTIFICATION_DETAIL_MAX
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.services import Services

HOSTILE_TABLES = (
    "user_profiles", "mentor_sessions", "mentor_private_profiles", "mentor_students", "mentor_messages",
    "mentor_notifications", "session_notes", "session_no_shows", "session_reschedules",
)


def gateway_repository(gateway: Gateway, state_dir: Path) -> SupabaseRepository:
    return SupabaseRepository(gateway.url, gateway.config.publishable_key, state_dir, SystemClock(), transport=gateway)


async def build_hostile_project(db_url: str, gateway: Gateway, folder: Path, screenshot_dir: Path) -> HostileWorld:
    """A mentor and a student with sessions in every state around real now, then the hostile text.
    The mentor has no call room of their own: the owner writes one."""
    world = HostileWorld(folder / "no-local-database", screenshot_dir)  # the rows live in the project
    clock = SystemClock()
    mentor = Services(gateway_repository(gateway, folder / "state-mentor"), clock)
    student = Services(gateway_repository(gateway, folder / "state-student"), clock)
    day = datetime.now(timezone.utc).replace(hour=10, minute=0, second=0, microsecond=0)

    async def started(session_id: str) -> None:
        with psycopg.connect(db_url, autocommit=True) as owner, owner.transaction():
            owner.execute("set local session_replication_role = replica")
            owner.execute("update public.mentor_sessions set scheduled_time = now() - interval '5 days' where id = %s",
                          (session_id,))

    try:
        await make_people_and_sessions(world, mentor, student, day, day + timedelta(days=1), started)
    finally:
        await mentor.close()
        await student.close()
    with psycopg.connect(db_url, autocommit=True) as owner:
        _write_hostile_text(owner, world)
    return world


def _write_hostile_text(owner: psycopg.Connection, world: HostileWorld) -> None:
    text = hostile(world.screenshot_dir)
    escapes = hostile(world.screenshot_dir, escapes_first=True)
    long = long_hostile(world.screenshot_dir)
    with owner.transaction():
        checks = owner.execute(
            "select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint"
            " where contype = 'c' and conrelid = any(%s::regclass[])",
            ([f"public.{table}" for table in HOSTILE_TABLES],),
        ).fetchall()
        for table, name, _ in checks:
            owner.execute(sql.SQL("alter table {} drop constraint {}").format(sql.SQL(table), sql.Identifier(name)))
        owner.execute("set local session_replication_role = replica")
        _update(owner, "user_profiles", "user_id", world.mentor_id, full_name=long, profession=escapes,
                experience=text, bio=long, expertise=[escapes, "[@click=app.quit]tag[/]", long])
        _update(owner, "user_profiles", "user_id", world.student_id, full_name=escapes)
        owner.execute("insert into public.mentor_private_profiles (user_id, meeting_url) values (%s, %s)",
                      (world.mentor_id, "https://room.example/" + text))
        _update(owner, "mentor_sessions", None, None, subject=long, notes=long, feedback=long, review=escapes,
                cancellation_reason=escapes, meeting_link="https://evil.example/" + text)
        _update(owner, "mentor_sessions", None, None, review_reply=BESIDE_SESSIONS["review_reply"] + escapes)
        _update(owner, "session_notes", None, None, summary=summary_markdown(escapes))
        _update(owner, "session_no_shows", None, None, note=BESIDE_SESSIONS["no_show_note"] + escapes)
        _update(owner, "session_reschedules", None, None, reason=BESIDE_SESSIONS["reschedule_reason"] + escapes)
        _update(owner, "mentor_sessions", "id", world.sessions["invalid-pending"], scheduled_time="infinity")
        _update(owner, "mentor_sessions", "id", world.sessions["invalid-confirmed"],
                scheduled_time="20000-01-01 10:00:00+00")
        _update(owner, "mentor_students", None, None, subjects=[escapes, long])
        _update(owner, "mentor_messages", "sender_id", world.student_id, body=long)
        _update(owner, "mentor_messages", "sender_id", world.mentor_id, body=escapes)
        # Excerpts are cut by the database's triggers; hostile, but never longer.
        _update(owner, "mentor_notifications", None, None, detail=escapes[:NOTIFICATION_DETAIL_MAX])
        for table, name, definition in checks:
            owner.execute(sql.SQL("alter table {} add constraint {} {}").format(
                sql.SQL(table), sql.Identifier(name),
                sql.SQL(definition if definition.endswith("NOT VALID") else definition + " NOT VALID"),
            ))


def _update(owner: psycopg.Connection, table: str, key: str | None, value: str | None, **columns: object) -> None:
    """``update public.<table> set <columns>`` on the row whose ``key`` is ``value``, or on every row."""
    query = sql.SQL("update {} set {}").format(
        sql.Identifier("public", table),
        sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(column)) for column in columns),
    )
    params = list(columns.values())
    if key is not None:
        query += sql.SQL(" where {} = %s").format(sql.Identifier(key))
        params.append(value)
    assert owner.execute(query, params).rowcount > 0, f"no {table} row to overwrite"


async def remember_gateway_sign_in(gateway: Gateway, state_dir: Path, email: str) -> None:
    """Leave ``email`` signed in where an app using ``state_dir`` looks, so it opens on the home screen."""
    repo = gateway_repository(gateway, state_dir)
    try:
        await repo.sign_in(email, PASSWORD)
    finally:
        await repo.close()

