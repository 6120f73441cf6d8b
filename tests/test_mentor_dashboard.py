"""The mentor's Overview, Sessions and My Students tabs through Pilot, on the embedded backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from test_mentor_support import (
    SIZE,
    demo_mentor,
    dialog,
    find,
    move_to,
    new_person,
    open_section,
    record_notifications,
    repo_for,
    rows,
    settle,
)
from textual.widgets import DataTable, Input, Label, Select

from clocks import FixedClock
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role, SessionStatus
from mentor_tui.repository.demo import DEMO_DOMAIN, DEMO_PASSWORD
from mentor_tui.screens import call_link
from mentor_tui.screens.dashboard import OverviewPane, SessionsPane
from mentor_tui.screens.dashboard_actions import FeedbackDialog, ReasonDialog
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.students import StudentsPane
from mentor_tui.widgets.stat_card import StatCard

STARTED = "A session can be completed only once it has started."


def card(pane, name: str) -> tuple[str, str]:
    widget = pane.query_one(f"#{name}", StatCard)
    return str(widget.query_one(".value", Label).render()), str(widget.query_one(".note", Label).render())


async def by_id(repo, session_id: str):
    return next(find(await repo.my_sessions(), id=session_id))


async def confirmed(repo, clock, *, ahead: bool):
    """A confirmed session of the mentor not yet begun (ahead) or already over."""
    now = clock.now()
    return next(
        v for v in find(await repo.my_sessions(), status=SessionStatus.CONFIRMED)
        if (v.session.scheduled_time > now if ahead else v.session.end_time <= now)
    )


def cell(table: DataTable, key: str, column: int) -> str:
    return rows(table)[table.get_row_index(key)][column]


async def student_view(clock, student_name: str, session_id: str):
    """The session as its student sees it on their next load."""
    login = student_name.split()[0].lower()
    student = repo_for(clock, state=login)
    await student.sign_in(f"{login}@{DEMO_DOMAIN}", DEMO_PASSWORD)
    return await by_id(student, session_id)


# --- Overview -------------------------------------------------------------------------


async def test_overview_shows_the_figures_of_one_stats_call_and_the_lists(clock):
    repo = await demo_mentor(clock)
    expected = await repo.dashboard_stats()
    sessions = await repo.my_sessions()
    calls: list[None] = []
    original = repo.dashboard_stats

    async def counted():
        calls.append(None)
        return await original()

    repo.dashboard_stats = counted
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)

        assert len(calls) == 1
        assert card(pane, "students") == (str(expected.total_students), "all time")
        assert card(pane, "upcoming")[0] == str(expected.upcoming_sessions)
        assert card(pane, "today") == (str(expected.completed_today), "Tue 24 Nov")
        assert card(pane, "rating") == (f"{expected.average_rating:.1f} ★", f"{expected.rating_count} ratings")

        pending = sorted(find(sessions, status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
        assert [row[1] for row in rows(pane.query_one("#pending", DataTable))] == [v.student_name for v in pending]
        upcoming = sorted(
            (v for v in find(sessions, status=SessionStatus.CONFIRMED) if v.session.end_time > clock.now()),
            key=lambda v: v.session.scheduled_time,
        )
        next_rows = rows(pane.query_one("#next", DataTable))
        assert [row[1] for row in next_rows] == [v.student_name for v in upcoming]
        # The demo session in progress shows as such, in the mentor's zone.
        assert next_rows[0][0] == f"Now, until {upcoming[0].session.end_time.astimezone(app.ctx.services.me.zone):%H:%M}"


async def test_confirm_a_request_from_the_overview_gives_it_a_new_call_room(clock):
    repo = await demo_mentor(clock)
    request = min(find(await repo.my_sessions(), status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)
        move_to(pane.query_one("#pending", DataTable), request.session.id)
        await pilot.press("c")
        await settle(app, pilot)

        confirmed = (await by_id(repo, request.session.id)).session
        assert confirmed.status is SessionStatus.CONFIRMED
        assert confirmed.meeting_link.startswith("https://meet.jit.si/mentor-tui-")
        assert len(confirmed.meeting_link.rsplit("-", 1)[1]) == 32
        assert request.session.id not in pane.query_one("#pending", DataTable).rows
        assert request.session.id in pane.query_one("#next", DataTable).rows

    # The student sees it the next time their sessions load.
    seen = await student_view(clock, request.student_name, request.session.id)
    assert seen.session.status is SessionStatus.CONFIRMED
    assert seen.session.meeting_link == confirmed.meeting_link


async def test_confirm_uses_the_mentors_own_room_when_the_profile_has_one(clock):
    repo = await demo_mentor(clock)
    await repo.update_profile(ProfileUpdate(meeting_url="https://whereby.com/maya-okafor"))
    request = min(find(await repo.my_sessions(), status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        move_to(app.screen.query_one("#pending", DataTable), request.session.id)
        await pilot.press("c")
        await settle(app, pilot)

    assert (await by_id(repo, request.session.id)).session.meeting_link == "https://whereby.com/maya-okafor"


async def test_decline_a_request_with_a_reason_the_student_then_sees(clock):
    repo = await demo_mentor(clock)
    request = max(find(await repo.my_sessions(), status=SessionStatus.PENDING), key=lambda v: v.session.scheduled_time)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        move_to(app.screen.query_one("#pending", DataTable), request.session.id)
        await pilot.press("d")
        await dialog(app, pilot, ReasonDialog)
        await pilot.press(*"Fully booked that week", "enter")
        await settle(app, pilot)

        assert isinstance(app.screen, HomeScreen)
        assert request.session.id not in app.screen.query_one("#pending", DataTable).rows

    declined = (await student_view(clock, request.student_name, request.session.id)).session
    assert declined.status is SessionStatus.CANCELLED
    assert declined.cancellation_reason == "Fully booked that week"


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
async def test_completed_today_follows_the_mentors_midnight_not_utc(zone):
    """UTC+14 and UTC-11: the mentor's day turns over while the UTC date stays the same."""
    tz = ZoneInfo(zone)
    late_evening = datetime.combine(date(2026, 11, 24), time(23, 0), tzinfo=tz).astimezone(UTC)
    clock = FixedClock(late_evening - timedelta(days=1))
    mentor = await new_person(clock, "Tahu Nikora", Role.MENTOR, zone)
    student = await new_person(clock, "Ana Lopez", Role.STUDENT)
    booked = await student.create_session(
        BookingRequest(mentor_id=mentor.current_user.id, subject="Career chat", scheduled_time=late_evening,
                       duration_minutes=30)
    )
    await mentor.confirm_session(booked.id, "https://meet.jit.si/mentor-tui-test")
    clock.advance(timedelta(days=1, minutes=45))  # 23:45 on Tuesday, the mentor's time
    await mentor.complete_session(booked.id, "Good talk.")

    app = MentorApp(mentor, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)
        assert card(pane, "today") == ("1", "Tue 24 Nov")
        assert card(pane, "students") == ("1", "all time")

        clock.advance(timedelta(minutes=20))  # 00:05 on Wednesday there; the UTC date has not changed
        assert clock.now().date() == late_evening.date()
        await pilot.press("r")
        await settle(app, pilot)
        assert card(pane, "today") == ("0", "Wed 25 Nov")


