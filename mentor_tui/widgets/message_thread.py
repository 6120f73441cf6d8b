"""One conversation's messages, oldest first, on the reader's clock.

A line names the day whenever it changes ("Tue 1 Dec", ``TimeFormat.day``); each
message shows its time and sender, then its body as the person wrote it, through
``plain`` (never markup; control characters shown, line breaks kept). A link in a body
is text like the rest: nothing here opens it.

A message made by ``/schedule`` shows as a card instead: the request or proposal it
points to, with its subject, its time on the reader's clock, its length and its state
now (a request's status; a proposal open, accepted or expired).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..domain.models import MentorSession, Message, Proposal
from ..domain.text import FIELDS
from ..keymap import key_for
from ..services.proposals import ProposalState, state
from .plain import NAME, plain
from .timefmt import TimeFormat

CARD_EDGE = "▌ "
SUBJECT_SHOWN = FIELDS["subject"].max_length


def _card(
    kind: str, subject: str, start: datetime, minutes: int, status: Text, times: TimeFormat, hint: str = ""
) -> Text:
    card = Text()
    card.append(CARD_EDGE, style="blue")
    card.append(f"{kind}: ", style="bold")
    card.append_text(plain(subject, SUBJECT_SHOWN))
    card.append(f"\n{CARD_EDGE}", style="blue")
    card.append(f"{times.span(start, start + timedelta(minutes=minutes))} · {minutes} min")
    card.append(f"\n{CARD_EDGE}", style="blue")
    card.append_text(status)
    if hint:
        card.append(f"\n{CARD_EDGE}", style="blue")
        card.append(hint, style="dim")
    return card


def request_card(session: MentorSession, times: TimeFormat) -> Text:
    """A student's request as the thread shows it: its status now."""
    if session.time_invalid:
        return Text(CARD_EDGE) + plain(session.subject, SUBJECT_SHOWN)
    status = Text()
    status.append(session.status.value.capitalize(), style="bold")
    return _card("Session request", session.subject, session.scheduled_time, session.duration_minutes, status, times)


def proposal_card(proposal: Proposal, me_id: str, times: TimeFormat) -> Text:
    """A mentor's proposal: open (with the accept key, to its student), accepted or expired."""
    now = state(proposal, times.now)
    hint = ""
    if now is ProposalState.OPEN and me_id == proposal.student_id:
        status = Text.assemble(("Open proposal · ", "bold"), (key_for("accept").display, "reverse"), " Accept")
        # The key works in the list of conversations; in the message box it would be typed.
        hint = f"In the message box, {key_for('close').display} first"
    elif now is ProposalState.OPEN:
        status = Text.assemble(("Open proposal: waiting for an answer", "bold"))
    elif now is ProposalState.ACCEPTED:
        status = Text.assemble(("Accepted: confirmed", "bold green"))
    else:
        status = Text.assemble(("Expired", "dim"))
    return _card(
        "Session proposal", proposal.subject, proposal.scheduled_time, proposal.duration_minutes, status, times, hint
    )


def thread_text(
    messages: Sequence[Message],
    me_id: str,
    other_name: str,
    times: TimeFormat,
    sessions: Mapping[str, MentorSession] | None = None,
    proposals: Mapping[str, Proposal] | None = None,
) -> Text:
    """The thread as one text: day lines, then "14:05 Name" and the body (or the card) of each
    message. ``sessions`` and ``proposals`` by id: what ``/schedule`` messages point to."""
    sessions, proposals = sessions or {}, proposals or {}
    text = Text(end="")
    day = None
    for message in messages:
        local = message.created_at.astimezone(times.zone)
        if local.date() != day:
            day = local.date()
            if text:
                text.append("\n")
            text.append(f"── {times.day(day)} ──\n", style="dim")
        mine = message.sender_id == me_id
        text.append(f"{times.clock(message.created_at)} ", style="dim")
        text.append_text(Text("You", style="bold") if mine else plain(other_name, NAME, style="bold"))
        text.append("\n")
        session = sessions.get(message.session_id or "")
        proposal = proposals.get(message.proposal_id or "")
        if session is not None:
            text.append_text(request_card(session, times))
        elif proposal is not None:
            text.append_text(proposal_card(proposal, me_id, times))
        else:
            text.append_text(plain(message.body, FIELDS["body"].max_length, multiline=True))
        text.append("\n")
    text.rstrip()
    return text


class MessageThread(VerticalScroll):
    """Scrolls to the newest message each time it is shown."""

    DEFAULT_CSS = """
    MessageThread { height: 1fr; }
    MessageThread > Static { width: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static()

    def show(self, content: Text) -> None:
        self.query_one(Static).update(content)
        self.call_after_refresh(self.scroll_end, animate=False)


__all__ = ["MessageThread", "proposal_card", "request_card", "thread_text"]
