"""Session notes and review replies: the rules both backends and both roles share.

A mentor writes a session's notes in Markdown once it has started (completed, or
confirmed and past its start), and replies once to the review of a rated session.
Action items are Markdown task-list lines: ``- [ ] ...`` open, ``- [x] ...`` done. The
open items of the latest earlier session with notes between the same mentor and
student are carried into the next session's detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from . import messages
from .errors import NotAllowed
from .models import MentorSession, SessionStatus

_TASK = re.compile(r"^\s{0,3}[-*+]\s+\[(?P<mark>[ xX])\]\s+(?P<text>\S.*?)\s*$")
"""A task-list line (GitHub's syntax): a bullet, a box, a space, then the item's text."""


@dataclass(frozen=True)
class ActionItem:
    text: str
    done: bool


def action_items(markdown: str) -> list[ActionItem]:
    """Every task-list line of ``markdown``, in order; lines inside fenced code are not tasks."""
    items: list[ActionItem] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and (found := _TASK.match(line)):
            items.append(ActionItem(found["text"], done=found["mark"] != " "))
    return items


def open_items(markdown: str) -> list[str]:
    """The texts of the items still open."""
    return [item.text for item in action_items(markdown) if not item.done]


def notes_refusal(session: MentorSession, person_id: str, now: datetime) -> str | None:
    """Why ``person_id`` may not write ``session``'s notes now, or None when they may."""
    if session.time_invalid:
        return messages.INVALID_TIME
    if person_id != session.mentor_id:
        return messages.ONLY_MENTOR_WRITES_NOTES
    if session.status is SessionStatus.COMPLETED:
        return None
    if session.status is SessionStatus.CONFIRMED:
        return None if session.scheduled_time <= now else messages.NOTES_NOT_YET
    return messages.NOTES_CANCELLED if session.status is SessionStatus.CANCELLED else messages.NOTES_NOT_YET


def reply_refusal(session: MentorSession, person_id: str) -> str | None:
    """Why ``person_id`` may not reply to ``session``'s review, or None when they may."""
    if session.time_invalid:
        return messages.INVALID_TIME
    if person_id != session.mentor_id:
        return messages.ONLY_MENTOR_REPLIES
    if session.status is not SessionStatus.COMPLETED or session.rating is None:
        return messages.NOTHING_TO_REPLY_TO
    if session.review_reply is not None:
        return messages.ALREADY_REPLIED
    return None


def check(refusal: str | None) -> None:
    if refusal is not None:
        raise NotAllowed(refusal)


__all__ = ["ActionItem", "action_items", "check", "notes_refusal", "open_items", "reply_refusal"]
