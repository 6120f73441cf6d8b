"""Issue 14's "Done when", as a new user meets it, in two terminals on each backend: the embedded
one with the demo data (seeded as ``mentor-tui --demo`` seeds it) and the Supabase gateway (the
migrations on PostgreSQL, the Realtime stand-in) with the same two people.

Sofia Rossi (Rome, open Mon, Wed and Fri 15:00-19:00) sets a 12-hour notice and a 15-minute
buffer in Settings; Sam Rivera (Chicago) finds Monday's times hidden by the notice, books a
Wednesday time, and the next form hides the times touching it; Sofia confirms in Sessions; Sam
asks with ``s`` to move it to Friday with a reason and Sofia accepts with ``a``; both week grids
show the session at its new time; the clock moves to 15 minutes (the default lead time) before
it and both get the reminder; ``mentor-tui agenda --ics`` gives Sam a calendar that icalendar
reads back with the session at its new time.

The clock is fixed at 08:00 in Rome on the coming Monday. The gateway's database keeps its own
clock (now(), at most a week earlier), so the app is the stricter judge of the notice there, and
the database does not keep a reminder it thinks is days early (the app still gives it: the
contract test tests/contract/test_reminders_contract.py covers keeping it). The agenda command
runs as a subprocess on the real clock: the sessions a few days after the fixed one are ahead of
it too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from clocks import FixedClock
from gateway import Gateway, ProjectConfig, project_database
from gateway.realtime_standin import RealtimeStandin
from icalendar import Calendar
from pilot_support import paste, until
from test_done_when_chat import (
    GUARD_SECONDS,
    MENTOR,
    MENTOR_ZONE,
    SIZE,
    STUDENT_ZONE,
    day_and_time,
    settle,
    shown_row,
    toasted,
    toasts,
)
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from mentor_tui import agenda, paths
from mentor_tui.app import MentorApp
from mentor_tui.domain import messages
from mentor_tui.domain.models import NotificationKind, ProfileUpdate, Role, SessionStatus, SessionView
from mentor_tui.keymap import key_for
from mentor_tui.repository import factory, supabase_live
from mentor_tui.repository.base import Storage
from mentor_tui.repository.demo import DEMO_PASSWORD, demo_logins, seed_demo
from mentor_tui.repository.local import LocalRepository
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.calendar import CalendarPane
from mentor_tui.screens.settings_booking_rules import BookingRulesForm
from mentor_tui.services import Services
from mentor_tui.widgets.reschedule_dialogs import RescheduleDialog
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.week_grid import WeekGrid

STUDENT = "Sam Rivera"
SUBJECT = "SwiftUI layouts"
REASON = "Exam that afternoon"
NOTICE_MINUTES, BUFFER_MINUTES = 720, 15
LEAD = timedelta(minutes=15)
"""The reminder lead time a new person has (``reminder_lead.DEFAULT``)."""
OPEN_DAYS = (0, 2, 4)
"""Sofia Rossi's weekly hours in the demo data: Mon, Wed and Fri 15:00-19:00 in Rome."""
GATEWAY_PASSWORD = "done-when-cal-1"
AWHILE = timedelta(minutes=5)
"""How long a person takes between steps: the fixed clock moves on by it."""


def coming_monday_morning() -> datetime:
    """08:00 in Rome on the first Monday after today: Monday's open hours (15:00) are 7 hours
    away, inside the 12-hour notice; Wednesday's and Friday's are not."""
    today = datetime.now(MENTOR_ZONE).date()
    monday = today + timedelta(days=7 - today.weekday())
    return datetime.combine(monday, clock_time(8), tzinfo=MENTOR_ZONE).astimezone(UTC)


@dataclass
class World:
    student: MentorApp
    mentor: MentorApp
    clock: FixedClock
    student_state: Path
    db_path: Path | None = None
    """The embedded database (None on the gateway)."""
    open_student_storage: Callable[[], Storage] | None = None
    """A new backend for Sam's remembered sign-in (the gateway; the embedded one runs the command)."""


# --- the two worlds ----------------------------------------------------------------------


