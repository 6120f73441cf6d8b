"""/help and /schedule in the Messages composer, accepting a proposal with one key and joining
the call from a conversation, through Pilot at 80x24 on the student world (student_support).

Now is Tue 24 Nov 2026 10:00 UTC: 04:00 for Sam (Chicago), 07:00 for Ana (São Paulo), who is
open Tue and Thu 14:00-18:00 her time and has a confirmed call with Sam on Thu 26 Nov 17:00 UTC.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from hostile_text import DATA_MARKERS, hostile
from student_support import (  # noqa: F401 (fixtures)
    MEETING_LINK,
    SIZE,
    act_as,
    settle,
    signed_in_app,
    utc,
    world,
    world_template,
)
from test_messages import pane, thread_shown, type_in_box
from textual.widgets import OptionList, Static

from mentor_tui.domain import messages
from mentor_tui.domain.chat_commands import help_lines
from mentor_tui.domain.models import SessionStatus
from mentor_tui.widgets.message_composer import MessageComposer
from mentor_tui.widgets.message_open import Partner
from mentor_tui.widgets.schedule_preview import SchedulePreview
from mentor_tui.widgets.session_call import CallDialog


def problem_shown(app) -> str:
    problem = pane(app).query_one("#composer-problem", Static)
    return str(problem.render()) if problem.display else ""


async def open_with(app, pilot, world, who: str) -> None:
    """The Messages section on ``who``'s conversation, the composer focused."""
    await settle(app, pilot)
    app.screen.show_section("messages")
    await settle(app, pilot)
    person = world.people[who]
    pane(app).open_conversation(Partner(person.id, person.full_name))
    pane(app).refresh_data()
    await settle(app, pilot)


async def to_the_list(app, pilot) -> None:
    pane(app).query_one("#conversations", OptionList).focus()
    await settle(app, pilot)


async def propose(world, clock, mentor: str, student: str, when, subject: str = "Pairing", minutes: int = 60):
    services = await act_as(world, mentor, clock)
    try:
        proposal, _ = await services.propose(world.people[student].id, subject, when, minutes)
        return proposal
    finally:
        await services.close()


