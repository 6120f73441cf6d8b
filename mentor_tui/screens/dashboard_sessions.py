"""The mentor's Sessions: every session, searched and filtered by status, with the selected one's detail.

ctrl+f goes to the search box and Esc leaves it for the list; ctrl+t shows the next
status. What applies to a session is the services' answer (``widgets.session_actions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select

from ..domain.models import Role, SessionStatus, SessionView
from ..domain.text import SHORT_INPUT_MAX
from ..keymap import binding, key_for
from ..navigation import section_label
from ..widgets.notice import Notice
from ..widgets.session_actions import SessionActions
from ..widgets.session_detail import SessionDetail
from ..widgets.session_table import SessionTable
from ..widgets.text_boxes import text_box_focused

if TYPE_CHECKING:
    from ..context import AppContext

STATUS_FILTERS: tuple[tuple[str, str], ...] = (
    ("All", "all"),
    ("Pending", SessionStatus.PENDING.value),
    ("Confirmed", SessionStatus.CONFIRMED.value),
    ("Completed", SessionStatus.COMPLETED.value),
    ("Cancelled", SessionStatus.CANCELLED.value),
)
"""The status filter's choices, in the order ctrl+t walks them (cancelled includes declined)."""


def matches(view: SessionView, status: str, text: str) -> bool:
    """In the filter's status (or "all"), and naming ``text`` (casefolded) in the student or subject."""
    session = view.session
    return (status == "all" or session.status.value == status) and (
        not text or text in view.student_name.casefold() or text in session.subject.casefold()
    )


class SessionsPane(SessionActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("search"), binding("filter"), binding("close", label="Back to list", show=True)
    ]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._all: list[SessionView] = []

    def compose(self) -> ComposeResult:
        # The table comes first so that it, not the search box, takes the focus when the tab opens;
        # the toolbar is docked above it.
        yield SessionTable(Role.MENTOR, id="sessions")
        with Horizontal(id="toolbar"):
            yield Input(placeholder=f"Search student or subject ({key_for('search').display})", id="search",
                        compact=True, max_length=SHORT_INPUT_MAX)
            yield Select([(label, value) for label, value in STATUS_FILTERS], value="all", allow_blank=False,
                         id="status", compact=True)
        yield Notice(id="sessions-empty")
        yield SessionDetail(id="session-detail")

    async def load(self) -> None:
        views = await self.ctx.services.my_sessions()
        await self.load_history()
        self._all = sorted(views, key=lambda v: (v.session.scheduled_time, v.session.id), reverse=True)
        self._show()

    # --- the list -----------------------------------------------------------------------
    @property
    def status_filter(self) -> str:
        return str(self.query_one("#status", Select).value)

    def matching(self) -> list[SessionView]:
        text = self.query_one("#search", Input).value.strip().casefold()
        return [view for view in self._all if matches(view, self.status_filter, text)]

    def _show(self) -> None:
        table = self.query_one("#sessions", SessionTable)
        visible = self.matching()
        table.show(visible, self.times())
        table.display = bool(visible)
        empty = self.query_one("#sessions-empty", Notice)
        empty.display = not visible
        if not self._all:
            empty.update(
                "No sessions yet. Students book your open time: add weekly availability in "
                f"{section_label(Role.MENTOR, 'schedule')}."
            )
        elif not visible:
            empty.update(
                f"No session matches. Clear the search ({key_for('search').display}) or press "
                f"{key_for('filter').display} for the next status filter."
            )
        self.settle_focus()
        self.selection_changed()

    @on(Input.Changed, "#search")
    @on(Select.Changed, "#status")
    def _filters_changed(self) -> None:
        if self._loaded:
            self._show()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.action_close()

    # --- keys ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return text_box_focused(self.screen)  # Esc leaves the search box; elsewhere it is not ours
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_close(self) -> None:
        table = self.query_one("#sessions", SessionTable)
        (table if table.display else self).focus()
        self.refresh_bindings()

    def action_filter(self) -> None:
        select = self.query_one("#status", Select)
        values = [value for _, value in STATUS_FILTERS]
        select.value = values[(values.index(str(select.value)) + 1) % len(values)]


__all__ = ["STATUS_FILTERS", "SessionsPane", "matches"]
