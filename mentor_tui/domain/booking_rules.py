"""A mentor's booking rules: notice, buffers, daily and weekly limits, the horizon,
the cancellation window and when an unanswered request expires.

Pure functions over the mentor's held sessions (pending or confirmed) as the backend
read them. Days and weeks are the mentor's own, in their zone (``slots.day_bounds``),
so a limit counts the same calendar day on either side of a DST change. The Supabase
trigger (``sql/supabase/021_booking_rules.sql``) and the SQLite upgrade 013 repeat
these rules with the same sentences (``domain.messages``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from . import messages
from .models import MentorSession, SessionStatus, TimeRange
from .slots import day_bounds, overlaps

EXPIRED_REASON = "expired"
"""The cancellation reason of a request that nobody answered in time (both databases write it)."""

HORIZON_DAYS_MAX = 730
"""As ``rules.BOOKING_HORIZON``: no mentor opens bookings further ahead."""

LIMITS: Mapping[str, tuple[int, int]] = {
    "min_notice_minutes": (0, 10080),
    "buffer_minutes": (0, 240),
    "max_per_day": (1, 48),
    "max_per_week": (1, 200),
    "horizon_days": (1, HORIZON_DAYS_MAX),
    "cancel_window_hours": (0, 168),
    "request_expiry_hours": (1, 720),
}
"""Each rule's lowest and highest value; the tables' CHECKs on both backends say the same."""

OPTIONAL = frozenset({"max_per_day", "max_per_week"})
"""Rules that may be left empty (no limit)."""

CONTEXT_DAYS = 8
"""How many days either side of a start a check needs the mentor's held sessions for:
the mentor's whole week (at most 7 local days, 25-hour days included) and the buffer."""


@dataclass(frozen=True)
class BookingRules:
    """One mentor's rules; the defaults change nothing for a mentor who set none."""

    mentor_id: str
    min_notice_minutes: int = 0
    buffer_minutes: int = 0
    max_per_day: int | None = None
    max_per_week: int | None = None
    horizon_days: int = HORIZON_DAYS_MAX
    cancel_window_hours: int = 0
    request_expiry_hours: int = 48


class Hidden(StrEnum):
    """Which rule refuses a start (after the fields, the mentor's open times and clashes)."""

    NOTICE = "notice"
    HORIZON = "horizon"
    DAY_FULL = "day_full"
    WEEK_FULL = "week_full"
    BUFFER = "buffer"


def rules_errors(values: Mapping[str, int | None]) -> dict[str, str]:
    """What is wrong with each rule's value, by field name, for the Settings form."""
    errors: dict[str, str] = {}
    for name, (lowest, highest) in LIMITS.items():
        value = values.get(name)
        if value is None:
            if name not in OPTIONAL:
                errors[name] = messages.rule_range(lowest, highest)
        elif not lowest <= value <= highest:
            errors[name] = messages.rule_range(lowest, highest)
    return errors


def from_values(mentor_id: str, values: Mapping[str, int | None]) -> BookingRules:
    """Rules from values ``rules_errors`` found nothing wrong with."""

    def required(name: str) -> int:
        value = values.get(name)
        if value is None:
            raise ValueError(name)
        return value

    return BookingRules(
        mentor_id=mentor_id,
        min_notice_minutes=required("min_notice_minutes"),
        buffer_minutes=required("buffer_minutes"),
        max_per_day=values.get("max_per_day"),
        max_per_week=values.get("max_per_week"),
        horizon_days=required("horizon_days"),
        cancel_window_hours=required("cancel_window_hours"),
        request_expiry_hours=required("request_expiry_hours"),
    )


def context_window(start: datetime, duration_minutes: int) -> tuple[datetime, datetime]:
    """The span of the mentor's held sessions a check of this start needs."""
    margin = timedelta(days=CONTEXT_DAYS)
    return start - margin, start + timedelta(minutes=duration_minutes) + margin


