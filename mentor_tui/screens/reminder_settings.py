"""Settings: how long before a confirmed session the person is reminded (``reminder_lead``),
beside the alert switches; the reminder comes the ways those switches allow. Remembered on
this computer at once, like them; the app reads it each time it looks for a reminder."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select, Static

from .. import reminder_lead

if TYPE_CHECKING:
    from ..context import AppContext

LABEL = "Remind me of a confirmed session this long before it (and at its start)"


def choice_label(minutes: int) -> str:
    return "At the start only" if minutes == 0 else f"{minutes} min before"


def reminder_lead_row(ctx: AppContext) -> ComposeResult:
    with ReminderLeadRow(id="reminder-row"):
        yield ReminderLeadSelect(ctx)
        yield Static(LABEL, markup=False, id="reminder-label")


class ReminderLeadRow(Horizontal):
    # Not the alert rows' class: its rule for their labels would reach the select's own label.
    DEFAULT_CSS = """
    ReminderLeadRow { height: auto; margin-top: 1; }
    ReminderLeadRow #reminder-label { width: 1fr; padding: 0 1; }
    """


class ReminderLeadSelect(Select[int]):
    DEFAULT_CSS = "ReminderLeadSelect { width: 22; }"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            [(choice_label(minutes), minutes) for minutes in reminder_lead.CHOICES],
            value=reminder_lead.DEFAULT, allow_blank=False, id="reminder-lead", compact=True,
        )
        self.ctx = ctx

    async def show_stored(self) -> None:
        """The person's stored lead time (read in a thread), without storing it again."""
        minutes = await asyncio.to_thread(reminder_lead.load, self.ctx.settings, self.ctx.me.id)
        with self.prevent(Select.Changed):
            self.value = minutes

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self._remember(event.value)

    @work(exclusive=True, group="reminder-lead", exit_on_error=False)
    async def _remember(self, minutes: int) -> None:
        await asyncio.to_thread(reminder_lead.save, self.ctx.settings, self.ctx.me.id, minutes)


__all__ = ["ReminderLeadSelect", "choice_label", "reminder_lead_row"]