async def test_names_and_subjects_show_as_typed_even_with_brackets(clock):
    mentor = await new_person(clock, "Tahu Nikora", Role.MENTOR)
    student = await new_person(clock, "Ana [b]Lopez", Role.STUDENT)
    subject = "Regex [/] groups [red]now"
    await student.create_session(
        BookingRequest(mentor_id=mentor.current_user.id, subject=subject,
                       scheduled_time=clock.now() + timedelta(days=1), duration_minutes=30)
    )
    app = MentorApp(mentor, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert rows(app.screen.query_one("#pending", DataTable))[0][1:3] == ["Ana [b]Lopez", subject]
        await pilot.press("d")
        reason = await dialog(app, pilot, ReasonDialog)
        assert subject in str(reason.query_one("Static").render())
        await pilot.press("escape")
        await settle(app, pilot)

        pane = await open_section(app, pilot, "f2", SessionsPane)
        assert subject in str(pane.query_one("#detail-text").render())


# --- Sessions -------------------------------------------------------------------------


async def test_sessions_filter_by_status_and_search_by_student_or_subject(clock):
    repo = await demo_mentor(clock)
    sessions = await repo.my_sessions()
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        table = pane.query_one("#sessions", DataTable)
        assert table.row_count == len(sessions)

        await pilot.press("f")  # All -> Pending
        await pilot.pause()
        assert pane.query_one("#status", Select).value == "pending"
        assert {row[4] for row in rows(table)} == {"Pending"}
        assert table.row_count == len(list(find(sessions, status=SessionStatus.PENDING)))

        await pilot.press("f", "f", "f", "f")  # ... back round to All
        await pilot.press("slash")
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"grace")
        await pilot.pause()
        assert {row[1] for row in rows(table)} == {"Grace Park"}
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.focused is table

        pane.query_one("#search", Input).value = "PYTEST"
        await pilot.pause()
        assert table.row_count and all("pytest" in row[2].lower() for row in rows(table))

        pane.query_one("#search", Input).value = "nobody at all"
        await pilot.pause()
        assert not table.display
        assert "No session matches" in str(pane.query_one("#empty").render())


