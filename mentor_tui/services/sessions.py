"""What a person may do to a session, and which list a session belongs in: decided here only.

Screens ask :func:`allowed_actions` to show keys in the footer and the palette, and
:func:`refusal` for the sentence to show when a key is pressed anyway; the services
ask the same functions before they write. The state machine itself is
``domain.rules.next_status``; this module adds what only a client needs to know
(joining and copying a call link) and the one definition of each list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from ..domain import messages, no_show, reschedule, rules, session_notes
from ..domain.errors import NotAllowed
from ..domain.models import ACTIVE_STATUSES, MentorSession, SessionStatus


class SessionAction(StrEnum):
    """Everything a key can do to one session. The first five change it (``rules.Action``);
    the others write beside it (``domain.session_notes``, ``domain.reschedule``, ``domain.no_show``)."""

    CONFIRM = "confirm"
    DECLINE = "decline"
    CANCEL = "cancel"
    COMPLETE = "complete"
    RATE = "rate"
    JOIN = "join"
    COPY_LINK = "copy_link"
    REPLY = "reply"
    WRITE_NOTES = "write_notes"
    RESCHEDULE = "reschedule"
    NO_SHOW = "no_show"


CHANGES = {action: rules.Action(action.value) for action in SessionAction if action.value in set(rules.Action)}
"""The actions that change a session, as the state machine names them."""


def refusal(session: MentorSession, person_id: str, action: SessionAction, now: datetime) -> str | None:
    """Why ``person_id`` may not take ``action`` on ``session`` now, or None when they may."""
    try:
        if action in CHANGES:
            rules.next_status(session, person_id, CHANGES[action], now)
            return None
        if action is SessionAction.RESCHEDULE:
            # Whether a request is already open is the caller's to add (services.reschedule).
            return reschedule.refusal_to_propose(session, person_id, None, now)
        if action is SessionAction.NO_SHOW:
            # Whether this person already marked it is the caller's to add (services.reschedule).
            return no_show.refusal(session, person_id, (), now)
        if rules.party_role(session, person_id) is None:
            return messages.NOT_A_PARTY
        if action is SessionAction.REPLY:
            return session_notes.reply_refusal(session, person_id)
        if action is SessionAction.WRITE_NOTES:
            return session_notes.notes_refusal(session, person_id, now)
        if session.status is not SessionStatus.CONFIRMED or session.time_invalid:
            return messages.ONLY_CONFIRMED_CALL
        if not session.meeting_link:
            return messages.NO_CALL_YET
        return None
    except NotAllowed as refused:
        return refused.message


def allowed_actions(session: MentorSession, person_id: str, now: datetime) -> frozenset[SessionAction]:
    """The actions ``person_id`` may take on ``session`` at ``now``."""
    return frozenset(action for action in SessionAction if refusal(session, person_id, action, now) is None)


def check(session: MentorSession, person_id: str, action: SessionAction, now: datetime) -> None:
    """Raise ``NotAllowed`` with the reason when :func:`refusal` gives one."""
    reason = refusal(session, person_id, action, now)
    if reason is not None:
        raise NotAllowed(reason)


# --- the lists ----------------------------------------------------------------------

def is_upcoming(session: MentorSession, now: datetime) -> bool:
    """Holding its slot and not over yet (a session under way is still upcoming).

    A session whose stored time is unusable is never upcoming: it is listed with the past.
    """
    return session.status in ACTIVE_STATUSES and not session.time_invalid and session.end_time > now


def is_past(session: MentorSession, now: datetime) -> bool:
    """Everything not upcoming: over, completed, cancelled, or with an unusable time."""
    return not is_upcoming(session, now)


def needs_answer(session: MentorSession, person_id: str, now: datetime) -> bool:
    """A request ``person_id`` (its mentor) can still confirm or decline."""
    return SessionAction.CONFIRM in allowed_actions(session, person_id, now) and is_upcoming(session, now)


def needs_completion(session: MentorSession, person_id: str, now: datetime) -> bool:
    """A confirmed session that has started, which ``person_id`` (its mentor) can complete."""
    return SessionAction.COMPLETE in allowed_actions(session, person_id, now)


def upcoming(sessions: Iterable[MentorSession], now: datetime) -> list[MentorSession]:
    """The upcoming sessions, soonest first."""
    return sorted((s for s in sessions if is_upcoming(s, now)), key=lambda s: (s.scheduled_time, s.id))


def past(sessions: Iterable[MentorSession], now: datetime) -> list[MentorSession]:
    """The rest, newest first."""
    return sorted((s for s in sessions if is_past(s, now)), key=lambda s: (s.scheduled_time, s.id), reverse=True)


__all__ = [
    "CHANGES",
    "SessionAction",
    "allowed_actions",
    "check",
    "is_past",
    "is_upcoming",
    "needs_answer",
    "needs_completion",
    "past",
    "refusal",
    "upcoming",
]