def week_bounds(at: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of the week holding ``at``, in ``zone``, as UTC."""
    day = at.astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    return day_bounds(monday, zone)[0], day_bounds(monday + timedelta(days=6), zone)[1]


def _count(held: Iterable[TimeRange], start: datetime, end: datetime) -> int:
    return sum(1 for r in held if start <= r.start < end)


def refusal(
    rules: BookingRules,
    start: datetime,
    duration_minutes: int,
    held: Sequence[TimeRange],
    zone: ZoneInfo,
    now: datetime,
) -> Hidden | None:
    """The first rule that refuses a session at ``start``, or None.

    ``held``: the mentor's pending and confirmed sessions around it (``context_window``),
    without the session being moved when one is rescheduled.
    """
    if start < now + timedelta(minutes=rules.min_notice_minutes):
        return Hidden.NOTICE
    if start > now + timedelta(days=rules.horizon_days):
        return Hidden.HORIZON
    if rules.max_per_day is not None and _count(held, *day_bounds(start.astimezone(zone).date(), zone)) >= rules.max_per_day:
        return Hidden.DAY_FULL
    if rules.max_per_week is not None and _count(held, *week_bounds(start, zone)) >= rules.max_per_week:
        return Hidden.WEEK_FULL
    pad = timedelta(minutes=rules.buffer_minutes)
    end = start + timedelta(minutes=duration_minutes)
    if pad and any(overlaps(start - pad, end + pad, r.start, r.end) for r in held):
        return Hidden.BUFFER
    return None


def refusal_message(reason: Hidden, rules: BookingRules) -> str:
    """Why a booking at that time is refused, as the databases say it too."""
    match reason:
        case Hidden.NOTICE:
            return messages.needs_notice(rules.min_notice_minutes)
        case Hidden.HORIZON:
            return messages.beyond_horizon(rules.horizon_days)
        case Hidden.DAY_FULL:
            return messages.day_full(rules.max_per_day or 0)
        case Hidden.WEEK_FULL:
            return messages.week_full(rules.max_per_week or 0)
        case Hidden.BUFFER:
            return messages.needs_buffer(rules.buffer_minutes)


def bookable(
    rules: BookingRules,
    starts: Iterable[datetime],
    duration_minutes: int,
    held: Sequence[TimeRange],
    zone: ZoneInfo,
    now: datetime,
) -> tuple[list[datetime], dict[Hidden, list[datetime]]]:
    """The starts the rules allow, and those they hide, by the rule that hides them."""
    kept: list[datetime] = []
    hidden: dict[Hidden, list[datetime]] = {}
    for start in starts:
        reason = refusal(rules, start, duration_minutes, held, zone, now)
        if reason is None:
            kept.append(start)
        else:
            hidden.setdefault(reason, []).append(start)
    return kept, hidden


def hidden_line(reason: Hidden, rules: BookingRules, mentor_name: str, when: str) -> str:
    """The line under a slot list saying why times are missing; ``when`` is the first
    shown time (notice) or the last (horizon) as the reader reads it."""
    match reason:
        case Hidden.NOTICE:
            return messages.hidden_by_notice(when, mentor_name, rules.min_notice_minutes)
        case Hidden.HORIZON:
            return messages.hidden_by_horizon(when, mentor_name, rules.horizon_days)
        case Hidden.DAY_FULL:
            return messages.hidden_by_day_limit(mentor_name, rules.max_per_day or 0)
        case Hidden.WEEK_FULL:
            return messages.hidden_by_week_limit(mentor_name, rules.max_per_week or 0)
        case Hidden.BUFFER:
            return messages.hidden_by_buffer(mentor_name, rules.buffer_minutes)


def is_late_cancel(rules: BookingRules, session: MentorSession, now: datetime) -> bool:
    """Cancelling this confirmed session now falls inside the mentor's cancellation window."""
    return (
        session.status is SessionStatus.CONFIRMED
        and rules.cancel_window_hours > 0
        and now > session.scheduled_time - timedelta(hours=rules.cancel_window_hours)
    )


def has_expired(rules: BookingRules, session: MentorSession, now: datetime) -> bool:
    """A pending request whose start has come, or that waited the mentor's expiry hours unanswered."""
    return session.status is SessionStatus.PENDING and (
        now >= session.scheduled_time or now >= session.created_at + timedelta(hours=rules.request_expiry_hours)
    )
