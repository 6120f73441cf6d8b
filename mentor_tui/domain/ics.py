"""Sessions as iCalendar (RFC 5545) events, for calendars outside the app.

Built with the ``icalendar`` library, imported here only when a file is made (start-up
never pays for it). One VEVENT per session:

- UID ``<session id>@mentor-tui``: the same session is the same event in every export.
- SEQUENCE: sessions keep no revision counter, so it is the whole seconds from the
  session's creation to its last change (``updated_at``): it grows with every change,
  which is all a calendar asks of it, and is 0 for a session never changed.
- DTSTART/DTEND in the person's zone with its VTIMEZONE, STATUS (TENTATIVE while a
  request, CONFIRMED, CANCELLED), the call link as URL once confirmed, the parties by
  name, and a DISPLAY alarm the person's reminder lead time before the start.

One session's file carries METHOD:REQUEST, or METHOD:CANCEL when it is cancelled (what
a calendar needs to add or drop it); a list of sessions (``mentor-tui agenda --ics``)
is a published feed, METHOD:PUBLISH, where a cancelled one says so by its STATUS.
People's text goes in as text (the library escapes it), with control characters made
visible as everywhere else (``text.displayable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .models import MentorSession, Profile, SessionStatus, SessionView
from .text import displayable

if TYPE_CHECKING:
    from icalendar import Event, vCalAddress

PRODUCT_ID = "-//mentor-tui//mentor-tui//EN"
UID_DOMAIN = "mentor-tui"

STATUSES = {
    SessionStatus.PENDING: "TENTATIVE",
    SessionStatus.CONFIRMED: "CONFIRMED",
    SessionStatus.COMPLETED: "CONFIRMED",
    SessionStatus.CANCELLED: "CANCELLED",
}


def uid(session: MentorSession) -> str:
    return f"{session.id}@{UID_DOMAIN}"


def sequence(session: MentorSession) -> int:
    """Grows with each change (see the module's note); never negative."""
    return max(int((session.updated_at - session.created_at).total_seconds()), 0)


def _text(value: object) -> str:
    return displayable(value, multiline=True)


def _party(user_id: str, name: str) -> vCalAddress:
    from icalendar import vCalAddress

    # No emails are shared between the parties: a URN names the person, CN shows them.
    address = vCalAddress(f"urn:{UID_DOMAIN}:person:{user_id}")
    address.params["CN"] = displayable(name)
    return address


def event(view: SessionView, me: Profile, zone: ZoneInfo, lead_minutes: int, now: datetime) -> Event:
    """The VEVENT of one session, as ``me`` sees it."""
    from icalendar import Alarm, Event

    session = view.session
    mentor = me.id == session.mentor_id
    other = view.student_name if mentor else view.mentor_name
    item = Event()
    item.add("uid", uid(session))
    item.add("sequence", sequence(session))
    item.add("dtstamp", now)
    item.add("created", session.created_at)
    item.add("last-modified", session.updated_at)
    item.add("dtstart", session.scheduled_time.astimezone(zone))
    item.add("dtend", session.end_time.astimezone(zone))
    item.add("summary", _text(session.subject))
    lines = [f"With {_text(other)} ({'your student' if mentor else 'your mentor'})"]
    if session.notes:
        lines.append(f"Notes: {_text(session.notes)}")
    if session.cancellation_reason:
        lines.append(f"Reason: {_text(session.cancellation_reason)}")
    item.add("description", "\n".join(lines))
    item.add("status", STATUSES[session.status])
    if session.status is SessionStatus.CONFIRMED and session.meeting_link:
        item.add("url", _text(session.meeting_link))
    item.add("organizer", _party(session.mentor_id, view.mentor_name))
    item.add("attendee", _party(session.student_id, view.student_name))
    if lead_minutes > 0 and session.status is not SessionStatus.CANCELLED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(minutes=-lead_minutes))
        alarm.add("description", f"{_text(session.subject)} with {_text(other)}")
        item.add_component(alarm)
    return item


def calendar(
    views: Sequence[SessionView], me: Profile, lead_minutes: int, now: datetime, *, feed: bool = False
) -> bytes:
    """The .ics file of ``views`` in ``me``'s zone: one session's invitation (or its
    cancellation), or with ``feed`` a published list of them."""
    from icalendar import Calendar

    zone = me.zone
    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if feed:
        method = "PUBLISH"
    elif views and all(view.session.status is SessionStatus.CANCELLED for view in views):
        method = "CANCEL"
    else:
        method = "REQUEST"
    cal.add("method", method)
    for view in views:
        cal.add_component(event(view, me, zone, lead_minutes, now))
    if views:
        # Only the years the events need: the zone's whole history would be most of the file.
        times = [view.session.scheduled_time for view in views]
        first = (min(times) - timedelta(days=366)).date()
        last = (max(times) + timedelta(days=366)).date()
        cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())


def file_name(session: MentorSession) -> str:
    """A name for one session's file that no stored text can turn into a path."""
    short = "".join(char for char in session.id if char.isascii() and char.isalnum())[:8]
    return f"mentor-session-{session.scheduled_time:%Y%m%d-%H%M}-{short}.ics"


__all__ = ["PRODUCT_ID", "calendar", "event", "file_name", "sequence", "uid"]
