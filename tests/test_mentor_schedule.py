"""The mentor's Schedule tab: the weekly availability editor and the week view, through Pilot."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from test_mentor_support import (
    SIZE,
    demo_mentor,
    dialog,
    move_to,
    new_person,
    open_section,
    repo_for,
    rows,
    settle,
)
from textual.widgets import DataTable, Input, Static

from mentor_tui.app import MentorApp
from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role, SessionStatus
from mentor_tui.domain.slots import day_bounds, open_slots
from mentor_tui.repository.base import OutsideAvailability
from mentor_tui.repository.demo import DEMO_DOMAIN, DEMO_PASSWORD
from mentor_tui.widgets.dialog import ConfirmDialog
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.schedule import SchedulePane, SlotForm, parse_time
from mentor_tui.services import Services
from mentor_tui.widgets.week_grid import WeekGrid

FRIDAY = date(2026, 11, 27)  # the Friday after the tests' "now" (Tuesday 24 November 2026)


def error_of(form: SlotForm, name: str) -> str:
    error = form.query_one(f"#{name}-error", Static)
    return str(error.render()) if error.display else ""


async def fill_slot_form(pilot, start: str, end: str) -> None:
    """From the day (focused when the form opens), tab to the times and type them."""
    await pilot.press("tab", *start, "tab", *end)


def test_times_are_read_as_a_person_types_them():
    assert parse_time("9") == time(9)
    assert parse_time("09:30") == time(9, 30)
    assert parse_time("14.15") == time(14, 15)
    assert parse_time("1430") == time(14, 30)
    assert parse_time("24:00") is None
    assert parse_time("9:75") is None
    assert parse_time("noon") is None


async def test_add_a_friday_afternoon_slot_that_students_are_then_offered(clock):
    repo = await demo_mentor(clock)
    mentor = await repo.restore()
    student = Services(repo_for(clock, state="sam"), clock)
    await student.sign_in(f"sam@{DEMO_DOMAIN}", DEMO_PASSWORD)

    async def offered_on_friday() -> list[datetime]:
        start, end = day_bounds(FRIDAY, mentor.zone)
        return open_slots(
            await student.get_availability(mentor.id), mentor.zone, start, end, 60,
            await student.busy_times(mentor.id, start, end), clock.now(),
        )

    assert all(slot.astimezone(mentor.zone).hour < 12 for slot in await offered_on_friday())

    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f5", SchedulePane)
        await pilot.press("ctrl+n")
        await dialog(app, pilot, SlotForm)
        await pilot.press("enter", *["down"] * 4, "enter")  # Monday -> Friday in the day list
        await fill_slot_form(pilot, "14:00", "17:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert isinstance(app.screen, HomeScreen)
        assert ["Friday", "14:00", "17:00", "3 h"] in rows(pane.query_one("#slots", DataTable))

    afternoon = [slot for slot in await offered_on_friday() if slot.astimezone(mentor.zone).hour >= 14]
    assert [f"{slot.astimezone(mentor.zone):%H:%M}" for slot in afternoon] == [
        "14:00", "14:30", "15:00", "15:30", "16:00",
    ]
    booked = await student.create_session(
        BookingRequest(mentor_id=mentor.id, subject="Fixtures", scheduled_time=afternoon[2], duration_minutes=60)
    )
    assert booked.status is SessionStatus.PENDING
    with pytest.raises(OutsideAvailability):
        await student.create_session(
            BookingRequest(mentor_id=mentor.id, subject="Late", scheduled_time=afternoon[-1] + timedelta(hours=1),
                           duration_minutes=60)
        )


async def test_an_overlapping_slot_is_refused_beside_the_field_and_the_form_keeps_it(clock):
    repo = await demo_mentor(clock)
    before = await repo.get_availability((await repo.restore()).id)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f5", SchedulePane)
        await pilot.press("ctrl+n")
        form = await dialog(app, pilot, SlotForm)
        await fill_slot_form(pilot, "11:00", "13:00")  # Monday already has 08:00-12:00
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        assert app.screen is form
        assert error_of(form, "start") == "Overlaps 08:00-12:00 on the same day."
        assert form.query_one("#start", Input).value == "11:00"
        assert form.query_one("#end", Input).value == "13:00"
        assert await repo.get_availability((await repo.restore()).id) == before
        assert form.query_one("#start").has_focus
        await pilot.press("backspace")  # the message was about the time as it was
        await pilot.pause()
        assert error_of(form, "start") == ""


async def test_an_empty_or_unreadable_slot_is_refused_then_a_fixed_one_saves(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f5", SchedulePane)
        await pilot.press("ctrl+n")
        form = await dialog(app, pilot, SlotForm)
        await fill_slot_form(pilot, "15:00", "15:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "end") == "The end must be after the start."
        assert error_of(form, "start") == ""

        form.query_one("#end", Input).value = "25:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert error_of(form, "end") == "Enter a time from 00:00 to 23:59, like 14:30."
        assert app.screen is form

        form.query_one("#end", Input).value = "17:30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert ["Monday", "15:00", "17:30", "2.5 h"] in rows(pane.query_one("#slots", DataTable))


async def test_edit_then_remove_a_slot(clock):
    repo = await demo_mentor(clock)
    monday = min(await repo.get_availability((await repo.restore()).id), key=lambda s: (s.weekday, s.start_time))
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f5", SchedulePane)
        table = pane.query_one("#slots", DataTable)
        move_to(table, monday.id)
        await pilot.press("e")
        form = await dialog(app, pilot, SlotForm)
        assert form.query_one("#start", Input).value == "08:00"
        form.query_one("#end", Input).value = "10:30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        changed = next(s for s in await repo.get_availability((await repo.restore()).id) if s.id == monday.id)
        assert (changed.weekday, changed.start_time, changed.end_time) == (0, time(8), time(10, 30))
        assert rows(table)[table.get_row_index(monday.id)] == ["Monday", "08:00", "10:30", "2.5 h"]

        move_to(table, monday.id)
        await pilot.press("delete")
        await dialog(app, pilot, ConfirmDialog)
        await pilot.press("enter")
        await settle(app, pilot)
        assert all(s.id != monday.id for s in await repo.get_availability((await repo.restore()).id))
        assert monday.id not in table.rows


async def test_the_week_grid_moves_week_by_week_in_the_mentors_zone(clock):
    repo = await demo_mentor(clock)
    # 10:00 UTC on Tuesday is already Wednesday 00:00 in Kiritimati (UTC+14).
    zone = (await repo.update_profile(ProfileUpdate(timezone="Pacific/Kiritimati"))).zone
    held = [v for v in await repo.my_sessions() if v.session.status is not SessionStatus.CANCELLED]

    def expected(first: date) -> list[str]:
        return sorted(f"{v.session.scheduled_time.astimezone(zone):%a %H:%M}" for v in held
                      if first <= v.session.scheduled_time.astimezone(zone).date() <= first + timedelta(days=6))

    def on_grid(grid: WeekGrid) -> list[str]:
        return sorted(f"{item.start.astimezone(zone):%a %H:%M}" for item in grid.items_in_week())

    app = MentorApp(repo, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_section(app, pilot, "f5", SchedulePane)
        title, grid = pane.query_one("#calendar-title", Static), pane.query_one(WeekGrid)
        assert str(title.render()).startswith("Week of Mon 23 Nov to Sun 29 Nov (this week)")
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 25), 0)  # today, now, in Kiritimati
        assert on_grid(grid) == expected(date(2026, 11, 23))

        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert str(title.render()).startswith("Week of Mon 30 Nov to Sun 6 Dec ·")
        assert on_grid(grid) == expected(date(2026, 11, 30)) and on_grid(grid)

        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert str(title.render()).startswith("Week of Mon 16 Nov to Sun 22 Nov ·")
        assert on_grid(grid) == expected(date(2026, 11, 16))

        await pilot.press("t")
        await pilot.pause()
        assert "(this week)" in str(title.render())
        assert grid.cursor_day == date(2026, 11, 25)


async def test_the_slot_form_asks_before_esc_loses_what_was_typed(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f5", SchedulePane)
        await pilot.press("ctrl+n")
        form = await dialog(app, pilot, SlotForm)
        assert form.work_title == "the availability window" and not form.unsaved_changes()
        await pilot.press("escape")  # nothing typed: it closes at once
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)

        await pilot.press("ctrl+n")
        form = await dialog(app, pilot, SlotForm)
        await fill_slot_form(pilot, "9", "")
        assert form.unsaved_changes()
        await pilot.press("escape")
        await dialog(app, pilot, ConfirmDialog)
        await pilot.press("escape")  # keep editing
        await settle(app, pilot)
        assert app.screen is form and form.query_one("#start", Input).value == "9"
        form.query_one("#start", Input).value = ""
        assert not form.unsaved_changes()  # back to what it opened with


async def test_edit_and_remove_are_offered_only_with_a_window_selected(clock):
    repo = await new_person(clock, "Nia Obi", Role.MENTOR)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f5", SchedulePane)
        assert not pane.query_one("#slots").display
        assert "ctrl+n adds one" in str(pane.query_one("#slots-empty", Static).render())
        shown = {active.binding.action for active in app.screen.active_bindings.values() if active.binding.show}
        assert "new" in shown and not {"edit", "remove"} & shown
