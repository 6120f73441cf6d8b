"""The session kit both roles share: for every state of a session, the footer offers exactly the
actions the services allow; refusals show inside the dialogs; people's text stays text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hostile_text import OSC52, hostile
from rich.text import Text
from session_kit_support import (
    LINK,
    MENTOR,
    NOW,
    STUDENT,
    Answers,
    PaneApp,
    every_state,
    footer_actions,
    session,
    settle,
    view_of,
)
from textual.widgets import Input, Static, TextArea

from mentor_tui.domain.models import MentorStudent, Profile, SessionStatus
from mentor_tui.keymap import key_for
from mentor_tui.screens.dashboard import OverviewPane
from mentor_tui.screens.dashboard_sessions import SessionsPane
from mentor_tui.screens.my_sessions import MySessionsPane
from mentor_tui.screens.students import StudentsPane
from mentor_tui.services.sessions import SessionAction, allowed_actions
from mentor_tui.widgets.pane import Pane
from mentor_tui.widgets.session_actions import SessionActions
from mentor_tui.widgets.session_detail import SessionDetail, detail_text
from mentor_tui.widgets.session_dialogs import (
    FeedbackDialog,
    RatingDialog,
    ReasonDialog,
)
from mentor_tui.widgets.session_table import SessionTable
from mentor_tui.widgets.status import status_line
from mentor_tui.widgets.timefmt import TimeFormat
from pilot_support import paste

PANES = [
    pytest.param(MySessionsPane, STUDENT, id="student-my-sessions"),
    pytest.param(OverviewPane, MENTOR, id="mentor-overview"),
    pytest.param(SessionsPane, MENTOR, id="mentor-sessions"),
    pytest.param(StudentsPane, MENTOR, id="mentor-students"),
]


def students_of(views) -> list[MentorStudent]:
    return [MentorStudent(mentor_id=MENTOR.id, student_id=STUDENT.id, student_name=STUDENT.full_name,
                          total_sessions=len(views), subjects=("Python",))]


@pytest.mark.parametrize(("pane_type", "me"), PANES)
async def test_the_footer_shows_exactly_the_actions_the_services_allow_for_every_state(
    pane_type: type[Pane], me: Profile
):
    views = [view_of(s) for s in every_state()]
    app = PaneApp(pane_type, me, Answers(views, students_of(views)))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(SessionActions)
        seen: set[str] = set()
        for table in pane.session_tables():
            if not table.display:
                continue
            table.focus()
            for row, view in enumerate(table.views):
                table.move_cursor(row=row)
                await pilot.pause()
                allowed = {action.value for action in allowed_actions(view.session, me.id, NOW)}
                assert footer_actions(app) == allowed, view.session.id
                seen.add(view.session.id)
                detail = pane.query(SessionDetail)
                if detail:  # the next step names the keys that apply, and no other
                    step = detail.first().text.splitlines()[-1]
                    for action in SessionAction:
                        key = key_for(action.value)
                        named = f"{key.display} {key.label}" in step
                        assert named == (action.value in allowed), (view.session.id, step)
        assert seen, "the pane listed no session"
        if pane_type in (MySessionsPane, SessionsPane):
            assert seen == {s.id for s in every_state()}  # every state was checked


async def test_rate_never_shows_on_a_session_still_ahead_and_letters_rest_while_typing():
    views = [view_of(s) for s in every_state()]
    app = PaneApp(SessionsPane, MENTOR, Answers(views))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(SessionsPane)
        table = pane.query_one(SessionTable)
        table.focus()
        table.move_cursor(row=[v.session.id for v in table.views].index("pending-ahead"))
        await pilot.pause()
        assert footer_actions(app) == {"confirm", "decline", "cancel", "reschedule"}
        await pilot.press("ctrl+f")
        assert isinstance(app.focused, Input)
        assert footer_actions(app) == set()
        await pilot.press("c", "x")
        assert pane.query_one("#search", Input).value == "cx"
        assert not app.screen.is_modal


@pytest.mark.parametrize(
    ("me", "session_id", "key", "dialog_type", "typed"),
    [
        pytest.param(STUDENT, "confirmed-ahead", "x", ReasonDialog, "My exam moved", id="student-cancels"),
        pytest.param(STUDENT, "completed-unrated", "r", RatingDialog, "Helpful", id="student-rates"),
        pytest.param(MENTOR, "pending-ahead", "d", ReasonDialog, "Fully booked", id="mentor-declines"),
        pytest.param(MENTOR, "confirmed-over", "m", FeedbackDialog, "Good work", id="mentor-completes"),
    ],
)
async def test_a_refusal_shows_inside_the_dialog_and_the_form_is_kept(me, session_id, key, dialog_type, typed):
    views = [view_of(s) for s in every_state()]
    answers = Answers(views, refuse="Someone changed this session meanwhile.")
    app = PaneApp(MySessionsPane if me is STUDENT else SessionsPane, me, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(SessionActions)
        table = next(t for t in pane.session_tables() if session_id in [v.session.id for v in t.views])
        table.focus()
        table.move_cursor(row=[v.session.id for v in table.views].index(session_id))
        await pilot.pause()
        await pilot.press(key)
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, dialog_type)
        if isinstance(dialog, RatingDialog):
            await pilot.press("3")
            dialog.query_one("#review", Input).focus()
            await pilot.pause()
        await paste(pilot, typed)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog  # still open
        assert str(dialog.query_one("#dialog-error", Static).content) == "Someone changed this session meanwhile."
        field = dialog.query_one("#feedback", TextArea).text if isinstance(dialog, FeedbackDialog) else \
            dialog.query(Input).last().value
        assert field == typed
        assert answers.calls and answers.calls[-1][1] == session_id

        answers.refuse = None  # the next try goes through and the pane says so
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is not dialog
        assert len(answers.calls) == 2


async def test_escape_asks_before_discarding_a_typed_reason():
    views = [view_of(s) for s in every_state()]
    app = PaneApp(MySessionsPane, STUDENT, Answers(views))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await paste(pilot, "maybe")
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is not dialog and app.screen.dialog_title == "Discard what you typed?"
        await pilot.press("enter")  # Discard (the focused button)
        await settle(app, pilot)
        assert not app.screen.is_modal


def test_declined_and_cancelled_read_differently_and_name_who():
    cancelled, declined = (view_of(s) for s in every_state() if s.status is SessionStatus.CANCELLED)
    assert status_line(declined, STUDENT.id).plain == "✕ Declined by Maya Okafor: Fully booked."
    assert status_line(declined, MENTOR.id).plain == "✕ Declined by you: Fully booked."
    assert status_line(cancelled, STUDENT.id).plain == "✕ Cancelled by you: Exam moved."
    assert status_line(cancelled, MENTOR.id).plain == "✕ Cancelled by Sam Rivera: Exam moved."


@pytest.mark.parametrize(("viewer", "other_line"), [
    (STUDENT, "Maya's time (Europe/London)"),
    (MENTOR, "Sam's time (America/Chicago)"),
])
def test_each_role_sees_the_session_on_the_other_partys_clock_too(viewer: Profile, other_line: str):
    confirmed = view_of(next(s for s in every_state() if s.id == "confirmed-ahead"))
    times = TimeFormat(viewer.zone, NOW)
    shown = detail_text(confirmed, viewer.id, times, frozenset()).plain
    assert f"your time ({viewer.timezone})" in shown
    assert other_line in shown


def _no_markup(text: Text) -> None:
    assert not any(span.style and "@click" in str(span.style) for span in text.spans)


async def test_hostile_names_subjects_reasons_and_links_stay_text_in_the_table_detail_and_dialogs(tmp_path: Path):
    evil = hostile(tmp_path)
    s = session("evil", SessionStatus.CANCELLED, timedelta(days=1), subject=evil,
                notes=evil, cancellation_reason=evil, cancelled_by=MENTOR.id, meeting_link=evil + LINK)
    pending = session("evil-pending", SessionStatus.PENDING, timedelta(days=2),
                      subject=evil, notes=evil)
    views = [view_of(x, mentor_name=evil, student_name=evil) for x in (s, pending)]
    line = status_line(views[0], STUDENT.id)
    assert "[@click=app.quit]Quit[/]" in line.plain and "\x1b" not in line.plain
    _no_markup(line)

    app = PaneApp(SessionsPane, MENTOR, Answers(views))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(SessionsPane)
        table = pane.query_one(SessionTable)
        for row in range(table.row_count):
            for cell in table.get_row_at(row):
                assert isinstance(cell, Text) and "\x1b" not in cell.plain and OSC52 not in cell.plain
                _no_markup(cell)
        table.focus()
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            text = pane.query_one(SessionDetail).text
            assert "[@click=app.quit]Quit[/]" in text
            assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
        table.move_cursor(row=[v.session.id for v in table.views].index("evil-pending"))
        await pilot.pause()
        await pilot.press("d")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        about = dialog.query_one("#dialog-about", Static).content
        assert isinstance(about, Text) and "[@click=app.screenshot(" in about.plain and "\x1b" not in about.plain
        _no_markup(about)
        for strip in dialog._compositor.render_strips():
            assert not any(seg.style and "@click" in seg.style.meta for seg in strip)


async def test_the_cursor_stays_on_its_session_across_a_reload():
    views = [view_of(s) for s in every_state()]
    answers = Answers(views)
    app = PaneApp(SessionsPane, MENTOR, answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.query_one(SessionTable)
        table.focus()
        table.move_cursor(row=[v.session.id for v in table.views].index("confirmed-over"))
        await pilot.pause()
        answers.views = [view_of(session("new-request", SessionStatus.PENDING, timedelta(days=30))), *views]
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert table.row_count == len(views) + 1
        assert table.selected is not None and table.selected.session.id == "confirmed-over"
