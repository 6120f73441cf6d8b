"""The calendar (the students' Calendar, the mentor's Schedule): the week grid and the agenda, through Pilot."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from clocks import FixedClock
from hostile_text import OSC52, markup
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    act_as,
    settle,
    signed_in_app,
    world,
    world_template,
)
from test_mentor_support import demo_mentor, new_person, services_on
from test_reschedule_screens import CONFIRMED, shown_keys
from textual.app import App, ComposeResult
from textual.widgets import Static

from mentor_tui.app import MentorApp
from mentor_tui.domain.models import BookingRequest, MentorSession, Role, SessionStatus, SessionView
from mentor_tui.domain.reschedule import RescheduleStatus
from mentor_tui.screens.calendar import CalendarPane
from mentor_tui.screens.schedule import SchedulePane
from mentor_tui.widgets.agenda import Agenda
from mentor_tui.widgets.pane import Pane
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.timefmt import TimeFormat
from mentor_tui.widgets.week_grid import GridItem, WeekGrid, day_label, day_rows

CHICAGO = ZoneInfo("America/Chicago")


async def open_calendar(app: MentorApp, pilot, key: str = "f6", pane_type: type[CalendarPane] = CalendarPane):
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    return app.screen.query_one(pane_type)


def title(pane: CalendarPane) -> str:
    return str(pane.query_one("#calendar-title", Static).render())


def detail(pane: CalendarPane) -> SessionDetail:
    return pane.query_one(SessionDetail)


async def keys(pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
    await pilot.pause()


def test_rows_follow_the_wall_clock_on_a_daylight_saving_day():
    # Sunday 1 November 2026 in Chicago has 25 hours; 15:00 UTC is 09:00 there, after the change.
    start = datetime(2026, 11, 1, 15, tzinfo=UTC)
    assert day_rows(start, start + timedelta(minutes=45), date(2026, 11, 1), CHICAGO) == range(18, 20)
    # The night of the change: 05:00-08:00 UTC is 00:00-02:00 on the wall clock (01:00 twice).
    night = day_rows(datetime(2026, 11, 1, 5, tzinfo=UTC), datetime(2026, 11, 1, 8, tzinfo=UTC), date(2026, 11, 1),
                     CHICAGO)
    assert night == range(0, 4)
    assert day_rows(start, start + timedelta(hours=1), date(2026, 11, 2), CHICAGO) == range(0)


def test_day_labels_fit_narrow_columns():
    day = date(2026, 12, 1)
    assert day_label(day, 10) == "Tue 1 Dec"
    assert day_label(day, 6) == "Tue 1"
    assert day_label(day, 4) == "Tu 1"


async def test_a_student_moves_across_a_week_and_enter_opens_the_session_under_the_cursor(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_calendar(app, pilot)
        grid = pane.query_one(WeekGrid)
        assert grid.has_focus
        # Now is Tuesday 24 November 04:00 in Chicago.
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 24), 4)
        assert title(pane).startswith("Week of Mon 23 Nov to Sun 29 Nov (this week) · 1 session")

        await keys(pilot, *"llllll")  # Tuesday -> next Monday, across the week's end
        assert grid.cursor_day == date(2026, 11, 30)
        assert title(pane).startswith("Week of Mon 30 Nov to Sun 6 Dec · 1 session")
        await keys(pilot, *"jjjjj")  # 04:00 -> 09:00, where Ada's request (15:00 UTC) sits
        assert grid.cursor_hour == 9
        assert not detail(pane).display
        await keys(pilot, "enter")
        assert detail(pane).display
        assert detail(pane).text.startswith("Pytest fixtures with Ada Byron")
        assert pane.check_action("cancel", ()) and not pane.check_action("join", ())

        await keys(pilot, "k")  # 08:00: nothing there, so nothing open
        assert not detail(pane).display
        await keys(pilot, "left_square_bracket", "up", "left", "h")  # a week back, 07:00 on Saturday 21
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 21), 7)

        await keys(pilot, "t")
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 24), 4)
        assert "(this week)" in title(pane)

        # The mouse: a click puts the cursor on Thursday 04:00, one more row down is 04:30, same hour.
        now_row = 1 + [line[:5] for line in grid.render().plain.splitlines()[1:]].index("04:00")
        await pilot.click(WeekGrid, offset=(6 + 3 * (grid.size.width - 6) // 7 + 2, now_row))
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 26), 4)


async def test_the_grid_shows_the_hours_that_fit_and_scrolls_to_the_cursor(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        grid = (await open_calendar(app, pilot)).query_one(WeekGrid)
        hours = [line[:5] for line in grid.render().plain.splitlines()[1:] if line[:2].isdigit()]
        assert hours[0] == "03:00" and 4 <= len(hours) < 12  # 80x24: a few hours, from an hour above now
        await keys(pilot, *"j" * 19)
        assert grid.cursor_hour == 23
        hours = [line[:5] for line in grid.render().plain.splitlines()[1:] if line[:2].isdigit()]
        assert hours[-1] == "23:00" and "03:00" not in hours
        await keys(pilot, "j")  # the day's last hour is as far as it goes
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 24), 23)


async def test_the_agenda_lists_upcoming_sessions_by_day_and_opens_one(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_calendar(app, pilot)
        await keys(pilot, "v")
        agenda = pane.query_one(Agenda)
        assert agenda.display and agenda.has_focus and not pane.query_one(WeekGrid).display
        prompts = [str(option.prompt) for option in agenda.options]
        assert prompts == [
            "Thu 26 Nov",
            "  11:00–12:00  ✔ Confirmed  Pandas group-by · Ana Souza",
            "Mon 30 Nov",
            "  09:00–10:00  ◷ Pending    Pytest fixtures · Ada Byron",
        ]
        assert agenda.highlighted_key() == world.sessions["sam-ana-confirmed"]
        assert not pane.check_action("week", (1,))  # weeks belong to the grid
        await keys(pilot, "j", "enter")
        assert agenda.highlighted_key() == world.sessions["sam-ada-pending"]
        assert detail(pane).display and detail(pane).text.startswith("Pytest fixtures with Ada Byron")
        await keys(pilot, "h")  # the day before with sessions
        assert agenda.highlighted_key() == world.sessions["sam-ana-confirmed"]
        await keys(pilot, "l", "t")  # today has none: the first one after it
        assert agenda.highlighted_key() == world.sessions["sam-ana-confirmed"]
        await keys(pilot, "l", "v")  # the grid opens where the agenda was
        grid = pane.query_one(WeekGrid)
        assert grid.has_focus and (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 30), 9)
        assert pane.selected_view().session.id == world.sessions["sam-ada-pending"]


async def test_a_student_without_sessions_sees_empty_states(clock):
    repo = await new_person(clock, "Zoe Quinn", Role.STUDENT, "America/Chicago")
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_calendar(app, pilot)
        assert " · no sessions · America/Chicago" in title(pane)
        assert pane.query_one(WeekGrid).item_at_cursor() is None
        await keys(pilot, "enter")
        assert not detail(pane).display
        await keys(pilot, "v")
        empty = pane.query_one("#agenda-empty", Static)
        assert empty.display and not pane.query_one(Agenda).display
        assert str(empty.render()) == (
            "Nothing coming up. Find a mentor under Mentors (F2) and press ctrl+n to book a session."
        )


async def test_moving_by_day_across_a_daylight_saving_change_keeps_the_wall_clock():
    clock = FixedClock(datetime(2026, 10, 28, 12, tzinfo=UTC))  # Wednesday, still summer time in Chicago
    mentor = await new_person(clock, "Lee Ward", Role.MENTOR, "UTC", complete=True)
    student = await new_person(clock, "Ira Stone", Role.STUDENT, "America/Chicago")
    booking = await services_on(student, clock)
    mentor_id = (await mentor.restore()).id
    for day in (30, 2):  # 15:00 UTC: 10:00 on Friday 30 October, 09:00 on Monday 2 November
        await booking.create_session(BookingRequest(
            mentor_id=mentor_id, subject=f"Day {day}", duration_minutes=60,
            scheduled_time=datetime(2026, 10 if day == 30 else 11, day, 15, tzinfo=UTC)))
    app = MentorApp(student, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_calendar(app, pilot, "f6")
        grid = pane.query_one(WeekGrid)
        await keys(pilot, *"ll", *"jjj")  # Friday 10:00
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 10, 30), 10)
        assert pane.selected_view().session.subject == "Day 30"
        await keys(pilot, *"lll")  # over Sunday's 25 hours: Monday, still 10:00 on the wall clock
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 2), 10)
        assert pane.selected_view() is None
        await keys(pilot, "k")
        assert pane.selected_view().session.subject == "Day 2"
        assert title(pane).startswith("Week of Mon 2 Nov to Sun 8 Nov · 1 session")


async def test_the_mentors_schedule_shades_open_hours_opens_a_block_and_reloads_in_place(clock):
    repo = await demo_mentor(clock)
    app = MentorApp(repo, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_calendar(app, pilot, "f5", SchedulePane)
        grid = pane.query_one(WeekGrid)
        grid.focus()
        # Maya (London) opens Mondays 08:00-12:00: rows 16 to 23 of Monday are shaded.
        assert set(range(16, 24)) <= grid._open_rows(grid.days())[date(2026, 11, 23)]
        assert "░" in grid.render().plain
        await keys(pilot, "h", "k", "k")  # Monday 08:00, now 10:00 on Tuesday in London
        view = pane.selected_view()
        assert view is not None and view.session.scheduled_time.astimezone(ZoneInfo("Europe/London")).hour == 8
        await keys(pilot, "enter")
        assert detail(pane).text.startswith(f"{view.session.subject} with {view.student_name}")
        assert pane.check_action("complete", ())
        await keys(pilot, "shift+tab")  # to the availability list: the session keys are not for it
        assert app.screen.focused is pane.query_one("#slots")
        assert not pane.check_action("complete", ()) and pane.check_action("edit", ())
        await keys(pilot, "tab")

        # Another person's change reaches the schedule: it loads again, the cursor where it was.
        services = await services_on(repo, clock)
        pending = next(v for v in await services.my_sessions() if v.session.status is SessionStatus.PENDING)
        await services.cancel_session(pending.session.id, "")
        before = len(grid.items)
        pane.post_message(Pane.Outdated())
        await settle(app, pilot)
        assert len(grid.items) == before - 1
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 23), 8)


async def test_both_parties_see_a_session_where_it_now_is(world, clock):
    """A session moved (cancelled and booked again later) shows at its new time for both, after a reload."""
    sam = await act_as(world, "sam", clock)
    ada = world.people["ada"]
    try:
        await sam.cancel_session(world.sessions["sam-ada-pending"], "")
        await sam.create_session(BookingRequest(mentor_id=ada.id, subject="Pytest fixtures",
                                                scheduled_time=datetime(2026, 12, 1, 14, tzinfo=UTC),
                                                duration_minutes=60))
    finally:
        await sam.close()
    for who, key, pane_type, other in (("sam", "f6", CalendarPane, "Ada Byron"), ("ada", "f5", SchedulePane, "Sam Rivera")):
        app = await signed_in_app(world, clock, who)
        async with app.run_test(size=SIZE) as pilot:
            pane = await open_calendar(app, pilot, key, pane_type)
            grid = pane.query_one(WeekGrid)
            assert [item.start for item in grid.items if item.name == other] == [datetime(2026, 12, 1, 14, tzinfo=UTC)]
            await keys(pilot, "right_square_bracket")
            assert any(item.name == other for item in grid.items_in_week())


# --- people's text -----------------------------------------------------------------------

class CalendarParts(App[None]):
    def compose(self) -> ComposeResult:
        yield WeekGrid(TimeFormat(CHICAGO, datetime(2026, 11, 24, 16, tzinfo=UTC)))
        yield Agenda()


async def test_names_and_subjects_in_blocks_and_agenda_rows_stay_text(tmp_path):
    hostile = OSC52 + markup(tmp_path)[0]
    start = datetime(2026, 11, 24, 17, tzinfo=UTC)  # 11:00 in Chicago
    now = datetime(2026, 11, 24, 16, tzinfo=UTC)
    session = MentorSession(id="s1", mentor_id="m", student_id="s", subject="Mentor [/] Name " + hostile,
                            scheduled_time=start, duration_minutes=90, status=SessionStatus.CONFIRMED,
                            created_at=now, updated_at=now)
    view = SessionView(session=session, mentor_name=hostile, student_name="Sam")
    times = TimeFormat(CHICAGO, now)
    app = CalendarParts()
    async with app.run_test(size=(120, 20)) as pilot:
        grid = app.query_one(WeekGrid)
        grid.show([GridItem("s1", start, session.end_time, hostile, "✔", "Confirmed", "bold green")], times)
        grid.move_to(date(2026, 11, 24), 11)
        app.query_one(Agenda).show([(view, hostile)], times, date(2026, 11, 24))
        await pilot.pause()
        drawn = grid.render().plain
        assert "✔11:00" in drawn and "␛]52;c;" in drawn and "\x1b" not in drawn
        row = str(app.query_one(Agenda).options[1].prompt)
        assert "Mentor [/] Name ␛]52;c;aGVsbG8=␇[@click=app.screenshot" in row
        assert "\x1b" not in row and "\x07" not in row
        await pilot.click(WeekGrid, offset=(40, 16))  # a click on the blocks runs nothing
        await pilot.pause()
        assert not (tmp_path / "x.db").exists()


async def test_the_rows_start_early_enough_for_the_weeks_earliest_session():
    now = datetime(2026, 11, 24, 16, tzinfo=UTC)  # 10:00 in Chicago
    early = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)  # 04:30 in Chicago: a mentor far east
    app = CalendarParts()
    async with app.run_test(size=(120, 30)) as pilot:
        grid = app.query_one(WeekGrid)
        grid.show([GridItem("s1", early, early + timedelta(hours=1), "Zainab", "◷", "Pending", "yellow")],
                  TimeFormat(CHICAGO, now))
        await pilot.pause()
        rows = grid.render().plain.splitlines()
        assert rows[1].startswith("04:00")  # the header, then the hour of the earliest session
        assert any("◷04:30" in row for row in rows)
        assert (grid.cursor_day, grid.cursor_hour) == (date(2026, 11, 24), 10)  # the cursor stays on now
        assert any(row.startswith("10:00") for row in rows)


async def test_a_request_to_move_shows_on_the_grid_and_a_accepts_it_there(world, clock):
    sam = await act_as(world, "sam", clock)
    await sam.propose_reschedule(world.sessions[CONFIRMED], datetime(2026, 11, 26, 19, tzinfo=UTC), "Exam clash")
    await sam.close()
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_calendar(app, pilot, "f5", SchedulePane)
        grid = pane.query_one(WeekGrid)
        grid.focus()
        grid.move_to(date(2026, 11, 26), 14)  # Thursday 14:00 in São Paulo: the session
        await settle(app, pilot)
        assert "Sam asks to move this to Thu 26 Nov 16:00 (was Thu 14:00): Exam clash" in detail(pane).text
        assert {"accept", "decline"} <= shown_keys(app) and "reschedule" not in shown_keys(app)
        await keys(pilot, "a")
        await settle(app, pilot)
        assert [r.status for r in await app.ctx.services.reschedules()] == [RescheduleStatus.ACCEPTED]
        grid.move_to(date(2026, 11, 26), 16)
        await settle(app, pilot)
        assert "Moved by Sam from Thu 26 Nov 14:00: Exam clash" in detail(pane).text
