"""The mentor's Schedule: weekly availability above the calendar (the week grid, with the open
hours shaded, or the agenda), which is the students' Calendar (``screens.calendar``).

Availability windows are wall-clock times in the mentor's own zone ("Fridays 14:00-17:00");
the services refuse an empty window or one overlapping another that day, and the form
shows the reason beside the field, keeping what was typed.
"""

from __future__ import annotations

import re
from datetime import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from ..domain.errors import InvalidInput
from ..domain.models import AvailabilitySlot
from ..domain.text import SHORT_INPUT_MAX
from ..keymap import binding, key_for
from ..widgets.dialog import Dialog, ask
from ..widgets.notice import Notice
from ..widgets.plain import plain
from ..widgets.session_actions import SESSION_KEYS
from ..widgets.table import refill, selected_key
from .calendar import CalendarPane

if TYPE_CHECKING:
    from ..context import AppContext

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?$")


def parse_time(text: str) -> time | None:
    """A wall-clock time typed as 9, 09:00, 9.30 or 1430; None when it is not one."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class SlotForm(Dialog[AvailabilitySlot]):
    """Add or change one weekly window; stays open, as typed, on a refusal."""

    BINDINGS: ClassVar[list[BindingType]] = [binding("close", label="Back", show=True), binding("save")]
    work_title = "the availability window"

    def __init__(self, ctx: AppContext, slot: AvailabilitySlot | None = None) -> None:
        verb = "Change" if slot else "Add"
        super().__init__(f"{verb} a weekly window ({ctx.me.timezone})", ok_label="Save")
        self.ctx = ctx
        self.slot = slot
        self._initial = (
            slot.weekday if slot else 0,
            f"{slot.start_time:%H:%M}" if slot else "",
            f"{slot.end_time:%H:%M}" if slot else "",
        )

    def fields(self) -> ComposeResult:
        weekday, start, end = self._initial
        with Horizontal(classes="row"):
            yield Label("Day")
            yield Select(
                [(name, index) for index, name in enumerate(WEEKDAYS)], value=weekday, allow_blank=False, id="weekday"
            )
        with Horizontal(classes="row"):
            yield Label("From")
            yield Input(start, placeholder="HH:MM, e.g. 14:00", id="start", max_length=SHORT_INPUT_MAX)
        yield Static("", id="start-error", classes="field-error")
        with Horizontal(classes="row"):
            yield Label("To")
            yield Input(end, placeholder="HH:MM, e.g. 17:00", id="end", max_length=SHORT_INPUT_MAX)
        yield Static("", id="end-error", classes="field-error")

    def on_mount(self) -> None:
        self.query_one("#weekday", Select).focus()
        self._show_errors({})

    def _values(self) -> tuple[object, str, str]:
        return (
            self.query_one("#weekday", Select).value,
            self.query_one("#start", Input).value,
            self.query_one("#end", Input).value,
        )

    def unsaved_changes(self) -> bool:
        return self._values() != self._initial

    def _show_errors(self, errors: dict[str, str]) -> None:
        for name in ("start", "end"):
            self._show_error(name, errors.get(name, ""))

    def _show_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#{name}-error", Static)
        error.update(plain(message, 500))
        error.display = bool(message)

    @on(Input.Changed, "#start")
    @on(Input.Changed, "#end")
    def _time_changed(self, event: Input.Changed) -> None:
        self._show_error(event.input.id or "", "")

    async def send(self) -> AvailabilitySlot:
        weekday, start_text, end_text = self._values()
        start, end = parse_time(start_text), parse_time(end_text)
        errors = {
            name: "Enter a time from 00:00 to 23:59, like 14:30."
            for name, value in (("start", start), ("end", end))
            if value is None
        }
        self._show_errors(errors)
        if errors or start is None or end is None or not isinstance(weekday, int):
            raise InvalidInput(next(iter(errors), "start"), "Nothing was saved: fix the marked time.")
        try:
            return await self.ctx.services.set_availability(weekday, start, end, self.slot.id if self.slot else None)
        except InvalidInput as refused:
            field = "end" if refused.field == "end_time" else "start"
            self._show_errors({field: refused.message})
            raise InvalidInput(field, "Nothing was saved.") from refused


class SchedulePane(CalendarPane):
    BINDINGS: ClassVar[list[BindingType]] = [
        binding("new", label="Add"),
        binding("edit"),
        binding("remove"),
    ]

    def __init__(self, ctx: AppContext, *, id: str | None = None) -> None:
        super().__init__(ctx, id=id)
        self._slots: dict[str, AvailabilitySlot] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="slots-title", classes="section")
        yield DataTable[Text](id="slots", cursor_type="row", zebra_stripes=True)
        yield Notice(
            f"No weekly windows yet, so students may request any time. {key_for('new').key} adds one.",
            id="slots-empty",
        )
        yield from super().compose()

    def on_mount(self) -> None:
        self.query_one("#slots", DataTable).add_columns("Day", "From", "To", "Hours")

    async def load(self) -> None:
        services = self.ctx.services
        slots = await services.get_availability(self.ctx.me.id)
        views = await services.my_sessions()
        await self.load_history()
        self._slots = {slot.id: slot for slot in slots}
        self._show_slots()
        self.show_calendar(views, slots)

    # --- availability ---------------------------------------------------
    def _show_slots(self) -> None:
        self.query_one("#slots-title", Label).update(f"Weekly availability, in {self.ctx.me.timezone}")
        slots = sorted(self._slots.values(), key=lambda s: (s.weekday, s.start_time))
        table: DataTable[Text] = self.query_one("#slots", DataTable)
        refill(
            table,
            (
                (s.id, (WEEKDAYS[s.weekday], f"{s.start_time:%H:%M}", f"{s.end_time:%H:%M}", _hours(s)))
                for s in slots
            ),
        )
        table.display = bool(slots)
        self.query_one("#slots-empty").display = not slots
        self.refresh_bindings()

    def _selected_slot(self) -> AvailabilitySlot | None:
        key = selected_key(self.query_one("#slots", DataTable))
        return self._slots.get(key) if key else None

    @on(DataTable.RowHighlighted, "#slots")
    def _slot_highlighted(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "remove"):
            return self._selected_slot() is not None
        if (action in SESSION_KEYS or action == "message") and self.screen.focused is self.query_one("#slots"):
            return False  # on the availability list the session keys would act on a session out of sight
        return super().check_action(action, parameters)

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        if slot := self._selected_slot():
            self._edit(slot)

    def _edit(self, slot: AvailabilitySlot | None) -> None:
        def saved(window: AvailabilitySlot | None) -> None:
            if window is not None:
                self.notify(f"Saved {_describe(window)}.")
                self.refresh_data()

        self.app.push_screen(SlotForm(self.ctx, slot), saved)

    def action_remove(self) -> None:
        slot = self._selected_slot()
        if slot is not None:
            ask(self, f"Remove {_describe(slot)}?", "Students can no longer book that time.", "Remove",
                lambda: self.run_worker(self._remove(slot), group="slot", exit_on_error=False))

    async def _remove(self, slot: AvailabilitySlot) -> None:
        await self.ctx.services.remove_availability(slot.id)
        self.notify(f"Removed {_describe(slot)}.")
        self.refresh_data()


def _hours(slot: AvailabilitySlot) -> str:
    minutes = (slot.end_time.hour * 60 + slot.end_time.minute) - (slot.start_time.hour * 60 + slot.start_time.minute)
    return f"{minutes / 60:g} h"


def _describe(slot: AvailabilitySlot) -> str:
    return f"{WEEKDAYS[slot.weekday]} {slot.start_time:%H:%M}-{slot.end_time:%H:%M}"


__all__ = ["SchedulePane", "SlotForm", "parse_time"]
