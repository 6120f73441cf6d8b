"""The mentor's Overview, Sessions and My Students tabs through Pilot, on the embedded backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from clocks import FixedClock
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
    services_on,
    settle,
)
from textual.widgets import DataTable, Input, Label, Select, Static

from mentor_tui.app import MentorApp
from mentor_tui.domain.models import BookingRequest, ProfileUpdate, Role, SessionStatus
from mentor_tui.repository.demo import DEMO_DOMAIN, DEMO_PASSWORD
from mentor_tui.screens.dashboard import OverviewPane
from mentor_tui.screens.dashboard_sessions import SessionsPane
from mentor_tui.screens.home import HomeScreen
from mentor_tui.screens.students import StudentsPane
from mentor_tui.services import sessions as rules_of_sessions
from mentor_tui.widgets import session_call
from mentor_tui.widgets.session_call import CallDialog
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.session_dialogs import FeedbackDialog, ReasonDialog
from mentor_tui.widgets.stat_card import StatCard
from pilot_support import paste

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


async def test_overview_shows_the_figures_of_one_stats_call_and_cards_that_count_the_lists(clock):
    repo = await demo_mentor(clock)
    services = await services_on(repo, clock)
    expected = await services.dashboard_stats()
    sessions = await repo.my_sessions()
    me = services.person().id
    calls: list[None] = []
    app = MentorApp(repo, clock)
    original = app.ctx.services.dashboard_stats

    async def counted():
        calls.append(None)
        return await original()

    app.ctx.services.dashboard_stats = counted  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)

        assert len(calls) == 1
        assert card(pane, "students") == (str(expected.total_students), "all time")
        assert card(pane, "today") == (str(expected.completed_today), "Tue 24 Nov")
        assert card(pane, "rating") == (f"{expected.average_rating:.1f} ★", f"{expected.rating_count} ratings")

        now = clock.now()
        upcoming = rules_of_sessions.upcoming((v.session for v in sessions), now)
        requests = [s for s in upcoming if rules_of_sessions.needs_answer(s, me, now)]
        ahead = [s for s in upcoming if s not in requests]
        pending_table, next_table = pane.query_one("#pending", DataTable), pane.query_one("#next", DataTable)
        assert list(pending_table.rows) == [s.id for s in requests] and requests
        assert list(next_table.rows) == [s.id for s in ahead] and ahead
        # The cards count the very lists below them.
        assert card(pane, "requests") == (str(len(requests)), "to answer")
        assert card(pane, "next-count") == (str(len(ahead)), "ahead of you")
        # The demo session under way is still "next", with its badge.
        under_way = next(s for s in ahead if s.scheduled_time <= now)
        assert rows(next_table)[next_table.get_row_index(under_way.id)][-1] == "✔ Confirmed"


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
        await paste(pilot, "Fully booked that week")
        await pilot.press("enter")
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
    mentor = await new_person(clock, "Tahu Nikora", Role.MENTOR, zone, complete=True)
    as_mentor = await services_on(mentor, clock)
    student = await services_on(await new_person(clock, "Ana Lopez", Role.STUDENT), clock)
    booked = await student.create_session(
        BookingRequest(mentor_id=as_mentor.person().id, subject="Career chat", scheduled_time=late_evening,
                       duration_minutes=30)
    )
    await as_mentor.confirm_session(booked.id, "https://meet.jit.si/mentor-tui-test")
    clock.advance(timedelta(days=1, minutes=45))  # 23:45 on Tuesday, the mentor's time
    await as_mentor.complete_session(booked.id, "Good talk.")

    app = MentorApp(mentor, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)
        assert card(pane, "today") == ("1", "Tue 24 Nov")
        assert card(pane, "students") == ("1", "all time")

        clock.advance(timedelta(minutes=20))  # 00:05 on Wednesday there; the UTC date has not changed
        assert clock.now().date() == late_evening.date()
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert card(pane, "today") == ("0", "Wed 25 Nov")


async def test_names_and_subjects_show_as_typed_even_with_brackets(clock):
    mentor = await new_person(clock, "Tahu Nikora", Role.MENTOR, complete=True)
    student = await services_on(await new_person(clock, "Ana [b]Lopez", Role.STUDENT), clock)
    subject = "Regex [/] groups [red]now"
    await student.create_session(
        BookingRequest(mentor_id=(await services_on(mentor, clock)).person().id, subject=subject,
                       scheduled_time=clock.now() + timedelta(days=1), duration_minutes=30)
    )
    app = MentorApp(mentor, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        name, shown_subject = rows(app.screen.query_one("#pending", DataTable))[0][1:3]
        assert name == "Ana [b]Lopez"
        assert shown_subject.startswith("Regex [/] groups")  # as typed, cut to the column at 80 columns
        await pilot.press("d")
        reason = await dialog(app, pilot, ReasonDialog)
        assert subject in str(reason.query_one("#dialog-about", Static).content)
        assert reason.dialog_title == "Decline this request?"
        await pilot.press("escape")
        await settle(app, pilot)

        pane = await open_section(app, pilot, "f3", SessionsPane)
        assert subject in pane.query_one(SessionDetail).text


# --- Sessions -------------------------------------------------------------------------


async def test_sessions_filter_by_status_and_search_by_student_or_subject(clock):
    repo = await demo_mentor(clock)
    sessions = await repo.my_sessions()
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f3", SessionsPane)
        table = pane.query_one("#sessions", DataTable)
        assert table.row_count == len(sessions)

        await pilot.press("ctrl+t")  # All -> Pending
        await pilot.pause()
        assert pane.query_one("#status", Select).value == "pending"
        assert {row[4] for row in rows(table)} == {"◷ Pending"}
        assert table.row_count == len(list(find(sessions, status=SessionStatus.PENDING)))

        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t", "ctrl+t")  # ... back round to All
        await pilot.press("ctrl+f")
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"grace")  # letters are typing here, not session keys
        await pilot.pause()
        assert {row[1] for row in rows(table)} == {"Grace Park"}
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("escape")  # leaves the search box for the list
        await pilot.pause()
        assert app.screen.focused is table
        assert pane.query_one("#search", Input).value == "grace"

        await pilot.press("ctrl+f", "enter")  # so does Enter
        await pilot.pause()
        assert app.screen.focused is table

        pane.query_one("#search", Input).value = "PYTEST"
        await pilot.pause()
        assert table.row_count and all("pytest" in v.session.subject.lower() for v in table.views)

        pane.query_one("#search", Input).value = "nobody at all"
        await pilot.pause()
        assert not table.display
        assert "No session matches" in str(pane.query_one("#sessions-empty", Static).content)


async def test_the_selected_sessions_detail_shows_the_students_notes(clock):
    repo = await demo_mentor(clock)
    with_notes = next(v for v in await repo.my_sessions() if v.session.notes)
    app = MentorApp(repo, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_section(app, pilot, "f3", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), with_notes.session.id)
        await pilot.pause()
        detail = pane.query_one(SessionDetail).text
        assert f"{with_notes.session.subject} with {with_notes.student_name}" in detail
        assert f"Notes from the student: {with_notes.session.notes}" in detail


async def test_cancel_a_confirmed_session_with_a_reason_and_back_out_first(clock):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f3", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.press("x")
        await dialog(app, pilot, ReasonDialog)
        await pilot.press("escape")  # changed their mind
        await settle(app, pilot)
        assert (await by_id(repo, ahead.session.id)).session.status is SessionStatus.CONFIRMED

        await pilot.press("x")
        await dialog(app, pilot, ReasonDialog)
        await paste(pilot, "Ill, sorry")
        await pilot.press("enter")
        await settle(app, pilot)

        cancelled = (await by_id(repo, ahead.session.id)).session
        assert cancelled.status is SessionStatus.CANCELLED
        assert cancelled.cancellation_reason == "Ill, sorry"
        assert cell(pane.query_one("#sessions", DataTable), ahead.session.id, 4) == "✕ Cancelled"
        assert "Ill, sorry" in pane.query_one(SessionDetail).text


async def test_completion_is_neither_offered_nor_done_before_the_session_starts(clock, monkeypatch):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f3", SessionsPane)
        seen = record_notifications(app, monkeypatch)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.pause()
        assert pane.check_action("complete", ()) is False  # not in the footer
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)  # no feedback form for a session that has not begun
        pane.action_complete()  # as a stale footer would: the services say why
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert (STARTED, "warning") in seen
        assert (await by_id(repo, ahead.session.id)).session.status is SessionStatus.CONFIRMED


async def test_complete_yesterdays_session_with_feedback_and_the_students_totals_change(clock):
    repo = await demo_mentor(clock)
    yesterday = await confirmed(repo, clock, ahead=False)
    before = next(s for s in await repo.mentor_students() if s.student_id == yesterday.session.student_id)
    app = MentorApp(repo, clock)
    async with app.run_test(size=(120, 40)) as pilot:  # room for every subject of the student
        pane = await open_section(app, pilot, "f3", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), yesterday.session.id)
        await pilot.press("m")
        await dialog(app, pilot, FeedbackDialog)
        await paste(pilot, "Solid progress.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        completed = (await by_id(repo, yesterday.session.id)).session
        assert completed.status is SessionStatus.COMPLETED
        assert completed.feedback == "Solid progress."

        students = await open_section(app, pilot, "f4", StudentsPane)
        table = students.query_one("#students", DataTable)
        name, total, subjects, last, no_shows = rows(table)[table.get_row_index(yesterday.session.student_id)]
        assert name == yesterday.student_name
        assert total == str(before.total_sessions + 1)
        assert yesterday.session.subject in subjects
        assert last == pane.times().day(yesterday.session.scheduled_time.astimezone(app.ctx.zone).date())
        assert no_shows == "0"


async def test_join_copies_the_link_and_opens_it_where_a_browser_is_available(clock, monkeypatch):
    repo = await demo_mentor(clock)
    ahead = await confirmed(repo, clock, ahead=True)
    opened: list[str] = []
    monkeypatch.setattr(session_call, "open_in_browser", lambda url: opened.append(url) or True)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f3", SessionsPane)
        move_to(pane.query_one("#sessions", DataTable), ahead.session.id)
        await pilot.press("o")
        await settle(app, pilot)

        link = ahead.session.meeting_link
        assert opened == [link]
        assert app.clipboard == link
        assert isinstance(app.screen, CallDialog)
        assert str(app.screen.query_one("#call-done", Static).content).startswith("Opened in your browser")


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
    monkeypatch.setattr(session_call, "open_in_browser", lambda url: False)
    app = MentorApp(repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_section(app, pilot, "f4", StudentsPane)
        table = pane.query_one("#students", DataTable)
        assert [row[0] for row in rows(table)] == sorted((s.student_name for s in students), key=str.casefold)
        move_to(table, student.student_id)
        await pilot.pause()

        theirs = [v for v in sessions if v.session.student_id == student.student_id]
        assert pane.query_one("#student-sessions", DataTable).row_count == len(theirs)
        assert str(pane.query_one("#student-title", Static).content) == f"Sessions with {student.student_name}"
        assert "o joins it." in str(pane.query_one("#next-call", Static).content)
        assert {"join", "copy_link"} >= {
            action for action in ("confirm", "decline", "cancel", "complete", "rate", "join", "copy_link")
            if pane.check_action(action, ())
        }

        await pilot.press("o")
        await settle(app, pilot)
        assert app.clipboard == ahead[student.student_id].session.meeting_link
