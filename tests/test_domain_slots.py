"""Weekly availability turned into instants: time zones, DST changes in both directions, open slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from mentor_tui.domain.models import AvailabilitySlot, TimeRange
from mentor_tui.domain.slots import day_bounds, local_window, open_slots, overlaps, windows_between, within_availability

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def weekly(weekday: int, start: time, end: time) -> AvailabilitySlot:
    return AvailabilitySlot(id=f"{weekday}-{start}", mentor_id="m", weekday=weekday, start_time=start, end_time=end)


def every_day(start: time, end: time) -> list[AvailabilitySlot]:
    return [weekly(day, start, end) for day in range(7)]


def test_overlaps_is_half_open():
    assert overlaps(utc(2026, 1, 1, 9), utc(2026, 1, 1, 10), utc(2026, 1, 1, 9, 30), utc(2026, 1, 1, 11))
    assert not overlaps(utc(2026, 1, 1, 9), utc(2026, 1, 1, 10), utc(2026, 1, 1, 10), utc(2026, 1, 1, 11))
    assert overlaps(utc(2026, 1, 1, 9), utc(2026, 1, 1, 12), utc(2026, 1, 1, 10), utc(2026, 1, 1, 11))


@pytest.mark.parametrize(
    ("zone", "day", "utc_start"),
    [
        # New York springs forward on 2026-03-08 and falls back on 2026-11-01.
        (NEW_YORK, date(2026, 3, 7), utc(2026, 3, 7, 14)),
        (NEW_YORK, date(2026, 3, 8), utc(2026, 3, 8, 13)),
        (NEW_YORK, date(2026, 10, 31), utc(2026, 10, 31, 13)),
        (NEW_YORK, date(2026, 11, 1), utc(2026, 11, 1, 14)),
        # Berlin springs forward on 2026-03-29 and falls back on 2026-10-25.
        (BERLIN, date(2026, 3, 28), utc(2026, 3, 28, 8)),
        (BERLIN, date(2026, 3, 29), utc(2026, 3, 29, 7)),
        (BERLIN, date(2026, 10, 24), utc(2026, 10, 24, 7)),
        (BERLIN, date(2026, 10, 25), utc(2026, 10, 25, 8)),
    ],
)
def test_local_window_follows_dst(zone, day, utc_start):
    start, end = local_window(day, time(9), time(17), zone)
    assert (start, end) == (utc_start, utc_start + timedelta(hours=8))


def test_day_bounds_are_23_and_25_hours_on_dst_days():
    start, end = day_bounds(date(2026, 3, 8), NEW_YORK)
    assert (start, end - start) == (utc(2026, 3, 8, 5), timedelta(hours=23))
    start, end = day_bounds(date(2026, 11, 1), NEW_YORK)
    assert (start, end - start) == (utc(2026, 11, 1, 4), timedelta(hours=25))
    start, end = day_bounds(date(2026, 3, 29), BERLIN)
    assert end - start == timedelta(hours=23)


def test_the_same_weekly_window_moves_in_utc_across_spring_forward():
    # Sundays 09:00-12:00 New York: 14:00 UTC on 2026-03-01, 13:00 UTC on 2026-03-08.
    sundays = [weekly(6, time(9), time(12))]
    assert within_availability(utc(2026, 3, 1, 14), 60, sundays, NEW_YORK)
    assert not within_availability(utc(2026, 3, 1, 13), 60, sundays, NEW_YORK)
    assert within_availability(utc(2026, 3, 8, 13), 60, sundays, NEW_YORK)
    # 16:00 UTC is 11:00 EST on 2026-03-01 (inside) but 12:00 EDT on 2026-03-08 (past the end).
    assert within_availability(utc(2026, 3, 1, 16), 60, sundays, NEW_YORK)
    assert not within_availability(utc(2026, 3, 8, 16), 60, sundays, NEW_YORK)


def test_the_same_weekly_window_moves_in_utc_across_fall_back():
    sundays = [weekly(6, time(9), time(12))]
    assert within_availability(utc(2026, 10, 25, 13), 180, sundays, NEW_YORK)
    assert within_availability(utc(2026, 11, 1, 14), 180, sundays, NEW_YORK)
    assert not within_availability(utc(2026, 11, 1, 13), 60, sundays, NEW_YORK)


def test_a_window_through_the_missing_hour_is_shorter():
    # 01:00-04:00 on 2026-03-08 in New York lasts two real hours (02:00-03:00 does not exist).
    sunday_night = [weekly(6, time(1), time(4))]
    assert within_availability(utc(2026, 3, 8, 6), 120, sunday_night, NEW_YORK)
    assert not within_availability(utc(2026, 3, 8, 6), 180, sunday_night, NEW_YORK)
    assert within_availability(utc(2026, 3, 1, 6), 180, sunday_night, NEW_YORK)


def test_a_window_through_the_repeated_hour_is_longer():
    # 00:00-03:00 on 2026-11-01 in New York lasts four real hours (01:00-02:00 happens twice).
    sunday_night = [weekly(6, time(0), time(3))]
    assert within_availability(utc(2026, 11, 1, 4), 240, sunday_night, NEW_YORK)
    assert not within_availability(utc(2026, 10, 25, 4), 240, sunday_night, NEW_YORK)


def test_windows_follow_the_mentors_date_not_utcs():
    # Monday 08:00-10:00 in Tokyo is Sunday 23:00 to Monday 01:00 UTC.
    mondays = [weekly(0, time(8), time(10))]
    found = windows_between(mondays, TOKYO, utc(2026, 11, 22, 0), utc(2026, 11, 24, 0))
    assert found == [(utc(2026, 11, 22, 23), utc(2026, 11, 23, 1))]
    assert within_availability(utc(2026, 11, 22, 23, 30), 90, mondays, TOKYO)


def test_open_slots_skip_busy_and_past_times():
    day_start, day_end = day_bounds(date(2026, 11, 25), BERLIN)
    busy = [TimeRange(start=utc(2026, 11, 25, 9), end=utc(2026, 11, 25, 10))]
    starts = open_slots(every_day(time(9), time(12)), BERLIN, day_start, day_end, 60, busy, now=utc(2026, 11, 24))
    # The window is 08:00-11:00 UTC; 09:00-10:00 UTC is held, so 08:30 and 09:30 clash too.
    assert starts == [utc(2026, 11, 25, 8), utc(2026, 11, 25, 10)]
    later = open_slots(every_day(time(9), time(12)), BERLIN, day_start, day_end, 60, [], now=utc(2026, 11, 25, 9))
    assert later == [utc(2026, 11, 25, 9, 30), utc(2026, 11, 25, 10)]


def test_open_slots_on_a_dst_day():
    day_start, day_end = day_bounds(date(2026, 3, 8), NEW_YORK)
    starts = open_slots(every_day(time(1), time(4)), NEW_YORK, day_start, day_end, 60, [], now=utc(2026, 1, 1))
    # 01:00 EST is 06:00 UTC and 04:00 EDT is 08:00 UTC: two real hours.
    assert starts == [utc(2026, 3, 8, 6), utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7)]


def test_open_slots_step_and_duration():
    day_start, day_end = day_bounds(date(2026, 11, 25), ZoneInfo("UTC"))
    starts = open_slots(
        every_day(time(9), time(10)), ZoneInfo("UTC"), day_start, day_end, 45, [], now=utc(2026, 1, 1), step_minutes=15
    )
    assert starts == [utc(2026, 11, 25, 9), utc(2026, 11, 25, 9, 15)]
