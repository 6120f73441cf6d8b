"""Rescheduling and no-shows on screen, at 80x24, on the embedded backend: the student asks with
``s`` (the dialog's date and time in their zone, and a reason; a refusal stays in the dialog with
the form as typed), the mentor sees the request in the session's detail and accepts it with ``a``
(or declines with ``d``; the student withdraws their own with ``d``), and the detail keeps the
history. ``n`` marks a no-show once. Reasons
and notes that a hostile writer left are shown as plain text."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    act_as,
    sessions_of,
    settle,
    signed_in_app,
    utc,
    world,
    world_template,
)
from rich.text import Text
from textual.widgets import DataTable, Input, Static

from hostile_text import DATA_MARKERS, SEQUENCES, hostile
from test_mentor_dashboard import card
from mentor_tui.domain import messages
from mentor_tui.domain.models import BookingRequest, NotificationKind
from mentor_tui.domain.reschedule import RescheduleStatus
from mentor_tui.screens.dashboard import OverviewPane
from mentor_tui.widgets.reschedule_dialogs import NoShowDialog, RescheduleDialog
from mentor_tui.widgets.session_actions import SessionActions
from mentor_tui.widgets.session_detail import SessionDetail
from pilot_support import paste
from session_kit_support import footer_actions

CONFIRMED = "sam-ana-confirmed"  # Thu 26 Nov 17:00 UTC: 11:00 in Chicago, 14:00 in São Paulo


def on_screen(widget) -> bool:
    return widget.region.area > 0


def detail(app) -> str:
    """The detail of the section shown (every section keeps its own)."""
    return next(d for d in app.screen.query(SessionDetail) if on_screen(d)).text


def shown_keys(app) -> set[str]:
    return {
        binding.action for _, binding, enabled, _ in app.screen.active_bindings.values() if binding.show and enabled
    } & {"reschedule", "no_show", "accept", "decline"}


async def open_section(app, pilot, key: str) -> SessionActions:
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    return next(pane for pane in app.screen.query(SessionActions) if on_screen(pane))


async def select(app, pilot, session_id: str) -> None:
    """Put the cursor of the list that holds ``session_id`` on it."""
    for table in app.screen.query(DataTable):
        if on_screen(table) and session_id in {str(row.value) for row in table.rows}:
            table.focus()
            table.move_cursor(row=table.get_row_index(session_id))
            await settle(app, pilot)
            return
    raise AssertionError(f"no list shows {session_id}")


async def type_into(pilot, app, selector: str, text: str) -> None:
    box = app.screen.query_one(selector, Input)
    box.value = ""
    box.focus()
    await paste(pilot, text)


async def test_the_student_asks_with_a_reason_and_the_mentor_accepts_with_a(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions[CONFIRMED])
        assert "reschedule" in shown_keys(app)
        await pilot.press("s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, RescheduleDialog)
        assert (dialog.query_one("#date", Input).value, dialog.query_one("#scheduled_time", Input).value) == (
            "2026-11-26", "11:00"
        )
        # A time that is no time: the dialog says so and keeps the form.
        await type_into(pilot, app, "#scheduled_time", "25:00")
        await type_into(pilot, app, "#reason", "Exam clash")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and messages.CLOCK_FORMAT in dialog.query_one("#dialog-error").render().plain
        assert dialog.query_one("#reason", Input).value == "Exam clash"
        await type_into(pilot, app, "#scheduled_time", "12:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, RescheduleDialog)
        text = detail(app)
        assert "You asked to move this to Thu 26 Nov 12:00 (was Thu 11:00): Exam clash" in text
        assert "reschedule" not in shown_keys(app)  # one open request at a time

    mentor_app = await signed_in_app(world, clock, "ana")
    async with mentor_app.run_test(size=SIZE) as pilot:
        await open_section(mentor_app, pilot, "f3")
        await select(mentor_app, pilot, world.sessions[CONFIRMED])
        assert "Sam asks to move this to Thu 26 Nov 15:00 (was Thu 14:00): Exam clash" in detail(mentor_app)
        assert {"accept", "decline"} <= shown_keys(mentor_app)
        await pilot.press("a")
        await settle(mentor_app, pilot)
        text = detail(mentor_app)
        assert "Thu 26 Nov 15:00–16:00" in text
        assert "Moved by Sam from Thu 26 Nov 14:00: Exam clash" in text
        assert not {"accept", "decline"} & shown_keys(mentor_app)
    (view,) = [v for v in await sessions_of(world, "sam", clock) if v.session.id == world.sessions[CONFIRMED]]
    assert view.session.scheduled_time == utc(26, 18)


async def test_d_declines_the_request_before_it_would_decline_anything_else(world, clock):
    sam = await act_as(world, "sam", clock)
    await sam.propose_reschedule(world.sessions[CONFIRMED], utc(26, 19), "Later, please")
    await sam.close()
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions[CONFIRMED])
        await pilot.press("d")
        await settle(app, pilot)
        assert "Sam's request to move this to Thu 26 Nov 16:00 was declined" in detail(app)
        assert "Thu 26 Nov 14:00–15:00" in detail(app)
        assert "reschedule" in shown_keys(app)  # closed, so either may ask again


async def test_n_marks_the_other_person_absent_once(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions["sam-ben-completed"])
        assert "no_show" in shown_keys(app)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NoShowDialog)
        await type_into(pilot, app, "#note", "Waited 20 minutes")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Marked absent: Ben (Waited 20 minutes)" in detail(app)
        assert "no_show" not in shown_keys(app)
        await pilot.press("n")  # pressed anyway: refused, nothing opens
        await settle(app, pilot)
        assert not isinstance(app.screen, NoShowDialog)


async def test_hostile_reasons_and_notes_are_shown_as_plain_text(world, clock, tmp_path):
    sam = await act_as(world, "sam", clock)
    await sam.propose_reschedule(world.sessions[CONFIRMED], utc(26, 19), "placeholder")
    await sam.mark_no_show(world.sessions["sam-ben-completed"], "placeholder")
    await sam.close()
    bad = hostile(tmp_path)[:500]
    with sqlite3.connect(world.db_path) as conn:  # as another client could write them
        conn.execute("drop trigger session_reschedules_answered")
        conn.execute("drop trigger session_no_shows_fixed")
        conn.execute("update session_reschedules set reason = ?", (bad,))
        conn.execute("update session_no_shows set note = ?", (bad,))
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        for name in (CONFIRMED, "sam-ben-completed"):
            await select(app, pilot, world.sessions[name])
            text = detail(app)
            assert "[@click=app.quit]Quit[/]" in text  # markup stays text
            assert not any(sequence in text for sequence in SEQUENCES if sequence not in ("\r",))
            assert not any(marker in text for marker in DATA_MARKERS)
            assert "\r" not in text
        assert not list(tmp_path.glob("*.svg")) and not list(tmp_path.glob("x.db*"))


async def test_the_answer_keys_follow_who_may_answer_and_d_withdraws_your_own(world, clock):
    """The proposer sees no a for their own request, and d withdraws it; the footer shows only
    what applies; the other person hears of the withdrawal."""
    sam = await act_as(world, "sam", clock)
    await sam.propose_reschedule(world.sessions[CONFIRMED], utc(26, 19), None)
    await sam.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions[CONFIRMED])
        assert shown_keys(app) == {"decline"}
        assert footer_actions(app) == {"cancel", "join", "copy_link", "decline"}
        assert "d Withdraw" in detail(app)
        await pilot.press("d")
        await settle(app, pilot)
        assert "Your request to move this to Thu 26 Nov 13:00 was withdrawn" in detail(app)
        assert "Thu 26 Nov 11:00–12:00" in detail(app)  # nothing moved
        assert shown_keys(app) == {"reschedule"}
    ana = await act_as(world, "ana", clock)
    (note, *_) = await ana.notifications()
    assert (note.kind, note.actor_id, note.session_id) == (
        NotificationKind.RESCHEDULE_WITHDRAWN, world.people["sam"].id, world.sessions[CONFIRMED]
    )
    await ana.close()


def test_an_open_request_the_session_outlived_reads_as_not_answered():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from mentor_tui.domain.models import SessionStatus
    from mentor_tui.domain.reschedule import RescheduleRequest
    from mentor_tui.widgets.reschedule_detail import SessionHistory, history_text
    from mentor_tui.widgets.timefmt import TimeFormat
    from session_kit_support import STUDENT, session, view_of

    s = session("Python", SessionStatus.CONFIRMED, timedelta(hours=-2))
    request = RescheduleRequest(id="r", session_id=s.id, proposed_by=STUDENT.id, old_time=s.scheduled_time,
                                new_time=s.scheduled_time + timedelta(days=1), created_at=s.created_at)
    times = TimeFormat(ZoneInfo("UTC"), datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    text = history_text(view_of(s), s.mentor_id, times, SessionHistory([request], can_answer=True)).plain
    assert "was not answered" in text and "Accept" not in text


def test_snapshot_of_the_reschedule_dialog_at_80x24(world, clock, snap_compare):
    """The dialog for the selected confirmed session: date and start filled with its time, the reason, buttons in view."""
    from test_student_snapshots import pressing, sams_app

    assert snap_compare(sams_app(world, clock), terminal_size=SIZE, run_before=pressing("f3", "s"))


def open_times(app) -> list[str]:
    """The dialog's open times, a line per day."""
    content = app.screen.query_one("#open-times", Static).content
    assert isinstance(content, Text)
    return [line.strip() for line in content.plain.splitlines()[1:]]


