"""Booking: who may insert a session, with which values, inside the mentor's
availability (DST-correct), and never over another held session, even when
many requests race for one slot."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import psycopg
import pytest


def next_dst_change(zone: ZoneInfo, spring: bool) -> date:
    """The next local date on which the zone's clocks go forward (spring) or back."""
    day = datetime.now(timezone.utc).date() + timedelta(days=2)
    while True:
        before = datetime.combine(day, time(0), zone).utcoffset()
        after = datetime.combine(day + timedelta(days=1), time(0), zone).utcoffset()
        if before != after and (after > before) == spring:
            return day
        day += timedelta(days=1)


def local(day: date, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)


def add_window(db, mentor, day_of_week, start, end):
    db.rows(
        "insert into public.mentor_availability (mentor_id, day_of_week, start_time, end_time) values (%s, %s, %s, %s)",
        (mentor, day_of_week, start, end),
    )


# --- who books --------------------------------------------------------------

def test_a_student_books_a_pending_request(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    session_id = db.book(student, mentor, soon, 90, notes="Decorators, please")
    row = db.session(session_id)
    assert (row["status"], row["duration_minutes"], row["scheduled_time"]) == ("pending", 90, soon)
    assert row["created_at"] == row["updated_at"]
    assert db.act(student, "select id from public.mentor_sessions where id = %s", (session_id,)) != []


def test_nobody_books_in_someone_elses_name(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    mallory = db.new_user("student")
    query, params = db.booking(student, mentor, soon)
    with db.refused("42501", "only in your own name"):
        db.act(mallory, query, params)


def test_booking_needs_a_sign_in(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    with db.refused("42501", "permission denied"):
        db.act(None, *db.booking(student, mentor, soon))


def test_a_mentor_cannot_book_themself(db, soon):
    mentor = db.new_user("mentor")
    with db.refused("42501", "yourself"):
        db.book(mentor, mentor, soon)


def test_sessions_are_booked_only_with_a_mentor(db, soon):
    student = db.new_user("student")
    not_a_mentor = db.new_user("student")
    with db.refused("23514", "only with a mentor") as info:
        db.book(student, not_a_mentor, soon)
    assert info.value.diag.message_detail == "mentor_sessions_mentor_id_check"


def test_a_mentor_cannot_book_another_mentor_as_a_student(db, soon):
    mentor = db.new_user("mentor")
    other_mentor = db.new_user("mentor")
    with db.refused("42501", "Mentors cannot book sessions"):
        db.book(mentor, other_mentor, soon)


@pytest.mark.parametrize(
    "columns",
    [
        {"status": "confirmed"},
        {"status": "completed"},
        {"meeting_link": "https://meet.jit.si/room"},
        {"feedback": "Great"},
        {"rating": 5},
        {"cancellation_reason": "none"},
    ],
)
def test_a_new_request_is_pending_and_empty(db, soon, columns):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    with db.refused("42501"):
        db.book(student, mentor, soon, **columns)


# --- values -----------------------------------------------------------------

def test_the_time_must_be_in_the_future(db):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    with db.refused("23514", "future") as info:
        db.book(student, mentor, an_hour_ago)
    assert info.value.diag.message_detail == "mentor_sessions_scheduled_time_check"


@pytest.mark.parametrize("minutes", [15, 45, 240])
def test_durations_of_15_to_240_minutes_in_steps_of_15(db, soon, minutes):
    assert db.book(db.new_user("student"), db.new_user("mentor"), soon, minutes)


@pytest.mark.parametrize(
    ("columns", "constraint"),
    [
        ({"minutes": 0}, "mentor_sessions_duration_minutes_check"),
        ({"minutes": 10}, "mentor_sessions_duration_minutes_check"),
        ({"minutes": 20}, "mentor_sessions_duration_minutes_check"),
        ({"minutes": 255}, "mentor_sessions_duration_minutes_check"),
        ({"subject": "   "}, "mentor_sessions_subject_check"),
        ({"subject": "x" * 101}, "mentor_sessions_subject_check"),
        ({"notes": "x" * 2001}, "mentor_sessions_notes_text_check"),
    ],
)
def test_bad_values_are_refused_naming_the_field(db, soon, columns, constraint):
    with db.refused("23514") as info:
        db.book(db.new_user("student"), db.new_user("mentor"), soon, **columns)
    assert info.value.diag.constraint_name == constraint
    assert constraint in info.value.diag.message_primary


# --- no overlaps ------------------------------------------------------------

def test_a_mentors_held_time_cannot_be_booked_twice(db, soon):
    mentor = db.new_user("mentor")
    db.book(db.new_user("student"), mentor, soon, 60)
    with db.refused("23P01") as info:
        db.book(db.new_user("student"), mentor, soon + timedelta(minutes=30), 60)
    assert info.value.diag.constraint_name == "mentor_sessions_mentor_overlap"
    # Back to back is fine: the times are half-open.
    db.book(db.new_user("student"), mentor, soon + timedelta(minutes=60), 30)
    db.book(db.new_user("student"), mentor, soon - timedelta(minutes=45), 45)


def test_a_student_cannot_be_in_two_sessions_at_once(db, soon):
    student = db.new_user("student")
    db.book(student, db.new_user("mentor"), soon, 60)
    with db.refused("23P01") as info:
        db.book(student, db.new_user("mentor"), soon + timedelta(minutes=45), 30)
    assert info.value.diag.constraint_name == "mentor_sessions_student_overlap"


def test_a_cancelled_session_frees_its_time(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    first = db.book(student, mentor, soon)
    db.patch(student, first, status="cancelled")
    assert db.book(db.new_user("student"), mentor, soon)


def test_many_students_racing_for_one_slot_exactly_one_wins(db, soon):
    mentor = db.new_user("mentor")
    students = [db.new_user("student") for _ in range(12)]
    ready = threading.Barrier(len(students), timeout=30)
    outcomes: list[str] = []

    def attempt(student: str) -> None:
        with psycopg.connect(db.url, autocommit=True) as conn:
            try:
                with db.client(student, conn) as request:
                    ready.wait()  # every request is open before any inserts
                    request.execute(*db.booking(student, mentor, soon, 60))
                outcomes.append("booked")
            except psycopg.Error as exc:
                outcomes.append(exc.sqlstate or repr(exc))

    threads = [threading.Thread(target=attempt, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["23P01"] * 11 + ["booked"]
    assert db.value("select count(*) from public.mentor_sessions where mentor_id = %s", (mentor,)) == 1


# --- availability -----------------------------------------------------------

def test_without_weekly_windows_any_future_time_can_be_requested(db, soon):
    assert db.book(db.new_user("student"), db.new_user("mentor"), soon.replace(hour=3))


def test_with_weekly_windows_the_session_must_fit_inside_one(db):
    zone = ZoneInfo("America/New_York")
    mentor = db.new_user("mentor", tz=zone.key)
    day = datetime.now(timezone.utc).date() + timedelta(days=7)
    add_window(db, mentor, day.weekday(), "09:00", "12:00")
    add_window(db, mentor, day.weekday(), "13:00", "15:00")

    for start, minutes in [((8, 30), 60), ((11, 30), 60), ((12, 0), 60), ((11, 0), 120), ((14, 30), 45)]:
        with db.refused("23514", "availability") as info:
            db.book(db.new_user("student"), mentor, local(day, *start, zone), minutes)
        assert info.value.diag.message_detail == "mentor_sessions_scheduled_time_check"
    with db.refused("23514", "availability"):
        db.book(db.new_user("student"), mentor, local(day + timedelta(days=1), 9, 0, zone), 60)
    assert db.book(db.new_user("student"), mentor, local(day, 9, 0, zone), 180)
    assert db.book(db.new_user("student"), mentor, local(day, 13, 0, zone), 120)


@pytest.mark.parametrize("spring", [True, False], ids=["clocks-forward", "clocks-back"])
def test_windows_keep_their_local_hours_on_a_dst_day(db, spring):
    zone = ZoneInfo("Europe/Berlin")
    day = next_dst_change(zone, spring)
    mentor = db.new_user("mentor", tz=zone.key)
    add_window(db, mentor, day.weekday(), "09:00", "12:00")
    opens, closes = local(day, 9, 0, zone), local(day, 12, 0, zone)
    hour = timedelta(hours=1)

    # Inside at both ends; an hour off at either end is outside. A window
    # computed with the offset of the day before would get one of each wrong.
    assert db.book(db.new_user("student"), mentor, opens, 60)
    assert db.book(db.new_user("student"), mentor, closes - hour, 60)
    for start in (opens - hour, closes):
        with db.refused("23514", "availability"):
            db.book(db.new_user("student"), mentor, start, 60)


def test_the_mentors_zone_decides_not_the_connections(db):
    zone = ZoneInfo("Pacific/Auckland")
    mentor = db.new_user("mentor", tz=zone.key)
    # A Monday morning in Auckland is still Sunday in UTC.
    day = datetime.now(timezone.utc).date() + timedelta(days=7)
    day += timedelta(days=(0 - day.weekday()) % 7)
    add_window(db, mentor, 0, "08:00", "10:00")
    student = db.new_user("student")
    start = local(day, 8, 0, zone)
    assert start.date() != day
    with db.client(student) as conn:
        conn.execute("set local timezone = 'America/Los_Angeles'")
        conn.execute(*db.booking(student, mentor, start, 120))
    with db.refused("23514", "availability"):
        db.book(db.new_user("student"), mentor, start - timedelta(hours=1), 60)


def test_trusted_roles_are_not_held_to_the_client_rules(db):
    """The service role (BYPASSRLS) may import history: a past, completed, rated session."""
    mentor, student = db.new_user("mentor"), db.new_user("student")
    last_year = datetime.now(timezone.utc) - timedelta(days=365)
    with db.admin.transaction():
        db.admin.execute("set local role service_role")
        db.add_session(mentor, student, last_year, status="completed", rating=5, feedback="Imported")
    assert db.value("select count(*) from public.mentor_sessions where mentor_id = %s", (mentor,)) == 1
