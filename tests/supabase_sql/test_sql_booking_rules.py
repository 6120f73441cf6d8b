"""A mentor's booking rules in the database (021, 022), for a hostile client calling
PostgREST as ``authenticated``: notice, buffers, daily and weekly limits, the horizon
and the cancellation window cannot be bypassed; only the mentor writes their rules;
unanswered requests expire through expire_stale_requests()."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest

import mentor_tui
from mentor_tui.domain import messages

EXPIRY = Path(mentor_tui.__file__).parent / "sql" / "supabase" / "022_request_expiry.sql"


def set_rules(db, mentor: str, **rules) -> None:
    columns = ", ".join(rules)
    marks = ", ".join(["%s"] * len(rules))
    db.act(mentor, f"insert into public.mentor_booking_rules (mentor_id, {columns}) values (%s, {marks})"
                   f" on conflict (mentor_id) do update set ({columns}) = row({marks})",
           [mentor, *rules.values(), *rules.values()])


def test_only_the_mentor_writes_their_rules_and_anyone_signed_in_reads_them(db):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    set_rules(db, mentor, min_notice_minutes=720)
    assert db.act(student, "select min_notice_minutes from public.mentor_booking_rules where mentor_id = %s",
                  (mentor,)) == [(720,)]
    with db.refused("42501"):
        db.act(student, "insert into public.mentor_booking_rules (mentor_id) values (%s)", (student,))
    with db.refused("42501"):  # row-level security: not in one's own name
        db.act(student, "insert into public.mentor_booking_rules (mentor_id) values (%s)", (mentor,))
    assert db.act(student, "update public.mentor_booking_rules set min_notice_minutes = 0 where mentor_id = %s"
                           " returning 1", (mentor,)) == []
    with db.refused("42501"):
        db.act(None, "select * from public.mentor_booking_rules")


def test_rule_values_are_bounded(db):
    mentor = db.new_user("mentor")
    with db.refused("23514"):
        set_rules(db, mentor, buffer_minutes=241)
    with db.refused("23514"):
        set_rules(db, mentor, horizon_days=731)


def test_minimum_notice_and_horizon_refuse_a_hostile_insert(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    set_rules(db, mentor, min_notice_minutes=10080, horizon_days=30)
    with db.refused("23514", messages.needs_notice(10080)) as info:
        db.book(student, mentor, soon)
    assert info.value.diag.message_detail == "mentor_sessions_scheduled_time_check"
    set_rules(db, mentor, min_notice_minutes=60, horizon_days=30)
    with db.refused("23514", messages.beyond_horizon(30)):
        db.book(student, mentor, soon + timedelta(days=31))
    db.book(student, mentor, soon)


def test_buffers_and_the_daily_limit_refuse_a_hostile_insert(db, soon):
    mentor = db.new_user("mentor", tz="Europe/London")
    student = db.new_user("student")
    other = db.new_user("student")
    set_rules(db, mentor, buffer_minutes=15, max_per_day=2)
    day = soon.replace(hour=9)
    db.book(student, mentor, day)
    with db.refused("23514", messages.needs_buffer(15)):
        db.book(other, mentor, day + timedelta(minutes=65))
    db.book(other, mentor, day + timedelta(minutes=75))
    with db.refused("23514", messages.day_full(2)):
        db.book(other, mentor, day + timedelta(hours=5))
    db.book(other, mentor, day + timedelta(days=1))


def test_the_weekly_limit_counts_the_mentors_monday_to_sunday(db, soon):
    mentor = db.new_user("mentor", tz="America/New_York")
    student = db.new_user("student")
    set_rules(db, mentor, max_per_week=3)
    monday = (soon + timedelta(days=7 - soon.weekday())).replace(hour=15)  # 10:00 or 11:00 in New York
    for offset in range(3):
        db.book(student, mentor, monday + timedelta(days=offset))
    with db.refused("23514", messages.week_full(3)):
        db.book(student, mentor, monday + timedelta(days=6))
    db.book(student, mentor, monday + timedelta(days=7))


def test_the_rules_leave_a_session_out_of_its_own_counts_when_its_time_changes(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    set_rules(db, mentor, buffer_minutes=30, max_per_day=1)
    session_id = db.book(student, mentor, soon)
    # A rescheduling function runs as its owner on the student's behalf: simulate with the
    # owner's role and the student's claims. Moving by 15 minutes is inside its own buffer.
    with db.client(student) as conn:
        conn.execute("reset role")
        conn.execute("update public.mentor_sessions set scheduled_time = %s where id = %s",
                     (soon + timedelta(minutes=15), session_id))
    set_rules(db, mentor, min_notice_minutes=10080)
    with pytest.raises(psycopg.Error) as info, db.client(student) as conn:
        conn.execute("reset role")
        conn.execute("update public.mentor_sessions set scheduled_time = %s where id = %s",
                     (soon + timedelta(minutes=30), session_id))
    assert info.value.diag.message_primary == messages.needs_notice(10080)


def test_a_late_cancel_needs_a_reason_and_is_marked_late_by_the_database(db):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    start = (datetime.now(timezone.utc) + timedelta(hours=5)).replace(microsecond=0)
    set_rules(db, mentor, cancel_window_hours=24)
    session_id = db.book(student, mentor, start)
    db.patch(mentor, session_id, status="confirmed", meeting_link="https://meet.example.org/x")
    with db.refused("23514", messages.late_cancel_needs_reason(24)) as info:
        db.patch(student, session_id, status="cancelled")
    assert info.value.diag.message_detail == "mentor_sessions_cancellation_reason_check"
    db.patch(student, session_id, status="cancelled", cancellation_reason="Flu", cancelled_late=False)
    assert db.session(session_id)["cancelled_late"] is True


def test_a_client_cannot_mark_a_session_late_itself(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    session_id = db.book(student, mentor, soon, cancelled_late=True)
    assert db.session(session_id)["cancelled_late"] is None
    db.patch(student, session_id, cancelled_late=True)
    assert db.session(session_id)["cancelled_late"] is None


def test_expiry_at_the_boundary_only_touches_the_callers_requests(db, soon):
    mentor = db.new_user("mentor")
    student = db.new_user("student")
    stranger = db.new_user("student")
    set_rules(db, mentor, request_expiry_hours=2)
    old = db.add_session(mentor, student, soon, created_at=datetime.now(timezone.utc) - timedelta(hours=2, seconds=5))
    young = db.add_session(mentor, student, soon + timedelta(hours=2),
                           created_at=datetime.now(timezone.utc) - timedelta(hours=1, minutes=59))
    started = db.add_session(mentor, student, soon - timedelta(days=5), created_at=soon - timedelta(days=6))
    assert db.act(stranger, "select * from public.expire_stale_requests()") == []
    expired = {str(row[0]) for row in db.act(student, "select * from public.expire_stale_requests()")}
    assert expired == {old, started}
    for session_id in expired:
        row = db.session(session_id)
        assert (row["status"], row["cancellation_reason"], row["cancelled_by"]) == ("cancelled", "expired", None)
    assert db.session(young)["status"] == "pending"
    told = db.rows("select user_id::text from public.mentor_notifications where session_id = %s and kind = 'cancelled'",
                   (old,))
    assert sorted(u for (u,) in told) == sorted([mentor, student])
    with db.refused("42501"):
        db.act(None, "select * from public.expire_stale_requests()")


def test_the_expiry_migration_skips_pg_cron_quietly_where_it_is_missing(db):
    assert db.value("select count(*) from pg_extension where extname = 'pg_cron'") == 0
    with db.admin.transaction():
        db.admin.execute(EXPIRY.read_text().replace("begin;", "", 1).replace("commit;", ""))
    assert "cron.schedule" in EXPIRY.read_text()