@pytest.mark.parametrize("who", ["sam", "ana"])
async def test_the_dialog_offers_the_mentors_open_times_with_the_sessions_own_time_free(world, clock, who):
    """Both people see the times the booking form would offer for a session this long: the
    mentor's hours less what others hold, with this session's own hour free to move within,
    but not its own start."""
    tara = await act_as(world, "tara", clock)
    await tara.create_session(BookingRequest(
        mentor_id=world.people["ana"].id, subject="Busy", scheduled_time=utc(26, 19), duration_minutes=60
    ))  # Thu 26 Nov 13:00 to 14:00 in Chicago
    await tara.close()
    app = await signed_in_app(world, clock, who)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions[CONFIRMED])
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, RescheduleDialog)
        zone = "America/Chicago" if who == "sam" else "America/Sao_Paulo"
        header = app.screen.query_one("#open-times", Static).content
        assert isinstance(header, Text) and header.plain.startswith(f"Open times for it (your time, {zone}):")
        thursday = next(line for line in open_times(app) if line.startswith("Thu 26 Nov"))
        expected = "11:30 12:00 14:00" if who == "sam" else "14:30 15:00 17:00"
        assert thursday == f"Thu 26 Nov  {expected}"


async def test_a_date_typed_into_the_fresh_dialog_replaces_the_sessions_own(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "f3")
        await select(app, pilot, world.sessions[CONFIRMED])
        await pilot.press("s")
        await settle(app, pilot)
        date = app.screen.query_one("#date", Input)
        assert date.has_focus and date.value == "2026-11-26"
        await pilot.press(*"2026-11-27")  # typed key by key, as a person does
        assert date.value == "2026-11-27"


async def test_the_overview_lists_a_request_to_move_with_the_requests_to_answer(world, clock):
    sam = await act_as(world, "sam", clock)
    await sam.propose_reschedule(world.sessions[CONFIRMED], utc(26, 19), "Exam clash")
    await sam.close()
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(OverviewPane)
        waiting = pane.query_one("DataTable#pending", DataTable)
        assert world.sessions[CONFIRMED] in {str(row.value) for row in waiting.rows}
        assert world.sessions[CONFIRMED] not in {str(row.value) for row in pane.query_one("DataTable#next", DataTable).rows}
        title = str(pane.query_one("#pending-title").render())
        assert title.startswith(f"Requests waiting for you · {waiting.row_count}") and "a accepts a move" in title
        assert card(pane, "requests") == (str(waiting.row_count), "to answer")
        await select(app, pilot, world.sessions[CONFIRMED])
        assert {"accept", "decline"} <= shown_keys(app)
        await pilot.press("a")
        await settle(app, pilot)
        assert world.sessions[CONFIRMED] not in {str(row.value) for row in waiting.rows}
        assert world.sessions[CONFIRMED] in {str(row.value) for row in pane.query_one("DataTable#next", DataTable).rows}
