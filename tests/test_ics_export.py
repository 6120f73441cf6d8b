"""Sessions as .ics files, read back with the icalendar library: the UID stays, SEQUENCE
grows with each change, times carry the person's zone with its VTIMEZONE, the alarm is the
lead time, a cancelled session is a CANCEL, and people's text is text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hostile_text import DATA_MARKERS, SEQUENCES
from icalendar import Calendar

from mentor_tui.domain import ics
from mentor_tui.domain.models import MentorSession, Profile, Role, SessionStatus, SessionView

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)
START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # the night Berlin moves its clocks forward
STUDENT = Profile(id="student-1", full_name="Sam Student", role=Role.STUDENT, timezone="Europe/Berlin")
MENTOR = Profile(id="mentor-1", full_name="Maya Chen", role=Role.MENTOR, timezone="America/Chicago")
LINK = "https://meet.example.org/room"


def view(**changes: object) -> SessionView:
    fields: dict[str, object] = {
        "id": "5b0c2a8e-0000-4000-8000-000000000001", "mentor_id": MENTOR.id, "student_id": STUDENT.id,
        "subject": "Python review", "scheduled_time": START, "duration_minutes": 60,
        "status": SessionStatus.CONFIRMED, "meeting_link": LINK, "notes": "Bring the failing test",
        "created_at": NOW - timedelta(days=2), "updated_at": NOW - timedelta(days=1),
    } | changes
    return SessionView(session=MentorSession(**fields), mentor_name=MENTOR.full_name, student_name=STUDENT.full_name)


def parsed(views: list[SessionView], me: Profile = STUDENT, lead: int = 15, **kw: bool) -> Calendar:
    return Calendar.from_ical(ics.calendar(views, me, lead, NOW, **kw))


def only_event(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


def test_one_session_is_an_invitation_with_a_stable_uid_in_the_persons_zone():
    cal = parsed([view()])
    event = only_event(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "5b0c2a8e-0000-4000-8000-000000000001@mentor-tui"
    assert event.decoded("DTSTART") == START and event.decoded("DTEND") == START + timedelta(hours=1)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin" and event["DTEND"].params["TZID"] == "Europe/Berlin"
    # The wall clock across the spring-forward change: 01:30 CET to 03:30 CEST is one hour.
    assert event.decoded("DTSTART").strftime("%H:%M") == "01:30" and event.decoded("DTEND").strftime("%H:%M") == "03:30"
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin" and cal.get_missing_tzids() == set()
    assert (str(event["STATUS"]), str(event["SUMMARY"]), str(event["URL"])) == ("CONFIRMED", "Python review", LINK)
    assert "With Maya Chen (your mentor)" in str(event["DESCRIPTION"])
    assert "Notes: Bring the failing test" in str(event["DESCRIPTION"])
    assert event["ORGANIZER"].params["CN"] == "Maya Chen" and event["ATTENDEE"].params["CN"] == "Sam Student"


def test_the_mentor_gets_the_same_event_in_their_own_zone():
    event = only_event(parsed([view()], me=MENTOR))
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTSTART") == START
    assert str(event["UID"]) == str(only_event(parsed([view()]))["UID"])
    assert "With Sam Student (your student)" in str(event["DESCRIPTION"])


def test_sequence_grows_with_each_change_and_uid_stays():
    before = only_event(parsed([view()]))
    after = only_event(parsed([view(updated_at=NOW - timedelta(hours=3))]))
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) > 0
    assert str(after["UID"]) == str(before["UID"])
    assert int(only_event(parsed([view(updated_at=NOW - timedelta(days=2))]))["SEQUENCE"]) == 0


@pytest.mark.parametrize("lead", [5, 15, 60])
def test_the_alarm_is_the_lead_time_before_the_start(lead):
    (alarm,) = only_event(parsed([view()], lead=lead)).walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(minutes=-lead)
    assert "Python review with Maya Chen" in str(alarm["DESCRIPTION"])


def test_no_alarm_when_reminders_are_off():
    assert only_event(parsed([view()], lead=0)).walk("VALARM") == []


def test_a_cancelled_session_is_a_cancel_without_alarm_or_link():
    cal = parsed([view(status=SessionStatus.CANCELLED, cancellation_reason="Ill")])
    event = only_event(cal)
    assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == [] and "URL" not in event
    assert "Reason: Ill" in str(event["DESCRIPTION"])


def test_a_request_is_tentative_without_a_link():
    event = only_event(parsed([view(status=SessionStatus.PENDING, meeting_link=None)]))
    assert str(event["STATUS"]) == "TENTATIVE" and "URL" not in event


def test_a_list_is_a_published_feed_with_one_zone():
    views = [view(), view(id="other", scheduled_time=START + timedelta(days=40), status=SessionStatus.CANCELLED)]
    cal = parsed(views, feed=True)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(event["UID"]) for event in cal.walk("VEVENT")] == [ics.uid(v.session) for v in views]
    assert [str(zone["TZID"]) for zone in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_utc_needs_no_vtimezone():
    cal = parsed([view()], me=STUDENT.model_copy(update={"timezone": "UTC"}))
    assert cal.walk("VTIMEZONE") == [] and only_event(cal).decoded("DTSTART") == START


def test_hostile_text_goes_in_as_text_and_comes_back_without_control_sequences():
    hostile = "[b]x[/b]; a,b\\n " + "".join(SEQUENCES)
    raw = ics.calendar(
        [SessionView(
            session=view(subject=hostile, notes=hostile, cancellation_reason=None).session,
            mentor_name=hostile, student_name=STUDENT.full_name,
        )],
        STUDENT, 15, NOW,
    )
    assert not any(marker.encode() in raw for marker in DATA_MARKERS)
    assert not any(control in raw.decode() for control in ("\x1b", "\x07", "\x9b", "\u202e"))
    event = only_event(Calendar.from_ical(raw))
    summary = str(event["SUMMARY"])
    assert summary.startswith("[b]x[/b]; a,b\\n ")  # markup, separators and backslashes are kept as text
    assert "␛]52;c;aGVsbG8=" in summary  # ESC made visible, as on screen
    assert event["ORGANIZER"].params["CN"].startswith("[b]x[/b]")


def test_file_names_come_from_the_time_and_the_id_only():
    assert ics.file_name(view(id="../../etc/x").session) == "mentor-session-20260329-0030-etcx.ics"
