"""People's text and session times at the door: what the domain rules refuse, naming the field,
and how a stored session time that cannot be used is read."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mentor_tui.domain import rules
from mentor_tui.domain.errors import InvalidInput, NotAllowed
from mentor_tui.domain.meeting import JITSI, confirmation_link
from mentor_tui.domain.models import INVALID_TIME, MentorSession, ProfileUpdate, SessionStatus, parse_session_time
from mentor_tui.domain.rules import Action
from mentor_tui.domain.text import FIELDS

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)

# Terminal controls a person could hide in their text to act on someone else's terminal.
CONTROLS = {
    "osc52-clipboard": "a\x1b]52;c;aGVsbG8=\x07b",
    "osc0-title": "a\x1b]0;owned\x07b",
    "osc8-link": "a\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\b",
    "csi-device-query": "a\x1b[6nb",
    "leave-alternate-screen": "a\x1b[?1049lb",
    "bel": "a\x07b",
    "lone-cr": "a\rb",
    "rtl-override": "a\u202eb",
    "c1-csi": "a\x9b31mb",
    "del": "a\x7fb",
    "nul": "a\x00b",
}
# Markup is only text: shown as typed (the UI never parses it), so it is stored as typed.
MARKUP = ("[@click=app.quit]x", "Mentor [/] Name", "[@click=app.screenshot('x.db','/tmp')]Name[/]", "[bold]x")

SINGLE_LINE = ("full_name", "subject", "profession", "experience", "expertise")
MULTI_LINE = ("notes", "bio", "feedback", "review", "cancellation_reason")


def field_errors(name: str, value: str) -> dict[str, str]:
    """The errors of the domain function that owns field ``name`` when given ``value``."""
    if name in ("subject", "notes"):
        subject, notes = (value, None) if name == "subject" else ("Python", value)
        return rules.booking_errors(
            subject=subject, notes=notes, scheduled_time=NOW + timedelta(days=1), duration_minutes=60, now=NOW
        )
    if name == "expertise":
        return rules.profile_errors(ProfileUpdate(expertise=("Python", value)))
    if name in ("full_name", "profession", "experience", "bio", "meeting_url"):
        return rules.profile_errors(ProfileUpdate.model_validate({name: value}))
    return rules.text_errors({name: value})


@pytest.mark.parametrize("value", CONTROLS.values(), ids=CONTROLS.keys())
@pytest.mark.parametrize("name", SINGLE_LINE + MULTI_LINE + ("meeting_url", "meeting_link"))
def test_control_characters_are_refused_naming_the_field(name, value):
    errors = field_errors(name, value)
    assert list(errors) == [name]


@pytest.mark.parametrize("name", SINGLE_LINE)
@pytest.mark.parametrize("value", ["a\tb", "a\nb"], ids=["tab", "newline"])
def test_single_line_fields_refuse_tabs_and_line_breaks(name, value):
    assert list(field_errors(name, value)) == [name]


@pytest.mark.parametrize("name", MULTI_LINE)
def test_multi_line_fields_keep_tabs_and_newlines(name):
    assert field_errors(name, "first line\n\tsecond line\r\nthird") == {}


@pytest.mark.parametrize("value", MARKUP)
@pytest.mark.parametrize("name", SINGLE_LINE + MULTI_LINE)
def test_markup_is_allowed_as_plain_text(name, value):
    value = value[: FIELDS[name].max_length]  # an expertise tag is shorter than the longest example
    assert field_errors(name, value) == {}


def test_sign_up_refuses_a_name_with_controls():
    errors = rules.sign_up_errors(email="a@b.org", password="12345678", full_name="Ann\x1b]0;owned\x07")
    assert list(errors) == ["full_name"]
    assert rules.sign_up_errors(email="a@b.org", password="12345678", full_name="x" * 101) == {
        "full_name": "Keep the name to 100 characters."
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://meet.example.org/r",
        "https://",
        "https:///path",
        "https://meet example.org/r",
        "https://meet.example.org/r oom",
        "https://meet.example.org/\x1b[6n",
        "javascript:alert(1)",
        "https://meet.example.org/" + "a" * 500,
    ],
)
@pytest.mark.parametrize("name", ["meeting_url", "meeting_link"])
def test_call_addresses_must_be_https_with_a_host(name, url):
    assert list(field_errors(name, url)) == [name]
    assert field_errors(name, "https://meet.jit.si/room-1?x=1#y") == {}


def test_text_errors_skip_empty_values_and_name_each_bad_field():
    assert rules.text_errors({"feedback": "Well done.\nSee you.", "review": None, "cancellation_reason": ""}) == {}
    errors = rules.text_errors({"feedback": "fine", "review": "bad\x1b[6n", "cancellation_reason": "x" * 501})
    assert list(errors) == ["review", "cancellation_reason"]
    with pytest.raises(InvalidInput) as caught:
        rules.check_text(feedback="fine", review="bad\x1b[6n")
    assert caught.value.field == "review"


def test_expertise_is_deduplicated_before_counting():
    twenty = tuple(f"tag {n}" for n in range(20))
    assert rules.profile_errors(ProfileUpdate(expertise=twenty + ("TAG 0", " tag 1 "))) == {}
    assert list(rules.profile_errors(ProfileUpdate(expertise=twenty + ("tag 20",)))) == ["expertise"]


# --- session times ------------------------------------------------------------------------


def booking_time_errors(when: datetime) -> dict[str, str]:
    return rules.booking_errors(subject="Python", scheduled_time=when, duration_minutes=60, notes=None, now=NOW)


@pytest.mark.parametrize(
    "when",
    [
        NOW + rules.BOOKING_HORIZON + timedelta(minutes=15),
        datetime(9999, 12, 31, tzinfo=timezone.utc),
        datetime(1999, 12, 31, 23, 45, tzinfo=timezone.utc),
        datetime(1, 1, 1, tzinfo=timezone.utc),
    ],
    ids=["just-past-two-years", "year-9999", "before-2000", "year-1"],
)
def test_bookings_only_at_real_times(when):
    assert list(booking_time_errors(when)) == ["scheduled_time"]


def test_a_booking_two_years_ahead_is_allowed():
    assert booking_time_errors(NOW + rules.BOOKING_HORIZON) == {}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-25T09:00:00.000000+00:00", datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),
        ("2026-11-25T10:00:00+01:00", datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),
        ("2026-11-25T09:00:00+00", datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),  # PostgreSQL's short offset
        ("2026-11-25T09:00:00Z", datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),
        ("2026-11-25 09:00:00", datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),  # no zone: stored as UTC
        (datetime(2026, 11, 25, 10, tzinfo=timezone(timedelta(hours=1))), datetime(2026, 11, 25, 9, tzinfo=timezone.utc)),
    ],
)
def test_parse_session_time_reads_good_values_as_utc(raw, expected):
    value, invalid = parse_session_time(raw)
    assert (value, invalid) == (expected, False)
    assert value.tzinfo is timezone.utc


@pytest.mark.parametrize(
    "raw",
    [
        "infinity",
        "-infinity",
        "20000-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "1999-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+01:00",
        "tomorrow",
        "",
        None,
        12345,
        datetime(1970, 1, 1, tzinfo=timezone.utc),
    ],
)
def test_parse_session_time_marks_unusable_values(raw):
    assert parse_session_time(raw) == (INVALID_TIME, True)


def invalid_time_session(status: SessionStatus) -> MentorSession:
    return MentorSession(
        id="s-1", mentor_id="mentor-1", student_id="student-1", subject="Python", scheduled_time=INVALID_TIME,
        duration_minutes=60, status=status, created_at=NOW, updated_at=NOW, time_invalid=True,
    )


@pytest.mark.parametrize("status", list(SessionStatus))
@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("who", ["mentor-1", "student-1"])
def test_no_action_applies_to_a_session_with_an_invalid_time(action, status, who):
    with pytest.raises(NotAllowed, match="invalid time"):
        rules.next_status(invalid_time_session(status), who, action, NOW)


def test_an_outsider_learns_nothing_about_an_invalid_time():
    with pytest.raises(NotAllowed, match="not part of this session"):
        rules.next_status(invalid_time_session(SessionStatus.PENDING), "someone", Action.CANCEL, NOW)


# --- the link a confirmed session gets ----------------------------------------------------------


def test_confirmation_link_prefers_the_typed_link_then_the_room():
    assert confirmation_link(" https://meet.example.org/typed ", "https://meet.example.org/room") == (
        "https://meet.example.org/typed"
    )
    assert confirmation_link("", "https://meet.example.org/room") == "https://meet.example.org/room"
    assert confirmation_link(None, None).startswith(JITSI)


def test_confirmation_link_refuses_a_bad_typed_link_and_skips_a_bad_room():
    with pytest.raises(InvalidInput) as caught:
        confirmation_link("https://meet.example.org/\x1b]52;c;eA==\x07", None)
    assert caught.value.field == "meeting_link"
    assert confirmation_link(None, "http://old.example.org/room").startswith(JITSI)
