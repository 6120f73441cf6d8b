"""The rules for messages, once, whichever backend stores them: what a message may hold
and who may write to whom (a mentor and a student who share a session, of any status)."""

from __future__ import annotations

from ..domain import messages, rules, text
from ..domain.errors import InvalidInput, NotAllowed
from ..domain.models import Profile, Role

THREAD_PAGE = 50
"""Messages one call of a thread returns by default."""
THREAD_MAX = 500
NOTIFICATIONS_PAGE = 50
NOTIFICATIONS_MAX = 500


def body(value: str) -> str:
    """The message as stored: normalised as every person-written text, 1 to the limit's characters."""
    kept = text.normalise(value)
    if not kept:
        raise InvalidInput("body", messages.WRITE_MESSAGE)
    rules.check_text(body=kept)
    return kept


def pair(me: Profile, other_id: str) -> tuple[str, str]:
    """(mentor id, student id) of a conversation between the signed-in person and ``other_id``."""
    if other_id == me.id:
        raise NotAllowed(messages.MESSAGE_SELF)
    return (me.id, other_id) if me.role is Role.MENTOR else (other_id, me.id)


def check_shared_session(shared: bool) -> None:
    """The rule a backend calls with what it read just before inserting a message."""
    if not shared:
        raise NotAllowed(messages.MESSAGE_NEEDS_SESSION)


def bounded(limit: int, most: int) -> int:
    return max(1, min(limit, most))


__all__ = [
    "NOTIFICATIONS_MAX",
    "NOTIFICATIONS_PAGE",
    "THREAD_MAX",
    "THREAD_PAGE",
    "body",
    "bounded",
    "check_shared_session",
    "pair",
]