async def test_help_lists_the_commands_and_sends_nothing(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        await type_in_box(app, pilot, "/help")
        await pilot.press("enter")
        await settle(app, pilot)
        assert help_lines()[0] in problem_shown(app)
        assert "No messages yet" in thread_shown(app)

        await type_in_box(app, pilot, "/shout hello")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "no /shout command" in problem_shown(app)
        assert pane(app).query_one(MessageComposer).text == "/shout hello"


async def test_a_students_schedule_previews_then_books_a_pending_request_with_a_card(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        await type_in_box(app, pilot, "/schedule thursday 1pm 45m Python review")
        await pilot.press("enter")
        await settle(app, pilot)
        preview = app.screen
        assert isinstance(preview, SchedulePreview)
        about = str(preview.query_one("#dialog-about", Static).render())
        assert "Thu 26 Nov 13:00–13:45 (America/Chicago)" in about
        assert "Thu 26 Nov 16:00–16:45 (America/Sao_Paulo)" in about
        assert "$52.50" in about and messages.PREVIEW_FITS in about  # 45 min at 70 an hour

        await pilot.press("escape")  # back: nothing sent, the text kept
        await settle(app, pilot)
        assert pane(app).query_one(MessageComposer).text == "/schedule thursday 1pm 45m Python review"
        services = await act_as(world, "sam", clock)
        assert not [v for v in await services.my_sessions() if v.session.subject == "Python review"]

        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert pane(app).query_one(MessageComposer).text == ""
        (request,) = [v.session for v in await services.my_sessions() if v.session.subject == "Python review"]
        await services.close()
        assert (request.status, request.scheduled_time, request.duration_minutes) == (
            SessionStatus.PENDING, utc(26, 19), 45,
        )
        shown = thread_shown(app)
        assert "Session request: Python review" in shown
        assert "Thu 26 Nov 13:00–13:45 · 45 min" in shown and "Pending" in shown


async def test_a_refused_schedule_shows_above_the_box_and_keeps_the_text(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        # Thu 26 Nov 11:30 in Chicago is 17:30 UTC: inside the confirmed call with Ana.
        await type_in_box(app, pilot, "/schedule thursday 11:30am 30m Overlap")
        await pilot.press("enter")
        await settle(app, pilot)
        about = str(app.screen.query_one("#dialog-about", Static).render())
        assert messages.PREVIEW_BUSY in about
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "taken" in problem_shown(app).lower() or "overlap" in problem_shown(app).lower()
        assert pane(app).query_one(MessageComposer).text == "/schedule thursday 11:30am 30m Overlap"

        pane(app).query_one(MessageComposer).load_text("")
        await type_in_box(app, pilot, "/schedule")
        await pilot.press("enter")
        await settle(app, pilot)
        assert problem_shown(app) == messages.SAY_WHEN


async def test_a_mentors_schedule_sends_a_proposal_the_student_accepts_with_one_key(world, clock):
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "sam")
        await type_in_box(app, pilot, "/schedule friday 10am Pairing on pandas")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SchedulePreview)
        about = str(app.screen.query_one("#dialog-about", Static).render())
        assert "Fri 27 Nov 07:00–08:00 (America/Chicago)" in about  # Sam's clock
        assert messages.PREVIEW_OUTSIDE_PROPOSAL in about
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Open proposal: waiting for an answer" in thread_shown(app)
        await to_the_list(app, pilot)
        assert pane(app).check_action("accept", ()) is False  # the mentor does not accept

    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        await to_the_list(app, pilot)
        assert "Open proposal · a Accept" in thread_shown(app)
        assert pane(app).check_action("accept", ()) is True
        await pilot.press("a")
        await settle(app, pilot)
        assert "Accepted: confirmed" in thread_shown(app)
        assert pane(app).check_action("accept", ()) is False
        await pilot.press("f3")  # My Sessions
        await settle(app, pilot)
    services = await act_as(world, "sam", clock)
    try:
        (accepted,) = [v.session for v in await services.my_sessions() if v.session.subject == "Pairing on pandas"]
    finally:
        await services.close()
    assert (accepted.status, accepted.scheduled_time) == (SessionStatus.CONFIRMED, utc(27, 13))


async def test_an_expired_proposal_cannot_be_accepted(world, clock):
    await propose(world, clock, "ana", "sam", utc(24, 12))
    clock.advance(timedelta(hours=2))  # now its start
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        await to_the_list(app, pilot)
        assert "Expired" in thread_shown(app)
        assert pane(app).check_action("accept", ()) is False
        pane(app).action_accept()  # from the palette of an older screen, say
        await settle(app, pilot)
        assert messages.NO_OPEN_PROPOSAL in [n.message for n in app._notifications]


async def test_a_hostile_subject_in_a_card_is_shown_as_text(world, clock, tmp_path):
    """A subject another client wrote straight into the table, markup and control sequences first."""
    await propose(world, clock, "ana", "sam", utc(27, 13))
    evil = hostile(tmp_path, escapes_first=True)
    connection = sqlite3.connect(world.db_path)
    try:
        connection.execute("pragma ignore_check_constraints = on")
        (rule,) = connection.execute(
            "select sql from sqlite_master where name = 'mentor_proposals_accepted_once'"
        ).fetchone()
        connection.execute("drop trigger mentor_proposals_accepted_once")
        connection.execute("update mentor_proposals set subject = ?", (evil,))
        connection.execute(rule)
        connection.commit()
    finally:
        connection.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        assert app.is_running
        shown = thread_shown(app)
        assert "Session proposal: ␛]52;c;aGVsbG8=␇" in shown
        assert not any(marker in shown for marker in DATA_MARKERS)


async def test_join_from_a_conversation_opens_the_next_call_with_that_person(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_with(app, pilot, world, "ana")
        await to_the_list(app, pilot)
        assert pane(app).check_action("join", ()) is True
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, CallDialog) and app.screen.url == MEETING_LINK
        await pilot.press("escape")
        await settle(app, pilot)

        await open_with(app, pilot, world, "ben")  # their only session is over
        await to_the_list(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert not isinstance(app.screen, CallDialog)
        assert messages.no_call_with("Ben Okoro") in [n.message for n in app._notifications]
