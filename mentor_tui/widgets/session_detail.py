"""The one detail view of a session, for both roles: what it is, with whom, its status (and who
ended it, and why), when on both wall clocks, the call, the texts written about it, and a
line naming the keys that apply now."""

from __future__ import annotations

from collections.abc import Collection
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..domain.models import SessionNotes, SessionStatus, SessionView
from ..domain.text import FIELDS
from ..keymap import key_for
from ..services.sessions import SessionAction
from .plain import LINK, NAME, plain, shown
from .rating import first_name, stars
from .reschedule_detail import SessionHistory, history_text
from .status import status_line
from .timefmt import TimeFormat


def next_step(view: SessionView, viewer_id: str, allowed: Collection[SessionAction]) -> str:
    """One short line: where the session stands for the viewer, then the keys that apply, as the
    footer names them ("Waiting for your answer. Keys: c Confirm · d Decline · x Cancel")."""
    session = view.session
    mentor_viewer = viewer_id == session.mentor_id
    other = shown(first_name(view.student_name if mentor_viewer else view.mentor_name))
    if session.time_invalid:
        where = "This session has an invalid time, so nothing can be done with it here."
    elif session.status is SessionStatus.PENDING:
        where = "Waiting for your answer." if mentor_viewer else f"Waiting for {other} to confirm."
    elif session.status is SessionStatus.CONFIRMED and not session.meeting_link:
        where = "No call link yet."
    elif SessionAction.RATE in allowed:
        where = "How was it?"
    else:
        where = ""
    keys = " · ".join(
        f"{key_for(action.value).display} {key_for(action.value).label}" for action in SessionAction if action in allowed
    )
    if not keys:
        return where or "Nothing to do with this session."
    return f"{where} Keys: {keys}" if where else f"Keys: {keys}"


def detail_text(view: SessionView, viewer_id: str, times: TimeFormat, allowed: Collection[SessionAction],
                history: SessionHistory | None = None) -> Text:
    """Everything about ``view`` for the person ``viewer_id``; people's text stays plain."""
    session = view.session
    student_viewer = viewer_id == session.student_id
    other_name = view.mentor_name if student_viewer else view.student_name
    other_zone = view.mentor_timezone if student_viewer else view.student_timezone
    text = Text(end="")
    text.append_text(plain(session.subject, NAME, style="bold"))
    text.append(" with ")
    text.append_text(plain(other_name, NAME))
    text.append(f"\n{times.session_span(session)}  your time ({times.zone.key}), {session.duration_minutes} min")
    if not session.time_invalid and other_zone != times.zone.key:
        theirs = times.in_zone(ZoneInfo(other_zone)).session_span(session)
        text.append(f"\n{theirs}  {shown(first_name(other_name))}'s time ({other_zone})", style="dim")
    # After the times: a long reason may follow the status, and must not push them out of view.
    text.append("\n")
    text.append_text(status_line(view, viewer_id))
    if session.meeting_link:
        text.append("\nCall: ")
        text.append_text(plain(session.meeting_link, LINK, style="underline"))
    if session.notes:
        text.append("\nNotes: " if student_viewer else "\nNotes from the student: ", style="bold")
        text.append_text(plain(session.notes, FIELDS["notes"].max_length, multiline=True))
    if session.feedback:
        text.append("\nFeedback: ", style="bold")
        text.append_text(plain(session.feedback, FIELDS["feedback"].max_length, multiline=True))
    if session.rating is not None:
        text.append("\nRating: ", style="bold")
        text.append(stars(session.rating), style="yellow")
        if session.review:
            text.append("  “")
            text.append_text(plain(session.review, FIELDS["review"].max_length, multiline=True))
            text.append("”")
        if session.review_reply:
            text.append("\nMentor's reply: " if student_viewer else "\nYour reply: ", style="bold")
            text.append_text(plain(session.review_reply, FIELDS["review_reply"].max_length, multiline=True))
    if history is not None:
        text.append_text(history_text(view, viewer_id, times, history))
    text.append("\n")
    text.append(next_step(view, viewer_id, allowed), style="italic")
    return text


class SessionDetail(VerticalScroll, can_focus=False):
    """The selected session's detail (or a hint when none is selected), scrolled when long."""

    DEFAULT_CSS = """
    SessionDetail {
        height: auto; max-height: 8; border-top: solid $primary-darken-2; padding: 0 1;
        scrollbar-gutter: stable;  /* the text wraps the same with or without a scrollbar */
    }
    SessionDetail > Static { width: 1fr; }
    SessionDetail > .detail-carried, SessionDetail > .detail-notes-heading { display: none; margin-top: 1; }
    SessionDetail:focus { border-top: solid $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a session to see its details.", style="dim"), classes="detail-text")
        yield Static(classes="detail-carried")
        yield Static(classes="detail-notes-heading")

    def show(self, view: SessionView | None, viewer_id: str, times: TimeFormat,
             allowed: Collection[SessionAction], history: SessionHistory | None = None) -> None:
        content = (
            detail_text(view, viewer_id, times, allowed, history)
            if view is not None
            else Text("Select a session to see its details.", style="dim")
        )
        self.query_one(".detail-text", Static).update(content)
        if view is None or view.session.id != self._notes_of:
            self.show_notes(None, None, None, times)

    _notes_of: str | None = None
    """The session whose notes and carried items are shown."""

    def show_notes(self, session_id: str | None, notes: SessionNotes | None,
                   carried: tuple[SessionNotes, list[str]] | None, times: TimeFormat) -> None:
        """The session's notes, rendered, and the open items carried from the pair's previous
        notes; both hidden when there are none. Focusable then, so the arrows scroll them."""
        from .session_notes import NotesMarkdown, carried_text, notes_heading

        self._notes_of = session_id
        carried_line = self.query_one(".detail-carried", Static)
        carried_line.update(carried_text(*carried, times) if carried else "")
        carried_line.display = carried is not None
        heading = self.query_one(".detail-notes-heading", Static)
        heading.update(Text(notes_heading(notes, times), style="bold") if notes else "")
        heading.display = notes is not None
        rendered = self.query(NotesMarkdown)
        if notes is not None:
            if rendered:
                rendered.first().show(notes.summary)
            else:
                self.mount(NotesMarkdown(notes.summary, classes="detail-notes"))
        elif rendered:
            rendered.first().remove()
        self.can_focus = notes is not None or carried is not None

    @property
    def text(self) -> str:
        """What the detail shows, as plain text."""
        content = self.query_one(".detail-text", Static).content
        return content.plain if isinstance(content, Text) else str(content)


__all__ = ["SessionDetail", "detail_text", "next_step"]
