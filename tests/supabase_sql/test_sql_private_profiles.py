"""mentor_private_profiles: a mentor's call room, readable and writable by its
owner only; nothing else hands out an email or a room address."""

from __future__ import annotations

import pytest

LINK = "https://meet.example.org/grace"
READ = "select meeting_url from public.mentor_private_profiles where user_id = %s"
UPSERT = (
    "insert into public.mentor_private_profiles (user_id, meeting_url) values (%s, %s)"
    " on conflict (user_id) do update set meeting_url = excluded.meeting_url returning meeting_url"
)


def test_the_owner_keeps_and_changes_their_room(db):
    mentor = db.new_user("mentor")
    assert db.act(mentor, UPSERT, (mentor, LINK)) == [(LINK,)]
    assert db.act(mentor, UPSERT, (mentor, LINK + "2")) == [(LINK + "2",)]
    assert db.act(mentor, READ, (mentor,)) == [(LINK + "2",)]


@pytest.mark.parametrize("role", ["student", "mentor"])
def test_nobody_else_reads_or_writes_it(db, role):
    mentor = db.new_user("mentor")
    db.act(mentor, UPSERT, (mentor, LINK))
    other = db.new_user(role)
    assert db.act(other, READ, (mentor,)) == []
    assert db.act(other, "update public.mentor_private_profiles set meeting_url = %s returning 1", (LINK + "x",)) == []
    with db.refused("42501"):
        db.act(other, UPSERT, (mentor, LINK + "x"))
    assert db.rows(READ, (mentor,)) == [(LINK,)]


def test_a_session_partner_does_not_read_it_either(db, soon):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    db.act(mentor, UPSERT, (mentor, LINK))
    db.book(student, mentor, soon)
    assert db.act(student, READ, (mentor,)) == []


def test_no_function_hands_out_an_email_or_a_room(db):
    """Every RPC's result columns; mentor_ensure_profile returns the caller's own row."""
    leaking = db.rows(
        "select p.proname, a.name from pg_proc p, unnest(p.proargnames, p.proargmodes) as a(name, mode)"
        " where p.pronamespace = 'public'::regnamespace and a.mode in ('o', 't', 'b')"
        " and a.name in ('email', 'meeting_url')"
    )
    assert leaking == []
    assert db.rows(
        "select column_name from information_schema.columns where table_schema = 'public'"
        " and table_name = 'user_profiles' and column_name in ('email', 'meeting_url')"
    ) == []


def test_an_earlier_room_column_moves_here_and_leaves_user_profiles(db, scripts):
    """Earlier migrations kept the room in user_profiles.meeting_url with this check."""
    mentor = db.new_user("mentor")
    db.rows("alter table public.user_profiles add column meeting_url text")
    db.rows(
        "alter table public.user_profiles add constraint user_profiles_meeting_url_check"
        r" check (meeting_url is null or meeting_url ~ '^https://[^\s/]+\.\S+$')"
    )
    db.rows("update public.user_profiles set meeting_url = %s where user_id = %s", (LINK, mentor))
    scripts.migrate(db.admin)
    assert db.rows(READ, (mentor,)) == [(LINK,)]
    assert db.rows(
        "select 1 from information_schema.columns where table_name = 'user_profiles' and column_name = 'meeting_url'"
    ) == []


def test_a_web_apps_own_room_column_is_left_alone(db, scripts):
    db.rows("alter table public.user_profiles add column meeting_url text")
    try:
        scripts.migrate(db.admin)
        assert db.rows(
            "select 1 from information_schema.columns where table_name = 'user_profiles' and column_name = 'meeting_url'"
        ) == [(1,)]
    finally:
        db.rows("alter table public.user_profiles drop column meeting_url")
