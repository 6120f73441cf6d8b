"""The rules of mentor-tui, in one place.

Both backends call these before they write; on Supabase the database enforces
the same rules again (``sql/supabase/``), because any client can call it directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from . import messages, text
from .booking_rules import BookingRules, refusal, refusal_message
from .errors import InvalidInput, NotAllowed, OutsideAvailability, SlotTaken
from .models import (
    ACTIVE_STATUSES,
    EARLIEST_TIME,
    AvailabilitySlot,
    BookingRequest,
    MentorSession,
    Profile,
    ProfileUpdate,
    Role,
    SessionStatus,
    TimeRange,
)
from .slots import overlaps, within_availability

MIN_DURATION = 15
MAX_DURATION = 240
DURATION_STEP = 15
DURATIONS = tuple(range(MIN_DURATION, MAX_DURATION + 1, DURATION_STEP))
DEFAULT_DURATION = 60
"""What a booking lasts unless the person says otherwise (the form, ``/schedule``)."""
SUBJECT_MAX = text.FIELDS["subject"].max_length
NOTES_MAX = text.FIELDS["notes"].max_length
BOOKING_HORIZON = timedelta(days=730)
"""How far ahead a session may be booked."""
PASSWORD_MIN = 8
MAX_HOURLY_RATE = Decimal(10000)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Action(StrEnum):
    CONFIRM = "confirm"
    DECLINE = "decline"
    CANCEL = "cancel"
    COMPLETE = "complete"
    RATE = "rate"


# action -> (which party may take it, statuses it applies to, status afterwards)
_TRANSITIONS: dict[Action, tuple[frozenset[Role], frozenset[SessionStatus], SessionStatus]] = {
    Action.CONFIRM: (frozenset({Role.MENTOR}), frozenset({SessionStatus.PENDING}), SessionStatus.CONFIRMED),
    Action.DECLINE: (frozenset({Role.MENTOR}), frozenset({SessionStatus.PENDING}), SessionStatus.CANCELLED),
    Action.CANCEL: (frozenset(Role), ACTIVE_STATUSES, SessionStatus.CANCELLED),
    Action.COMPLETE: (frozenset({Role.MENTOR}), frozenset({SessionStatus.CONFIRMED}), SessionStatus.COMPLETED),
    Action.RATE: (frozenset({Role.STUDENT}), frozenset({SessionStatus.COMPLETED}), SessionStatus.COMPLETED),
}

INVALID_TIME_MESSAGE = messages.INVALID_TIME



def party_role(session: MentorSession, user_id: str) -> Role | None:
    """Which side of this session the user is on, or None for an outsider."""
    if user_id == session.mentor_id:
        return Role.MENTOR
    if user_id == session.student_id:
        return Role.STUDENT
    return None


def next_status(session: MentorSession, user_id: str, action: Action, now: datetime) -> SessionStatus:
    """The status after ``user_id`` takes ``action``; raises ``NotAllowed`` when the rules forbid it.

    Nothing ever returns to pending: no action leads there.
    """
    role = party_role(session, user_id)
    if role is None:
        raise NotAllowed(messages.NOT_A_PARTY)
    if session.time_invalid:
        raise NotAllowed(INVALID_TIME_MESSAGE)
    roles, from_statuses, to_status = _TRANSITIONS[action]
    if role not in roles:
        (only,) = roles
        raise NotAllowed(messages.only_party(only.value, action.value))
    if session.status not in from_statuses:
        raise NotAllowed(messages.WRONG_STATUS[action.value])
    if action is Action.COMPLETE and now < session.scheduled_time:
        raise NotAllowed(messages.NOT_STARTED)
    if action is Action.RATE and session.rating is not None:
        raise NotAllowed(messages.ALREADY_RATED)
    if to_status is SessionStatus.CANCELLED and session.end_time <= now:
        # As the Supabase trigger (006): once over, a session is completed or left as it was.
        raise NotAllowed(messages.ALREADY_ENDED)
    return to_status


def raise_first(errors: Mapping[str, str]) -> None:
    """Raise the first of a form's field errors (as the ``*_errors`` functions give them)."""
    for field, message in errors.items():
        raise InvalidInput(field, message)


def check_rating(rating: int) -> None:
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidInput("rating", messages.RATING_RANGE)


def text_errors(values: Mapping[str, str | None]) -> dict[str, str]:
    """What is wrong with person-written values, by column name (a key of ``text.FIELDS``).

    Values are judged as they will be stored (``text.normalise``); an empty or missing
    value is for the caller to judge. Both backends call this before every write of
    such a value, so the embedded one refuses exactly what Supabase's CHECKs refuse.
    """
    errors: dict[str, str] = {}
    for name, value in values.items():
        value = text.normalise(value or "")
        if value:
            problem = text.field_error(name, value)
            if problem is not None:
                errors[name] = problem
    return errors


