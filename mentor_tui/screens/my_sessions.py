"""A student's sessions, upcoming and past: cancel, join and rate them.

The pane has no text field, so its keys are plain letters. What a key may do to
the selected session is decided by ``rules.next_status``, whose refusal is the
message shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

from zoneinfo import ZoneInfo

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, RadioButton, RadioSet, Static

from ..domain import rules
from ..domain.models import ACTIVE_STATUSES, MentorSession, SessionStatus, SessionView
from ..domain.money import estimate_cost, format_money
from ..domain.text import FIELDS, normalise
from ..repository.base import InvalidInput, MentorError, NotAllowed
from ..widgets.limited import LimitedInput
from ..widgets.plain import LINK, NAME, plain, shown
from .call_link import join_call
from .student_format import (
    Column,
    column_widths,
    first_name,
    row_cells,
    section_label,
    session_span,
    session_when,
    set_columns,
    span_label,
    stars,
    table_room,
    user_zone,
)

STATUS_LOOK = {
    SessionStatus.PENDING: ("◷ Pending", "bold yellow"),
    SessionStatus.CONFIRMED: ("✔ Confirmed", "bold green"),
    SessionStatus.COMPLETED: ("★ Completed", "cyan"),
    SessionStatus.CANCELLED: ("✕ Cancelled", "red"),
}
"""Each status has its own mark, word and colour, so it reads at a glance in any theme."""

COLUMNS = (
    Column("when", "When", 16),
    Column("mentor", "Mentor"),
    Column("subject", "Subject"),
    Column("minutes", "Min", 3, right=True),
    Column("cost", "Cost", 8, right=True),
    Column("status", "Status", 11),
)

RATING_WORDS = ("Poor", "Fair", "Good", "Very good", "Excellent")


def status_text(status: SessionStatus) -> Text:
    label, style = STATUS_LOOK[status]
    return Text(label, style=style)


def is_upcoming(view: SessionView, now) -> bool:
    """Still ahead (or under way) and holding its slot; a session with an invalid time is listed as past."""
    s = view.session
    return s.status in ACTIVE_STATUSES and not s.time_invalid and s.end_time > now


class MySessionsPane(Vertical):
    DEFAULT_CSS = """
    MySessionsPane { height: 1fr; }
    MySessionsPane .list-title { height: 1; margin: 1 1 0 1; text-style: bold; }
    MySessionsPane DataTable { width: 1fr; height: 1fr; min-height: 3; }
    MySessionsPane .list-empty { height: auto; padding: 0 2; color: $text-muted; display: none; }
    MySessionsPane .-empty DataTable { display: none; }
    MySessionsPane .-empty .list-empty { display: block; }
    MySessionsPane .list { height: 1fr; }
    MySessionsPane .list.-empty { height: auto; }
    MySessionsPane #session-detail {
        height: auto; max-height: 7; border-top: solid $primary-darken-2; padding: 0 1;
    }
    MySessionsPane #sessions-none { padding: 1 2; color: $text-muted; display: none; }
    MySessionsPane.-none #sessions-none { display: block; }
    MySessionsPane.-none .list, MySessionsPane.-none #session-detail { display: none; }
    """

    BINDINGS = [
        Binding("c", "cancel", "Cancel session"),
        Binding("j", "join", "Join"),
        Binding("r", "rate", "Rate"),
        Binding("ctrl+r", "reload", "Reload"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._views: dict[str, SessionView] = {}
        self._active_table = "upcoming"
        self._fitted_room = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="upcoming-list", classes="list"):
            yield Static("Upcoming", id="upcoming-title", classes="list-title")
            yield DataTable(id="upcoming", cursor_type="row", zebra_stripes=True)
            yield Static(id="upcoming-empty", classes="list-empty")
        with Vertical(id="past-list", classes="list"):
            yield Static("Past and cancelled", id="past-title", classes="list-title")
            yield DataTable(id="past", cursor_type="row", zebra_stripes=True)
            yield Static(id="past-empty", classes="list-empty")
        yield Static(id="session-detail")
        yield Static(id="sessions-none")

    def on_resize(self) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        if self._views and self._room() != self._fitted_room:
            self._fill()

    def _room(self) -> int:
        return table_room(self.query_one("#past", DataTable), self.size.width)

    # --- loading --------------------------------------------------------------
    def refresh_data(self) -> None:
        if not self._views:
            self.query_one("#upcoming").loading = True
        self._load()

    def action_reload(self) -> None:
        self._load()

    @work(exclusive=True, group="my-sessions", exit_on_error=False)
    async def _load(self) -> None:
        try:
            views = await self.app.ctx.services.my_sessions()
        finally:
            self.query_one("#upcoming").loading = False
        first_fill = not self._views
        self._views = {v.session.id: v for v in views}
        self._fill(first_fill)

    def _fill(self, first_fill: bool = False) -> None:
        now = self.app.ctx.clock.now()
        views = list(self._views.values())
        upcoming = sorted((v for v in views if is_upcoming(v, now)), key=lambda v: v.session.scheduled_time)
        past = sorted(
            (v for v in views if not is_upcoming(v, now)), key=lambda v: v.session.scheduled_time, reverse=True
        )
        self.set_class(not views, "-none")
        mentors = section_label(self.app, "mentors")
        self.query_one("#sessions-none", Static).update(
            f"You have no sessions yet.\nFind a mentor under {mentors} and press ctrl+n to book one."
        )
        self.query_one("#upcoming-empty", Static).update(
            f"Nothing coming up. Book a session under {mentors} with ctrl+n."
        )
        self.query_one("#past-empty", Static).update("No past sessions yet.")
        self._fill_table("upcoming", upcoming)
        self._fill_table("past", past)
        if first_fill:
            # The list that was loading could not take the focus when the pane was first shown.
            self._active_table = "upcoming" if upcoming or not past else "past"
            if self.screen.focused in self.query(DataTable):
                self.query_one(f"#{self._active_table}").focus()
        self._show_detail()

    def _fill_table(self, name: str, views: list[SessionView]) -> None:
        table = self.query_one(f"#{name}", DataTable)
        zone = user_zone(self.app)
        keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value if table.row_count else None
        self._fitted_room = self._room()  # both lists span the pane
        widths = column_widths(COLUMNS, self._fitted_room, minimum_shared=18)
        set_columns(table, COLUMNS, widths)
        for view in views:
            s = view.session
            cost = estimate_cost(view.hourly_rate, s.duration_minutes) if view.hourly_rate is not None else None
            cells = (
                session_when(s, zone),
                view.mentor_name,
                s.subject,
                str(s.duration_minutes),
                format_money(cost),
            )
            table.add_row(*row_cells(cells, COLUMNS, widths), status_text(s.status), key=s.id)
        ids = [v.session.id for v in views]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        title = "Upcoming" if name == "upcoming" else "Past and cancelled"
        self.query_one(f"#{name}-title", Static).update(f"{title} · {len(views)}")
        self.query_one(f"#{name}-list").set_class(not views, "-empty")

    # --- the selected session -------------------------------------------------
    def _selected(self) -> SessionView | None:
        table = self.query_one(f"#{self._active_table}", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._views.get(key)

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, DataTable) and event.widget.id in ("upcoming", "past"):
            self._active_table = event.widget.id
            self._show_detail()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == self._active_table:
            self._show_detail()

    def _show_detail(self) -> None:
        view = self._selected()
        detail = self.query_one("#session-detail", Static)
        if view is None:
            detail.update("")
            return
        s = view.session
        zone, mentor_zone = user_zone(self.app), view.mentor_timezone
        text = Text()
        text.append_text(plain(s.subject, NAME, style="bold"))
        text.append(f" with {shown(view.mentor_name)}  ")
        text.append_text(status_text(s.status))
        text.append(f"\n{session_span(s, zone)}  your time ({zone.key})")
        if mentor_zone != zone.key and not s.time_invalid:
            theirs = span_label(s.scheduled_time, s.end_time, ZoneInfo(mentor_zone))
            text.append(f"\n{theirs}  {shown(first_name(view.mentor_name))}'s time ({mentor_zone})", style="dim")
        text.append("\n")
        text.append_text(self._next_step(view))
        if s.notes:
            text.append("\nYour notes: ", style="dim")
            text.append_text(plain(s.notes, FIELDS["notes"].max_length, multiline=True, style="dim"))
        detail.update(text)

    def _next_step(self, view: SessionView) -> Text:
        s = view.session
        name = shown(first_name(view.mentor_name))
        if s.time_invalid:
            return Text("This session has an invalid time, so nothing can be done with it here.")
        if s.status is SessionStatus.PENDING:
            return Text(f"Waiting for {name} to confirm. c cancels the request.")
        if s.status is SessionStatus.CONFIRMED:
            if s.meeting_link:
                return Text.assemble("Meeting link: ", plain(s.meeting_link, LINK, style="underline"), "  j joins")
            return Text(f"Confirmed; {name} has not added a meeting link yet.")
        if s.status is SessionStatus.COMPLETED:
            text = Text()
            if s.rating is not None:
                text.append(f"You rated it {stars(s.rating)}", style="yellow")
                if s.review:
                    text.append_text(Text("  “") + plain(s.review, FIELDS["review"].max_length, multiline=True) + Text("”"))
            else:
                text.append("How was it? r rates it, once.")
            if s.feedback:
                text.append(f"\n{name}'s feedback: ")
                text.append_text(plain(s.feedback, FIELDS["feedback"].max_length, multiline=True))
            return text
        if s.cancellation_reason:
            return Text("Cancelled: ") + plain(s.cancellation_reason, FIELDS["cancellation_reason"].max_length, multiline=True)
        return Text("Cancelled.")

    # --- actions --------------------------------------------------------------
    def _may(self, view: SessionView | None, action: rules.Action) -> bool:
        """True when the rules allow it; otherwise says why."""
        if view is None:
            self.notify("Pick a session in a list first.", severity="warning")
            return False
        try:
            rules.next_status(view.session, self.app.ctx.me.id, action, self.app.ctx.clock.now())
        except NotAllowed as exc:
            self.notify(exc.message, severity="warning", markup=False)
            return False
        return True

    def action_cancel(self) -> None:
        view = self._selected()
        if self._may(view, rules.Action.CANCEL):
            self.app.push_screen(CancelScreen(view), self._changed)

    def action_rate(self) -> None:
        view = self._selected()
        if self._may(view, rules.Action.RATE):
            self.app.push_screen(RateScreen(view), self._changed)

    def action_join(self) -> None:
        view = self._selected()
        if view is None:
            self.notify("Pick a session in a list first.", severity="warning")
            return
        s = view.session
        if s.status is not SessionStatus.CONFIRMED or s.time_invalid:
            self.notify("Only a confirmed session can be joined.", severity="warning")
            return
        if not s.meeting_link:
            self.notify(
                f"{shown(view.mentor_name)} has not added a meeting link yet. Ask them, or try again later.",
                severity="warning",
                markup=False,
            )
            return
        self.run_worker(
            join_call(self.app, s.meeting_link, f"Call with {shown(view.mentor_name)}"),
            exclusive=True,
            group="join",
            exit_on_error=False,
        )

    def _changed(self, session: MentorSession | None) -> None:
        if session is None:
            return
        if session.status is SessionStatus.CANCELLED:
            self.notify(f"“{shown(session.subject)}” is cancelled; the mentor sees it in their list.", markup=False)
        elif session.rating is not None:
            self.notify(
                f"Thank you: your {stars(session.rating)} for “{shown(session.subject)}” is saved.", markup=False
            )
        self._load()


class SessionModal(ModalScreen[MentorSession | None]):
    """A small form about one session; the action runs here so a refusal shows inline."""

    DEFAULT_CSS = """
    SessionModal { align: center middle; background: $background 60%; }
    SessionModal #modal-box {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-style: bold; background: $surface; padding: 0 1;
    }
    SessionModal .about { color: $text-muted; margin-bottom: 1; }
    SessionModal Input { margin-top: 1; }
    SessionModal #modal-message { color: $error; height: auto; }
    SessionModal .buttons { height: 1; margin-top: 1; align-horizontal: right; }
    SessionModal .buttons Button { margin-left: 2; }
    """

    def __init__(self, view: SessionView) -> None:
        super().__init__()
        self.view = view
        self._busy = False

    def _about(self) -> Text:
        s = self.view.session
        return plain(f"“{shown(s.subject)}” with {shown(self.view.mentor_name)}, {session_when(s, user_zone(self.app))}")

    def _say(self, message: str) -> None:
        self.query_one("#modal-message", Static).update(plain(message, 500, multiline=True))

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, ".close")
    def _close_pressed(self) -> None:
        self.dismiss(None)

    def _run(self, action) -> None:
        """Run the repository call ``action()`` once at a time; dismiss with its session."""
        if not self._busy:
            self._perform(action)

    @work(exclusive=True, group="modal-action", exit_on_error=False)
    async def _perform(self, action) -> None:
        self._busy = True
        self._say("")
        try:
            session = await action()
        except MentorError as exc:
            self._say(exc.message)
        else:
            self.dismiss(session)
        finally:
            self._busy = False


class CancelScreen(SessionModal):
    """Asks before cancelling; an optional reason goes to the mentor."""

    BINDINGS = [
        Binding("escape", "close", "Keep session"),
        Binding("ctrl+s", "confirm", "Cancel session"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="modal-box") as box:
            box.border_title = "Cancel this session?"
            yield Static(self._about(), classes="about")
            yield Static("The mentor sees that you cancelled, and the reason if you give one.")
            yield LimitedInput("cancellation_reason", id="reason", placeholder="Reason (optional)", compact=True)
            yield Static(id="modal-message")
            with Horizontal(classes="buttons"):
                yield Button("Keep session", classes="close", compact=True)
                yield Button("Cancel session", id="confirm", variant="error", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#reason").focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        reason = normalise(self.query_one("#reason", Input).value) or None
        self._run(lambda: self.app.ctx.services.cancel_session(self.view.session.id, reason))


class RateScreen(SessionModal):
    """1 to 5 stars and an optional comment, shown publicly without the student's name."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "send", "Send rating"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 6)),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="modal-box") as box:
            box.border_title = "Rate this session"
            yield Static(self._about(), classes="about")
            with RadioSet(id="rating"):
                for n, word in enumerate(RATING_WORDS, start=1):
                    yield RadioButton(f"{stars(n)}  {n} · {word}")
            yield LimitedInput(
                "review", id="review", placeholder="Comment (optional, public without your name)", compact=True
            )
            yield Static(id="modal-message")
            with Horizontal(classes="buttons"):
                yield Button("Close", classes="close", compact=True)
                yield Button("Send rating", id="send", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rating").focus()

    def action_pick(self, n: int) -> None:
        self.query(RadioButton)[n - 1].value = True

    @property
    def rating(self) -> int | None:
        index = self.query_one("#rating", RadioSet).pressed_index
        return None if index < 0 else index + 1

    @on(Input.Submitted, "#review")
    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        rating = self.rating
        try:
            rules.check_rating(rating)
        except InvalidInput:
            self._say("Pick 1 to 5 stars: ↑↓ and space, or the keys 1-5.")
            self.query_one("#rating").focus()
            return
        review = normalise(self.query_one("#review", Input).value) or None
        self._run(lambda: self.app.ctx.services.rate_session(self.view.session.id, rating, review))
