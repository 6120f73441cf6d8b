"""The dialogs that change a session, the same for both roles: a reason (cancel, decline),
feedback (complete) and a rating (1-5 and a comment).

Each one calls the service itself in :meth:`send`, so a refusal (the rules, a text that
is too long, a change made meanwhile elsewhere) shows inside the dialog with the form
kept as typed; it closes with the changed session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, TextArea

from ..domain import messages
from ..domain.errors import InvalidInput
from ..domain.models import MentorSession, SessionView
from ..services.sessions import SessionAction
from .dialog import Dialog
from .limited import LimitedInput, LimitedTextArea
from .plain import plain, shown
from .rating import RATING_WORDS, stars
from .timefmt import TimeFormat

if TYPE_CHECKING:
    from ..services import Services

PICK_RATING = "Pick 1 to 5 stars: the keys 1-5, or ↑↓ and space."


def about_session(view: SessionView, viewer_id: str, times: TimeFormat) -> Text:
    """'“Pytest fixtures” with Ada Byron, Mon 30 Nov 09:00': which session a dialog is about."""
    session = view.session
    other = view.student_name if viewer_id == session.mentor_id else view.mentor_name
    return plain(f"“{shown(session.subject)}” with {shown(other)}, {times.session_when(session)}")


class SessionDialog(Dialog[MentorSession]):
    """A dialog about one session, which it changes through ``services``."""

    def __init__(self, services: Services, view: SessionView, times: TimeFormat, title: str, ok_label: str,
                 explain: str = "") -> None:
        about = about_session(view, services.person().id, times)
        if explain:
            about.append(f"\n{explain}")
        super().__init__(title, about, ok_label)
        self.services = services
        self.view = view

    @property
    def session_id(self) -> str:
        return self.view.session.id


def _optional(value: str) -> str | None:
    return value.strip() or None


class ReasonDialog(SessionDialog):
    """Cancel or decline a session, with a reason the other person reads: optional, except for a
    late cancellation (``late_hours``: the mentor's window, when cancelling now falls inside it),
    which the dialog says up front."""

    ok_variant: ClassVar[Literal["default", "primary", "success", "warning", "error"]] = "error"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat, action: SessionAction,
                 late_hours: int | None = None) -> None:
        if action not in (SessionAction.CANCEL, SessionAction.DECLINE):
            raise ValueError(f"a reason is asked only to cancel or decline, not to {action.value}")
        self.action = action
        decline = action is SessionAction.DECLINE
        self.late = late_hours is not None and not decline
        other = "student" if services.person().id == view.session.mentor_id else "mentor"
        if self.late and late_hours is not None:
            explain = f"{messages.late_cancel_ahead(late_hours)}\nThe {other} sees that you cancelled, and why."
        else:
            explain = f"The {other} sees that you {'declined' if decline else 'cancelled'}, and the reason if you give one."
        super().__init__(
            services, view, times,
            "Decline this request?" if decline else "Cancel this session?",
            "Decline" if decline else "Cancel session",
            explain,
        )
        self.back_label = "Keep request" if decline else "Keep session"
        self.work_title = "the reason"

    def fields(self) -> ComposeResult:
        placeholder = messages.REASON_NEEDED if self.late else messages.REASON_OPTIONAL
        yield LimitedInput("cancellation_reason", id="cancellation_reason", placeholder=placeholder, compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancellation_reason", Input).focus()

    @property
    def reason(self) -> str:
        return self.query_one("#cancellation_reason", Input).value

    def unsaved_changes(self) -> bool:
        return bool(self.reason.strip())

    async def send(self) -> MentorSession:
        if self.action is SessionAction.DECLINE:
            return await self.services.decline_session(self.session_id, _optional(self.reason))
        return await self.services.cancel_session(self.session_id, _optional(self.reason))


class FeedbackDialog(SessionDialog):
    """Complete a session, with optional feedback for the student."""

    DEFAULT_CSS = """
    FeedbackDialog #feedback { height: 5; }
    """
    ok_variant: ClassVar[Literal["default", "primary", "success", "warning", "error"]] = "success"
    work_title = "the feedback"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat) -> None:
        super().__init__(services, view, times, "Complete this session?", "Complete",
                         "The student reads your feedback with the session. ctrl+s completes it.")

    def fields(self) -> ComposeResult:
        yield LimitedTextArea("feedback", id="feedback", show_line_numbers=False, compact=True,
                              placeholder="Feedback for the student (optional)")

    def on_mount(self) -> None:
        self.query_one("#feedback", TextArea).focus()

    def unsaved_changes(self) -> bool:
        return bool(self.query_one("#feedback", TextArea).text.strip())

    async def send(self) -> MentorSession:
        return await self.services.complete_session(
            self.session_id, _optional(self.query_one("#feedback", TextArea).text)
        )


class RatingDialog(SessionDialog):
    """Rate a completed session: 1 to 5 stars and an optional comment, public without the student's name."""

    DEFAULT_CSS = """
    RatingDialog #rating { width: 1fr; height: auto; }
    RatingDialog #review { margin-top: 1; }
    """
    work_title = "the rating"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat) -> None:
        super().__init__(services, view, times, "Rate this session", "Send rating",
                         "The keys 1-5 pick the stars. The comment is public, without your name.")

    def fields(self) -> ComposeResult:
        with RadioSet(id="rating", compact=True):
            for n, word in enumerate(RATING_WORDS, start=1):
                yield RadioButton(f"{stars(n)}  {n} · {word}", compact=True)
        yield LimitedInput("review", id="review", placeholder="Comment (optional)", compact=True)

    def on_mount(self) -> None:
        self.query_one("#rating", RadioSet).focus()

    @property
    def rating(self) -> int | None:
        index = self.query_one("#rating", RadioSet).pressed_index
        return None if index < 0 else index + 1

    def pick(self, rating: int) -> None:
        self.query(RadioButton)[rating - 1].value = True

    def on_key(self, event: events.Key) -> None:
        # The digits pick the stars, except while the comment box takes the typing.
        if event.character in ("1", "2", "3", "4", "5") and not isinstance(self.focused, Input):
            event.stop()
            self.pick(int(event.character))

    @on(RadioSet.Changed)
    def _picked(self) -> None:
        self.say("")

    def unsaved_changes(self) -> bool:
        return self.rating is not None or bool(self.query_one("#review", Input).value.strip())

    async def send(self) -> MentorSession:
        rating = self.rating
        if rating is None:
            raise InvalidInput("rating", PICK_RATING)
        return await self.services.rate_session(
            self.session_id, rating, _optional(self.query_one("#review", Input).value)
        )


__all__ = ["PICK_RATING", "FeedbackDialog", "RatingDialog", "ReasonDialog", "SessionDialog", "about_session"]
