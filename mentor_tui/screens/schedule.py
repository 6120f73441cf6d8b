"""The mentor's Schedule tab: weekly availability, and a week of sessions moving week by week.

Availability windows are wall-clock times in the mentor's own zone ("Fridays 14:00-17:00");
the repository refuses an empty window or one overlapping another that day, and the
form shows its message beside the field, keeping what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import AppContext

import re
from datetime import date, time, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from ..domain.models import AvailabilitySlot, SessionStatus, SessionView
from ..domain.text import SHORT_INPUT_MAX
from ..repository.base import InvalidInput
from ..widgets.plain import plain
from ..widgets.week_view import WeekItem, WeekView, week_start
from .dashboard_actions import (
    ConfirmDialog,
    MentorDialog,
    MentorPane,
    refill,
    selected_key,
    settle_focus,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?$")

# How each status shows on the week view; cancelled sessions hold no time and are left out.
_WEEK_MARKS = {
    SessionStatus.PENDING: ("?", "bold yellow"),
    SessionStatus.CONFIRMED: ("●", "bold green"),
    SessionStatus.COMPLETED: ("✓", "cyan"),
}


def parse_time(text: str) -> time | None:
    """A wall-clock time typed as 9, 09:00, 9.30 or 1430; None when it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class SlotForm(MentorDialog[AvailabilitySlot | None]):
    """Add or change one weekly window; saves through the repository and stays open on a refusal."""

    DEFAULT_CSS = """
    SlotForm > Vertical { width: 56; }
    SlotForm .question { text-style: bold; }
    SlotForm .row { height: auto; }
    SlotForm .row Label { width: 8; padding-top: 1; }
    SlotForm .row Input, SlotForm .row Select { width: 1fr; }
    SlotForm .error { color: $error; padding-left: 8; height: auto; display: none; }
    """
    BINDINGS = [Binding("ctrl+s", "ok", "Save", priority=True)]

    back = None

    def __init__(self, zone_name: str, slot: AvailabilitySlot | None = None) -> None:
        super().__init__(f"{'Change' if slot else 'Add'} a weekly window ({zone_name})", "Save (ctrl+s)")
        self.slot = slot

    def fields(self) -> ComposeResult:
        slot = self.slot
        with Horizontal(classes="row field"):
            yield Label("Day")
            yield Select(
                [(name, index) for index, name in enumerate(WEEKDAYS)],
                value=slot.weekday if slot else 0,
                allow_blank=False,
                id="weekday",
            )
        with Horizontal(classes="row"):
            yield Label("From")
            yield Input(f"{slot.start_time:%H:%M}" if slot else "", placeholder="HH:MM, e.g. 14:00", id="start", max_length=SHORT_INPUT_MAX)
        yield Static("", id="start-error", classes="error", markup=False)
        with Horizontal(classes="row"):
            yield Label("To")
            yield Input(f"{slot.end_time:%H:%M}" if slot else "", placeholder="HH:MM, e.g. 17:00", id="end", max_length=SHORT_INPUT_MAX)
        yield Static("", id="end-error", classes="error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#weekday", Select).focus()

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in ("start", "end"):
            error = self.query_one(f"#{name}-error", Static)
            error.update(plain(errors.get(name, ""), 500))
            error.display = name in errors
        if errors:
            self.query_one(f"#{next(iter(errors))}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_ok()

    def action_ok(self) -> None:
        start = parse_time(self.query_one("#start", Input).value)
        end = parse_time(self.query_one("#end", Input).value)
        errors = {
            name: "Enter a time from 00:00 to 23:59, like 14:30."
            for name, value in (("start", start), ("end", end))
            if value is None
        }
        self._show_errors(errors)
        if not errors:
            self._save(self.query_one("#weekday", Select).value, start, end)

    @work(exclusive=True, exit_on_error=False)
    async def _save(self, weekday: int, start: time, end: time) -> None:
        try:
            slot = await self.app.ctx.services.set_availability(weekday, start, end, self.slot.id if self.slot else None)
        except InvalidInput as error:
            self._show_errors({"end" if error.field == "end_time" else "start": error.message})
            return
        self.dismiss(slot)



class SchedulePane(MentorPane):
    DEFAULT_CSS = """
    SchedulePane { padding: 0 1; }
    SchedulePane .section { text-style: bold; }
    SchedulePane #slots { height: auto; max-height: 45%; }
    SchedulePane #slots-empty { color: $text-muted; padding-left: 2; }
    SchedulePane #week-title { margin-top: 1; }
    SchedulePane #week { height: 1fr; }
    SchedulePane #legend { color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("delete", "remove", "Remove"),
        Binding("left_square_bracket", "week(-1)", "Prev week"),
        Binding("right_square_bracket", "week(1)", "Next week"),
        Binding("t", "this_week", "This week"),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._slots: dict[str, AvailabilitySlot] = {}
        self._sessions: list[SessionView] = []
        self._week: date | None = None

    def compose(self) -> ComposeResult:
        yield Label("Weekly availability", id="slots-title", classes="section")
        yield DataTable(id="slots", cursor_type="row", zebra_stripes=True)
        yield Static(
            "No weekly windows yet, so students may request any time. Press a to add one.",
            id="slots-empty",
        )
        yield Label("", id="week-title", classes="section")
        with VerticalScroll(id="week"):
            yield WeekView()
        yield Static(
            "[bold yellow]?[/] pending  [bold green]●[/] confirmed  [cyan]✓[/] completed",
            id="legend",
        )

    def on_mount(self) -> None:
        self.query_one("#slots", DataTable).add_columns("Day", "From", "To", "Hours")

    async def _fetch(self) -> tuple[list[AvailabilitySlot], list[SessionView]]:
        return await self.app.ctx.services.get_availability(self.app.ctx.me.id), await self.app.ctx.services.my_sessions()

    def _present(self, data: tuple[list[AvailabilitySlot], list[SessionView]]) -> None:
        slots, sessions = data
        self._slots = {slot.id: slot for slot in slots}
        # A session whose stored time is invalid has no place on a calendar.
        self._sessions = [v for v in sessions if v.session.status in _WEEK_MARKS and not v.session.time_invalid]
        self._show_slots()
        self._show_week()

    # --- availability ---------------------------------------------------
    def _show_slots(self) -> None:
        self.query_one("#slots-title", Label).update(f"Weekly availability, in {self.app.ctx.me.timezone}")
        slots = sorted(self._slots.values(), key=lambda s: (s.weekday, s.start_time))
        table = self.query_one("#slots", DataTable)
        refill(
            table,
            (
                (s.id, (WEEKDAYS[s.weekday], f"{s.start_time:%H:%M}", f"{s.end_time:%H:%M}", _hours(s)))
                for s in slots
            ),
        )
        table.display = bool(slots)
        self.query_one("#slots-empty").display = not slots
        settle_focus(self, table, self.query_one("#week"))
        self.refresh_bindings()

    def _selected_slot(self) -> AvailabilitySlot | None:
        key = selected_key(self.query_one("#slots", DataTable))
        return self._slots.get(key) if key else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "remove"):
            return self._selected_slot() is not None
        return True

    def action_add(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if slot := self._selected_slot():
            self._edit(slot)

    @work(group="slot", exit_on_error=False)
    async def _edit(self, slot: AvailabilitySlot | None) -> None:
        saved = await self.app.push_screen_wait(SlotForm(self.app.ctx.me.timezone, slot))
        if saved is not None:
            self.notify(f"Saved {_describe(saved)}.")
            self.refresh_data()

    @work(group="slot", exit_on_error=False)
    async def action_remove(self) -> None:
        slot = self._selected_slot()
        if slot is None:
            return
        if not await self.app.push_screen_wait(ConfirmDialog(f"Remove {_describe(slot)}?", "Remove")):
            return
        await self.app.ctx.services.remove_availability(slot.id)
        self.notify(f"Removed {_describe(slot)}.")
        self.refresh_data()

    # --- week -----------------------------------------------------------
    def _today(self) -> date:
        return self.app.ctx.clock.now().astimezone(self.app.ctx.zone).date()

    def _show_week(self) -> None:
        zone = self.app.ctx.zone
        today = self._today()
        if self._week is None:
            self._week = week_start(today)
        first, last = self._week, self._week + timedelta(days=6)
        current = ", this week" if first <= today <= last else ""
        title = f"Sessions, week of {first:%a %d %b} to {last:%a %d %b %Y}{current}"
        self.query_one("#week-title", Label).update(title)
        items = []
        for view in self._sessions:
            local_day = view.session.scheduled_time.astimezone(zone).date()
            if first <= local_day <= last:
                mark, style = _WEEK_MARKS[view.session.status]
                items.append(
                    WeekItem(view.session.scheduled_time, view.student_name, view.session.subject, mark, style)
                )
        self.query_one(WeekView).show(first, items, zone, today)

    def action_week(self, step: int) -> None:
        self._week = (self._week or week_start(self._today())) + timedelta(weeks=step)
        self._show_week()

    def action_this_week(self) -> None:
        self._week = week_start(self._today())
        self._show_week()


def _hours(slot: AvailabilitySlot) -> str:
    minutes = (slot.end_time.hour * 60 + slot.end_time.minute) - (slot.start_time.hour * 60 + slot.start_time.minute)
    return f"{minutes / 60:g} h"


def _describe(slot: AvailabilitySlot) -> str:
    return f"{WEEKDAYS[slot.weekday]} {slot.start_time:%H:%M}-{slot.end_time:%H:%M}"