async def _local_world(clock: FixedClock) -> World:
    db_path = paths.default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    assert seed_demo(db_path, clock.now())
    emails = {login.full_name: login.email for login in demo_logins(db_path)}
    states: dict[str, Path] = {}

    async def terminal(name: str) -> MentorApp:
        states[name] = db_path.parent / f"terminal-{name.split()[0].lower()}"
        services = Services(LocalRepository(db_path, states[name], clock), clock)
        await services.sign_in(emails[name], DEMO_PASSWORD)
        await services.close()
        return MentorApp(LocalRepository(db_path, states[name], clock), clock, live=True)

    student, mentor = await terminal(STUDENT), await terminal(MENTOR)
    return World(student, mentor, clock, states[STUDENT], db_path=db_path)


async def _gateway_world(gateway: Gateway, folder: Path, clock: FixedClock) -> World:
    """Sofia and Sam as the demo has them, signed up through SupabaseRepository."""
    suffix = uuid.uuid4().hex[:8]

    def repository(state: Path) -> SupabaseRepository:
        return SupabaseRepository(gateway.url, gateway.config.publishable_key, state, clock, transport=gateway)

    async def person(name: str, role: Role, update: ProfileUpdate) -> tuple[Services, Path]:
        state = folder / f"terminal-{name.split()[0].lower()}"
        services = Services(repository(state), clock)
        await services.sign_up(f"{name.split()[0].lower()}-{suffix}@example.org", GATEWAY_PASSWORD, name, role)
        await services.update_profile(update)
        return services, state

    mentor, mentor_state = await person(MENTOR, Role.MENTOR, ProfileUpdate(
        profession="iOS Engineer", experience="5 years", hourly_rate=Decimal("60"),
        expertise=("Mobile", "Swift", "iOS"), bio="Ships a banking app; enjoys SwiftUI.", timezone=MENTOR_ZONE.key,
    ))
    for weekday in OPEN_DAYS:
        await mentor.set_availability(weekday, clock_time(15), clock_time(19))
    student, student_state = await person(STUDENT, Role.STUDENT, ProfileUpdate(timezone=STUDENT_ZONE.key))
    await mentor.close()
    await student.close()
    return World(
        MentorApp(repository(student_state), clock, live=True),
        MentorApp(repository(mentor_state), clock, live=True),
        clock, student_state, open_student_storage=lambda: repository(student_state),
    )


@pytest.fixture(scope="module")
def project_url() -> Iterator[str]:
    with project_database("done_when_calendar") as url:
        yield url


@pytest.fixture(params=["local", "gateway"])
async def world(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[World]:
    clock = FixedClock(coming_monday_morning())
    if request.param == "local":
        yield await _local_world(clock)
        return
    url = request.getfixturevalue("project_url")
    standin = RealtimeStandin(url, ProjectConfig(), list(supabase_live.LIVE_TABLES))
    await standin.start()
    gateway = Gateway(url, standin.config, url=standin.url)
    try:
        yield await _gateway_world(gateway, tmp_path, clock)
    finally:
        await standin.close()
    assert not gateway.grammar_errors, gateway.grammar_errors


# --- what a person sees and does -----------------------------------------------------------


async def type_into(app: MentorApp, pilot: Pilot, selector: str, text: str) -> None:
    """Focus a field, empty it and type (paste) ``text``, as a person replacing what it holds."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await paste(pilot, text)
    await settle(app, pilot)
    assert field.value == text


def offered(form: BookingScreen) -> list[datetime]:
    """The starts the form's time list offers for its date."""
    return list(form._open_on_day)


def hidden_why(form: BookingScreen) -> str:
    line = form.query_one("#hidden-why", Static)
    return str(line.content) if line.display else ""


def detail(app: MentorApp) -> str:
    """The session detail of the section on screen (every section keeps its own)."""
    return next(d for d in app.screen.query(SessionDetail) if d.region.area > 0).text


async def select_row(app: MentorApp, pilot: Pilot, table_id: str, session_id: str) -> None:
    table = app.screen.query_one(f"DataTable#{table_id}", DataTable)
    table.focus()
    table.move_cursor(row=table.get_row_index(session_id))
    await settle(app, pilot)


async def the_session(app: MentorApp, session_id: str) -> SessionView:
    (view,) = [v for v in await app.ctx.services.my_sessions() if v.session.id == session_id]
    return view


def clock_text(at: datetime, zone) -> str:
    return f"{at.astimezone(zone):%H:%M}"


async def open_booking_form(app: MentorApp, pilot: Pilot) -> BookingScreen:
    """ctrl+n on the mentor found in the directory."""
    await pilot.press("ctrl+n")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, BookingScreen)
    return form


