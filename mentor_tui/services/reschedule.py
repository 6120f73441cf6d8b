"""Rescheduling and no-shows for the application layer: what applies to a session beside the
state machine, and the checks the backends call inside their transactions. The rules
themselves are ``domain.reschedule`` and ``domain.no_show``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from ..domain import rules, text
from ..domain.no_show import NoShow
from ..domain.no_show import refusal as no_show_refusal
from ..domain.reschedule import (
    RescheduleFacts,
    RescheduleRequest,
    RescheduleStatus,
    check_answer,
    check_propose,
    open_request,
    refusal_to_answer,
    refusal_to_propose,
)
from ..domain.models import MentorSession


def kept_text(name: str, value: str | None) -> str | None:
    """A typed reason or note as stored: normalised, None when empty; refused over its limit."""
    kept = text.normalise(value or "")
    rules.check_text(**{name: kept})
    return kept or None


def propose_check(person_id: str, new_time: datetime, now: datetime) -> Callable[[RescheduleFacts], None]:
    def check(facts: RescheduleFacts) -> None:
        check_propose(facts, person_id, new_time, now)

    return check


def answer_check(person_id: str, answer: RescheduleStatus, now: datetime) -> Callable[[RescheduleFacts], None]:
    def check(facts: RescheduleFacts) -> None:
        check_answer(facts, person_id, answer, now)

    return check


def answerable(session: MentorSession, requests: Iterable[RescheduleRequest], person_id: str,
               answer: RescheduleStatus, now: datetime) -> RescheduleRequest | None:
    """The session's open request when ``person_id`` may give it ``answer`` now, else None."""
    found = open_request(list(requests), session.id)
    if found is None or refusal_to_answer(session, found, person_id, answer, now) is not None:
        return None
    return found


def may_propose(session: MentorSession, requests: Sequence[RescheduleRequest], person_id: str, now: datetime) -> bool:
    return refusal_to_propose(session, person_id, open_request(requests, session.id), now) is None


def may_mark_no_show(session: MentorSession, marks: Iterable[NoShow], person_id: str, now: datetime) -> bool:
    return no_show_refusal(session, person_id, marks, now) is None


def history(requests: Iterable[RescheduleRequest], session_id: str) -> list[RescheduleRequest]:
    """The session's requests, oldest first."""
    return sorted((r for r in requests if r.session_id == session_id), key=lambda r: (r.created_at, r.id))


__all__ = [
    "answer_check",
    "answerable",
    "history",
    "kept_text",
    "may_mark_no_show",
    "may_propose",
    "propose_check",
]
