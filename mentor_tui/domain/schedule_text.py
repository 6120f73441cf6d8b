"""Reading what follows ``/schedule``: when, for how long, and what about.

``tomorrow 3pm 45m Python review`` is *when* (date and time words, read by dateparser),
an optional *duration* (``45m``, ``1h30``, ``1.5h``, ``90 min``) and an optional
*subject* (the rest, checked exactly as a booking's subject is).

Where the words about *when* end: at the time of day when date words come before it
("friday 4pm May planning" is Friday at 4pm about "May planning"); when the phrase
starts with the time, it may go on with date words ("3pm next friday"), and the longest
such phrase dateparser reads at the same time of day is taken. dateparser alone would
happily read "friday 4pm May" as a day in May, or "tomorrow 3pm a" as 16:08.

Time zones and DST: the words are read as a *naive* wall-clock time relative to now in
the sender's zone, then the zone is attached with ``zoneinfo``. A wall-clock time that
the zone skips (spring forward) or repeats (fall back) is refused, never guessed: the
person picks another time, so the time a preview shows is always the one they meant.

A time of day alone ("3pm") means the next one: after 3pm it is tomorrow, and
``ScheduleAsk.adjusted`` says so. A time with a date that has passed ("today 9am" at
noon, "yesterday 3pm") is refused.

dateparser takes a while to import, so it is imported on the first parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from . import messages, rules, text
from .errors import InvalidInput

WHEN_FIELD = "scheduled_time"
DURATION_FIELD = "duration_minutes"

MAX_WHEN_WORDS = 8
"""How far into the text the time of day may be: date phrases are short, and this bounds the work."""
MAX_DATE_WORDS_AFTER_TIME = 4
"""Date words read after a leading time ("3pm on Thu 3 Dec 2026" has four)."""

# A time of day in one word ("3pm", "10:30", "10:30am", "noon"), or a number and
# "am"/"pm" as two words ("3 pm"). A trailing comma is allowed: "tomorrow 3pm, review".
_CLOCK_WORD = re.compile(r"(?:\d{1,2}(?::\d{2})?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midnight),?", re.I)
_HOUR_WORD = re.compile(r"\d{1,2}(?::\d{2})?")
_MERIDIEM_WORD = re.compile(r"(?:am|pm|a\.m\.|p\.m\.),?", re.I)
_TIME_FILLER = frozenset({"at", "@"})
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thurs"),
         ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun"))
    )
    for name in names
}
"""A weekday's names, to its number (Monday 0) as ``datetime.weekday`` gives it."""
"""Words that may stand beside a time of day without naming a date."""

