"""Notifications as people read them: one sentence each, where each one leads, and what is new.

Pure: the screens fetch (``Services.notifications`` and ``my_sessions`` for a session's
time and subject) and hand the rows here. Times are written by the caller's ``when`` (the
reader's zone, the app's one format), so this module decides only the words, from
``domain/messages.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..domain import messages
from ..domain.booking_rules import EXPIRED_REASON
from ..domain.models import MentorSession, Notification, NotificationKind, Role, SessionView
from ..domain.text import displayable

ACTOR_ROOM = 60
"""The most of a name a sentence keeps."""
DETAIL_ROOM = 120
"""The most of a reason, feedback, review or message excerpt a sentence keeps."""
SUBJECT_ROOM = 60
"""The most of a session's subject a sentence keeps."""
SUMMARY_MOST = 5
"""Sentences the sign-in summary lists before "and N more"."""
ARRIVALS_PAGE = 10
"""Newest notifications asked for when the data changed; more arriving in one second are counted, not listed."""

SESSION_SECTION = {Role.STUDENT: "my-sessions", Role.MENTOR: "sessions"}
"""The section that lists every session of a person of each role."""


@dataclass(frozen=True)
class Destination:
    """Where a notification leads: a session in its section, or a conversation."""

    section: str
    session_id: str | None = None
    partner_id: str | None = None
    partner_name: str = ""


def sentence(note: Notification, session: MentorSession | None, when: Callable[[MentorSession], str]) -> str:
    """What ``note`` tells, as one line: "Maya Chen confirmed Tue 1 Dec 10:00".

    ``session`` is the session it is about when the reader still has it (None for a message,
    or one no longer to be found); ``when`` writes its start in the reader's zone.
    """
    actor = displayable(note.actor_name.strip() or messages.SOMEONE, ACTOR_ROOM)
    detail = displayable(note.detail, DETAIL_ROOM) if note.detail and note.detail.strip() else None
    time = when(session) if session is not None else messages.A_SESSION
    what = f"“{displayable(session.subject, SUBJECT_ROOM)}”" if session is not None else messages.A_SESSION
    match note.kind:
        case NotificationKind.REQUESTED:
            return messages.session_requested(actor, time, detail)
        case NotificationKind.CONFIRMED:
            return messages.session_confirmed(actor, time)
        case NotificationKind.DECLINED:
            return messages.session_declined(actor, time, detail)
        case NotificationKind.CANCELLED if note.actor_id is None and note.detail == EXPIRED_REASON:
            return messages.request_expired(time)
        case NotificationKind.CANCELLED:
            return messages.session_cancelled(actor, time, detail)
        case NotificationKind.COMPLETED:
            return messages.session_completed(actor, time, detail)
        case NotificationKind.RATED:
            return messages.session_rated(actor, time, detail)
        case NotificationKind.MESSAGE:
            return messages.message_arrived(actor, detail)
        case NotificationKind.REMINDER | NotificationKind.STARTING:
            return messages.reminder_note(actor, time, note.kind is NotificationKind.STARTING)
        case NotificationKind.RESCHEDULE_PROPOSED:
            return messages.reschedule_proposed_note(actor, what, detail)
        case NotificationKind.RESCHEDULE_ACCEPTED:
            return messages.reschedule_accepted_note(actor, time)
        case NotificationKind.RESCHEDULE_DECLINED:
            return messages.reschedule_declined_note(actor, what)
        case NotificationKind.RESCHEDULE_WITHDRAWN:
            return messages.reschedule_withdrawn_note(actor, what)
        case NotificationKind.NO_SHOW:
            return messages.no_show_note(actor, time, detail)
        case NotificationKind.NOTES_WRITTEN:
            return messages.notes_written_note(actor, _subject(session))
        case NotificationKind.REVIEW_REPLIED:
            return messages.review_replied_note(actor, _subject(session), detail)


def _subject(session: MentorSession | None) -> str:
    """The session's subject as a sentence names it, or "a session" when it is not known here."""
    if session is None or not session.subject.strip():
        return messages.A_SESSION
    return displayable(session.subject, DETAIL_ROOM)


def sentences(
    notes: Iterable[Notification], views: Iterable[SessionView], when: Callable[[MentorSession], str]
) -> list[str]:
    """:func:`sentence` of each of ``notes``, their sessions found among ``views``."""
    by_id = {view.session.id: view.session for view in views}
    return [sentence(note, by_id.get(note.session_id or ""), when) for note in notes]


def destination(note: Notification, role: Role) -> Destination:
    """Where Enter on ``note`` goes for a reader of ``role``."""
    if note.kind is NotificationKind.MESSAGE and note.actor_id:
        return Destination("messages", partner_id=note.actor_id, partner_name=note.actor_name)
    return Destination(SESSION_SECTION[role], session_id=note.session_id)


@dataclass(frozen=True)
class Seen:
    """What the app already knows of: the newest notifications it was given, and when the newest was made.

    Ids, not times alone: two notifications can be made in the same instant (one transaction,
    or a clock that stands still in tests).
    """

    until: datetime | None = None
    ids: frozenset[str] = frozenset()


def seen(notes: Iterable[Notification]) -> Seen:
    notes = list(notes)
    return Seen(max((note.created_at for note in notes), default=None), frozenset(note.id for note in notes))


def arrived(notes: Iterable[Notification], known: Seen | None) -> list[Notification]:
    """The unread ones among ``notes`` (a newest page) that ``known`` did not hold (all when None), newest first."""
    known = known or Seen()
    return sorted(
        (
            note for note in notes
            if note.read_at is None and note.id not in known.ids
            and (known.until is None or note.created_at >= known.until)
        ),
        key=lambda note: note.created_at,
        reverse=True,
    )


def summary(lines: Sequence[str], total: int, inbox_key: str, most: int = SUMMARY_MOST) -> str:
    """Up to ``most`` of ``lines``, one a line, then "and N more — F8" for the rest of ``total``."""
    shown = list(lines[:most])
    if total > len(shown):
        shown.append(messages.and_more(total - len(shown), inbox_key))
    return "\n".join(shown)


__all__ = [
    "ARRIVALS_PAGE",
    "SESSION_SECTION",
    "SUMMARY_MOST",
    "Destination",
    "Seen",
    "arrived",
    "destination",
    "seen",
    "sentence",
    "sentences",
    "summary",
]
