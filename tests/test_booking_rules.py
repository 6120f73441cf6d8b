"""A mentor's booking rules in the domain: every rule on fixed clocks, days and weeks
counted in the mentor's zone across DST, late cancellation and request expiry at their
boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentor_tui.domain import booking_rules as br
from mentor_tui.domain import messages, rules
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.models import BookingRequest, MentorSession, Profile, Role, SessionStatus, TimeRange

MENTOR = "m1"
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # a Monday


def held(start: datetime, minutes: int = 60) -> TimeRange:
    return TimeRange(start=start, end=start + timedelta(minutes=minutes))


def refuse(rules_: br.BookingRules, start: datetime, held_: list[TimeRange] = (), zone=LONDON, now=NOW, minutes=60):
    return br.refusal(rules_, start, minutes, list(held_), zone, now)


def test_defaults_refuse_nothing_a_booking_could_have_before():
    plain = br.BookingRules(mentor_id=MENTOR)
    assert plain.horizon_days * timedelta(days=1) == rules.BOOKING_HORIZON
    busy = [held(NOW + timedelta(hours=h)) for h in range(1, 40, 2)]
    assert refuse(plain, NOW + timedelta(minutes=1), busy) is None
    assert refuse(plain, NOW + rules.BOOKING_HORIZON, busy) is None


def test_minimum_notice_at_its_boundary():
    twelve = br.BookingRules(mentor_id=MENTOR, min_notice_minutes=720)
    assert refuse(twelve, NOW + timedelta(hours=12) - timedelta(minutes=1)) is br.Hidden.NOTICE
    assert refuse(twelve, NOW + timedelta(hours=12)) is None
    assert br.refusal_message(br.Hidden.NOTICE, twelve) == "The mentor needs 12 hours' notice; pick a later time."


def test_horizon_at_its_boundary():
    week = br.BookingRules(mentor_id=MENTOR, horizon_days=7)
    assert refuse(week, NOW + timedelta(days=7)) is None
    assert refuse(week, NOW + timedelta(days=7, minutes=1)) is br.Hidden.HORIZON


def test_buffer_before_and_after_a_held_session_but_not_beyond():
    quarter = br.BookingRules(mentor_id=MENTOR, buffer_minutes=15)
    other = held(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))  # 10:00-11:00
    assert refuse(quarter, datetime(2026, 12, 1, 11, 0, tzinfo=UTC), [other]) is br.Hidden.BUFFER
    assert refuse(quarter, datetime(2026, 12, 1, 11, 15, tzinfo=UTC), [other]) is None
    assert refuse(quarter, datetime(2026, 12, 1, 9, 0, tzinfo=UTC), [other]) is br.Hidden.BUFFER  # ends 10:00
    assert refuse(quarter, datetime(2026, 12, 1, 8, 45, tzinfo=UTC), [other]) is None  # ends 9:45


def test_daily_limit_counts_the_mentors_own_day():
    two = br.BookingRules(mentor_id=MENTOR, max_per_day=2)
    # Wed 2 Dec 03:00 UTC is still Tue 1 Dec (22:00) in New York, but Wednesday in London.
    busy = [held(datetime(2026, 12, 2, 3, 0, tzinfo=UTC)), held(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))]
    assert refuse(two, datetime(2026, 12, 1, 18, 0, tzinfo=UTC), busy, zone=NEW_YORK) is br.Hidden.DAY_FULL
    assert refuse(two, datetime(2026, 12, 1, 18, 0, tzinfo=UTC), busy, zone=LONDON) is None


def test_daily_limit_on_the_day_clocks_go_back_is_25_hours_long():
    one = br.BookingRules(mentor_id=MENTOR, max_per_day=1)
    # London, Sun 25 Oct 2026: 00:00 BST is 23:00 UTC the day before; 23:30 GMT is 23:30 UTC.
    early = held(datetime(2026, 10, 24, 23, 15, tzinfo=UTC))
    now = datetime(2026, 10, 1, tzinfo=UTC)
    assert refuse(one, datetime(2026, 10, 25, 23, 30, tzinfo=UTC), [early], now=now) is br.Hidden.DAY_FULL
    assert refuse(one, datetime(2026, 10, 26, 0, 0, tzinfo=UTC), [early], now=now) is None


def test_weekly_limit_counts_monday_to_sunday_in_the_mentors_zone_across_spring_forward():
    three = br.BookingRules(mentor_id=MENTOR, max_per_week=3)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    # New York springs forward on Sun 8 Mar 2026; that week runs Mon 2 Mar 05:00 UTC to Mon 9 Mar 04:00 UTC.
    busy = [held(datetime(2026, 3, 2, 5, 0, tzinfo=UTC)), held(datetime(2026, 3, 5, 15, tzinfo=UTC)),
            held(datetime(2026, 3, 9, 3, 30, tzinfo=UTC))]  # Sun 8 Mar 23:30 EDT
    assert refuse(three, datetime(2026, 3, 7, 15, tzinfo=UTC), busy, zone=NEW_YORK, now=now) is br.Hidden.WEEK_FULL
    assert refuse(three, datetime(2026, 3, 9, 4, 0, tzinfo=UTC), busy, zone=NEW_YORK, now=now) is None  # Mon 00:00 EDT
    assert refuse(three, datetime(2026, 3, 2, 4, 59, tzinfo=UTC), busy, zone=NEW_YORK, now=now) is None  # Sun before


def test_bookable_splits_starts_by_the_rule_that_hides_them():
    strict = br.BookingRules(mentor_id=MENTOR, min_notice_minutes=720, buffer_minutes=15)
    other = held(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    starts = [NOW + timedelta(hours=2), datetime(2026, 12, 1, 11, 0, tzinfo=UTC), datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    kept, hidden = br.bookable(strict, starts, 60, [other], LONDON, NOW)
    assert kept == [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    assert hidden == {br.Hidden.NOTICE: [starts[0]], br.Hidden.BUFFER: [starts[1]]}
    line = br.hidden_line(br.Hidden.NOTICE, strict, "Maya", "Mon 21:00")
    assert line == "Times before Mon 21:00 are hidden: Maya needs 12 hours' notice."


def test_validate_booking_refuses_with_the_rules_sentence_on_the_time_field():
    mentor = Profile(id=MENTOR, full_name="Maya", role=Role.MENTOR, timezone="Europe/London")
    req = BookingRequest(mentor_id=MENTOR, subject="Python", scheduled_time=NOW + timedelta(hours=1), duration_minutes=60)
    with pytest.raises(InvalidInput) as caught:
        rules.validate_booking(req, student_id="s1", mentor=mentor, availability=(), busy=(), now=NOW,
                               booking_rules=br.BookingRules(mentor_id=MENTOR, min_notice_minutes=120))
    assert caught.value.field == "scheduled_time"
    assert str(caught.value) == messages.needs_notice(120)


def test_limits_on_each_value():
    good = {name: low for name, (low, _high) in br.LIMITS.items()}
    assert br.rules_errors(good) == {}
    assert br.rules_errors(good | {"max_per_day": None, "max_per_week": None}) == {}
    wrong = br.rules_errors(good | {"buffer_minutes": 241, "horizon_days": 0, "min_notice_minutes": None})
    assert set(wrong) == {"buffer_minutes", "horizon_days", "min_notice_minutes"}
    assert wrong["buffer_minutes"] == messages.rule_range(0, 240)


def session(status: SessionStatus, start: datetime, created: datetime = NOW) -> MentorSession:
    return MentorSession(id="x", mentor_id=MENTOR, student_id="s1", subject="Python", scheduled_time=start,
                         duration_minutes=60, status=status, created_at=created, updated_at=created)


def test_late_cancel_only_for_a_confirmed_session_inside_the_window():
    day = br.BookingRules(mentor_id=MENTOR, cancel_window_hours=24)
    start = NOW + timedelta(hours=24)
    assert not br.is_late_cancel(day, session(SessionStatus.CONFIRMED, start), NOW)
    assert br.is_late_cancel(day, session(SessionStatus.CONFIRMED, start), NOW + timedelta(seconds=1))
    assert not br.is_late_cancel(day, session(SessionStatus.PENDING, start), NOW + timedelta(hours=1))
    assert not br.is_late_cancel(br.BookingRules(mentor_id=MENTOR), session(SessionStatus.CONFIRMED, start), start)


def test_expiry_at_the_start_or_after_the_mentors_hours():
    rules_ = br.BookingRules(mentor_id=MENTOR, request_expiry_hours=48)
    far = session(SessionStatus.PENDING, NOW + timedelta(days=10))
    assert not br.has_expired(rules_, far, NOW + timedelta(hours=48) - timedelta(seconds=1))
    assert br.has_expired(rules_, far, NOW + timedelta(hours=48))
    soon = session(SessionStatus.PENDING, NOW + timedelta(hours=3))
    assert not br.has_expired(rules_, soon, NOW + timedelta(hours=3) - timedelta(seconds=1))
    assert br.has_expired(rules_, soon, NOW + timedelta(hours=3))
    assert not br.has_expired(rules_, session(SessionStatus.CONFIRMED, NOW + timedelta(hours=3)), NOW + timedelta(days=9))
