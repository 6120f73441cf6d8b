"""What the mentor's dashboard tabs share: loading, dialogs, and what a mentor does to a session.

Overview, Sessions and My Students all confirm, decline, cancel, complete and join
the same way: the pane says which session, :class:`SessionActions` asks what it
needs in a dialog, calls the repository in a worker and reloads the pane. A refusal
comes from ``rules.next_status`` (or from the repository) as a typed error, which the
app's one worker-failure handler shows as a notification.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Input, Static, TextArea

from ..domain import rules
from ..domain.models import SessionStatus, SessionView
from ..domain.models import MentorSession
from ..domain.rules import Action
from ..domain.text import normalise, text_error
from ..repository.base import NotAllowed
from ..widgets.limited import LimitedInput, LimitedTextArea
from ..widgets.plain import CELL, plain, shown
from .call_link import join_call
from .student_format import INVALID_TIME_LABEL

if TYPE_CHECKING:
    from ..app import MentorApp

ResultT = TypeVar("ResultT")

STATUS_STYLE = {
    SessionStatus.PENDING: "bold yellow",
    SessionStatus.CONFIRMED: "bold green",
    SessionStatus.COMPLETED: "cyan",
    SessionStatus.CANCELLED: "red",
}

STATUS_FILTERS: tuple[tuple[str, SessionStatus | None], ...] = (
    ("All", None),
    ("Pending", SessionStatus.PENDING),
    ("Confirmed", SessionStatus.CONFIRMED),
    ("Completed", SessionStatus.COMPLETED),
    ("Cancelled", SessionStatus.CANCELLED),
)


def status_text(status: SessionStatus) -> Text:
    return Text(status.value.capitalize(), style=STATUS_STYLE[status])


def session_short(session: MentorSession, zone: ZoneInfo) -> str:
    """``short_time`` of the session's start, or "invalid time" for a stored time that cannot be used."""
    return INVALID_TIME_LABEL if session.time_invalid else short_time(session.scheduled_time, zone)


def short_time(moment: datetime, zone: ZoneInfo) -> str:
    """A compact local date and time for tables: "Tue 24 Nov 14:00"."""
    return f"{moment.astimezone(zone):%a %d %b %H:%M}"


def long_time(moment: datetime, zone: ZoneInfo) -> str:
    """A full local date and time for details: "Tuesday 24 November 2026, 14:00"."""
    return f"{moment.astimezone(zone):%A %d %B %Y, %H:%M}"


def refill(table: DataTable, rows: Iterable[tuple[str, Sequence[Any]]]) -> None:
    """Replace a table's rows, keeping the cursor on the same row key when it is still there.

    Text cells are shown as plain text, cut to a cell's room: a table reads a string as
    markup, and names and subjects come from people.
    """
    keep = None
    if table.row_count and table.cursor_row >= 0:
        keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
    table.clear()
    for key, cells in rows:
        table.add_row(*(plain(cell, CELL) if isinstance(cell, str) else cell for cell in cells), key=key)
    if keep is not None and keep in table.rows:
        table.move_cursor(row=table.get_row_index(keep))


def selected_key(table: DataTable) -> str | None:
    """The row key under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


def settle_focus(pane: Widget, *candidates: Widget) -> None:
    """After a load, keep focus on something shown in a shown pane, so the pane's keys still work.

    Focus moves off a control the load has just hidden (say, an emptied table) to the first
    candidate still shown, or to the pane itself when none is: an empty pane keeps its keys.
    """
    shown = [widget for widget in candidates if widget.display]
    pane.can_focus = not shown
    focused = pane.screen.focused
    lost = (
        focused is None
        or (focused is pane and bool(shown))
        or (pane in focused.ancestors and not focused.display)
    )
    if lost and pane.parent is not None and pane.parent.display:
        (shown[0] if shown else pane).focus()


class MentorDialog(ModalScreen[ResultT]):
    """A question in a frame, the fields it needs, Back and an OK button, and its keys in a footer.

    Escape or Back dismisses with ``back``; OK dismisses with :meth:`answer`.
    """

    DEFAULT_CSS = """
    MentorDialog { align: center middle; }
    MentorDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    MentorDialog .field { margin-top: 1; }
    MentorDialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    MentorDialog .buttons Button { margin-left: 1; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    back: ResultT
    ok_variant: Literal["primary", "success", "error"] = "primary"

    def __init__(self, question: str, ok_label: str) -> None:
        super().__init__()
        self.question = question
        self.ok_label = ok_label

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, multiline=True), classes="question")
            yield from self.fields()
            with Horizontal(classes="buttons"):
                yield Button("Back", id="back")
                yield Button(self.ok_label, id="ok", variant=self.ok_variant)
        yield Footer()

    def fields(self) -> ComposeResult:
        return iter(())

    def answer(self) -> ResultT:
        raise NotImplementedError

    def action_ok(self) -> None:
        self.dismiss(self.answer())

    def action_back(self) -> None:
        self.dismiss(self.back)

    @on(Button.Pressed, "#ok")
    def _ok_pressed(self) -> None:
        self.action_ok()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()


class ConfirmDialog(MentorDialog[bool]):
    """A yes/no question; dismisses with True only when confirmed."""

    back = False

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def answer(self) -> bool:
        return True