async def grid_to(app: MentorApp, pilot: Pilot, grid: WeekGrid, at: datetime) -> None:
    """Walk the grid's cursor to ``at`` with the keys: l/h a day, j/k an hour."""
    local = at.astimezone(grid.times.zone)
    for _ in range((local.date() - grid.cursor_day).days):
        await pilot.press("l")
    for _ in range(local.hour - grid.cursor_hour):
        await pilot.press("j")
    for _ in range(grid.cursor_hour - local.hour):
        await pilot.press("k")
    await settle(app, pilot)
    assert (grid.cursor_day, grid.cursor_hour) == (local.date(), local.hour)


def grid_hour(grid: WeekGrid, at: datetime) -> str:
    """The two drawn rows (half hours) of the grid at ``at``'s hour, as one text."""
    lines = grid.render().plain.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith(f"{at.astimezone(grid.times.zone):%H}:00"))
    return "\n".join(lines[first:first + 2])


async def agenda_ics(world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Calendar:
    """``mentor-tui agenda --ics --days 14`` as Sam: on the embedded backend the command itself in a
    subprocess; on the gateway its code path (``agenda._print``), as the contract test runs it."""
    if world.open_student_storage is None:
        env = {name: value for name, value in os.environ.items() if not name.startswith(("MENTOR_TUI_", "SUPABASE_"))}
        env.update(MENTOR_TUI_STATE_DIR=str(world.student_state), MENTOR_TUI_CONFIG_DIR=str(world.student_state / "config"),
                   MENTOR_TUI_DATA_DIR=str(world.student_state.parent))
        done = subprocess.run(
            [sys.executable, "-m", "mentor_tui", "agenda", "--ics", "--days", "14", "--db", str(world.db_path)],
            capture_output=True, env=env, stdin=subprocess.DEVNULL, timeout=60, check=False,
        )
        assert done.returncode == agenda.OK, done.stderr
        return Calendar.from_ical(done.stdout)
    opened = world.open_student_storage
    monkeypatch.setattr(factory, "build_repository", lambda settings, clock: opened())
    options = argparse.Namespace(days=14, json=False, ics=True)
    assert await agenda._print(SimpleNamespace(state_dir=world.student_state), options, world.clock) == agenda.OK
    return Calendar.from_ical(capsys.readouterr().out)


# --- the test ------------------------------------------------------------------------------


async def test_rules_booking_reschedule_week_grids_reminder_and_agenda_in_two_terminals(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    student, mentor, clock = world.student, world.mentor, world.clock
    monday = clock.now().astimezone(MENTOR_ZONE).date()
    wednesday, friday = monday + timedelta(days=2), monday + timedelta(days=4)
    async with AsyncExitStack() as stack:
        sam = await stack.enter_async_context(student.run_test(size=SIZE))
        sofia = await stack.enter_async_context(mentor.run_test(size=SIZE))
        await settle(student, sam)
        await settle(mentor, sofia)

        # 1. Sofia, in Settings (F6): 12 hours' notice, 15 minutes around each session; ctrl+s.
        await sofia.press("f6")
        await settle(mentor, sofia)
        rules_form = mentor.screen.query_one(BookingRulesForm)
        await type_into(mentor, sofia, "#rule-min_notice_minutes-text", str(NOTICE_MINUTES))
        await type_into(mentor, sofia, "#rule-buffer_minutes-text", str(BUFFER_MINUTES))
        assert rules_form.unsaved_changes()
        await sofia.press("ctrl+s")
        await settle(mentor, sofia)
        assert not rules_form.unsaved_changes()
        assert (rules_form.query_one("#rule-min_notice_minutes-text", Input).value,
                rules_form.query_one("#rule-buffer_minutes-text", Input).value) == ("720", "15")

        # 2. Sam finds her under Mentors and opens the booking form: Monday's times are within
        # the notice, so the form offers none that day and says why.
        await paste(sam, "rossi")
        await settle(student, sam)
        form = await open_booking_form(student, sam)
        assert form.query_one("#date", Input).value == wednesday.isoformat()  # the first day the notice leaves open
        await type_into(student, sam, "#subject", SUBJECT)
        earliest = clock.now() + timedelta(minutes=NOTICE_MINUTES)
        await type_into(student, sam, "#date", monday.isoformat())
        assert offered(form) == [] and form.query_one("#start-slot", Select).prompt == "No open time that day"
        assert hidden_why(form) == f"Times before {day_and_time(earliest, STUDENT_ZONE)} are hidden: Sofia needs 12 hours' notice."
        await type_into(student, sam, "#date", wednesday.isoformat())
        on_wednesday = offered(form)
        assert on_wednesday and all(start >= earliest for start in on_wednesday)
        # A time in the middle of the afternoon, with open times an hour either side of it.
        booked_at = next(s for s in on_wednesday if {s - timedelta(hours=1), s + timedelta(hours=1)} <= set(on_wednesday))
        form.query_one("#start-slot").value = booked_at  # the list's choice, as picked with ↑↓ Enter
        await settle(student, sam)
        before = toasts(student)
        await sam.press("ctrl+s")
        await settle(student, sam)
        assert not isinstance(student.screen, BookingScreen)
        sent = f"Request sent to {MENTOR} for {day_and_time(booked_at, STUDENT_ZONE)}"
        assert any(sent in said for identity, said in toasts(student).items() if identity not in before)
        (booked,) = [v for v in await student.ctx.services.my_sessions()
                     if v.session.subject == SUBJECT and v.session.scheduled_time == booked_at]
        session_id = booked.session.id

        # The next form hides the times touching the request (the buffer), and says so; it
        # offers a Friday time for the move below.
        form = await open_booking_form(student, sam)
        assert form.query_one("#date", Input).value == wednesday.isoformat()
        await type_into(student, sam, "#date", friday.isoformat())
        on_friday = offered(form)
        assert on_friday and all(start >= earliest for start in on_friday)
        await type_into(student, sam, "#date", wednesday.isoformat())
        touching = {booked_at - timedelta(hours=1), booked_at + timedelta(hours=1)}
        assert not (touching | {booked_at}) & set(offered(form))
        assert touching <= set(on_wednesday)  # free of it, yet too close to it
        assert hidden_why(form).endswith("keeps 15 minutes free around each session."), hidden_why(form)
        await sam.press("escape")  # nothing typed but the day it opened on: it closes at once
        await settle(student, sam)
        assert not isinstance(student.screen, BookingScreen)
        move_to = next(s for s in on_friday if clock_text(s, MENTOR_ZONE) == clock_text(booked_at, MENTOR_ZONE))

        # 3. Sofia's Sessions (F3) list the request by themselves; minutes later she confirms it with c.
        clock.advance(AWHILE)
        await sofia.press("f3")
        await settle(mentor, sofia)
        await until(sofia, lambda: shown_row(mentor, "sessions", session_id) is not None, "the request in Sessions",
                    GUARD_SECONDS)
        await select_row(mentor, sofia, "sessions", session_id)
        await sofia.press("c")
        await settle(mentor, sofia)
        assert (await the_session(mentor, session_id)).session.status is SessionStatus.CONFIRMED

        # 4. Sam, in My Sessions (F3): s on the confirmed session, Friday at the same hour, a reason.
        clock.advance(AWHILE)
        await sam.press("f3")
        await settle(student, sam)
        await until(sam, lambda: (shown_row(student, "upcoming", session_id) or [""])[-1] == "✔ Confirmed",
                    "the confirmed session in My Sessions", GUARD_SECONDS)
        await select_row(student, sam, "upcoming", session_id)
        await sam.press("s")
        await settle(student, sam)
        dialog = student.screen
        assert isinstance(dialog, RescheduleDialog)
        date_field = dialog.query_one("#date", Input)
        assert date_field.has_focus and date_field.value == wednesday.isoformat()
        new_day = move_to.astimezone(STUDENT_ZONE).date().isoformat()
        await sam.press(*new_day)  # typed key by key over the session's own date
        assert date_field.value == new_day
        await type_into(student, sam, "#scheduled_time", clock_text(move_to, STUDENT_ZONE))
        await type_into(student, sam, "#reason", REASON)
        await sam.press("ctrl+s")
        await settle(student, sam)
        assert not isinstance(student.screen, RescheduleDialog)
        asked_to = f"{day_and_time(move_to, STUDENT_ZONE)} (was {booked_at.astimezone(STUDENT_ZONE):%a %H:%M})"
        assert f"You asked to move this to {asked_to}: {REASON}" in detail(student)

        # 5. Sofia sees the request beside the session and accepts it with a.
        clock.advance(AWHILE)
        await select_row(mentor, sofia, "sessions", session_id)
        asks = f"Sam asks to move this to {day_and_time(move_to, MENTOR_ZONE)}"
        await until(sofia, lambda: asks in detail(mentor), "the request to move in Sofia's detail", GUARD_SECONDS)
        assert f": {REASON}" in detail(mentor)
        await sofia.press("a")
        await settle(mentor, sofia)
        moved = await the_session(mentor, session_id)
        assert (moved.session.scheduled_time, moved.session.status) == (move_to, SessionStatus.CONFIRMED)
        assert f"Moved by Sam from {day_and_time(booked_at, MENTOR_ZONE)}: {REASON}" in detail(mentor)
        await until(sam, lambda: (shown_row(student, "upcoming", session_id) or [""])[0]
                    == day_and_time(move_to, STUDENT_ZONE), "the new time in Sam's My Sessions", GUARD_SECONDS)

        # 6. Both week grids (Sam's Calendar F6, Sofia's Schedule F5) hold it at the new time only.
        for app, pilot, key, other in ((student, sam, "f6", MENTOR), (mentor, sofia, "f5", STUDENT)):
            await pilot.press(key)
            await settle(app, pilot)
            pane = next(p for p in app.screen.query(CalendarPane) if p.region.area > 0)
            grid = pane.query_one(WeekGrid)
            grid.focus()
            await settle(app, pilot)
            await until(pilot, lambda: session_id in {i.key for i in grid.items_in_week()}, "the session on the grid",
                        GUARD_SECONDS)
            await grid_to(app, pilot, grid, booked_at)
            left = grid.item_at_cursor()
            assert left is None or left.key != session_id  # its old time is free
            await grid_to(app, pilot, grid, move_to)
            item = grid.item_at_cursor()
            assert item is not None and item.key == session_id and (item.start, item.name) == (move_to, other)
            drawn = grid_hour(grid, move_to)  # the block: its start with the confirmed mark, the name below
            assert f"✔{clock_text(move_to, grid.times.zone)}" in drawn and other[:5] in drawn, drawn
            await pilot.press("enter")
            await settle(app, pilot)
            assert detail(app).startswith(f"{SUBJECT} with {other}"), detail(app)

        # 7. The clock moves to 15 minutes before the start: each gets the reminder, with the join key.
        said = {app: toasts(app) for app in (student, mentor)}
        clock.advance(move_to - LEAD - clock.now())
        join = key_for("join").display
        for app, pilot, other in ((student, sam, MENTOR), (mentor, sofia, STUDENT)):
            await app.check_reminders()  # what a live run's timer calls every 20 seconds
            await settle(app, pilot)
            assert toasted(app, said[app], messages.reminder_soon(15, SUBJECT, other, join)), toasts(app)
        if world.open_student_storage is None:  # kept for the inbox (the gateway's database is days behind: see above)
            notes = await student.ctx.services.notifications()
            assert any(n.kind is NotificationKind.REMINDER and n.session_id == session_id for n in notes)

    # 8. mentor-tui agenda --ics: a calendar file icalendar reads back, the session at its new time.
    calendar = await agenda_ics(world, monkeypatch, capsys)
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"{session_id}@mentor-tui"]
    assert event.decoded("DTSTART") == move_to
    assert event.decoded("DTEND") == move_to + timedelta(hours=1)
    assert str(event["STATUS"]) == "CONFIRMED" and SUBJECT in str(event["SUMMARY"])
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -LEAD
    assert int(event["SEQUENCE"]) > 0  # moved: a calendar that holds the old one takes the change
