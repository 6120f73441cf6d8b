"""The rules of the domain: who moves a session where, what a booking needs, field checks, money."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from mentor_tui.domain import rules, text
from mentor_tui.domain.errors import InvalidInput, NotAllowed, OutsideAvailability, SlotTaken
from mentor_tui.domain.models import (
    AvailabilitySlot,
    BookingRequest,
    MentorSession,
    Profile,
    ProfileUpdate,
    Role,
    SessionStatus,
    TimeRange,
)
from mentor_tui.domain.money import estimate_cost, format_money
from mentor_tui.domain.rules import Action

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
MENTOR, STUDENT, OUTSIDER = "mentor-1", "student-1", "student-2"
PARTY = {Role.MENTOR: MENTOR, Role.STUDENT: STUDENT, None: OUTSIDER}

# Every allowed (action, role, status) and the status it leads to; everything else is refused.
ALLOWED = {
    (Action.CONFIRM, Role.MENTOR, SessionStatus.PENDING): SessionStatus.CONFIRMED,
    (Action.DECLINE, Role.MENTOR, SessionStatus.PENDING): SessionStatus.CANCELLED,
    (Action.CANCEL, Role.MENTOR, SessionStatus.PENDING): SessionStatus.CANCELLED,
    (Action.CANCEL, Role.MENTOR, SessionStatus.CONFIRMED): SessionStatus.CANCELLED,
    (Action.CANCEL, Role.STUDENT, SessionStatus.PENDING): SessionStatus.CANCELLED,
    (Action.CANCEL, Role.STUDENT, SessionStatus.CONFIRMED): SessionStatus.CANCELLED,
    (Action.COMPLETE, Role.MENTOR, SessionStatus.CONFIRMED): SessionStatus.COMPLETED,
    (Action.RATE, Role.STUDENT, SessionStatus.COMPLETED): SessionStatus.COMPLETED,
}


def session(status: SessionStatus = SessionStatus.PENDING, *, start: datetime | None = None, **fields) -> MentorSession:
    return MentorSession(
        id="s-1",
        mentor_id=MENTOR,
        student_id=STUDENT,
        subject="Python",
        scheduled_time=start or NOW - timedelta(minutes=30),  # under way: completable and still cancellable
        duration_minutes=60,
        status=status,
        created_at=NOW - timedelta(days=2),
        updated_at=NOW - timedelta(days=2),
        **fields,
    )


@pytest.mark.parametrize("status", list(SessionStatus))
@pytest.mark.parametrize("role", [Role.MENTOR, Role.STUDENT, None], ids=["mentor", "student", "outsider"])
@pytest.mark.parametrize("action", list(Action))
def test_next_status_by_role_and_status(action, role, status):
    expected = ALLOWED.get((action, role, status))
    if expected is None:
        with pytest.raises(NotAllowed):
            rules.next_status(session(status), PARTY[role], action, NOW)
    else:
        assert rules.next_status(session(status), PARTY[role], action, NOW) is expected


@pytest.mark.parametrize("action", [Action.CANCEL, Action.DECLINE])
def test_a_session_that_has_ended_cannot_be_cancelled_or_declined(action):
    ended = session(SessionStatus.PENDING, start=NOW - timedelta(hours=1))
    with pytest.raises(NotAllowed, match="already ended"):
        rules.next_status(ended, MENTOR, action, NOW)


def test_nothing_returns_to_pending():
    assert SessionStatus.PENDING not in ALLOWED.values()


def test_outsider_is_told_they_are_not_part_of_the_session():
    with pytest.raises(NotAllowed, match="not part of this session"):
        rules.next_status(session(), OUTSIDER, Action.CANCEL, NOW)


def test_complete_only_once_started():
    future = session(SessionStatus.CONFIRMED, start=NOW + timedelta(minutes=1))
    with pytest.raises(NotAllowed, match="once it has started"):
        rules.next_status(future, MENTOR, Action.COMPLETE, NOW)
    starting_now = session(SessionStatus.CONFIRMED, start=NOW)
    assert rules.next_status(starting_now, MENTOR, Action.COMPLETE, NOW) is SessionStatus.COMPLETED


def test_rate_only_once():
    rated = session(SessionStatus.COMPLETED, rating=4)
    with pytest.raises(NotAllowed, match="already been rated"):
        rules.next_status(rated, STUDENT, Action.RATE, NOW)


@pytest.mark.parametrize("rating", [0, 6, -1, 3.5, "5", None])
def test_check_rating_refuses(rating):
    with pytest.raises(InvalidInput) as caught:
        rules.check_rating(rating)
    assert caught.value.field == "rating"


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_check_rating_accepts(rating):
    rules.check_rating(rating)


# --- booking fields ---------------------------------------------------------------


def errors(**overrides):
    fields = {"subject": "Python", "scheduled_time": NOW + timedelta(days=1), "duration_minutes": 60, "notes": None}
    fields.update(overrides)
    return rules.booking_errors(now=NOW, **fields)


def test_a_good_booking_has_no_errors():
    assert errors() == {}
    assert errors(subject="x" * 100, notes="n" * 2000, duration_minutes=15) == {}
    assert errors(duration_minutes=240) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", ""),
        ("subject", "   "),
        ("subject", "x" * 101),
        ("scheduled_time", None),
        ("scheduled_time", NOW),
        ("scheduled_time", NOW - timedelta(minutes=1)),
        ("duration_minutes", None),
        ("duration_minutes", 0),
        ("duration_minutes", 10),
        ("duration_minutes", 20),
        ("duration_minutes", 255),
        ("duration_minutes", 250),
        ("notes", "n" * 2001),
    ],
)
def test_each_booking_field_error(field, value):
    found = errors(**{field: value})
    assert list(found) == [field]
    assert found[field]


def test_every_field_error_at_once():
    found = errors(subject="", scheduled_time=None, duration_minutes=7, notes="n" * 3000)
    assert set(found) == {"subject", "scheduled_time", "duration_minutes", "notes"}


def mentor_profile(**fields) -> Profile:
    return Profile(id=MENTOR, full_name="Maya", role=Role.MENTOR, timezone="Europe/Berlin", **fields)


def request(start: datetime, minutes: int = 60, subject: str = "Python") -> BookingRequest:
    return BookingRequest(mentor_id=MENTOR, subject=subject, scheduled_time=start, duration_minutes=minutes)


# Wednesdays 09:00-12:00 in Berlin; 2026-11-25 is a Wednesday (UTC+1 then).
WEDNESDAY_MORNING = [AvailabilitySlot(id="a", mentor_id=MENTOR, weekday=2, start_time=time(9), end_time=time(12))]
WED_9_BERLIN = datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)


def validate(req: BookingRequest, *, mentor: Profile | None = None, availability=(), busy=(), student=STUDENT):
    rules.validate_booking(
        req, student_id=student, mentor=mentor or mentor_profile(), availability=availability, busy=busy, now=NOW
    )


def test_validate_booking_accepts_inside_availability():
    validate(request(WED_9_BERLIN, 180), availability=WEDNESDAY_MORNING)


def test_validate_booking_without_availability_accepts_any_future_time():
    validate(request(datetime(2026, 11, 29, 3, 0, tzinfo=timezone.utc)))


def test_validate_booking_refuses_outside_availability():
    with pytest.raises(OutsideAvailability):
        validate(request(WED_9_BERLIN - timedelta(minutes=15)), availability=WEDNESDAY_MORNING)
    with pytest.raises(OutsideAvailability):  # starts inside but runs past the end
        validate(request(WED_9_BERLIN + timedelta(hours=2, minutes=30)), availability=WEDNESDAY_MORNING)


def test_validate_booking_refuses_overlap_but_not_touching():
    busy = [TimeRange(start=WED_9_BERLIN, end=WED_9_BERLIN + timedelta(hours=1))]
    with pytest.raises(SlotTaken):
        validate(request(WED_9_BERLIN + timedelta(minutes=30)), availability=WEDNESDAY_MORNING, busy=busy)
    validate(request(WED_9_BERLIN + timedelta(hours=1)), availability=WEDNESDAY_MORNING, busy=busy)


def test_validate_booking_refuses_a_non_mentor_and_oneself():
    with pytest.raises(InvalidInput) as caught:
        validate(request(WED_9_BERLIN), mentor=Profile(id="x", full_name="Sam", role=Role.STUDENT))
    assert caught.value.field == "mentor_id"
    with pytest.raises(NotAllowed):
        validate(request(WED_9_BERLIN), student=MENTOR)


def test_validate_booking_reports_the_field():
    with pytest.raises(InvalidInput) as caught:
        validate(request(WED_9_BERLIN, subject="  "))
    assert caught.value.field == "subject"


# --- availability windows, sign-up and profile fields -------------------------------


def slot(weekday: int, start: int, end: int, slot_id: str = "new") -> AvailabilitySlot:
    return AvailabilitySlot(id=slot_id, mentor_id=MENTOR, weekday=weekday, start_time=time(start), end_time=time(end))


def test_availability_slot_checks():
    existing = [slot(0, 9, 12, "a")]
    rules.check_availability_slot(slot(0, 12, 14), existing)  # touching is fine
    rules.check_availability_slot(slot(1, 9, 12), existing)  # another day
    rules.check_availability_slot(slot(0, 8, 13, "a"), existing)  # editing itself
    with pytest.raises(InvalidInput) as caught:
        rules.check_availability_slot(slot(0, 11, 13), existing)
    assert caught.value.field == "start_time"
    for start, end in ((10, 10), (12, 9)):
        with pytest.raises(InvalidInput) as caught:
            rules.check_availability_slot(slot(2, start, end), existing)
        assert caught.value.field == "end_time"


def test_sign_up_errors():
    assert rules.sign_up_errors(email="a@b.org", password="12345678", full_name="Ann") == {}
    found = rules.sign_up_errors(email="not-an-email", password="1234567", full_name=" ")
    assert set(found) == {"email", "password", "full_name"}


def test_sign_up_bounds_email_and_password_length():
    """The sign-in and sign-up fields hold at most these, so a flood of keys stays small."""
    longest_email = "a" * (text.EMAIL_MAX - len("@b.org")) + "@b.org"
    longest_password = "p" * text.PASSWORD_MAX
    assert rules.sign_up_errors(email=longest_email, password=longest_password, full_name="Ann") == {}
    found = rules.sign_up_errors(email="a" + longest_email, password=longest_password + "p", full_name="Ann")
    assert set(found) == {"email", "password"}
    assert found["password"] == f"Use at most {text.PASSWORD_MAX} characters."


def test_profile_errors():
    fine = ProfileUpdate(hourly_rate=Decimal(10000), meeting_url="https://meet.example.org/r")
    assert rules.profile_errors(fine) == {}
    assert set(rules.profile_errors(ProfileUpdate(hourly_rate=Decimal(-1)))) == {"hourly_rate"}
    assert set(rules.profile_errors(ProfileUpdate(hourly_rate=Decimal("10000.01")))) == {"hourly_rate"}
    assert set(rules.profile_errors(ProfileUpdate(meeting_url="http://meet.example.org/r"))) == {"meeting_url"}
    assert set(rules.profile_errors(ProfileUpdate(full_name=" "))) == {"full_name"}


def test_normalise_email():
    assert rules.normalise_email("  Maya@Example.ORG ") == "maya@example.org"


# --- money --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "minutes", "cost"),
    [
        ("85", 60, "85.00"),
        ("85", 45, "63.75"),
        ("70", 15, "17.50"),
        ("33.33", 20, "11.11"),
        ("0.03", 30, "0.02"),  # 0.015 rounds half up, as on an invoice
        ("100", 240, "400.00"),
        ("0", 90, "0.00"),
    ],
)
def test_estimate_cost_rounds_to_the_cent(rate, minutes, cost):
    assert estimate_cost(Decimal(rate), minutes) == Decimal(cost)


def test_format_money():
    assert format_money(None) == "—"
    assert format_money(Decimal("1234.5")) == "$1,234.50"