class TextDialog(MentorDialog[str | None]):
    """Ask for one optional person-written ``FIELD``; the domain's refusal shows under it, and the
    dialog stays open with what was typed. Dismisses with the text ("" for none), or None to go back."""

    DEFAULT_CSS = """
    TextDialog #field-error { color: $text-error; height: auto; display: none; }
    """

    FIELD: str
    back = None

    def text(self) -> str:
        raise NotImplementedError

    def fields(self) -> ComposeResult:
        yield Static("", id="field-error")

    def action_ok(self) -> None:
        value = normalise(self.text())
        problem = text_error(self.FIELD, value)
        error = self.query_one("#field-error", Static)
        error.update(plain(problem or ""))
        error.display = problem is not None
        if problem is None:
            self.dismiss(value)

    def answer(self) -> str:
        return normalise(self.text())


class ReasonDialog(TextDialog):
    """Ask for an optional reason."""

    FIELD = "cancellation_reason"
    ok_variant = "error"

    def __init__(self, question: str, ok_label: str) -> None:
        super().__init__(question, f"{ok_label} (enter)")

    def fields(self) -> ComposeResult:
        yield LimitedInput(self.FIELD, placeholder="Reason for the student (optional)", id="reason", classes="field")
        yield from super().fields()

    def text(self) -> str:
        return self.query_one("#reason", Input).value

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_ok()


class FeedbackDialog(TextDialog):
    """Ask for feedback when completing."""

    DEFAULT_CSS = """
    FeedbackDialog > Vertical { width: 72; }
    FeedbackDialog TextArea { height: 6; }
    """
    BINDINGS = [Binding("ctrl+s", "ok", "Complete", priority=True)]

    FIELD = "feedback"
    ok_variant = "success"

    def __init__(self, question: str) -> None:
        super().__init__(question, "Complete (ctrl+s)")

    def fields(self) -> ComposeResult:
        yield LimitedTextArea(
            self.FIELD, id="feedback", show_line_numbers=False, placeholder="Feedback for the student (optional)",
            classes="field",
        )
        yield from super().fields()

    def text(self) -> str:
        return self.query_one("#feedback", TextArea).text


class MentorPane(Vertical):
    """A dashboard tab: loads when shown (``refresh_data``, called by the home screen) and after
    each change it makes, with a loading indicator while the repository answers."""

    def refresh_data(self) -> None:
        self.run_worker(self._load(), exclusive=True, group="load", exit_on_error=False)

    def action_reload(self) -> None:
        self.refresh_data()

    async def _load(self) -> None:
        self.loading = True
        try:
            data = await self._fetch()
        finally:
            self.loading = False
        self._present(data)

    async def _fetch(self) -> Any:
        """Everything the tab shows, from the repository."""
        raise NotImplementedError

    def _present(self, data: Any) -> None:
        raise NotImplementedError


class SessionActions:
    """Session actions for a :class:`MentorPane`, which picks the session and reloads after.

    Every action checks the rule first with the app's clock, so a refusal is explained
    before any dialog opens; the repository checks it again when it writes.
    """

    app: MentorApp
    refresh_data: Callable[[], None]

    def _check(self, view: SessionView, action: Action) -> None:
        rules.next_status(view.session, self.app.ctx.me.id, action, self.app.ctx.clock.now())

    def _local_when(self, view: SessionView) -> str:
        return session_short(view.session, self.app.ctx.zone)

    async def _ask_then_write(
        self,
        view: SessionView,
        action: Action,
        dialog: ModalScreen[str | None],
        write: Callable[[str, str | None], Awaitable[object]],
        done: str,
    ) -> None:
        """Check the rule, ask for the optional text, write it, tell, reload; going back changes nothing."""
        self._check(view, action)
        answer = await self.app.push_screen_wait(dialog)
        if answer is None:
            return
        await write(view.session.id, answer or None)
        self.app.notify(done, markup=False)
        self.refresh_data()

    @work(group="session-action", exit_on_error=False)
    async def confirm(self, view: SessionView) -> None:
        self._check(view, Action.CONFIRM)
        # No link typed: the backend gives the mentor's own room, else a new one (domain.meeting).
        await self.app.ctx.services.confirm_session(view.session.id, "")
        done = f"Confirmed {shown(view.student_name)}, {self._local_when(view)}. The call link is set."
        self.app.notify(done, markup=False)
        self.refresh_data()

    @work(group="session-action", exit_on_error=False)
    async def decline(self, view: SessionView) -> None:
        name, subject = shown(view.student_name), shown(view.session.subject)
        question = f"Decline {name}'s request \"{subject}\", {self._local_when(view)}?"
        await self._ask_then_write(
            view, Action.DECLINE, ReasonDialog(question, "Decline"), self.app.ctx.services.decline_session,
            f"Declined {name}'s request.",
        )

    @work(group="session-action", exit_on_error=False)
    async def cancel(self, view: SessionView) -> None:
        name = shown(view.student_name)
        question = f"Cancel the session with {name}, {self._local_when(view)}?"
        await self._ask_then_write(
            view, Action.CANCEL, ReasonDialog(question, "Cancel session"), self.app.ctx.services.cancel_session,
            f"Cancelled the session with {name}.",
        )

    @work(group="session-action", exit_on_error=False)
    async def complete(self, view: SessionView) -> None:
        name, subject = shown(view.student_name), shown(view.session.subject)
        question = f"Complete \"{subject}\" with {name}, {self._local_when(view)}?"
        await self._ask_then_write(
            view, Action.COMPLETE, FeedbackDialog(question), self.app.ctx.services.complete_session,
            f"Completed the session with {name}.",
        )

    @work(group="session-action", exit_on_error=False)
    async def join(self, view: SessionView) -> None:
        link = view.session.meeting_link
        if view.session.status is not SessionStatus.CONFIRMED or view.session.time_invalid or not link:
            raise NotAllowed("Only a confirmed session has a call to join.")
        await join_call(self.app, link, f"Call with {shown(view.student_name)}")
