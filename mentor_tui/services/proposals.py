"""The rules for proposals, once, whichever backend stores them: a mentor proposes a
session to a student they share a session with; only that student accepts it, once,
before it starts, and it becomes a confirmed session. The databases enforce the same
again (``sql/supabase/017_proposals.sql``, ``sql/sqlite/upgrade/010_proposals.sql``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from ..domain import messages
from ..domain.errors import NotAllowed, NotFound
from ..domain.models import Proposal


class ProposalState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    EXPIRED = "expired"


def state(proposal: Proposal, now: datetime) -> ProposalState:
    """Accepted once it has a session; else open until its start time, then expired."""
    if proposal.accepted_session_id is not None:
        return ProposalState.ACCEPTED
    return ProposalState.OPEN if now < proposal.scheduled_time else ProposalState.EXPIRED


def check_accept(proposal: Proposal | None, person_id: str, now: datetime) -> None:
    """Raise with the reason when ``person_id`` may not accept ``proposal`` at ``now``."""
    if proposal is None or person_id not in (proposal.mentor_id, proposal.student_id):
        raise NotFound(messages.NO_SUCH_PROPOSAL)
    if person_id != proposal.student_id:
        raise NotAllowed(messages.PROPOSAL_ONLY_STUDENT)
    current = state(proposal, now)
    if current is ProposalState.ACCEPTED:
        raise NotAllowed(messages.PROPOSAL_ALREADY_ACCEPTED)
    if current is ProposalState.EXPIRED:
        raise NotAllowed(messages.PROPOSAL_EXPIRED)


def check_shared_session(shared: bool) -> None:
    """The rule a backend calls with what it read just before inserting a proposal."""
    if not shared:
        raise NotAllowed(messages.PROPOSE_NEEDS_SESSION)


def newest_open(proposals: Iterable[Proposal], person_id: str, now: datetime) -> Proposal | None:
    """The newest proposal ``person_id`` may accept now, or None."""
    open_ones = [p for p in proposals if p.student_id == person_id and state(p, now) is ProposalState.OPEN]
    return max(open_ones, key=lambda p: (p.created_at, p.id), default=None)


__all__ = ["ProposalState", "check_accept", "check_shared_session", "newest_open", "state"]
