"""Booking a session with a mentor: a dialog with live cost and the mentor's open times.

Times are typed and shown in the student's zone, with the mentor's zone beside them.
When the mentor keeps weekly hours, the start time is picked from that day's open
slots (their hours minus held sessions), so other times cannot be asked for.

The Date field is the person's: the form fills it once, with the first open day, and
never rewrites it after that; ↑↓ step a valid date by a day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from ..domain import booking_rules, rules
from ..domain.errors import InvalidInput, MentorError, OutsideAvailability, SlotTaken
from ..domain.models import (
    AvailabilitySlot,
    BookingRequest,
    MentorSession,
    MentorSummary,
)
from ..domain.money import estimate_cost, format_money
from ..domain.slots import day_bounds
from ..domain.text import SHORT_INPUT_MAX
from ..services.open_times import bookable_starts
from ..widgets.date_time_fields import DateInput, local_instant, parse_clock, parse_day
from ..widgets.dialog import Dialog
from ..widgets.limited import LimitedInput
from ..widgets.plain import NAME, plain, shown
from ..widgets.rating import first_name
from ..widgets.timefmt import TimeFormat

if TYPE_CHECKING:
    from ..context import AppContext

LOOKAHEAD = timedelta(days=28)
"""How far ahead the form looks for the mentor's open days."""
OPEN_DAYS_SHOWN = 5
FIELDS = ("subject", "date", "start", "duration", "notes")
"""The form's fields in the order they are shown; each has an error line ``#<field>-error``."""

# Where a rule's or a backend's InvalidInput.field is shown in this form.
_FIELD_OF_ERROR = {
    "subject": "subject",
    "scheduled_time": "start",
    "duration_minutes": "duration",
    "notes": "notes",
}
NOTHING_BOOKED = "Nothing was booked; everything you typed is still here."


def short_days(days: list[date], times: TimeFormat) -> str:
    """'Mon 30 Nov, Tue 1, Wed 2 Dec': each month named once, after its last day."""
    parts = []
    for index, day in enumerate(days):
        last_of_month = index + 1 == len(days) or days[index + 1].month != day.month
        parts.append(times.day(day) if last_of_month else f"{day:%a} {day.day}")
    return ", ".join(parts)


