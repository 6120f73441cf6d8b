"""Sessions only at real times: finite, from the year 2000 on, and booked at most
730 days ahead (domain/rules.py BOOKING_HORIZON); 'infinity' can no longer slip
past the no-overlap rule."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

import pg_support
from mentor_tui.domain.rules import BOOKING_HORIZON

RANGE_CHECK = "mentor_sessions_scheduled_time_range_check"
TEXT_RULES = next(path for path in pg_support.MIGRATIONS if path.name.endswith("_text_rules.sql"))


@pytest.mark.parametrize("when", ["infinity", "-infinity", "1999-12-31 23:00Z"])
def test_no_session_is_written_at_an_unreal_time_by_anyone(db, when):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    with db.refused("23514") as info:
        db.book(student, mentor, when)
    assert "scheduled_time" in info.value.diag.constraint_name
    # Not even the trusted roles (history imports, the SQL editor) write one.
    with db.refused("23514") as info:
        db.add_session(mentor, student, when)
    assert info.value.diag.constraint_name == RANGE_CHECK


@pytest.mark.parametrize("when", ["20000-01-01 10:00Z", "horizon"])
def test_bookings_are_at_most_two_years_ahead(db, when):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    start = datetime.now(timezone.utc) + BOOKING_HORIZON + timedelta(hours=1) if when == "horizon" else when
    with db.refused("23514", "at most two years ahead") as info:
        db.book(student, mentor, start)
    assert info.value.diag.message_detail == "mentor_sessions_scheduled_time_check"


def test_a_booking_just_inside_the_horizon_is_taken(db):
    mentor, student = db.new_user("mentor"), db.new_user("student")
    start = (datetime.now(timezone.utc) + BOOKING_HORIZON - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    assert db.book(student, mentor, start)


def test_an_infinite_session_no_longer_hides_from_the_no_overlap_rule(db, soon):
    """Before the range check, tstzrange(infinity, infinity) was empty and overlapped
    nothing, so a mentor could hold an 'infinity' session beside any other."""
    mentor, student = db.new_user("mentor"), db.new_user("student")
    db.book(student, mentor, soon)
    with db.refused("23514"):
        db.add_session(mentor, db.new_user("student"), "infinity")
    assert db.value("select count(*) from public.mentor_sessions where mentor_id = %s", (mentor,)) == 1


def test_an_old_row_at_an_unreal_time_is_kept_and_read(db, scripts):
    """The check is added NOT VALID: a row written before it stays, readable by its
    parties (the app shows it as an invalid time), and the run says so."""
    mentor, student = db.new_user("mentor"), db.new_user("student")
    db.rows(f"alter table public.mentor_sessions drop constraint {RANGE_CHECK}")
    session_id = db.add_session(mentor, student, "infinity")
    notices = scripts.run(db.admin, TEXT_RULES)
    assert any(RANGE_CHECK in notice and "kept" in notice for notice in notices), notices
    assert db.act(student, "select scheduled_time::text from public.mentor_sessions where id = %s", (session_id,)) == [
        ("infinity",)
    ]
