"""Rules a hostile client probed through the API, each tried as ``authenticated``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

LINK = "https://meet.example.org/room"
FORGED = datetime(2001, 1, 1, tzinfo=timezone.utc)


def now() -> datetime:
    return datetime.now(timezone.utc)


# --- profiles -----------------------------------------------------------------

@pytest.fixture
def web_app_inserts_profiles(db):
    """The insert policy of Supabase's user-management starter, which web apps often keep;
    mentor-tui itself creates profiles only through the database (002, 012)."""
    db.rows(
        'create policy "Users can insert their own profile." on public.user_profiles'
        " for insert with check ((select auth.uid()) = user_id)"
    )
    yield
    db.rows('drop policy "Users can insert their own profile." on public.user_profiles')


@pytest.mark.parametrize(("signed_up_as", "claimed"), [("student", "mentor"), ("mentor", "student"), (None, "mentor")])
def test_a_client_creating_its_missing_profile_gets_the_role_chosen_at_sign_up(
    db, web_app_inserts_profiles, signed_up_as, claimed
):
    user = db.new_user(signed_up_as)
    db.rows("delete from public.user_profiles where user_id = %s", (user,))
    [(role,)] = db.act(
        user, "insert into public.user_profiles (user_id, full_name, role) values (%s, 'Me', %s) returning role",
        (user, claimed),
    )
    assert role == (signed_up_as or "student")


def assert_times_are_the_databases(db, user, insert: str, insert_params: tuple, update: str) -> None:
    """``insert`` (returning id, created_at, updated_at) with forged times, then
    ``update`` of that id with forged times: the database's own times stand."""
    [(row_id, created, updated)] = db.act(user, insert, (*insert_params, FORGED, FORGED))
    assert created > FORGED and updated > FORGED
    [(created_again, updated_again)] = db.act(user, update, (FORGED, FORGED, row_id))
    assert created_again == created and updated_again >= updated


def test_profile_times_are_the_databases(db, web_app_inserts_profiles):
    user = db.new_user("student")
    db.rows("delete from public.user_profiles where user_id = %s", (user,))
    assert_times_are_the_databases(
        db, user,
        "insert into public.user_profiles (user_id, created_at, updated_at) values (%s, %s, %s)"
        " returning id, created_at, updated_at",
        (user,),
        "update public.user_profiles set created_at = %s, updated_at = %s, bio = 'Hi' where id = %s"
        " returning created_at, updated_at",
    )


def test_availability_times_are_the_databases(db):
    mentor = db.new_user("mentor")
    assert_times_are_the_databases(
        db, mentor,
        "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time, created_at, updated_at)"
        " values (%s, 1, '09:00', '10:00', %s, %s) returning id, created_at, updated_at",
        (mentor,),
        "update public.mentor_availability set end_time = '11:00', created_at = %s, updated_at = %s where id = %s"
        " returning created_at, updated_at",
    )


def test_a_student_has_no_hourly_rate(db):
    student = db.new_user("student")
    with db.refused("23514") as info:
        db.act(student, "update public.user_profiles set hourly_rate = 50 where user_id = %s", (student,))
    assert info.value.diag.constraint_name == "user_profiles_hourly_rate_role_check"
    mentor = db.new_user("mentor")
    db.act(mentor, "update public.user_profiles set hourly_rate = 50 where user_id = %s", (mentor,))


def test_a_student_has_no_call_room(db):
    student = db.new_user("student")
    with db.refused("23514", "Only mentors have a call room."):
        db.act(
            student, "insert into public.mentor_private_profiles (user_id, meeting_url) values (%s, %s)", (student, LINK)
        )


# --- sessions -----------------------------------------------------------------

def started(db, minutes_ago: int, status: str = "confirmed") -> tuple[str, str, str]:
    mentor, student = db.new_user("mentor"), db.new_user("student")
    start = now() - timedelta(minutes=minutes_ago)
    return mentor, student, db.add_session(mentor, student, start, 60, status=status)


@pytest.mark.parametrize("who", ["mentor", "student"])
def test_a_session_that_has_ended_is_not_cancelled(db, who):
    mentor, student, session_id = started(db, minutes_ago=90)
    with db.refused("42501", "already ended"):
        db.patch(mentor if who == "mentor" else student, session_id, status="cancelled")
    assert db.session(session_id)["status"] == "confirmed"


def test_a_session_under_way_can_still_be_cancelled(db):
    _, student, session_id = started(db, minutes_ago=30)
    assert db.patch(student, session_id, status="cancelled") == [("cancelled",)]


def test_feedback_comes_with_the_completion(db):
    mentor, _, session_id = started(db, minutes_ago=90)
    with db.refused("42501", "when completing"):
        db.patch(mentor, session_id, feedback="Well done")
    db.patch(mentor, session_id, status="completed", feedback="Well done")
    db.patch(mentor, session_id, feedback="Well done, and keep practising")
    assert db.session(session_id)["feedback"] == "Well done, and keep practising"


def test_the_meeting_link_comes_with_the_confirmation(db, soon):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    session_id = db.book(student, mentor, soon)
    with db.refused("42501", "when confirming"):
        db.patch(mentor, session_id, meeting_link=LINK)
    db.patch(mentor, session_id, status="confirmed", meeting_link=LINK)
    db.patch(mentor, session_id, meeting_link=LINK + "2")
    db.patch(mentor, session_id, status="cancelled")
    with db.refused("42501", "when confirming"):
        db.patch(mentor, session_id, meeting_link=LINK)
    assert db.session(session_id)["meeting_link"] == LINK + "2"


def test_at_most_five_pending_requests_per_student_and_mentor(db, soon):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    requests = [db.book(student, mentor, soon + timedelta(hours=i)) for i in range(5)]
    with db.refused("42501", "5 pending requests"):
        db.book(student, mentor, soon + timedelta(hours=6))
    assert db.book(student, db.new_user("mentor"), soon + timedelta(hours=8))  # another mentor
    db.patch(student, requests[0], status="cancelled")
    assert db.book(student, mentor, soon + timedelta(hours=6))
