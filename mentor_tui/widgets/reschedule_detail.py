"""What a session's detail says about moving it and about no-shows: the open request (and the
keys that answer it), each earlier move or refusal, and who was marked absent. Reasons and notes
are people's text: shown plain, one line each, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text

from ..domain import messages
from ..domain.models import ACTIVE_STATUSES, SessionView
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleRequest, RescheduleStatus
from ..domain.text import FIELDS
from ..keymap import key_for
from .plain import NAME, plain, shown
from .rating import first_name
from .timefmt import TimeFormat

_CLOSED_WORDS = {RescheduleStatus.DECLINED: "declined", RescheduleStatus.WITHDRAWN: "withdrawn"}


@dataclass(frozen=True)
class SessionHistory:
    """A session's requests to move it (oldest first) and its no-shows, as the pane loaded them."""

    requests: Sequence[RescheduleRequest] = ()
    marks: Sequence[NoShow] = ()
    can_answer: bool = False
    """Whether the viewer may accept or decline the open request now."""


def _who(view: SessionView, person_id: str, viewer_id: str) -> str | None:
    """The person's first name, or None for the viewer (the sentences then say "you")."""
    if person_id == viewer_id:
        return None
    return shown(first_name(view.mentor_name if person_id == view.session.mentor_id else view.student_name), NAME)


def _reason(value: str | None, field: str) -> str | None:
    return shown(value, FIELDS[field].max_length) if value and value.strip() else None


def history_text(view: SessionView, viewer_id: str, times: TimeFormat, history: SessionHistory) -> Text:
    """Lines to append to the detail (empty when there is nothing to say)."""
    text = Text(end="")

    def when(instant: datetime) -> str:
        return times.when(instant)

    for request in history.requests:
        who = _who(view, request.proposed_by, viewer_id)
        reason = _reason(request.reason, "reason")
        session = view.session
        lapsed = session.status not in ACTIVE_STATUSES or session.scheduled_time <= times.now
        if request.status is RescheduleStatus.OPEN and lapsed:
            # Never answered before the session started or ended: nothing can move it now.
            text.append("\n")
            text.append_text(plain(
                messages.reschedule_refused(who, when(request.new_time), "not answered"), style="dim"
            ))
        elif request.status is RescheduleStatus.OPEN:
            was = f"{request.old_time.astimezone(times.zone):%a} {times.clock(request.old_time)}"
            line = messages.reschedule_asked(who, when(request.new_time), was, reason)
            text.append("\n")
            text.append_text(plain(line, style="bold"))
            if history.can_answer:
                text.append(f"  {key_for('accept').display} Accept · {key_for('decline').display} Decline",
                            style="italic")
            elif who is None:
                text.append(f"  {key_for('decline').display} Withdraw", style="italic")
        elif request.status is RescheduleStatus.ACCEPTED:
            text.append("\n")
            text.append_text(plain(messages.reschedule_moved(who, when(request.old_time), reason), style="dim"))
        else:
            text.append("\n")
            text.append_text(plain(
                messages.reschedule_refused(who, when(request.new_time), _CLOSED_WORDS[request.status]), style="dim"
            ))
    for mark in history.marks:
        absent = _who(view, mark.absent_id, viewer_id)
        text.append("\n")
        text.append_text(plain(messages.no_show_marked(absent, _reason(mark.note, "note")), style="yellow"))
    return text


__all__ = ["SessionHistory", "history_text"]
