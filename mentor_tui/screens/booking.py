"""Booking a session with a mentor: a modal form with live cost and the mentor's open times.

Times are typed and shown in the student's zone, with the mentor's zone beside them.
When the mentor keeps weekly hours, the start time is picked from that day's open
slots (their hours minus held sessions), so other times cannot be asked for.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ..domain import rules
from ..domain.models import AvailabilitySlot, BookingRequest, MentorSession, MentorSummary
from ..domain.money import estimate_cost, format_money
from ..domain.slots import day_bounds, open_slots
from ..domain.text import SHORT_INPUT_MAX
from ..repository.base import InvalidInput, MentorError, OutsideAvailability, SlotTaken
from ..widgets.limited import LimitedInput
from ..widgets.plain import NAME, plain, shown
from .student_format import day_label, first_name, span_label, user_zone

LOOKAHEAD = timedelta(days=28)
"""How far ahead the form looks for the mentor's open days."""
DEFAULT_DURATION = 60
OPEN_DAYS_SHOWN = 5
FIELDS = ("subject", "date", "start", "duration", "notes")
"""The form's fields in the order they are shown; each has an error line ``#<field>-error``."""

# Where a repository's InvalidInput.field is shown in this form.
_FIELD_OF_ERROR = {
    "subject": "subject",
    "scheduled_time": "start",
    "duration_minutes": "duration",
    "notes": "notes",
}


