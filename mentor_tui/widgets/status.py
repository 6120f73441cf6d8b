"""How a session's status is shown, the same for both roles: a symbol, a word and a colour
(never colour alone), and who ended a cancelled session."""

from __future__ import annotations

from rich.text import Text

from ..domain import messages
from ..domain.booking_rules import EXPIRED_REASON
from ..domain.models import MentorSession, SessionStatus, SessionView
from ..domain.text import FIELDS
from .plain import NAME, plain, shown

STATUS_LOOK: dict[SessionStatus, tuple[str, str, str]] = {
    SessionStatus.PENDING: ("◷", "Pending", "bold yellow"),
    SessionStatus.CONFIRMED: ("✔", "Confirmed", "bold green"),
    SessionStatus.COMPLETED: ("★", "Completed", "cyan"),
    SessionStatus.CANCELLED: ("✕", "Cancelled", "red"),
}
DECLINED = ("✕", "Declined", "red")


def status_look(session: MentorSession) -> tuple[str, str, str]:
    """Symbol, word and style of ``session``'s status (a declined one reads "Declined")."""
    if session.status is SessionStatus.CANCELLED and session.declined:
        return DECLINED
    return STATUS_LOOK[session.status]


def status_badge(session: MentorSession) -> Text:
    """'✔ Confirmed' in green: for a table cell."""
    symbol, word, style = status_look(session)
    return Text(f"{symbol} {word}", style=style, end="")


def status_line(view: SessionView, viewer_id: str) -> Text:
    """The badge, and for a cancelled session who ended it, whether late, and why:
    'Declined by Ada: no time that week', 'Cancelled by you (late): flu', 'Cancelled: expired unanswered'."""
    session = view.session
    line = status_badge(session)
    if session.status is not SessionStatus.CANCELLED:
        return line
    if session.cancelled_by is None and session.cancellation_reason == EXPIRED_REASON:
        line.append(": ", style="red")
        line.append(messages.EXPIRED_UNANSWERED, style="red")
        return line
    by = session.cancelled_by
    if by is not None:
        if by == viewer_id:
            who = "you"
        else:
            who = shown(view.mentor_name if by == session.mentor_id else view.student_name, NAME)
        line.append(f" by {who}", style="red")
    if session.cancelled_late:
        line.append(f" ({messages.LATE})", style="bold red")
    if session.cancellation_reason:
        line.append(": ", style="red")
        line.append_text(plain(session.cancellation_reason, FIELDS["cancellation_reason"].max_length, multiline=True))
    return line


__all__ = ["DECLINED", "STATUS_LOOK", "status_badge", "status_line", "status_look"]