# "45m", "45min", "1h", "1h30", "1h30m", "1.5h", "2hours"; as two words "90 min", "2 hours".
_DURATION = re.compile(
    r"(?:(?P<hours>\d+(?:\.\d+)?)(?:h|hr|hrs|hour|hours)"
    r"|(?P<whole_hours>\d+)h(?P<and_minutes>\d{1,2})(?:m|min|mins)?"
    r"|(?P<minutes>\d+)(?:m|min|mins|minute|minutes))",
    re.I,
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class ScheduleAsk:
    """What a ``/schedule`` asks for, before anyone checks the mentor's calendar."""

    starts_at: datetime
    """Aware, in the sender's zone."""
    duration_minutes: int
    """As given, else the booking form's default."""
    subject: str | None
    """The words left over, normalised as a booking's subject; None when there are none."""
    adjusted: str | None
    """A sentence for the preview when the time was moved forward from what was typed."""


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    """Where it starts in the typed text."""


def parse_schedule(args: str, now: datetime, zone: ZoneInfo) -> ScheduleAsk:
    """Read ``args`` (what follows ``/schedule``) as the sender in ``zone`` means it at ``now``.

    Raises ``InvalidInput`` naming ``scheduled_time``, ``duration_minutes`` or ``subject``.
    """
    if now.tzinfo is None:
        raise ValueError("parse_schedule needs an aware now")
    words = [_Word(m.group(), m.start()) for m in _WORD.finditer(args)]
    if not words:
        raise InvalidInput(WHEN_FIELD, messages.SAY_WHEN)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    when_end, wall, adjusted = _read_when([w.text for w in words], local_now)
    starts_at = _attach_zone(wall, zone)
    if starts_at <= now:
        raise InvalidInput(WHEN_FIELD, messages.time_has_passed(_clock(wall), _day(wall, this_year=local_now.year)))
    if starts_at > now + rules.BOOKING_HORIZON:
        raise InvalidInput(WHEN_FIELD, messages.PICK_WITHIN_TWO_YEARS)

    rest = words[when_end:]
    duration, duration_words = _read_duration([w.text for w in rest[:2]])
    rest = rest[duration_words:]
    # The subject is the typed text itself from its first word on, so control characters
    # between its words are refused as in a booking, not dropped by the word split.
    raw_subject = args[rest[0].start :] if rest else ""
    rules.check_text(subject=raw_subject)
    return ScheduleAsk(
        starts_at=starts_at,
        duration_minutes=rules.DEFAULT_DURATION if duration is None else duration,
        subject=text.normalise_optional(raw_subject),
        adjusted=adjusted,
    )


# --- when ---------------------------------------------------------------------------------


def _read_when(words: list[str], local_now: datetime) -> tuple[int, datetime, str | None]:
    """How many words say when, the naive wall-clock time they mean, and why it was moved."""
    found = _find_clock(words)
    if found is None:
        raise InvalidInput(WHEN_FIELD, messages.SAY_TIME_TOO)
    clock_start, clock_end = found
    clock_read = _dateparse(" ".join(words[clock_start:clock_end]), local_now)
    if clock_read is None:
        raise InvalidInput(WHEN_FIELD, messages.UNREADABLE_WHEN)
    clock = clock_read.time()
    if any(w.lower() not in _TIME_FILLER for w in words[:clock_start]):
        said = [w.lower().rstrip(",") for w in words[:clock_start] if w.lower() not in _TIME_FILLER]
        today = datetime.combine(local_now.date(), clock)
        if len(said) == 1 and _WEEKDAYS.get(said[0]) == local_now.weekday() and today > local_now:
            # "friday 4pm" on a Friday morning is this afternoon; dateparser would say next week.
            return clock_end, today, None
        read = _dateparse(" ".join(words[:clock_end]), local_now)
        if read is None or read.time() != clock:
            raise InvalidInput(WHEN_FIELD, messages.UNREADABLE_WHEN)
        return clock_end, read, None

    when_end, read = clock_end, None
    last = min(len(words), clock_end + MAX_DATE_WORDS_AFTER_TIME)
    for end in range(clock_end + 1, last + 1):
        if _duration_at(words, end - 1) is not None:
            break
        longer = _dateparse(" ".join(words[:end]), local_now)
        # A longer phrase counts only if it changes the answer: "3pm tomorrow at" is "3pm tomorrow".
        if longer is not None and longer.time() == clock and longer != read:
            when_end, read = end, longer
    if read is not None:
        return when_end, read, None
    # dateparser's own answer for a time alone is unreliable (it may pick another day);
    # the rule here is simple: today, or tomorrow once that time has passed today.
    today = datetime.combine(local_now.date(), clock)
    if today > local_now:
        return clock_end, today, None
    tomorrow = today + timedelta(days=1)
    return clock_end, tomorrow, messages.time_rolled_to_tomorrow(_clock(tomorrow), _day(tomorrow))


def _find_clock(words: list[str]) -> tuple[int, int] | None:
    """Where the first time of day is among the first words (start and end index), if anywhere."""
    for index, word in enumerate(words[:MAX_WHEN_WORDS]):
        if _CLOCK_WORD.fullmatch(word):
            return index, index + 1
        following = words[index + 1] if index + 1 < len(words) else ""
        if _HOUR_WORD.fullmatch(word) and _MERIDIEM_WORD.fullmatch(following):
            return index, index + 2
    return None


def _dateparse(phrase: str, local_now: datetime) -> datetime | None:
    """dateparser's naive reading of ``phrase`` relative to the naive ``local_now``."""
    import dateparser  # type: ignore[import-untyped]  # heavy: loaded on the first /schedule

    settings: dict[str, Any] = {
        "RELATIVE_BASE": local_now,
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    read = dateparser.parse(phrase.rstrip(","), languages=["en"], settings=settings)
    if not isinstance(read, datetime):
        return None
    return read.replace(tzinfo=None, second=0, microsecond=0)


def _attach_zone(wall: datetime, zone: ZoneInfo) -> datetime:
    """``wall`` in ``zone``; refuses a time the zone skips or repeats on that day."""
    earlier, later = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    before, after = earlier.utcoffset(), later.utcoffset()
    if before == after:
        return earlier
    assert before is not None and after is not None
    # The change happens between the two readings of ``wall`` in UTC.
    change = _change_instant((wall - before).replace(tzinfo=UTC), (wall - after).replace(tzinfo=UTC), zone)
    old_clock, new_clock = change + before, change + after
    clock, day = _clock(wall), _day(wall)
    if after > before:  # the clocks jumped forward over ``wall``
        raise InvalidInput(
            WHEN_FIELD, messages.time_skipped(clock, day, zone.key, _clock(old_clock), _clock(new_clock))
        )
    raise InvalidInput(WHEN_FIELD, messages.time_repeated(clock, day, zone.key, _clock(old_clock), _clock(new_clock)))


def _change_instant(a: datetime, b: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC minute with the new offset, between two instants on either side of a change."""
    low, high = min(a, b), max(a, b)
    old_offset = low.astimezone(zone).utcoffset()
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle.astimezone(zone).utcoffset() == old_offset:
            low = middle
        else:
            high = middle
    return high.replace(tzinfo=None)


def _clock(at: datetime) -> str:
    """ "09:30", as the app shows times (``widgets.timefmt``)."""
    return f"{at:%H:%M}"


def _day(at: datetime, *, this_year: int | None = None) -> str:
    """ "Sun 29 Mar", with the year when it is not ``this_year`` (as ``widgets.timefmt``)."""
    year = "" if this_year in (None, at.year) else f" {at.year}"
    return f"{at:%a} {at.day} {at:%b}{year}"


# --- how long -----------------------------------------------------------------------------


def _read_duration(words: list[str]) -> tuple[int | None, int]:
    """The duration at the start of ``words`` and how many words it takes (none: None, 0);
    refuses a duration a session cannot have."""
    found = _duration_at(words, 0)
    if found is None:
        return None, 0
    minutes, count = found
    if minutes.denominator != 1 or int(minutes) not in rules.DURATIONS:
        raise InvalidInput(
            DURATION_FIELD, messages.duration_steps(rules.MIN_DURATION, rules.MAX_DURATION, rules.DURATION_STEP)
        )
    return int(minutes), count


def _duration_at(words: list[str], index: int) -> tuple[Fraction, int] | None:
    """The minutes a duration starting at ``words[index]`` says ("45m", or "90 min" as two
    words) and how many words it takes, or None when no duration starts there."""
    for count in (1, 2):
        if index + count > len(words):
            break
        match = _DURATION.fullmatch("".join(words[index : index + count]))
        if match is None:
            continue
        if match["hours"] is not None:
            return Fraction(match["hours"]) * 60, count
        if match["whole_hours"] is not None:
            return Fraction(int(match["whole_hours"]) * 60 + int(match["and_minutes"])), count
        return Fraction(int(match["minutes"])), count
    return None
