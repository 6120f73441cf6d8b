"""Reading ``/schedule`` arguments: fixed clocks in several zones, both DST changes, durations, subjects."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hostile_text import LONG_LENGTH, SEQUENCES, markup
from mentor_tui.domain import rules
from mentor_tui.domain.errors import InvalidInput
from mentor_tui.domain.schedule_text import ScheduleAsk, parse_schedule

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
AUCKLAND = ZoneInfo("Pacific/Auckland")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")

MONDAY_AFTERNOON = datetime(2026, 11, 30, 16, 8, tzinfo=BERLIN)
"""Mon 30 Nov 2026, 16:08 in Berlin: 3pm today has passed, 5pm has not."""


def ask(args: str, now: datetime = MONDAY_AFTERNOON, zone: ZoneInfo = BERLIN) -> ScheduleAsk:
    return parse_schedule(args, now, zone)


def refusal(args: str, now: datetime = MONDAY_AFTERNOON, zone: ZoneInfo = BERLIN) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_schedule(args, now, zone)
    return caught.value


def wall(year: int, month: int, day: int, hour: int, minute: int, zone: ZoneInfo) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


# --- when ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "starts_at"),
    [
        ("tomorrow 3pm", wall(2026, 12, 1, 15, 0, BERLIN)),
        ("friday 4pm", wall(2026, 12, 4, 16, 0, BERLIN)),
        ("next monday at 10:30", wall(2026, 12, 7, 10, 30, BERLIN)),
        ("dec 3 14:00", wall(2026, 12, 3, 14, 0, BERLIN)),
        ("in 2 days 9am", wall(2026, 12, 2, 9, 0, BERLIN)),
        ("tomorrow at 3 pm", wall(2026, 12, 1, 15, 0, BERLIN)),
        ("tomorrow noon", wall(2026, 12, 1, 12, 0, BERLIN)),
        ("3pm next friday", wall(2026, 12, 4, 15, 0, BERLIN)),
        ("5pm", wall(2026, 11, 30, 17, 0, BERLIN)),
        ("today 17:30", wall(2026, 11, 30, 17, 30, BERLIN)),
        ("jan 5 2027 9:15am", wall(2027, 1, 5, 9, 15, BERLIN)),
    ],
)
def test_date_and_time_words_are_read_in_the_senders_zone(args: str, starts_at: datetime) -> None:
    got = ask(args)
    assert got.starts_at == starts_at
    assert got.starts_at.tzinfo == BERLIN
    assert got.adjusted is None


@pytest.mark.parametrize(
    ("args", "now", "starts_at"),
    [
        # Monday 30 Nov 2026: "monday" before the time has passed today is today...
        ("monday 5pm", MONDAY_AFTERNOON, wall(2026, 11, 30, 17, 0, BERLIN)),
        ("mon at 17:00", MONDAY_AFTERNOON, wall(2026, 11, 30, 17, 0, BERLIN)),
        # ...and once it has passed, the next Monday.
        ("monday 9am", MONDAY_AFTERNOON, wall(2026, 12, 7, 9, 0, BERLIN)),
        ("next monday 5pm", MONDAY_AFTERNOON, wall(2026, 12, 7, 17, 0, BERLIN)),
    ],
)
def test_todays_weekday_means_today_until_its_time_has_passed(args: str, now: datetime, starts_at: datetime) -> None:
    assert ask(args, now).starts_at == starts_at


def test_the_same_words_mean_the_same_wall_time_in_every_zone() -> None:
    for zone in (BERLIN, NEW_YORK, KOLKATA, AUCKLAND, KIRITIMATI):
        now = datetime(2026, 11, 30, 12, 0, tzinfo=zone)
        got = ask("tomorrow 3pm", now, zone)
        assert got.starts_at == datetime(2026, 12, 1, 15, 0, tzinfo=zone), zone.key
        assert got.starts_at.utcoffset() == zone.utcoffset(got.starts_at.replace(tzinfo=None))


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, KOLKATA, AUCKLAND, KIRITIMATI], ids=lambda z: z.key)
def test_tomorrow_at_half_past_eleven_at_night_is_the_next_day_in_the_senders_zone(zone: ZoneInfo) -> None:
    # 23:30 on Mon 30 Nov where the sender is; in UTC that is already Tuesday in Kiritimati
    # (+14) and still Monday in New York: "tomorrow" follows the sender's calendar, not UTC's.
    now = datetime(2026, 11, 30, 23, 30, tzinfo=zone)
    assert ask("tomorrow 3pm", now, zone).starts_at == datetime(2026, 12, 1, 15, 0, tzinfo=zone)


def test_tomorrow_is_the_senders_tomorrow_when_utc_is_on_another_day() -> None:
    now_utc = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Tue 1 Dec 00:00 in Kiritimati
    got = parse_schedule("tomorrow 3pm", now_utc, KIRITIMATI)
    assert got.starts_at == datetime(2026, 12, 2, 15, 0, tzinfo=KIRITIMATI)


def test_a_time_alone_that_has_passed_today_means_tomorrow_and_says_so() -> None:
    got = ask("3pm")
    assert got.starts_at == wall(2026, 12, 1, 15, 0, BERLIN)
    assert got.adjusted == "15:00 has passed today: tomorrow, Tue 1 Dec."


@pytest.mark.parametrize("args", ["10:30", "at 3 pm", "noon", "midnight"])
def test_other_times_alone_roll_forward_too(args: str) -> None:
    got = ask(args)
    assert got.starts_at.date() == datetime(2026, 12, 1).date()
    assert got.adjusted is not None and "tomorrow, Tue 1 Dec" in got.adjusted


def test_a_time_alone_still_to_come_today_is_today() -> None:
    now = datetime(2026, 11, 30, 14, 59, tzinfo=NEW_YORK)
    got = ask("3pm", now, NEW_YORK)
    assert got.starts_at == wall(2026, 11, 30, 15, 0, NEW_YORK)
    assert got.adjusted is None


def test_a_time_alone_rolls_over_the_end_of_the_year() -> None:
    now = datetime(2026, 12, 31, 22, 0, tzinfo=AUCKLAND)
    got = ask("9am", now, AUCKLAND)
    assert got.starts_at == wall(2027, 1, 1, 9, 0, AUCKLAND)
    assert got.adjusted == "09:00 has passed today: tomorrow, Fri 1 Jan."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("today 9am", "Mon 30 Nov 09:00 has passed; pick a time in the future."),
        ("today 3pm", "Mon 30 Nov 15:00 has passed; pick a time in the future."),
        ("yesterday 3pm", "Sun 29 Nov 15:00 has passed; pick a time in the future."),
        ("jan 5 2020 3pm", "Sun 5 Jan 2020 15:00 has passed; pick a time in the future."),
    ],
)
def test_an_explicit_date_that_has_passed_is_refused(args: str, message: str) -> None:
    error = refusal(args)
    assert (error.field, error.message) == ("scheduled_time", message)


def test_more_than_the_booking_horizon_ahead_is_refused() -> None:
    error = refusal("dec 3 2028 3pm")
    assert (error.field, error.message) == ("scheduled_time", "Pick a time at most two years ahead.")
    assert MONDAY_AFTERNOON + rules.BOOKING_HORIZON < wall(2028, 12, 3, 15, 0, BERLIN)


@pytest.mark.parametrize("args", ["tomorrow", "friday", "dec 3", "in 2 days", "tomorrow 3", "next week"])
def test_a_date_without_a_time_is_refused(args: str) -> None:
    error = refusal(args)
    assert (error.field, error.message) == (
        "scheduled_time", "Say a time too, e.g. /schedule tomorrow 3pm 45m Python review."
    )


@pytest.mark.parametrize("args", ["", "   "])
def test_nothing_after_the_command_asks_when(args: str) -> None:
    error = refusal(args)
    assert (error.field, error.message) == ("scheduled_time", "Say when, e.g. /schedule tomorrow 3pm 45m Python review.")


@pytest.mark.parametrize("args", ["Python review tomorrow 3pm", "soonish 3pm", "blue moon at 10:30"])
def test_words_before_the_time_that_are_not_a_date_are_refused(args: str) -> None:
    error = refusal(args)
    assert (error.field, error.message) == (
        "scheduled_time", "Start with a date and time, e.g. /schedule tomorrow 3pm 45m Python review."
    )


# --- DST: refused, never guessed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "args", "message"),
    [
        (
            BERLIN, datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN), "sunday 2:30am",
            "02:30 does not exist on Sun 29 Mar in Europe/Berlin (clocks jump from 02:00 to 03:00); pick another time.",
        ),
        (
            NEW_YORK, datetime(2026, 3, 6, 10, 0, tzinfo=NEW_YORK), "mar 8 2am",
            "02:00 does not exist on Sun 8 Mar in America/New_York (clocks jump from 02:00 to 03:00); pick another time.",
        ),
        (
            AUCKLAND, datetime(2026, 9, 25, 10, 0, tzinfo=AUCKLAND), "sunday 2:59am",
            "02:59 does not exist on Sun 27 Sep in Pacific/Auckland (clocks jump from 02:00 to 03:00); pick another time.",
        ),
    ],
    ids=["berlin", "new-york", "auckland"],
)
def test_a_skipped_wall_time_is_refused_naming_time_and_zone(
    zone: ZoneInfo, now: datetime, args: str, message: str
) -> None:
    error = refusal(args, now, zone)
    assert (error.field, error.message) == ("scheduled_time", message)


@pytest.mark.parametrize(
    ("zone", "now", "args", "message"),
    [
        (
            BERLIN, datetime(2026, 10, 23, 10, 0, tzinfo=BERLIN), "oct 25 2:30",
            "02:30 happens twice on Sun 25 Oct in Europe/Berlin (clocks go back from 03:00 to 02:00); pick another time.",
        ),
        (
            NEW_YORK, datetime(2026, 10, 30, 10, 0, tzinfo=NEW_YORK), "sunday 1:30am",
            "01:30 happens twice on Sun 1 Nov in America/New_York (clocks go back from 02:00 to 01:00); pick another time.",
        ),
        (
            AUCKLAND, datetime(2026, 4, 3, 10, 0, tzinfo=AUCKLAND), "sunday 2am",
            "02:00 happens twice on Sun 5 Apr in Pacific/Auckland (clocks go back from 03:00 to 02:00); pick another time.",
        ),
    ],
    ids=["berlin", "new-york", "auckland"],
)
def test_a_repeated_wall_time_is_refused_naming_time_and_zone(
    zone: ZoneInfo, now: datetime, args: str, message: str
) -> None:
    error = refusal(args, now, zone)
    assert (error.field, error.message) == ("scheduled_time", message)


@pytest.mark.parametrize(
    ("zone", "now", "args", "utc"),
    [
        # Either side of Berlin's spring gap (2:00 -> 3:00, Sun 29 Mar 2026).
        (BERLIN, datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN), "sunday 1:59am", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (BERLIN, datetime(2026, 3, 27, 10, 0, tzinfo=BERLIN), "sunday 3am", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Either side of New York's repeated hour (2:00 -> 1:00, Sun 1 Nov 2026).
        (NEW_YORK, datetime(2026, 10, 30, 10, 0, tzinfo=NEW_YORK), "sunday 0:59", datetime(2026, 11, 1, 4, 59, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 10, 30, 10, 0, tzinfo=NEW_YORK), "sunday 2am", datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        # The afternoon of a change day has the new offset.
        (BERLIN, datetime(2026, 10, 23, 10, 0, tzinfo=BERLIN), "oct 25 3pm", datetime(2026, 10, 25, 14, 0, tzinfo=UTC)),
        (AUCKLAND, datetime(2026, 9, 25, 10, 0, tzinfo=AUCKLAND), "sunday 3pm", datetime(2026, 9, 27, 2, 0, tzinfo=UTC)),
    ],
)
def test_times_next_to_a_change_get_the_offset_of_their_side(
    zone: ZoneInfo, now: datetime, args: str, utc: datetime
) -> None:
    assert ask(args, now, zone).starts_at == utc


def test_a_time_alone_rolled_into_a_skipped_hour_is_refused() -> None:
    now = datetime(2026, 3, 28, 3, 0, tzinfo=BERLIN)  # Saturday 03:00; 02:30 tomorrow does not exist
    assert "does not exist on Sun 29 Mar" in refusal("2:30", now, BERLIN).message


def test_tomorrow_from_the_evening_before_a_change_is_the_change_day() -> None:
    now = datetime(2026, 3, 7, 23, 30, tzinfo=NEW_YORK)
    got = ask("tomorrow 3pm", now, NEW_YORK)
    assert got.starts_at == wall(2026, 3, 8, 15, 0, NEW_YORK)
    assert got.starts_at.utcoffset() == timedelta(hours=-4)


# --- duration ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "minutes"),
    [
        ("tomorrow 3pm", rules.DEFAULT_DURATION),
        ("tomorrow 3pm 45m", 45),
        ("tomorrow 3pm 45min", 45),
        ("tomorrow 3pm 45mins", 45),
        ("tomorrow 3pm 1h", 60),
        ("tomorrow 3pm 1h30", 90),
        ("tomorrow 3pm 1h30m", 90),
        ("tomorrow 3pm 90 min", 90),
        ("tomorrow 3pm 1.5h", 90),
        ("tomorrow 3pm 2 hours", 120),
        ("tomorrow 3pm 15m", rules.MIN_DURATION),
        ("tomorrow 3pm 4h", rules.MAX_DURATION),
        ("next monday at 10:30 2h", 120),
        ("3pm 45m", 45),
    ],
)
def test_durations(args: str, minutes: int) -> None:
    assert ask(args).duration_minutes == minutes


@pytest.mark.parametrize("duration", ["10m", "0m", "4h15", "5h", "50m", "1.33h", "99999h", "1.000001h"])
def test_a_duration_no_session_can_have_is_refused_with_the_booking_rule(duration: str) -> None:
    error = refusal(f"tomorrow 3pm {duration} Python")
    assert (error.field, error.message) == ("duration_minutes", "A session lasts 15 to 240 minutes, in steps of 15.")


# --- subject ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "subject"),
    [
        ("tomorrow 3pm 45m Python review", "Python review"),
        ("tomorrow 3pm Python review", "Python review"),
        ("tomorrow 3pm, Python review", "Python review"),
        ("friday 4pm May planning", "May planning"),  # not a day in May
        ("tomorrow 3pm a review", "a review"),
        ("3pm tomorrow mock interview", "mock interview"),
        ("tomorrow 3pm 1h   Rust   and C  ", "Rust   and C"),
        ("tomorrow 3pm Python 2h review", "Python 2h review"),
        ("tomorrow 3pm 45m", None),
    ],
)
def test_the_words_left_over_are_the_subject(args: str, subject: str | None) -> None:
    assert ask(args).subject == subject


def booking_subject_error(subject: str) -> str | None:
    errors = rules.booking_errors(
        subject=subject, scheduled_time=None, duration_minutes=60, notes=None, now=MONDAY_AFTERNOON
    )
    return errors.get("subject")


def test_subjects_with_control_characters_are_refused_as_a_bookings_subject_is() -> None:
    for sequence in (*SEQUENCES, "\t", "\n", "\x00", "\u2066"):
        subject = f"Python {sequence} review"
        expected = booking_subject_error(subject)
        assert expected is not None, repr(sequence)
        error = refusal(f"tomorrow 3pm 45m {subject}")
        assert (error.field, error.message) == ("subject", expected), repr(sequence)


def test_a_subject_longer_than_a_bookings_is_refused_the_same_way() -> None:
    subject = "x" * LONG_LENGTH
    error = refusal(f"tomorrow 3pm {subject}")
    assert (error.field, error.message) == ("subject", booking_subject_error(subject))
    assert error.message == "Keep the subject to 100 characters."


def test_markup_looking_subjects_are_kept_as_typed_as_a_bookings_is() -> None:
    for subject in markup(Path("shots")):
        assert booking_subject_error(subject) is None
        assert ask(f"tomorrow 3pm {subject}").subject == subject


# --- the import stays lazy ---------------------------------------------------------------------


LAZY_IMPORT = """
import json, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from mentor_tui.domain.schedule_text import parse_schedule
before = "dateparser" in sys.modules
parse_schedule("tomorrow 3pm", datetime(2026, 11, 30, 16, 8, tzinfo=ZoneInfo("UTC")), ZoneInfo("UTC"))
print(json.dumps([before, "dateparser" in sys.modules]))
"""


def test_dateparser_is_imported_by_the_first_parse_not_by_importing_the_parser() -> None:
    done = subprocess.run([sys.executable, "-c", LAZY_IMPORT], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == [False, True]