def short_days(days: list[date]) -> str:
    """'Mon 30 Nov, Tue 1, Wed 2 Dec': the month named once, after its last day."""
    parts = []
    for index, day in enumerate(days):
        last_of_month = index + 1 == len(days) or days[index + 1].month != day.month
        parts.append(f"{day:%a} {day.day}" + (f" {day:%b}" if last_of_month else ""))
    return ", ".join(parts)


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_clock(text: str) -> time | None:
    """'14:30', '9:05' or '9' as a wall-clock time."""
    text = text.strip()
    hours, _, minutes = text.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()) or len(minutes) not in (0, 2):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time, or None when the clocks skip it (a DST gap)."""
    local = datetime.combine(day, at, tzinfo=zone)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


class DateInput(Input):
    """A date field the arrow keys move by a day."""

    BINDINGS = [
        Binding("up", "shift_day(-1)", "Day before"),
        Binding("down", "shift_day(1)", "Day after"),
    ]

    def __init__(self, first: date, **kwargs) -> None:
        super().__init__(**kwargs)
        self.first = first
        """Arrows never go before this day (today in the student's zone)."""

    def action_shift_day(self, days: int) -> None:
        current = parse_day(self.value) or self.first
        self.value = max(self.first, current + timedelta(days=days)).isoformat()
        self.cursor_position = len(self.value)


class BookingScreen(ModalScreen[MentorSession | None]):
    """Asks for a session with one mentor; dismisses with the new pending session."""

    DEFAULT_CSS = """
    BookingScreen {
        align: center middle;
        background: $background 60%;
    }
    BookingScreen #booking-form {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    BookingScreen .mentor-line { color: $text-muted; }
    BookingScreen .row { height: 1; }
    BookingScreen .field-label { width: 10; color: $text-muted; }
    BookingScreen #subject, BookingScreen #notes { width: 1fr; }
    BookingScreen #date { width: 14; }
    BookingScreen #date-label { width: 12; padding-left: 1; }
    BookingScreen #start-slot { width: 28; }
    BookingScreen #start-time { width: 10; }
    BookingScreen #duration { width: 16; }
    BookingScreen #cost { width: 1fr; padding-left: 2; }
    /* Each field keeps a line under it for its message, so nothing jumps when one appears. */
    BookingScreen .field-error { color: $error; padding-left: 10; height: auto; min-height: 1; }
    BookingScreen #when { height: auto; }
    BookingScreen #open-days { color: $text-muted; height: auto; }
    BookingScreen #form-message { height: auto; display: none; }
    BookingScreen #form-message.-shown { display: block; }
    BookingScreen #form-message.-error { color: $error; }
    BookingScreen #booking-buttons { height: 1; margin-top: 1; align-horizontal: right; }
    BookingScreen #booking-buttons Button { margin-left: 2; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "submit", "Send request"),
    ]

    def __init__(self, mentor: MentorSummary) -> None:
        super().__init__()
        self.mentor = mentor
        self._availability: list[AvailabilitySlot] | None = None
        """The mentor's weekly hours; None until loaded."""
        self._open_on_day: list[datetime] = []
        """Open starts on the chosen day (when the mentor keeps weekly hours)."""
        self._sending = False

    # --- building -------------------------------------------------------
    @property
    def _zone(self) -> ZoneInfo:
        return user_zone(self.app)

    @property
    def _mentor_zone(self) -> ZoneInfo:
        return self.mentor.profile.zone

    @property
    def _first_name(self) -> str:
        """The mentor's first name, made safe to put in any sentence of this form."""
        return shown(first_name(self.mentor.profile.full_name), NAME)

    def compose(self) -> ComposeResult:
        profile = self.mentor.profile
        today = self.app.ctx.clock.now().astimezone(self._zone).date()
        rate = f"{format_money(profile.hourly_rate)}/h" if profile.hourly_rate is not None else "no rate set"
        with VerticalScroll(id="booking-form") as form:
            form.border_title = Text("Book a session with ") + plain(profile.full_name, NAME)
            yield Static(
                plain(profile.profession or "Mentor", NAME) + Text(f" · {rate} · their zone {profile.timezone}"),
                classes="mentor-line",
            )
            with Horizontal(classes="row"):
                yield Label("Subject", classes="field-label")
                yield LimitedInput("subject", id="subject", placeholder="What do you want to work on?", compact=True)
            yield Static(id="subject-error", classes="field-error")
            with Horizontal(classes="row"):
                yield Label("Date", classes="field-label")
                yield DateInput(today, id="date", placeholder="YYYY-MM-DD", compact=True, max_length=SHORT_INPUT_MAX)
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
                    id="duration", value=DEFAULT_DURATION, allow_blank=False, compact=True,
                )
                yield Static(id="cost")
            yield Static(id="duration-error", classes="field-error")
            with Horizontal(classes="row"):
                yield Label("Notes", classes="field-label")
                yield LimitedInput("notes", id="notes", placeholder="Optional: context for the mentor", compact=True)
            yield Static(id="notes-error", classes="field-error")
            yield Static(id="when")
            yield Static(id="open-days")
            yield Static(id="form-message")
            with Horizontal(id="booking-buttons"):
                yield Button("Send request", id="send", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start-time").display = False
        self.query_one("#subject").focus()
        self._update_cost()
        self._refresh_slots(reload_availability=True)

    # --- reading the form -------------------------------------------------
    @property
    def _duration(self) -> int:
        return self.query_one("#duration", Select).value  # never blank

    @property
    def _slot_mode(self) -> bool:
        """True when the mentor keeps weekly hours, so starts come from open slots."""
        return bool(self._availability)

    def _start(self) -> datetime | None:
        """The chosen start as a UTC instant, when the form holds a valid one."""
        day = parse_day(self.query_one("#date", Input).value)
        if day is None:
            return None
        if self._slot_mode:
            value = self.query_one("#start-slot", Select).value
            return value if value in self._open_on_day and value.astimezone(self._zone).date() == day else None
        at = parse_clock(self.query_one("#start-time", Input).value)
        return None if at is None else local_instant(day, at, self._zone)

    def _read_form(self) -> tuple[dict[str, str], BookingRequest | None]:
        """Every field problem at once, or the request to send."""
        errors: dict[str, str] = {}
        date_text = self.query_one("#date", Input).value
        day = parse_day(date_text)
        if day is None:
            example = (self.app.ctx.clock.now().astimezone(self._zone).date() + timedelta(days=1)).isoformat()
            errors["date"] = f"Enter the date as YYYY-MM-DD, like {example}."
        start = self._start()
        if day is not None and start is None:
            if self._slot_mode:
                if not self._open_on_day:
                    errors["start"] = "No open time that day: try one of the open days below."
            else:
                text = self.query_one("#start-time", Input).value
                at = parse_clock(text)
                if text.strip() and at is None:
                    errors["start"] = "Enter the start time as HH:MM, like 14:30."
                elif at is not None:
                    errors["start"] = f"{at:%H:%M} does not exist on {day_label(day)}: the clocks change. Pick another time."
        subject = self.query_one("#subject", Input).value
        notes = self.query_one("#notes", Input).value.strip() or None
        for field, message in rules.booking_errors(
            subject=subject,
            scheduled_time=start,
            duration_minutes=self._duration,
            notes=notes,
            now=self.app.ctx.clock.now(),
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

    def _say(self, message: str, *, error: bool = False) -> None:
        line = self.query_one("#form-message", Static)
        line.update(plain(message, 500, multiline=True))
        line.set_class(bool(message), "-shown")
        line.set_class(error, "-error")

    def _update_cost(self) -> None:
        rate: Decimal | None = self.mentor.profile.hourly_rate
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
        mine = f"{span_label(start, end, zone)}  your time ({zone.key})"
        if mentor_zone.key == zone.key:
            when.update(plain(f"{mine}, same as {self._first_name}"))
        else:
            theirs = f"{span_label(start, end, mentor_zone)}  {self._first_name}'s time ({mentor_zone.key})"
            when.update(plain(f"{mine}\n{theirs}", multiline=True))

    def _update_date_label(self) -> None:
        day = parse_day(self.query_one("#date", Input).value)
        self.query_one("#date-label", Static).update(day_label(day) if day else "")

    def _slot_label(self, start: datetime) -> Text:
        mine = start.astimezone(self._zone)
        theirs = start.astimezone(self._mentor_zone)
        if mine.utcoffset() == theirs.utcoffset():
            return Text(f"{mine:%H:%M}")
        other_day = "" if theirs.date() == mine.date() else f" {theirs:%a}"
        return plain(f"{mine:%H:%M}  ({self._first_name}{other_day} {theirs:%H:%M})")

    # --- open slots -------------------------------------------------------
    @work(exclusive=True, group="slots", exit_on_error=False)
    async def _refresh_slots(self, reload_availability: bool = False) -> None:
        repo, mentor_id = self.app.ctx.services, self.mentor.profile.id
        if reload_availability or self._availability is None:
            self._availability = await repo.get_availability(mentor_id)
        if not self._slot_mode:
            self._show_free_time()
            return
        now = self.app.ctx.clock.now()
        day = parse_day(self.query_one("#date", Input).value)
        end = now + LOOKAHEAD
        if day is not None:
            end = max(end, day_bounds(day, self._zone)[1])
        busy = await repo.busy_times(mentor_id, now, end)
        starts = open_slots(self._availability, self._mentor_zone, now, end, self._duration, busy, now)
        self._show_slots(starts, now + LOOKAHEAD)

    def _show_free_time(self) -> None:
        self.query_one("#start-slot").display = False
        self.query_one("#start-time").display = True
        date_input = self.query_one("#date", Input)
        if not date_input.value:
            date_input.value = (date_input.first + timedelta(days=1)).isoformat()
        self.query_one("#open-days", Static).update(
            plain(f"{self._first_name} has not set weekly hours: propose any time, they will confirm or decline.")
        )
        self._update_when()

    def _show_slots(self, starts: list[datetime], horizon: datetime) -> None:
        zone = self._zone
        self.query_one("#start-time").display = False
        select = self.query_one("#start-slot", Select)
        select.display = True
        open_days = sorted({s.astimezone(zone).date() for s in starts if s < horizon})
        date_input = self.query_one("#date", Input)
        if not date_input.value and open_days:
            date_input.value = open_days[0].isoformat()  # its Changed event refreshes the slots again
        day = parse_day(date_input.value)
        on_day = [s for s in starts if day is not None and s.astimezone(zone).date() == day]
        self._open_on_day = on_day
        previous = select.value
        select.prompt = "Pick a time" if on_day else "No open time that day"
        select.set_options((self._slot_label(s), s) for s in on_day)
        if previous in on_day:
            select.value = previous
        elif on_day:
            select.value = on_day[0]
        if open_days:
            shown = open_days[:OPEN_DAYS_SHOWN]
            more = "…" if len(open_days) > OPEN_DAYS_SHOWN else ""
            hint = f"Open days: {short_days(shown)}{more}  (↑↓ in Date)"
        else:
            hint = f"{self._first_name} has no open time in the next four weeks."
        self.query_one("#open-days", Static).update(plain(hint))
        self._update_when()

    # --- events -----------------------------------------------------------
    @on(Input.Changed, "#date")
    def _date_changed(self) -> None:
        self._update_date_label()
        self._update_when()
        if self._slot_mode:
            self._refresh_slots()

    @on(Input.Changed, "#start-time")
    @on(Select.Changed, "#start-slot")
    def _start_changed(self) -> None:
        self._update_when()

    @on(Select.Changed, "#duration")
    def _duration_changed(self) -> None:
        self._update_cost()
        self._update_when()
        if self._slot_mode:
            self._refresh_slots()

    @on(Input.Submitted)
    @on(Button.Pressed, "#send")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self._sending:
            return
        errors, request = self._read_form()
        self._show_errors(errors)
        self._say("")
        if request is None:
            self._focus_field(next((f for f in FIELDS if f in errors), "start"))
            return
        self._send(request)

    def _focus_field(self, field: str) -> None:
        if field == "start":
            field = "start-slot" if self._slot_mode else "start-time"
        self.query_one(f"#{field}").focus()

    @work(exclusive=True, group="send", exit_on_error=False)
    async def _send(self, request: BookingRequest) -> None:
        self._sending = True
        send = self.query_one("#send", Button)
        send.disabled = True
        self._say("Sending your request…")
        try:
            session = await self.app.ctx.services.create_session(request)
        except SlotTaken as exc:
            self._show_field_error("start", exc.message)
            self._say("Nothing was booked; everything you typed is still here.", error=True)
            self._refresh_slots()
        except OutsideAvailability as exc:
            self._show_field_error("start", f"{exc.message} Pick one of their open times.")
            self._say("Nothing was booked; everything you typed is still here.", error=True)
            self._refresh_slots(reload_availability=True)
        except InvalidInput as exc:
            field = _FIELD_OF_ERROR.get(exc.field)
            if field is None:
                self._say(exc.message, error=True)
            else:
                self._show_field_error(field, exc.message)
                self._say("")
        except MentorError as exc:
            self._say(f"{exc.message} Nothing was booked; everything you typed is still here.", error=True)
        else:
            self.dismiss(session)
        finally:
            self._sending = False
            send.disabled = False
