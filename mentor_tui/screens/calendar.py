"""The calendar, for both roles: the week grid and the agenda of upcoming sessions (``v`` switches).

Everything is shown in the person's zone. ``[`` ``]`` move a week, ``h`` ``l`` (and the arrows) a
day, ``j`` ``k`` an hour, ``t`` goes to today; Enter on a session opens its detail, and the
session keys (``widgets.session_actions``) act on the session under the cursor. A mentor's open
availability is shaded on the grid. The mentor's Schedule is this pane with the weekly
availability editor above it (``screens.schedule``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import OptionList, Static

from ..domain.models import AvailabilitySlot, Role, SessionStatus, SessionView
from ..keymap import binding, key_for
from ..navigation import section_label
from ..services import sessions
from ..widgets.agenda import Agenda
from ..widgets.session_actions import SessionActions
from ..widgets.session_detail import SessionDetail
from ..widgets.status import STATUS_LOOK, status_look
from ..widgets.week_grid import GridItem, OpenHours, WeekGrid

if TYPE_CHECKING:
    from ..context import AppContext

ON_THE_GRID = (SessionStatus.PENDING, SessionStatus.CONFIRMED, SessionStatus.COMPLETED)
"""What the grid shows; a cancelled session holds no time."""


class CalendarPane(SessionActions):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("week(-1)"),
        binding("week(1)"),
        binding("today"),
        binding("switch_view"),
        binding("day(-1)"),
        binding("day(1)"),
    ]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._views: dict[str, SessionView] = {}
        self._agenda_shown = False
        self._detail_open = False

    def compose(self) -> ComposeResult:
        yield Static("", id="calendar-title", classes="calendar-title")
        yield WeekGrid(self.times(), id="week-grid")
        yield Agenda(id="agenda")
        yield Static("", id="agenda-empty", classes="calendar-empty")
        yield SessionDetail(id="session-detail")
        yield Static(self._legend(open_hours=self.ctx.me.role is Role.MENTOR), id="calendar-legend",
                     classes="calendar-legend")

    def on_mount(self) -> None:
        self._show_view()

    @staticmethod
    def _legend(*, open_hours: bool) -> Text:
        legend = Text(no_wrap=True, overflow="ellipsis", end="")
        for status in ON_THE_GRID:
            symbol, word, style = STATUS_LOOK[status]
            legend.append(symbol, style=style)
            legend.append(f" {word.lower()}  ")
        legend.append(("░ open  " if open_hours else "") + "▶ now  ")
        legend.append(f"{key_for('switch_view').display} agenda/week  Enter opens", style="dim")
        return legend

    # --- data ---------------------------------------------------------------------------
    async def load(self) -> None:
        services = self.ctx.services
        views = await services.my_sessions()
        await self.load_history()  # open requests to move a session: the keys and detail show them
        mentor = self.ctx.me.role is Role.MENTOR
        slots = await services.get_availability(self.ctx.me.id) if mentor else []
        self.show_calendar(views, slots)

    def show_calendar(self, views: Sequence[SessionView], slots: Sequence[AvailabilitySlot]) -> None:
        """Lay out ``views`` on the grid and the agenda (the cursor stays put); ``slots`` are shaded."""
        self._views = {view.session.id: view for view in views}
        times = self.times()
        on_grid = [view for view in views if view.session.status in ON_THE_GRID and not view.session.time_invalid]
        items = [self._item(view) for view in on_grid]
        open_hours = OpenHours(slots, self.ctx.me.zone) if slots else None
        self.query_one(WeekGrid).show(items, times, open_hours)
        now = self.ctx.clock.now()
        ahead = [self._views[s.id] for s in sessions.upcoming((v.session for v in views), now)]
        self.query_one(Agenda).show([(view, self._other_name(view)) for view in ahead], times,
                                    now.astimezone(times.zone).date())
        self.query_one("#agenda-empty", Static).update(self._nothing_ahead())
        self._show_view()

    def _item(self, view: SessionView) -> GridItem:
        mark, word, style = status_look(view.session)
        session = view.session
        return GridItem(session.id, session.scheduled_time, session.end_time, self._other_name(view), mark, word, style)

    def _nothing_ahead(self) -> str:
        if self.ctx.me.role is Role.STUDENT:
            mentors, book = section_label(self.ctx.me.role, "mentors"), key_for("new").display
            return f"Nothing coming up. Find a mentor under {mentors} and press {book} to book a session."
        return "Nothing coming up: no requests or confirmed sessions ahead."

    # --- what is shown ------------------------------------------------------------------
    def _show_view(self) -> None:
        grid, agenda = self.query_one(WeekGrid), self.query_one(Agenda)
        grid.display = not self._agenda_shown
        agenda.display = self._agenda_shown and bool(agenda.option_count)
        self.query_one("#agenda-empty").display = self._agenda_shown and not agenda.option_count
        self._show_title()
        self.selection_changed()

    def _show_title(self) -> None:
        title = self.query_one("#calendar-title", Static)
        if self._agenda_shown:
            title.update(f"Upcoming sessions, in {self.ctx.zone.key}")
            return
        grid, times = self.query_one(WeekGrid), self.times()
        first, last = grid.days()[0], grid.days()[-1]
        today = self.ctx.clock.now().astimezone(times.zone).date()
        count = len(grid.items_in_week())
        held = f"{count} session{'s' if count != 1 else ''}" if count else "no sessions"
        current = " (this week)" if first <= today <= last else ""
        title.update(f"Week of {times.day(first)} to {times.day(last)}{current} · {held} · {times.zone.key}")

    def selected_view(self) -> SessionView | None:
        if self._agenda_shown:
            key = self.query_one(Agenda).highlighted_key()
        else:
            item = self.query_one(WeekGrid).item_at_cursor()
            key = item.key if item is not None else None
        return self._views.get(key) if key is not None else None

    def selection_changed(self) -> None:
        super().selection_changed()
        self.query_one(SessionDetail).display = self._detail_open and self.selected_view() is not None

    def focus_calendar(self) -> None:
        """The focus to the view shown, so its keys work."""
        shown = self.query_one(Agenda) if self._agenda_shown else self.query_one(WeekGrid)
        if shown.display:
            shown.focus()

    # --- moving -------------------------------------------------------------------------
    @on(WeekGrid.Moved)
    def _grid_moved(self) -> None:
        self._show_title()
        self.selection_changed()

    @on(OptionList.OptionHighlighted, "#agenda")
    def _agenda_moved(self) -> None:
        # The grid follows, so the week view opens on the session the agenda was on.
        if self._agenda_shown and (view := self.selected_view()) is not None:
            start = view.session.scheduled_time.astimezone(self.ctx.zone)
            self.query_one(WeekGrid).move_to(start.date(), start.hour)
        self.selection_changed()

    @on(WeekGrid.Chosen)
    @on(OptionList.OptionSelected, "#agenda")
    def _opened(self) -> None:
        """Enter: the session under the cursor opens in the detail (Enter again closes it)."""
        self._detail_open = not self._detail_open
        self.selection_changed()

    def action_week(self, step: int) -> None:
        self.query_one(WeekGrid).action_week(step)

    def action_day(self, step: int) -> None:
        if self._agenda_shown:
            self.query_one(Agenda).step_day(step)
        else:
            self.query_one(WeekGrid).action_day(step)

    def action_today(self) -> None:
        grid = self.query_one(WeekGrid)
        grid.go_today(self.times())
        if self._agenda_shown:
            self.query_one(Agenda).highlight_day(grid.cursor_day)

    def action_switch_view(self) -> None:
        self._agenda_shown = not self._agenda_shown
        self._show_view()
        self.focus_calendar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "week":
            return not self._agenda_shown  # the agenda is one list: it moves by days of sessions
        return super().check_action(action, parameters)


__all__ = ["ON_THE_GRID", "CalendarPane"]