class BookingScreen(Dialog[MentorSession]):
    """Asks for a session with one mentor; closes with the new pending session."""

    work_title = "the booking form"

    def __init__(self, ctx: AppContext, mentor: MentorSummary) -> None:
        profile = mentor.profile
        rate = f"{format_money(profile.hourly_rate)}/h" if profile.hourly_rate is not None else "no rate set"
        about = plain(profile.profession or "Mentor", NAME) + Text(f" · {rate} · their zone {profile.timezone}")
        super().__init__(f"Book a session with {shown(profile.full_name)}", about, ok_label="Send request")
        self.ctx = ctx
        self.mentor = mentor
        self.times = TimeFormat(ctx.zone, ctx.clock.now())
        self._availability: list[AvailabilitySlot] | None = None
        """The mentor's weekly hours; None until loaded."""
        self._rules: booking_rules.BookingRules | None = None
        """The mentor's booking rules; None until loaded (with the weekly hours)."""
        self._hidden: dict[booking_rules.Hidden, list[datetime]] = {}
        """Open starts the mentor's booking rules hide, by the rule that hides them."""
        self._open_on_day: list[datetime] = []
        """Open starts on the chosen day (when the mentor keeps weekly hours)."""
        self._filled_date = ""
        """The date the form put in the Date field itself ("" until it has)."""

    # --- building -------------------------------------------------------
    @property
    def _zone(self) -> ZoneInfo:
        return self.ctx.zone

    @property
    def _mentor_zone(self) -> ZoneInfo:
        return self.mentor.profile.zone

    @property
    def _first_name(self) -> str:
        """The mentor's first name, made safe to put in any sentence of this form."""
        return shown(first_name(self.mentor.profile.full_name), NAME)

    @property
    def _today(self) -> date:
        return self.ctx.clock.now().astimezone(self._zone).date()

    def fields(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("Subject", classes="field-label")
            yield LimitedInput("subject", id="subject", placeholder="What do you want to work on?", compact=True)
        yield Static(id="subject-error", classes="field-error")
        with Horizontal(classes="row"):
            yield Label("Date", classes="field-label")
            yield DateInput(self._today, id="date")
            yield Static(id="date-label")
        yield Static(id="date-error", classes="field-error")
        with Horizontal(classes="row"):
            yield Label("Start", classes="field-label")
            yield Select([], id="start-slot", prompt="Loading open times…", compact=True)
            yield Input(id="start-time", placeholder="HH:MM", compact=True, max_length=SHORT_INPUT_MAX)
        yield Static(id="start-error", classes="field-error")
        with Horizontal(classes="row"):
            yield Label("Duration", classes="field-label")
            yield Select(
                [(f"{minutes} minutes", minutes) for minutes in rules.DURATIONS],
                id="duration", value=rules.DEFAULT_DURATION, allow_blank=False, compact=True,
            )
            yield Static(id="cost")
        yield Static(id="duration-error", classes="field-error")
        with Horizontal(classes="row"):
            yield Label("Notes", classes="field-label")
            yield LimitedInput("notes", id="notes", placeholder="Optional: context for the mentor", compact=True)
        yield Static(id="notes-error", classes="field-error")
        yield Static(id="when")
        yield Static(id="open-days")
        yield Static(id="hidden-why")

    def on_mount(self) -> None:
        self.query_one("#start-time").display = False
        self.query_one("#subject").focus()
        self._update_cost()
        self._refresh_slots(reload_availability=True)

    # --- reading the form -------------------------------------------------
    @property
    def _duration(self) -> int:
        value = self.query_one("#duration", Select).value
        return value if isinstance(value, int) else rules.DEFAULT_DURATION

    @property
    def _slot_mode(self) -> bool:
        """True when the mentor keeps weekly hours, so starts come from open slots."""
        return bool(self._availability)

    def _text(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _start(self) -> datetime | None:
        """The chosen start as a UTC instant, when the form holds a valid one."""
        day = parse_day(self._text("#date"))
        if day is None:
            return None
        if self._slot_mode:
            value = self.query_one("#start-slot", Select).value
            if isinstance(value, datetime) and value in self._open_on_day and value.astimezone(self._zone).date() == day:
                return value
            return None
        at = parse_clock(self._text("#start-time"))
        return None if at is None else local_instant(day, at, self._zone)

    def unsaved_changes(self) -> bool:
        """Something the person typed: a subject, notes, a start time, or a date of their own."""
        typed = (self._text("#subject"), self._text("#notes"), self._text("#start-time"))
        date_text = self._text("#date")
        return any(value.strip() for value in typed) or date_text not in ("", self._filled_date)

    def _read_form(self) -> tuple[dict[str, str], BookingRequest | None]:
        """Every field problem at once, or the request to send."""
        errors: dict[str, str] = {}
        day = parse_day(self._text("#date"))
        if day is None:
            example = (self._today + timedelta(days=1)).isoformat()
            errors["date"] = f"Enter the date as YYYY-MM-DD, like {example}."
        start = self._start()
        if day is not None and start is None:
            if self._slot_mode:
                if not self._open_on_day:
                    errors["start"] = "No open time that day: try one of the open days below."
            else:
                text = self._text("#start-time")
                at = parse_clock(text)
                if text.strip() and at is None:
                    errors["start"] = "Enter the start time as HH:MM, like 14:30."
                elif at is not None:
                    errors["start"] = (
                        f"{at:%H:%M} does not exist on {self.times.day(day)}: the clocks change. Pick another time."
                    )
        subject = self._text("#subject")
        notes = self._text("#notes").strip() or None
        for field, message in rules.booking_errors(
            subject=subject,
            scheduled_time=start,
            duration_minutes=self._duration,
            notes=notes,
            now=self.ctx.clock.now(),
        ).items():
            target = _FIELD_OF_ERROR[field]
            if target == "start" and "date" in errors:
                continue  # a bad date already says what to fix
            errors.setdefault(target, message)
        if errors or start is None:
            return errors, None
        return errors, BookingRequest(
            mentor_id=self.mentor.profile.id,
            subject=subject.strip(),
            scheduled_time=start,
            duration_minutes=self._duration,
            notes=notes,
        )

    # --- showing state ------------------------------------------------------
    def _show_errors(self, errors: dict[str, str]) -> None:
        for field in FIELDS:
            self._show_field_error(field, errors.get(field, ""))

    def _show_field_error(self, field: str, message: str) -> None:
        # Messages may quote a server or what was typed: shown as plain text.
        self.query_one(f"#{field}-error", Static).update(plain(message, 500, multiline=True))

    def _control_id(self, field: str) -> str:
        if field == "start":
            return "start-slot" if self._slot_mode else "start-time"
        return field

    def _update_cost(self) -> None:
        rate = self.mentor.profile.hourly_rate
        cost = self.query_one("#cost", Static)
        if rate is None:
            cost.update("No rate set: agree the price with the mentor.")
        else:
            cost.update(f"Estimated cost {format_money(estimate_cost(rate, self._duration))}")

    def _update_when(self) -> None:
        start = self._start()
        when = self.query_one("#when", Static)
        if start is None:
            when.update("")
            return
        end = start + timedelta(minutes=self._duration)
        zone, mentor_zone = self._zone, self._mentor_zone
        mine = f"{self.times.span(start, end)}  your time ({zone.key})"
        if mentor_zone.key == zone.key:
            when.update(plain(f"{mine}, same as {self._first_name}"))
        else:
            theirs = f"{self.times.in_zone(mentor_zone).span(start, end)}  {self._first_name}'s time ({mentor_zone.key})"
            when.update(plain(f"{mine}\n{theirs}", multiline=True))

    def _update_date_label(self) -> None:
        day = parse_day(self._text("#date"))
        self.query_one("#date-label", Static).update(self.times.day(day) if day else "")

    def _slot_label(self, start: datetime) -> Text:
        mine = start.astimezone(self._zone)
        theirs = start.astimezone(self._mentor_zone)
        if mine.utcoffset() == theirs.utcoffset():
            return Text(self.times.clock(start))
        other_day = "" if theirs.date() == mine.date() else f" {theirs:%a}"
        their_clock = self.times.in_zone(self._mentor_zone).clock(start)
        return plain(f"{self.times.clock(start)}  ({self._first_name}{other_day} {their_clock})")

    def _fill_date(self, day: date) -> None:
        """Put ``day`` in the Date field, once, while the person has not typed there."""
        date_input = self.query_one("#date", Input)
        if self._filled_date or date_input.value:
            return
        self._filled_date = day.isoformat()
        date_input.value = self._filled_date  # its Changed event looks the open times up again

    # --- open slots -------------------------------------------------------
    @work(exclusive=True, group="slots", exit_on_error=False)
    async def _refresh_slots(self, reload_availability: bool = False) -> None:
        services, mentor_id = self.ctx.services, self.mentor.profile.id
        if reload_availability or self._availability is None or self._rules is None:
            self._availability = await services.get_availability(mentor_id)
            self._rules = await services.booking_rules(mentor_id)
        if not self._slot_mode:
            self._show_free_time()
            return
        now = self.ctx.clock.now()
        day = parse_day(self._text("#date"))
        end = now + LOOKAHEAD
        if day is not None:
            end = max(end, day_bounds(day, self._zone)[1])
        starts, self._hidden = await bookable_starts(
            services, mentor_id, self._mentor_zone, self._availability or [], self._rules, now, end, self._duration
        )
        self._show_slots(starts, now + LOOKAHEAD)

    def _show_free_time(self) -> None:
        self.query_one("#start-slot").display = False
        self.query_one("#start-time").display = True
        self._fill_date(self._today + timedelta(days=1))
        self.query_one("#open-days", Static).update(
            plain(f"{self._first_name} has not set weekly hours: propose any time, they will confirm or decline.")
        )
        self._update_when()
        self._check_typed_start()

    @work(exclusive=True, group="typed-start", exit_on_error=False)
    async def _check_typed_start(self) -> None:
        """Without weekly hours: the mentor's booking rules checked against the typed start as
        it is typed, with the same line that says why slots are hidden (empty while they allow it)."""
        start, rules_now = self._start(), self._rules
        if self._slot_mode or start is None or rules_now is None:
            self._hidden = {}
        else:
            held = await self.ctx.services.mentor_held_times(
                self.mentor.profile.id, *booking_rules.context_window(start, self._duration)
            )
            if start != self._start():
                return  # typed on meanwhile: the newer check says it
            reason = booking_rules.refusal(rules_now, start, self._duration, held, self._mentor_zone,
                                           self.ctx.clock.now())
            self._hidden = {} if reason is None else {reason: [start]}
        self._show_hidden(parse_day(self._text("#date")))

    def _show_slots(self, starts: list[datetime], horizon: datetime) -> None:
        zone = self._zone
        self.query_one("#start-time").display = False
        select: Select[datetime] = self.query_one("#start-slot", Select)
        select.display = True
        open_days = sorted({s.astimezone(zone).date() for s in starts if s < horizon})
        if open_days:
            self._fill_date(open_days[0])
        day = parse_day(self._text("#date"))
        on_day = [s for s in starts if day is not None and s.astimezone(zone).date() == day]
        self._open_on_day = on_day
        previous = select.value
        # The form changes the choices, not the person: a message about the start stays.
        with self.prevent(Select.Changed):
            select.prompt = "Pick a time" if on_day else "No open time that day"
            select.set_options((self._slot_label(s), s) for s in on_day)
            if isinstance(previous, datetime) and previous in on_day:
                select.value = previous
            elif on_day:
                select.value = on_day[0]
        if open_days:
            more = "…" if len(open_days) > OPEN_DAYS_SHOWN else ""
            hint = f"Open days: {short_days(open_days[:OPEN_DAYS_SHOWN], self.times)}{more}  (↑↓ in Date)"
        else:
            hint = f"{self._first_name} has no open time in the next four weeks."
        self.query_one("#open-days", Static).update(plain(hint))
        self._show_hidden(day)
        self._update_when()

    def _show_hidden(self, day: date | None) -> None:
        """Say which of the mentor's rules hides open times on the chosen day (the first, if several)."""
        line = self.query_one("#hidden-why", Static)
        on_day = {
            reason: [s for s in starts if s.astimezone(self._zone).date() == day]
            for reason, starts in self._hidden.items()
        }
        reason = next((r for r in booking_rules.Hidden if on_day.get(r)), None)
        if reason is None or self._rules is None:
            line.update("")
            line.display = False
            return
        now = self.ctx.clock.now()
        if reason is booking_rules.Hidden.NOTICE:
            when = self.times.when(now + timedelta(minutes=self._rules.min_notice_minutes))
        else:
            when = self.times.when(now + timedelta(days=self._rules.horizon_days))
        line.update(plain(booking_rules.hidden_line(reason, self._rules, self._first_name, when)))
        line.display = True

    # --- events -----------------------------------------------------------
    @on(Input.Changed, "#date")
    def _date_changed(self) -> None:
        self._show_field_error("date", "")
        self._update_date_label()
        self._update_when()
        if not self._slot_mode:
            self._check_typed_start()
            return
        if parse_day(self._text("#date")) is not None:
            self._refresh_slots()
        else:  # a half-typed date looks nothing up, and offers no time of another day
            self._open_on_day = []
            self._show_hidden(None)
            select: Select[datetime] = self.query_one("#start-slot", Select)
            with self.prevent(Select.Changed):
                select.prompt = "Enter a date first"
                select.set_options([])

    @on(Input.Changed, "#subject")
    @on(Input.Changed, "#notes")
    def _text_changed(self, event: Input.Changed) -> None:
        self._show_field_error(event.input.id or "", "")

    @on(Input.Changed, "#start-time")
    @on(Select.Changed, "#start-slot")
    def _start_changed(self) -> None:
        self._show_field_error("start", "")
        self._update_when()
        if not self._slot_mode:
            self._check_typed_start()

    @on(Select.Changed, "#duration")
    def _duration_changed(self) -> None:
        self._show_field_error("duration", "")
        self._update_cost()
        self._update_when()
        if self._slot_mode:
            self._refresh_slots()
        else:
            self._check_typed_start()

    async def send(self) -> MentorSession:
        errors, request = self._read_form()
        self._show_errors(errors)
        if request is None:
            first = next((f for f in FIELDS if f in errors), "start")
            raise InvalidInput(self._control_id(first), "Nothing was sent: please fix the marked fields.")
        try:
            return await self.ctx.services.create_session(request)
        except SlotTaken as taken:
            self._show_field_error("start", taken.message)
            self._refresh_slots()
            raise MentorError(NOTHING_BOOKED) from taken
        except OutsideAvailability as outside:
            self._show_field_error("start", f"{outside.message} Pick one of their open times.")
            self._refresh_slots(reload_availability=True)
            raise MentorError(NOTHING_BOOKED) from outside
        except InvalidInput as refused:
            field = _FIELD_OF_ERROR.get(refused.field)
            if field is None:
                raise
            self._show_field_error(field, refused.message)
            raise InvalidInput(self._control_id(field), NOTHING_BOOKED) from refused


__all__ = ["BookingScreen", "DateInput", "local_instant", "parse_clock", "parse_day", "short_days"]
