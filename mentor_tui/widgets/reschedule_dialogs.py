"""The dialogs of rescheduling and no-shows, the same for both roles: ask to move a session to
a new date and time (typed in the person's zone, as in the booking form) with a reason, and mark
the other person absent with an optional note. Each calls the service in :meth:`send`, so a
refusal shows inside the dialog with the form kept as typed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from ..domain import messages
from ..domain.errors import InvalidInput
from ..domain.models import SessionView
from ..domain.no_show import NoShow
from ..domain.reschedule import RescheduleRequest
from ..domain.text import SHORT_INPUT_MAX
from ..services.open_times import bookable_starts
from .date_time_fields import DateInput, local_instant, parse_clock, parse_day
from .dialog import Dialog
from .limited import LimitedInput
from .open_times import open_time_lines
from .plain import shown
from .rating import first_name
from .session_dialogs import about_session
from .timefmt import TimeFormat

if TYPE_CHECKING:
    from ..services import Services


def other_name(view: SessionView, viewer_id: str) -> str:
    return view.student_name if viewer_id == view.session.mentor_id else view.mentor_name


OPEN_DAYS = 14
"""How far ahead the dialog looks for open times."""
OPEN_DAYS_SHOWN = 3
OPEN_TIMES_SHOWN = 6


class RescheduleDialog(Dialog[RescheduleRequest]):
    """Ask the other person to move a session: a new date and start, and a reason."""

    DEFAULT_CSS = """
    RescheduleDialog .row { height: 1; }
    RescheduleDialog .field-label { width: 8; }
    RescheduleDialog #date, RescheduleDialog #scheduled_time { width: 14; }
    RescheduleDialog #reason { width: 1fr; }
    RescheduleDialog #open-times { height: auto; margin-top: 1; }
    """
    work_title = "the new time"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat) -> None:
        me = services.person().id
        about = about_session(view, me, times)
        about.append(
            f"\nA new date and start in your time ({times.zone.key}). "
            f"{shown(first_name(other_name(view, me)))} accepts or declines; until then nothing moves."
        )
        super().__init__("Move this session?", about, "Ask to move")
        self.services = services
        self.view = view
        self.times = times
        local = view.session.scheduled_time.astimezone(times.zone)
        self._today: date = services.now().astimezone(times.zone).date()
        self._filled = (local.date().isoformat(), f"{local:%H:%M}")

    def fields(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Date", classes="field-label")
            yield DateInput(self._today, id="date")
            yield Label(" Start ", classes="field-label")
            yield Input(self._filled[1], id="scheduled_time", placeholder="HH:MM", compact=True,
                        max_length=SHORT_INPUT_MAX)
        with Horizontal(classes="row"):
            yield Label("Reason", classes="field-label")
            yield LimitedInput("reason", id="reason", placeholder="Why? The other person reads it (optional)",
                               compact=True)
        yield Static(self._open_times(Text("loading…", style="dim")), id="open-times")

    def _open_times(self, times: Text) -> Text:
        text = Text()
        text.append(messages.open_times_for_move(self.times.zone.key), style="bold")
        text.append_text(times)
        return text

    @work(exclusive=True, group="open-times", exit_on_error=False)
    async def _load_open_times(self) -> None:
        """The times the booking form would offer for a session this long, this one's own time
        free: the mentor's weekly hours, less what is held, less what their rules hide."""
        session = self.view.session
        availability = await self.services.get_availability(session.mentor_id)
        shown_times = Text()
        if not availability:
            shown_times.append(messages.NO_WEEKLY_HOURS_TO_MOVE)
        else:
            rules = await self.services.booking_rules(session.mentor_id)
            now = self.services.now()
            starts, _ = await bookable_starts(
                self.services, session.mentor_id, ZoneInfo(self.view.mentor_timezone), availability, rules,
                now, now + timedelta(days=OPEN_DAYS), session.duration_minutes, moving=session,
            )
            others = [start for start in starts if start != session.scheduled_time]  # not where it is now
            lines = open_time_lines(others, self.times, OPEN_DAYS_SHOWN, OPEN_TIMES_SHOWN)
            shown_times.append("".join(f"\n  {line}" for line in lines) or messages.no_open_times(OPEN_DAYS))
        self.query_one("#open-times", Static).update(self._open_times(shown_times))

    def on_mount(self) -> None:
        self._load_open_times()
        date_input = self.query_one("#date", Input)
        date_input.value = self._filled[0]
        date_input.focus()
        # Selected, so a typed date replaces the session's own instead of running on after it.
        date_input.select_all()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def unsaved_changes(self) -> bool:
        return bool(self._value("#reason").strip()) or (self._value("#date"), self._value("#scheduled_time")) != self._filled

    def new_time(self) -> datetime:
        """The typed start as a UTC instant; ``InvalidInput`` naming the field to fix."""
        day = parse_day(self._value("#date"))
        if day is None:
            raise InvalidInput("date", messages.date_format(self._today.isoformat()))
        at = parse_clock(self._value("#scheduled_time"))
        if at is None:
            raise InvalidInput("scheduled_time", messages.CLOCK_FORMAT)
        instant = local_instant(day, at, self.times.zone)
        if instant is None:
            raise InvalidInput("scheduled_time", messages.clock_skipped(f"{at:%H:%M}", self.times.day(day)))
        return instant

    async def send(self) -> RescheduleRequest:
        return await self.services.propose_reschedule(self.view.session.id, self.new_time(), self._value("#reason"))


class NoShowDialog(Dialog[NoShow]):
    """Mark the other person of an ended session absent, once, with an optional note."""

    ok_variant = "warning"
    work_title = "the note"

    def __init__(self, services: Services, view: SessionView, times: TimeFormat) -> None:
        me = services.person().id
        self.absent = other_name(view, me)
        about = about_session(view, me, times)
        about.append(f"\nMark {shown(first_name(self.absent))} absent? You can do this once; it stays with the session.")
        super().__init__("Mark a no-show?", about, "Mark absent")
        self.services = services
        self.view = view

    def fields(self) -> ComposeResult:
        yield LimitedInput("note", id="note", placeholder="Note (optional)", compact=True)

    def on_mount(self) -> None:
        self.query_one("#note", Input).focus()

    def unsaved_changes(self) -> bool:
        return bool(self.query_one("#note", Input).value.strip())

    async def send(self) -> NoShow:
        return await self.services.mark_no_show(self.view.session.id, self.query_one("#note", Input).value)


__all__ = ["NoShowDialog", "RescheduleDialog", "other_name"]
