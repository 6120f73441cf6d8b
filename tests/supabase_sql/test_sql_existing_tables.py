"""The migrations over a project whose web app already has the four tables,
with its own columns, policies, sign-up trigger and rows: nothing is lost, and
the rules hold for every new write."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

# The web app's tables were made on a project created before 30 May 2026.
LEGACY_PROJECT = True

NOW = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)

# A web app's schema as it might stand before mentor-tui: fewer columns, some
# of its own, lax policies, its own sign-up trigger.
WEB_APP_SCHEMA = """
create table public.user_profiles (
    id uuid primary key default gen_random_uuid(),
    user_id uuid references auth.users (id) on delete cascade,
    full_name text,
    avatar_url text,
    role text check (role in ('student', 'mentor', 'admin')),
    profession text,
    experience text,
    username text unique,
    website text,
    created_at timestamptz default now()
);
create table public.mentor_sessions (
    id uuid primary key default gen_random_uuid(),
    mentor_id uuid references auth.users (id),
    student_id uuid references auth.users (id),
    subject text,
    scheduled_time timestamptz,
    duration_minutes integer default 60,
    status text default 'pending',
    notes text,
    meeting_link text,
    feedback text,
    rating integer,
    price numeric,
    created_at timestamptz default now(),
    updated_at timestamptz default now()
);
create table public.mentor_availability (
    id uuid primary key default gen_random_uuid(),
    mentor_id uuid references auth.users (id),
    day_of_week integer,
    start_time time,
    end_time time,
    is_active boolean default true
);
create table public.mentor_students (
    id uuid primary key default gen_random_uuid(),
    mentor_id uuid,
    student_id uuid,
    total_sessions integer default 0,
    last_session_date timestamptz,
    subjects text[],
    private_note text
);

create function public.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
    insert into public.user_profiles (user_id, full_name, username)
    values (new.id, new.raw_user_meta_data ->> 'full_name', new.raw_user_meta_data ->> 'username');
    return new;
end
$$;
create trigger on_auth_user_created after insert on auth.users
    for each row execute function public.handle_new_user();