async def test_the_selected_sessions_detail_shows_the_students_notes(clock):
    repo = await demo_mentor(clock)
    with_notes = next(v for v in await repo.my_sessions() if v.session.notes)
    app = MentorApp(repo, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), with_notes.session.id)
        await pilot.pause()
        detail = str(pane.query_one("#detail-text").render())
        assert with_notes.session.subject in detail
        assert with_notes.student_name in detail
        assert "Notes from the student" in detail and with_notes.session.notes in detail


async def test_cancel_a_confirmed_session_with_a_reason_and_back_out_first(clock):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.press("x")
        await dialog(app, pilot, ReasonDialog)
        await pilot.press("escape")  # changed their mind
        await settle(app, pilot)
        assert (await by_id(repo, ahead.session.id)).session.status is SessionStatus.CONFIRMED

        await pilot.press("x")
        await dialog(app, pilot, ReasonDialog)
        await pilot.press(*"Ill, sorry", "enter")
        await settle(app, pilot)

        cancelled = (await by_id(repo, ahead.session.id)).session
        assert cancelled.status is SessionStatus.CANCELLED
        assert cancelled.cancellation_reason == "Ill, sorry"
        assert cell(pane.query_one("#sessions", DataTable), ahead.session.id, 4) == "Cancelled"
        assert "Ill, sorry" in str(pane.query_one("#detail-text").render())


async def test_completion_is_refused_before_the_session_starts(clock, monkeypatch):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        seen = record_notifications(app, monkeypatch)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.press("m")
        await settle(app, pilot)

        assert isinstance(app.screen, HomeScreen)  # no feedback form for a session that has not begun
        assert (STARTED, "error") in seen
        assert (await by_id(repo, ahead.session.id)).session.status is SessionStatus.CONFIRMED


async def test_complete_yesterdays_session_with_feedback_and_the_students_totals_change(clock):
    repo = await demo_mentor(clock)
    yesterday = await confirmed(repo, clock, ahead=False)
    before = next(s for s in await repo.mentor_students() if s.student_id == yesterday.session.student_id)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), yesterday.session.id)
        await pilot.press("m")
        await dialog(app, pilot, FeedbackDialog)
        await pilot.press(*"Solid progress.", "ctrl+s")
        await settle(app, pilot)

        completed = (await by_id(repo, yesterday.session.id)).session
        assert completed.status is SessionStatus.COMPLETED
        assert completed.feedback == "Solid progress."

        students = await open_section(app, pilot, "f3", StudentsPane)
        table = students.query_one("#students", DataTable)
        name, total, subjects, last = rows(table)[table.get_row_index(yesterday.session.student_id)]
        assert name == yesterday.student_name
        assert total == str(before.total_sessions + 1)
        assert yesterday.session.subject in subjects
        assert last == f"{yesterday.session.scheduled_time.astimezone(app.ctx.services.me.zone):%a %d %b %Y}"


async def test_join_copies_the_link_and_opens_it_where_a_browser_is_available(clock, monkeypatch):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    opened: list[str] = []
    monkeypatch.setattr(call_link, "open_in_browser", lambda url: opened.append(url) or True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f2", SessionsPane)
        seen = record_notifications(app, monkeypatch)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.press("j")
        await settle(app, pilot)

        link = ahead.session.meeting_link
        assert opened == [link]
        assert app.clipboard == link
        assert any(link in message and "Opened in your browser" in message for message, _ in seen)


# --- My Students ----------------------------------------------------------------------


async def test_a_students_row_shows_their_sessions_and_joins_their_next_call(clock, monkeypatch):
    repo = await demo_mentor(clock)
    sessions = await repo.my_sessions()
    students = await repo.mentor_students()
    # A student of the mentor with a confirmed session still ahead.
    ahead = {v.session.student_id: v for v in sorted(
        (v for v in find(sessions, status=SessionStatus.CONFIRMED) if v.session.end_time > clock.now()),
        key=lambda v: v.session.scheduled_time, reverse=True)}
    student = next(s for s in students if s.student_id in ahead)
    monkeypatch.setattr(call_link, "open_in_browser", lambda url: False)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f3", StudentsPane)
        table = pane.query_one("#students", DataTable)
        assert [row[0] for row in rows(table)] == sorted((s.student_name for s in students), key=str.casefold)
        move_to(table, student.student_id)
        await pilot.pause()

        theirs = [v for v in sessions if v.session.student_id == student.student_id]
        assert pane.query_one("#student-sessions", DataTable).row_count == len(theirs)
        assert str(pane.query_one("#student-title", Label).render()) == f"Sessions with {student.student_name}"
        assert "Press j to join" in str(pane.query_one("#next-call").render())

        await pilot.press("j")
        await settle(app, pilot)
        assert app.clipboard == ahead[student.student_id].session.meeting_link
