"""Every auth user gets a profile: users the web app signed up before the
migrations get one from their sign-up metadata, and a signed-in user whose row is
missing gets it through mentor_ensure_profile()."""

from __future__ import annotations

import json
import uuid

import pytest

# Sign-up metadata -> (full name, role) of the profile the backfill makes.
EARLIER_USERS = {
    "mentor": ({"full_name": "Ada Lovelace", "role": "mentor"}, ("Ada Lovelace", "mentor")),
    "student": ({"full_name": " Alan Turing ", "role": "Student"}, ("Alan Turing", "student")),
    "unknown role": ({"full_name": "Eve", "role": "admin"}, ("Eve", "student")),
    "no metadata": ({}, (None, "student")),
    "hostile name": ({"full_name": "Mallory\x1b]0;owned\x07", "role": "mentor"}, (None, "mentor")),
}
ENSURE = "select user_id::text, full_name, role from public.mentor_ensure_profile()"


@pytest.fixture(scope="module")
def earlier(blank_db, scripts):
    """Auth users made before mentor-tui's migrations ran (no sign-up trigger yet)."""
    ids = {}
    for key, (meta, _) in EARLIER_USERS.items():
        ids[key] = str(uuid.uuid4())
        blank_db.rows(
            "insert into auth.users (id, email, raw_user_meta_data) values (%s, %s, %s)",
            (ids[key], f"{ids[key][:8]}@example.org", json.dumps(meta)),
        )
    scripts.migrate(blank_db.admin)
    scripts.migrate(blank_db.admin)
    return blank_db, ids


def test_the_migration_gives_earlier_users_their_profile_once(earlier):
    db, ids = earlier
    for key, (_, expected) in EARLIER_USERS.items():
        assert db.rows("select full_name, role from public.user_profiles where user_id = %s", (ids[key],)) == [
            expected
        ], key


def test_a_signed_in_user_without_a_row_gets_it_and_asking_again_changes_nothing(earlier):
    db, _ = earlier
    mentor = db.new_user("mentor", name="Grace Hopper")
    db.rows("delete from public.user_profiles where user_id = %s", (mentor,))
    assert db.act(mentor, ENSURE) == [(mentor, "Grace Hopper", "mentor")]
    db.act(mentor, "update public.user_profiles set bio = 'Compilers' where user_id = %s", (mentor,))
    assert db.act(mentor, ENSURE) == [(mentor, "Grace Hopper", "mentor")]
    assert db.rows("select bio from public.user_profiles where user_id = %s", (mentor,)) == [("Compilers",)]


def test_each_caller_gets_only_their_own_row(earlier):
    db, ids = earlier
    student = db.new_user("student", name="Sam")
    assert db.act(student, ENSURE) == [(student, "Sam", "student")]
    assert db.act(ids["mentor"], ENSURE) == [(ids["mentor"], "Ada Lovelace", "mentor")]


def test_signed_out_it_cannot_be_called(earlier):
    db, _ = earlier
    with db.refused("42501", "permission denied"):
        db.act(None, ENSURE)
