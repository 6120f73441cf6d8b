"""Old rows that break a rule which cannot be added NOT VALID (one profile per
person, no overlapping held sessions or windows) stop the migration with a clear
message; nothing is lost or half-changed, and once fixed the migration goes on."""

from __future__ import annotations

import json

import psycopg
import pytest

# The web app's tables were made on a project created before 30 May 2026.
LEGACY_PROJECT = True

MENTOR = "00000000-0000-4000-8000-0000000000a1"
STUDENTS = ["00000000-0000-4000-8000-0000000000b1", "00000000-0000-4000-8000-0000000000b2"]

WEB_APP = """
create table public.user_profiles (id uuid primary key default gen_random_uuid(), user_id uuid, full_name text, role text);
create table public.mentor_sessions (
    id uuid primary key default gen_random_uuid(), mentor_id uuid, student_id uuid, subject text,
    scheduled_time timestamptz, duration_minutes integer, status text
);
create table public.mentor_availability (
    id uuid primary key default gen_random_uuid(), mentor_id uuid, day_of_week integer, start_time time, end_time time
);
"""


@pytest.fixture(scope="module")
def conflicted(blank_db):
    db = blank_db
    db.admin.execute(WEB_APP)
    for user_id in [MENTOR, *STUDENTS]:
        db.rows("insert into auth.users (id, raw_user_meta_data) values (%s, %s)", (user_id, json.dumps({})))
    db.rows(
        "insert into public.user_profiles (user_id, full_name, role) values (%s, 'Mia', 'mentor'), (%s, 'Mia again', 'mentor')",
        (MENTOR, MENTOR),
    )
    for student, start in zip(STUDENTS, ["2030-01-07 10:00Z", "2030-01-07 10:30Z"]):
        db.rows(
            "insert into public.mentor_sessions (mentor_id, student_id, subject, scheduled_time, duration_minutes, status)"
            " values (%s, %s, 'Python', %s, 60, 'confirmed')",
            (MENTOR, student, start),
        )
    db.rows(
        "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time)"
        " values (%s, 1, '09:00', '12:00'), (%s, 1, '11:00', '13:00')",
        (MENTOR, MENTOR),
    )
    return db


def counts(db):
    return [
        db.value(f"select count(*) from public.{table}")
        for table in ("user_profiles", "mentor_sessions", "mentor_availability")
    ]


def has_column(db, table, column):
    return db.value(
        "select count(*) from information_schema.columns where table_name = %s and column_name = %s", (table, column)
    ) == 1


def test_each_conflict_stops_the_migration_until_it_is_fixed(conflicted, scripts):
    db = conflicted

    with pytest.raises(psycopg.Error) as info:
        scripts.migrate(db.admin)
    error = info.value
    assert error.sqlstate == "23505"
    assert error.diag.message_primary == (
        "public.user_profiles already holds rows that break user_profiles_user_id_key, so it cannot be added."
    )
    assert MENTOR in error.diag.message_detail
    assert "then run this file again" in error.diag.message_hint
    assert counts(db) == [2, 2, 2]
    assert not has_column(db, "user_profiles", "timezone")  # the failed file left nothing behind

    db.rows("delete from public.user_profiles where full_name = 'Mia again'")
    with pytest.raises(psycopg.Error) as info:
        scripts.migrate(db.admin)
    error = info.value
    assert error.sqlstate == "23P01"
    assert "break mentor_sessions_mentor_overlap" in error.diag.message_primary
    assert "Cancel one of them" in error.diag.message_hint
    assert counts(db) == [1, 2, 2]
    assert has_column(db, "user_profiles", "timezone") and not has_column(db, "mentor_sessions", "review")

    db.rows("update public.mentor_sessions set status = 'cancelled' where scheduled_time = '2030-01-07 10:30Z'")
    with pytest.raises(psycopg.Error) as info:
        scripts.migrate(db.admin)
    assert info.value.sqlstate == "23P01"
    assert "break mentor_availability_no_overlap" in info.value.diag.message_primary

    db.rows("update public.mentor_availability set start_time = '12:00' where start_time = '11:00'")
    scripts.migrate(db.admin)
    scripts.migrate(db.admin)
    # The two students, who never had a profile, get theirs from the backfill (012).
    assert counts(db) == [3, 2, 2]
    assert db.value("select count(*) from pg_constraint where conname like '%%overlap'") == 3
