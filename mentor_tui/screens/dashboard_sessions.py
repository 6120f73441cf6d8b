"""The mentor's Sessions tab: every session, filtered and searched, with the selected one's detail."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from ..domain.models import SessionStatus, SessionView
from ..domain.text import FIELDS, SHORT_INPUT_MAX
from ..widgets.plain import LINK, NAME, plain
from .dashboard_actions import (
    STATUS_FILTERS,
    MentorPane,
    SessionActions,
    long_time,
    refill,
    selected_key,
    session_short,
    settle_focus,
    status_text,
)
from .student_format import INVALID_TIME_LABEL

# Which actions make sense for a session in each status; the rules still decide on the press.
_ACTIONS_BY_STATUS = {
    SessionStatus.PENDING: {"confirm", "decline", "cancel"},
    SessionStatus.CONFIRMED: {"cancel", "complete", "join"},
}
_SESSION_ACTIONS = set().union(*_ACTIONS_BY_STATUS.values())


class SessionsPane(SessionActions, MentorPane):
    DEFAULT_CSS = """
    SessionsPane { padding: 0 1; }
    SessionsPane #toolbar { dock: top; height: 1; margin-bottom: 1; }
    SessionsPane #search { width: 1fr; }
    SessionsPane #status { width: 18; margin-left: 2; }
    SessionsPane #sessions { height: 1fr; }
    SessionsPane #empty { height: 1fr; color: $text-muted; padding: 1 2; }
    SessionsPane #detail { height: 45%; min-height: 6; border-top: solid $primary; }
    """
    BINDINGS = [
        Binding("c", "confirm", "Confirm"),
        Binding("d", "decline", "Decline"),
        Binding("x", "cancel", "Cancel"),
        Binding("m", "complete", "Complete"),
        Binding("j", "join", "Join call"),
        Binding("slash", "search", "Search"),
        Binding("f", "next_filter", "Filter"),
        Binding("r", "reload", "Refresh"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._all: list[SessionView] = []
        self._by_id: dict[str, SessionView] = {}

    def compose(self) -> ComposeResult:
        # The table comes first so that it, not the search box, takes focus when the tab opens;
        # the toolbar is docked above it.
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="toolbar"):
            yield Input(
                placeholder="Search student or subject  ( / )", id="search", compact=True, max_length=SHORT_INPUT_MAX
            )
            yield Select(
                [(label, status.value if status else "all") for label, status in STATUS_FILTERS],
                value="all",
                allow_blank=False,
                id="status",
                compact=True,
            )
        yield Static(id="empty")
        with VerticalScroll(id="detail"):
            yield Static(id="detail-text")

    def on_mount(self) -> None:
        self.query_one("#sessions", DataTable).add_columns("When", "Student", "Subject", "Min", "Status")
        self.query_one("#empty").display = False

    async def _fetch(self) -> list[SessionView]:
        return await self.app.ctx.services.my_sessions()

    def _present(self, sessions: list[SessionView]) -> None:
        self._all = sorted(sessions, key=lambda v: v.session.scheduled_time, reverse=True)
        self._by_id = {v.session.id: v for v in self._all}
        self._show()

    # --- list -----------------------------------------------------------
    def _status_filter(self) -> SessionStatus | None:
        value = self.query_one("#status", Select).value
        return None if value == "all" else SessionStatus(value)

    def _visible(self) -> list[SessionView]:
        status = self._status_filter()
        text = self.query_one("#search", Input).value.strip().casefold()
        return [
            v
            for v in self._all
            if (status is None or v.session.status is status)
            and (not text or text in v.student_name.casefold() or text in v.session.subject.casefold())
        ]

    def _show(self) -> None:
        zone = self.app.ctx.zone
        table = self.query_one("#sessions", DataTable)
        visible = self._visible()
        refill(
            table,
            (
                (
                    v.session.id,
                    (
                        session_short(v.session, zone),
                        v.student_name,
                        v.session.subject,
                        str(v.session.duration_minutes),
                        status_text(v.session.status),
                    ),
                )
                for v in visible
            ),
        )
        table.display = bool(visible)
        empty = self.query_one("#empty", Static)
        empty.display = not visible
        if not self._all:
            empty.update("No sessions yet. Students book your open time; add weekly availability in Schedule.")
        elif not visible:
            empty.update("No session matches. Clear the search or press f to change the status filter.")
        self._show_detail()
        settle_focus(self, table)

    @on(Input.Changed, "#search")
    @on(Select.Changed, "#status")
    def _filters_changed(self) -> None:
        self._show()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    @on(DataTable.RowHighlighted, "#sessions")
    def _highlighted(self) -> None:
        self._show_detail()

    def _selected(self) -> SessionView | None:
        table = self.query_one("#sessions", DataTable)
        key = selected_key(table) if table.display else None
        return self._by_id.get(key) if key else None

    # --- detail ---------------------------------------------------------
    def _show_detail(self) -> None:
        self.refresh_bindings()
        view = self._selected()
        text = self.query_one("#detail-text", Static)
        text.update(self._detail(view) if view else Text("Select a session to see its details.", style="dim"))

    def _detail(self, view: SessionView) -> Text:
        zone = self.app.ctx.zone
        session = view.session
        lines = Text()

        def field(label: str, value: Text) -> None:
            lines.append(f"{label:<10}", style="bold")
            lines.append_text(value)
            lines.append("\n")

        def written(column: str, value: str) -> Text:
            return plain(value, FIELDS[column].max_length, multiline=True)

        lines.append_text(plain(session.subject, NAME, style="bold"))
        lines.append("  ")
        lines.append_text(status_text(session.status))
        lines.append("\n")
        field("Student", plain(view.student_name, NAME))
        if session.time_invalid:
            field("When", Text(f"{INVALID_TIME_LABEL}: this session cannot be changed here", style="bold red"))
        else:
            field(
                "When",
                Text(
                    f"{long_time(session.scheduled_time, zone)}-{session.end_time.astimezone(zone):%H:%M} "
                    f"({self.app.ctx.me.timezone}), {session.duration_minutes} min"
                ),
            )
        if session.meeting_link:
            field("Call", plain(session.meeting_link, LINK))
        if session.cancellation_reason:
            field("Reason", written("cancellation_reason", session.cancellation_reason))
        if session.feedback:
            field("Feedback", written("feedback", session.feedback))
        if session.rating is not None:
            stars = "★" * session.rating + "☆" * (5 - session.rating)
            field("Rating", Text(f"{stars}  ") + written("review", session.review or ""))
        lines.append("Notes from the student\n", style="bold")
        if session.notes:
            lines.append_text(written("notes", session.notes))
        else:
            lines.append("None.", style="dim")
        return lines

    # --- actions --------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen.focused, Input):
            return False  # every key of this pane is a character the search box takes
        if action in _SESSION_ACTIONS:
            view = self._selected()
            if view is None or view.session.time_invalid:
                return False  # nothing applies to a session whose time is invalid
            return action in _ACTIONS_BY_STATUS.get(view.session.status, set())
        return True

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_next_filter(self) -> None:
        select = self.query_one("#status", Select)
        values = [status.value if status else "all" for _, status in STATUS_FILTERS]
        select.value = values[(values.index(select.value) + 1) % len(values)]

    def _act(self, run) -> None:
        if view := self._selected():
            run(view)

    def action_confirm(self) -> None:
        self._act(self.confirm)

    def action_decline(self) -> None:
        self._act(self.decline)

    def action_cancel(self) -> None:
        self._act(self.cancel)

    def action_complete(self) -> None:
        self._act(self.complete)

    def action_join(self) -> None:
        self._act(self.join)
