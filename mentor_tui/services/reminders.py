"""Which reminders are due: a confirmed session's start is near (the person's lead time)
or here. Pure: the app asks with the sessions, the clock and the lead time, and records
each reminder it gives (``Services.record_reminder``), which stores it once per session,
person and kind; so a restart inside the window, or a second terminal, does not repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain import messages
from ..domain.models import MentorSession, NotificationKind, SessionStatus, SessionView
from ..domain.text import displayable

KINDS = frozenset({NotificationKind.REMINDER, NotificationKind.STARTING})
"""The notifications a reminder is kept as: the app announces them when it gives them."""
SUBJECT_ROOM = 80
NAME_ROOM = 60


@dataclass(frozen=True)
class Reminder:
    view: SessionView
    kind: NotificationKind
    """``REMINDER`` before the start, ``STARTING`` at it."""

    @property
    def key(self) -> tuple[str, str]:
        return self.view.session.id, self.kind.value


LONGEST_LEAD = timedelta(minutes=60)
"""The longest lead time Settings offer (``reminder_lead.CHOICES``); Supabase's
``record_reminder`` (025) allows the same window."""


def is_due(session: MentorSession, person_id: str, kind: NotificationKind, now: datetime) -> bool:
    """Whether ``kind`` may be recorded for ``person_id`` now: a confirmed session of theirs,
    within the longest lead time before its start (``REMINDER``) or under way (``STARTING``)."""
    if session.status is not SessionStatus.CONFIRMED or session.time_invalid:
        return False
    if person_id not in (session.mentor_id, session.student_id):
        return False
    if kind is NotificationKind.REMINDER:
        return session.scheduled_time - LONGEST_LEAD <= now < session.scheduled_time
    if kind is NotificationKind.STARTING:
        return session.scheduled_time <= now < session.end_time
    return False


def due(views: Iterable[SessionView], now: datetime, lead_minutes: int) -> list[Reminder]:
    """The reminders due at ``now``: the lead-time one from ``lead_minutes`` before a
    confirmed session's start until it starts (none when the lead time is 0), then the
    start one until it ends. Soonest first."""
    found: list[Reminder] = []
    for view in views:
        session = view.session
        if session.status is not SessionStatus.CONFIRMED or session.time_invalid:
            continue
        if session.scheduled_time <= now < session.end_time:
            found.append(Reminder(view, NotificationKind.STARTING))
        elif lead_minutes > 0 and session.scheduled_time - timedelta(minutes=lead_minutes) <= now < session.scheduled_time:
            found.append(Reminder(view, NotificationKind.REMINDER))
    return sorted(found, key=lambda reminder: reminder.view.session.scheduled_time)


def sentence(reminder: Reminder, me_id: str, now: datetime, join_key: str) -> str:
    """"Starts in 15 min: Python with Maya. o to join", with people's text made safe."""
    session = reminder.view.session
    other = reminder.view.student_name if me_id == session.mentor_id else reminder.view.mentor_name
    subject, name = displayable(session.subject, SUBJECT_ROOM), displayable(other, NAME_ROOM)
    if reminder.kind is NotificationKind.STARTING:
        return messages.reminder_starting(subject, name, join_key)
    # Rounded up: at 14 min 30 s before the start it says 15.
    minutes = max(-int(-(session.scheduled_time - now).total_seconds() // 60), 1)
    return messages.reminder_soon(minutes, subject, name, join_key)


__all__ = ["KINDS", "LONGEST_LEAD", "Reminder", "due", "is_due", "sentence"]