def check_text(**values: str | None) -> None:
    """Raise ``InvalidInput`` naming the first field whose value ``text_errors`` refuses."""
    raise_first(text_errors(values))


def booking_errors(
    *, subject: str, scheduled_time: datetime | None, duration_minutes: int | None, notes: str | None, now: datetime
) -> dict[str, str]:
    """Every field problem of a booking at once, so a form can show each beside its field."""
    errors = text_errors({"subject": subject})
    if not text.normalise(subject):
        errors["subject"] = messages.SAY_SUBJECT
    if scheduled_time is None:
        errors["scheduled_time"] = messages.PICK_DATE_TIME
    elif scheduled_time < EARLIEST_TIME:
        errors["scheduled_time"] = messages.PICK_FROM_2000
    elif scheduled_time <= now:
        errors["scheduled_time"] = messages.PICK_FUTURE
    elif scheduled_time > now + BOOKING_HORIZON:
        errors["scheduled_time"] = messages.PICK_WITHIN_TWO_YEARS
    if duration_minutes is None or duration_minutes not in DURATIONS:
        errors["duration_minutes"] = messages.duration_steps(MIN_DURATION, MAX_DURATION, DURATION_STEP)
    return errors | text_errors({"notes": notes})


def validate_booking(
    request: BookingRequest,
    *,
    student_id: str,
    mentor: Profile,
    availability: Sequence[AvailabilitySlot],
    busy: Iterable[TimeRange],
    now: datetime,
    booking_rules: BookingRules | None = None,
    mentor_held: Sequence[TimeRange] = (),
) -> None:
    """Raise the first reason this booking cannot be made.

    ``busy`` is every pending or confirmed session of the mentor and of the
    student; ``mentor_held`` the mentor's own around the start
    (``booking_rules.context_window``), for their notice, limits, horizon and
    buffers (``booking_rules``; None: the mentor set none). Backends run this
    check and their insert in one transaction.
    """
    if mentor.role is not Role.MENTOR:
        raise InvalidInput("mentor_id", messages.BOOK_ONLY_MENTOR)
    if mentor.id == student_id:
        raise NotAllowed(messages.BOOK_SELF)
    raise_first(
        booking_errors(
            subject=request.subject,
            scheduled_time=request.scheduled_time,
            duration_minutes=request.duration_minutes,
            notes=request.notes,
            now=now,
        )
    )
    start = request.scheduled_time
    if availability and not within_availability(start, request.duration_minutes, availability, mentor.zone):
        raise OutsideAvailability()
    end = start + timedelta(minutes=request.duration_minutes)
    if any(overlaps(start, end, r.start, r.end) for r in busy):
        raise SlotTaken()
    if booking_rules is not None:
        reason = refusal(booking_rules, start, request.duration_minutes, mentor_held, mentor.zone, now)
        if reason is not None:
            raise InvalidInput("scheduled_time", refusal_message(reason, booking_rules))


def check_availability_slot(slot: AvailabilitySlot, existing: Iterable[AvailabilitySlot]) -> None:
    """A weekly window must be non-empty and must not overlap another on the same weekday."""
    if slot.end_time <= slot.start_time:
        raise InvalidInput("end_time", messages.END_AFTER_START)
    for other in existing:
        if (
            other.id != slot.id
            and other.weekday == slot.weekday
            and slot.start_time < other.end_time
            and other.start_time < slot.end_time
        ):
            raise InvalidInput(
                "start_time", messages.overlaps_window(f"{other.start_time:%H:%M}", f"{other.end_time:%H:%M}")
            )


def sign_up_errors(*, email: str, password: str, full_name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if len(email.strip()) > text.EMAIL_MAX or not _EMAIL.match(email.strip()):
        errors["email"] = messages.EMAIL_FORMAT
    if len(password) < PASSWORD_MIN:
        errors["password"] = messages.password_min(PASSWORD_MIN)
    elif len(password) > text.PASSWORD_MAX:
        errors["password"] = messages.password_max(text.PASSWORD_MAX)
    if not text.normalise(full_name):
        errors["full_name"] = messages.ENTER_NAME
    return errors | text_errors({"full_name": full_name})


def profile_errors(update: ProfileUpdate) -> dict[str, str]:
    errors = text_errors({
        "full_name": update.full_name,
        "profession": update.profession,
        "experience": update.experience,
        "bio": update.bio,
        "meeting_url": update.meeting_url,
    })
    if update.full_name is not None and not text.normalise(update.full_name):
        errors["full_name"] = messages.ENTER_NAME
    if update.hourly_rate is not None and not Decimal(0) <= update.hourly_rate <= MAX_HOURLY_RATE:
        errors["hourly_rate"] = messages.hourly_rate_range(MAX_HOURLY_RATE)
    if update.expertise is not None:
        problem = text.expertise_error(text.normalise_tags(update.expertise))
        if problem is not None:
            errors["expertise"] = problem
    return errors


def normalise_email(email: str) -> str:
    return email.strip().lower()