alter table public.user_profiles enable row level security;
create policy "Public profiles are viewable by everyone." on public.user_profiles for select using (true);
create policy "Users can update own profile." on public.user_profiles for update using (auth.uid() = user_id);
alter table public.mentor_sessions enable row level security;
create policy "Sessions are viewable by everyone" on public.mentor_sessions for select using (true);
create policy "Anyone can update sessions" on public.mentor_sessions for update using (true);
create policy "Anyone can delete sessions" on public.mentor_sessions for delete using (true);
"""

USERS = {
    "mentor": "00000000-0000-4000-8000-000000000001",
    "student": "00000000-0000-4000-8000-000000000002",
    "student2": "00000000-0000-4000-8000-000000000003",
    "admin": "00000000-0000-4000-8000-000000000004",
}
ROLES = {"mentor": "mentor", "student": "student", "student2": "student", "admin": "admin"}
TABLES = ["user_profiles", "mentor_sessions", "mentor_availability", "mentor_students"]


def seed(conn: psycopg.Connection) -> None:
    for key, user_id in USERS.items():
        conn.execute(
            "insert into auth.users (id, email, raw_user_meta_data) values (%s, %s, %s)",
            (user_id, f"{key}@example.org", json.dumps({"full_name": key.title(), "username": key})),
        )
        conn.execute("update public.user_profiles set role = %s where user_id = %s", (ROLES[key], user_id))
    conn.execute("insert into public.user_profiles (full_name) values ('Orphan row without a user')")
    m, s, s2 = USERS["mentor"], USERS["student"], USERS["student2"]
    sessions = [
        # mentor, student, subject, start, minutes, status, rating: old rows, some breaking today's rules
        (m, s, "Python", NOW - timedelta(days=20), 60, "completed", 7),
        (m, s2, "SQL", NOW - timedelta(days=10), 60, "completed", 4),
        (m, s2, "SQL", NOW - timedelta(days=9), 50, "completed", None),
        (m, s, "Python", NOW - timedelta(days=5), 60, "no_show", None),
        (m, s, "Python", NOW - timedelta(days=2), 60, "pending", None),
        (m, s, "Career", NOW + timedelta(days=7), 60, "confirmed", None),
        (m, s2, "Career", NOW + timedelta(days=7), 60, "cancelled", None),
    ]
    for row in sessions:
        conn.execute(
            "insert into public.mentor_sessions (mentor_id, student_id, subject, scheduled_time,"
            " duration_minutes, status, rating, price) values (%s, %s, %s, %s, %s, %s, %s, 42)",
            row,
        )
    conn.execute(
        "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time) values"
        " (%s, %s, '09:00', '17:00'), (%s, 9, '09:00', '10:00')",
        (m, (NOW + timedelta(days=14)).weekday(), m),
    )
    conn.execute(
        "insert into public.mentor_students (mentor_id, student_id, total_sessions, subjects, private_note)"
        " values (%s, %s, 5, '{Python}', 'kept by the web app')",
        (m, s),
    )


def snapshot(db) -> dict[str, list[dict]]:
    return {
        table: [row for (row,) in db.rows(f"select to_jsonb(t) from public.{table} t order by id")]
        for table in TABLES
    }


@pytest.fixture(scope="module")
def legacy(blank_db, scripts):
    """The web app's database, snapshotted, then migrated twice: (db, snapshot, first run's notices)."""
    blank_db.admin.execute(WEB_APP_SCHEMA)
    seed(blank_db.admin)
    before = snapshot(blank_db)
    notices = scripts.migrate(blank_db.admin)
    scripts.migrate(blank_db.admin)
    return blank_db, before, notices


def test_no_row_and_no_value_is_lost(legacy):
    db, before, _ = legacy
    after = snapshot(db)
    for table in ["user_profiles", "mentor_sessions", "mentor_availability"]:
        assert len(after[table]) == len(before[table]), table
        for old, new in zip(before[table], after[table]):
            assert {key: new[key] for key in old} == old, table
    # mentor_students gains the pair the web app never summarised; its own row stays as it was.
    kept = [row for row in after["mentor_students"] if row["id"] == before["mentor_students"][0]["id"]]
    assert [{k: row[k] for k in before["mentor_students"][0]} for row in kept] == before["mentor_students"]


def test_the_web_apps_own_columns_stay(legacy):
    db, _, _ = legacy
    columns = {
        (table, column)
        for table, column in db.rows(
            "select table_name, column_name from information_schema.columns where table_schema = 'public'"
        )
    }
    assert {
        ("user_profiles", "website"),
        ("user_profiles", "username"),
        ("mentor_sessions", "price"),
        ("mentor_availability", "is_active"),
        ("mentor_students", "private_note"),
        ("user_profiles", "hourly_rate"),
        ("mentor_sessions", "review"),
        ("mentor_sessions", "cancellation_reason"),
    } <= columns


def test_the_migration_says_which_old_rows_break_the_new_checks(legacy):
    _, _, notices = legacy
    text = "\n".join(notices)
    for expected in [
        "public.user_profiles: some existing rows have no user_id",
        "mentor_sessions_rating_check",
        "mentor_sessions_duration_minutes_check",
        "mentor_sessions_status_check",
        "mentor_availability_day_of_week_check",
    ]:
        assert expected in text


def test_missing_summaries_are_added_from_completed_sessions(legacy):
    db, _, _ = legacy
    rows = db.rows(
        "select student_id::text, total_sessions, subjects from public.mentor_students where mentor_id = %s"
        " order by total_sessions",
        (USERS["mentor"],),
    )
    assert rows == [(USERS["student2"], 2, ["SQL"]), (USERS["student"], 5, ["Python"])]


def test_sign_up_next_to_the_web_apps_trigger_makes_one_complete_profile(legacy):
    db, _, _ = legacy
    user_id = db.new_user("mentor", name="New Mentor")
    assert db.rows("select full_name, role from public.user_profiles where user_id = %s", (user_id,)) == [
        ("New Mentor", "mentor")
    ]


def test_the_web_apps_lax_policies_no_longer_open_sessions(legacy):
    db, _, _ = legacy
    stranger = db.new_user("student")
    assert db.act(stranger, "select id from public.mentor_sessions") == []
    assert db.act(stranger, "update public.mentor_sessions set status = 'cancelled' returning id") == []
    with db.refused("42501"):
        db.act(stranger, "delete from public.mentor_sessions")
    assert db.act(stranger, "select user_id from public.user_profiles where role = 'student'") == [
        (db.value("select user_id from public.user_profiles where user_id = %s", (stranger,)),)
    ]


def test_new_bookings_respect_the_old_sessions_and_availability(legacy):
    db, _, _ = legacy
    mentor = USERS["mentor"]
    with db.refused("23P01"):
        db.book(db.new_user("student"), mentor, NOW + timedelta(days=7, minutes=30), 30)
    day = (NOW + timedelta(days=14)).replace(hour=10)
    assert db.book(db.new_user("student"), mentor, day, 60)
    with db.refused("23514", "availability"):
        db.book(db.new_user("student"), mentor, day.replace(hour=18), 60)


def test_old_rows_follow_the_rules_from_now_on(legacy):
    db, _, _ = legacy
    rated, no_show = (
        db.value("select id from public.mentor_sessions where rating = 7"),
        db.value("select id from public.mentor_sessions where status = 'no_show'"),
    )
    with db.refused("42501", "already been rated"):
        db.patch(USERS["student"], rated, rating=5)
    with db.refused("42501", "Only a pending or confirmed session can be cancelled."):
        db.patch(USERS["mentor"], no_show, status="cancelled")
