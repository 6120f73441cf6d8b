"""user_profiles: created at sign-up, read as the rules allow, edited only by their owner."""

from __future__ import annotations

from datetime import datetime

import pytest


def profile(db, user_id):
    return db.rows(
        "select id, user_id, full_name, role, timezone, expertise from public.user_profiles where user_id = %s",
        (user_id,),
    )


def visible_ids(db, viewer):
    return {str(uid) for (uid,) in db.act(viewer, "select user_id from public.user_profiles")}


# --- sign-up ----------------------------------------------------------------

def test_sign_up_creates_the_profile_from_the_metadata(db):
    mentor = db.new_user("mentor", name="Ada Lovelace")
    [(pid, uid, name, role, tz, expertise)] = profile(db, mentor)
    assert (str(pid), str(uid), name, role, tz, expertise) == (mentor, mentor, "Ada Lovelace", "mentor", "UTC", [])


def test_profiles_hold_no_email_and_no_call_room(db):
    """Others read profiles (mentors' by everyone): a person's email comes from auth,
    a mentor's call room from mentor_private_profiles."""
    private = db.rows(
        "select column_name from information_schema.columns where table_schema = 'public'"
        " and table_name = 'user_profiles' and column_name in ('email', 'meeting_url')"
    )
    assert private == []


@pytest.mark.parametrize("given", [None, "student", "admin", ""])
def test_sign_up_without_a_known_role_makes_a_student(db, given):
    user = db.new_user(given)
    [row] = profile(db, user)
    assert row[3] == "student"


# --- reading ----------------------------------------------------------------

def test_people_read_their_own_profile_and_every_mentor(db):
    student = db.new_user("student")
    other_student = db.new_user("student")
    mentor = db.new_user("mentor")
    seen = visible_ids(db, student)
    assert {student, mentor} <= seen
    assert other_student not in seen


def test_session_partners_read_each_other(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    assert student not in visible_ids(db, mentor)
    db.book(student, mentor, soon)
    assert student in visible_ids(db, mentor)
    assert mentor in visible_ids(db, student)


def test_a_policy_a_web_app_adds_cannot_widen_what_is_read(db):
    student = db.new_user("student")
    other_student = db.new_user("student")
    db.rows('create policy "web app: everyone reads profiles" on public.user_profiles for select using (true)')
    try:
        assert other_student not in visible_ids(db, student)
        with db.refused("42501", "permission denied"):
            visible_ids(db, None)
    finally:
        db.rows('drop policy "web app: everyone reads profiles" on public.user_profiles')


def test_without_signing_in_nothing_is_read(db):
    db.new_user("mentor")
    with db.refused("42501", "permission denied"):
        visible_ids(db, None)


# --- writing ----------------------------------------------------------------

def test_people_edit_their_own_profile(db):
    mentor = db.new_user("mentor")
    before = db.value("select updated_at from public.user_profiles where user_id = %s", (mentor,))
    rows = db.act(
        mentor,
        "update public.user_profiles set full_name = 'Grace', bio = 'Compilers', timezone = 'Asia/Tokyo',"
        " hourly_rate = 80, expertise = '{Python,SQL}'"
        " where user_id = %s returning full_name, timezone, updated_at",
        (mentor,),
    )
    [(name, tz, updated_at)] = rows
    assert (name, tz) == ("Grace", "Asia/Tokyo")
    assert isinstance(updated_at, datetime) and updated_at > before


def test_nobody_edits_someone_elses_profile(db):
    me = db.new_user("student")
    mentor = db.new_user("mentor")
    assert db.act(me, "update public.user_profiles set full_name = 'Mallory' where user_id = %s returning 1", (mentor,)) == []
    assert profile(db, mentor)[0][3] != "Mallory"


def test_the_role_never_changes(db):
    student = db.new_user("student")
    with db.refused("42501", "The role cannot be changed after sign-up."):
        db.act(student, "update public.user_profiles set role = 'mentor' where user_id = %s", (student,))


@pytest.mark.parametrize("column", ["user_id", "id"])
def test_a_profile_never_moves_to_another_person(db, column):
    me = db.new_user("student")
    someone = db.new_user("student")
    with db.refused("42501", "never change"):
        db.act(me, f"update public.user_profiles set {column} = %s where user_id = %s", (someone, me))


@pytest.mark.parametrize(
    ("assignment", "constraint"),
    [
        ("timezone = 'Mars/Olympus'", "user_profiles_timezone_check"),
        ("timezone = '+05'", "user_profiles_timezone_check"),
        ("hourly_rate = 10000.01", "user_profiles_hourly_rate_check"),
        ("hourly_rate = -1", "user_profiles_hourly_rate_check"),
    ],
)
def test_bad_values_are_refused_naming_the_field(db, assignment, constraint):
    me = db.new_user("mentor")
    with db.refused("23514") as info:
        db.act(me, f"update public.user_profiles set {assignment} where user_id = %s", (me,))
    assert constraint in f"{info.value.diag.message_primary} {info.value.diag.message_detail}"


def test_clients_neither_create_nor_delete_profiles(db):
    me = db.new_user("student")
    someone = db.new_user(None)
    db.rows("delete from public.user_profiles where user_id = %s", (someone,))
    with db.refused("42501"):
        db.act(me, "insert into public.user_profiles (user_id, full_name) values (%s, 'Fake')", (someone,))
    with db.refused("42501", "permission denied"):
        db.act(me, "delete from public.user_profiles where user_id = %s returning 1", (me,))
    assert len(profile(db, me)) == 1
