"""The inbox (F8): one sentence per notification in the reader's zone, where Enter leads,
marking read, the empty state and the header's unread count."""

from __future__ import annotations


from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import student_support
from hostile_text import DATA_MARKERS, build_hostile_world, hostile
from hostile_text import remember_sign_in as remember_hostile
from student_support import PASSWORD, SIZE, act_as, settle, signed_in_app, utc
from textual.widgets import DataTable, OptionList, TabbedContent

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import MentorSession, Notification, NotificationKind, Role, SessionStatus
from mentor_tui.repository.local import LocalRepository
from mentor_tui.screens.inbox import InboxScreen
from mentor_tui.services import Services
from mentor_tui.services.notifications import Destination, destination, sentence, summary
from mentor_tui.widgets.plain import plain
from mentor_tui.widgets.timefmt import TimeFormat

world, world_template = student_support.world, student_support.world_template  # the fixtures

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
LONDON, CHICAGO = ZoneInfo("Europe/London"), ZoneInfo("America/Chicago")
SESSION = MentorSession(
    id="s1", mentor_id="m", student_id="st", subject="Pytest fixtures", scheduled_time=utc(1, 16, month=12),
    duration_minutes=60, status=SessionStatus.CONFIRMED, created_at=NOW, updated_at=NOW,
)


def note(kind: NotificationKind, actor: str = "Maya Chen", detail: str | None = None, **more) -> Notification:
    fields = {"session_id": "s1"} if kind is not NotificationKind.MESSAGE else {"message_id": "m1"}
    return Notification(
        id="n1", user_id="me", kind=kind, actor_id="a1", actor_name=actor, detail=detail, created_at=NOW,
        **(fields | more),
    )


def said(kind: NotificationKind, zone: ZoneInfo, detail: str | None = None, session=SESSION) -> str:
    return sentence(note(kind, detail=detail), session, TimeFormat(zone, NOW).session_when)


@pytest.mark.parametrize(
    ("kind", "detail", "in_london", "in_chicago"),
    [
        (NotificationKind.REQUESTED, "Pytest fixtures", "Maya Chen asked for Tue 1 Dec 16:00: Pytest fixtures",
         "Maya Chen asked for Tue 1 Dec 10:00: Pytest fixtures"),
        (NotificationKind.CONFIRMED, None, "Maya Chen confirmed Tue 1 Dec 16:00",
         "Maya Chen confirmed Tue 1 Dec 10:00"),
        (NotificationKind.DECLINED, "Fully booked.", "Maya Chen declined Tue 1 Dec 16:00: Fully booked.",
         "Maya Chen declined Tue 1 Dec 10:00: Fully booked."),
        (NotificationKind.DECLINED, None, "Maya Chen declined Tue 1 Dec 16:00", "Maya Chen declined Tue 1 Dec 10:00"),
        (NotificationKind.CANCELLED, "Ill.", "Maya Chen cancelled Tue 1 Dec 16:00: Ill.",
         "Maya Chen cancelled Tue 1 Dec 10:00: Ill."),
        (NotificationKind.COMPLETED, "Well done.", "Maya Chen completed Tue 1 Dec 16:00: Well done.",
         "Maya Chen completed Tue 1 Dec 10:00: Well done."),
        (NotificationKind.RATED, "Clear.", "Maya Chen rated Tue 1 Dec 16:00: Clear.",
         "Maya Chen rated Tue 1 Dec 10:00: Clear."),
        (NotificationKind.MESSAGE, "See you then", "New message from Maya Chen: See you then",
         "New message from Maya Chen: See you then"),
        (NotificationKind.REMINDER, None, "Reminder: your session with Maya Chen starts Tue 1 Dec 16:00",
         "Reminder: your session with Maya Chen starts Tue 1 Dec 10:00"),
        (NotificationKind.STARTING, None, "Reminder: your session with Maya Chen started Tue 1 Dec 16:00",
         "Reminder: your session with Maya Chen started Tue 1 Dec 10:00"),
    ],
)
def test_a_sentence_for_every_kind_in_the_readers_zone(kind, detail, in_london, in_chicago):
    assert said(kind, LONDON, detail) == in_london
    assert said(kind, CHICAGO, detail) == in_chicago


def test_every_kind_has_a_sentence():
    for kind in NotificationKind:
        assert said(kind, LONDON, "x").startswith(
            ("Maya Chen ", "New message from Maya Chen", "Reminder: your session with Maya Chen")
        )


def test_a_session_that_is_gone_or_has_no_usable_time_and_an_actor_who_is_gone():
    assert said(NotificationKind.CONFIRMED, LONDON, session=None) == "Maya Chen confirmed a session"
    broken = SESSION.model_copy(update={"time_invalid": True})
    assert said(NotificationKind.CONFIRMED, LONDON, session=broken) == "Maya Chen confirmed invalid time"
    anonymous = sentence(note(NotificationKind.CANCELLED, actor="  "), SESSION, TimeFormat(LONDON, NOW).session_when)
    assert anonymous == "Someone cancelled Tue 1 Dec 16:00"


def test_hostile_names_and_details_stay_plain_and_short(tmp_path):
    text = hostile(tmp_path) * 50
    line = sentence(note(NotificationKind.DECLINED, actor=text, detail=text), SESSION,
                    TimeFormat(LONDON, NOW).session_when)
    shown = plain(line).plain
    assert not any(marker in shown for marker in DATA_MARKERS)
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert "[@click=app.screenshot(" in shown  # shown as typed: content, never markup
    assert len(line) < 250  # the name and the reason are cut to their room


def test_where_each_line_leads():
    assert destination(note(NotificationKind.CONFIRMED), Role.STUDENT) == Destination("my-sessions", session_id="s1")
    assert destination(note(NotificationKind.REQUESTED), Role.MENTOR) == Destination("sessions", session_id="s1")
    assert destination(note(NotificationKind.MESSAGE), Role.MENTOR) == Destination(
        "messages", partner_id="a1", partner_name="Maya Chen"
    )


def test_the_summary_lists_five_and_counts_the_rest():
    lines = [f"line {n}" for n in range(8)]
    assert summary(lines, 8, "F8").splitlines() == [*lines[:5], "and 3 more — F8"]
    assert summary(lines[:2], 2, "F8").splitlines() == lines[:2]
    assert summary(lines[:2], 4, "F8").splitlines() == [*lines[:2], "and 2 more — F8"]


# --- on screen ---------------------------------------------------------------------------

def inbox_lines(app) -> list[str]:
    """Each line of the inbox: its mark, time and sentence as they are given to the screen, one space apart."""
    listing = app.screen.query_one("#inbox-list", OptionList)
    lines = []
    for index in range(listing.option_count):
        grid = listing.get_option_at_index(index).prompt
        lines.append(" ".join(cell.plain for column in grid.columns for cell in column.cells if cell.plain))
    return lines


async def open_inbox(app, pilot) -> None:
    await pilot.press("f8")
    await settle(app, pilot)
    assert isinstance(app.screen, InboxScreen)


async def test_the_inbox_newest_first_marks_read_and_the_header_counts(world, clock):
    app = await signed_in_app(world, clock, "sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sub_title == "Sam Rivera · student · 5 new (F8)"
        await open_inbox(app, pilot)
        lines = inbox_lines(app)
        assert len(lines) == 5
        # Newest first; the times of Sam's sessions in Chicago; every line unread when it opened.
        assert lines[0] == "● Tue 24 Nov 04:00 Ana Souza completed Tue 10 Nov 11:00: Good progress; practise the exercises."
        assert lines[-1] == "● Wed 4 Nov 04:00 Ana Souza confirmed Thu 26 Nov 11:00"
        # Opening marked them read: the header counts none, and the next opening shows none unread.
        assert app.sub_title == "Sam Rivera · student"
        await pilot.press("escape")
        await settle(app, pilot)
        await open_inbox(app, pilot)
        assert not any(line.startswith("●") for line in inbox_lines(app))
        await pilot.press("f8")  # F8 again closes it
        await settle(app, pilot)
        assert not isinstance(app.screen, InboxScreen)


async def test_enter_goes_to_the_session_in_its_section(world, clock):
    app = await signed_in_app(world, clock, "sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_inbox(app, pilot)
        await pilot.press("end", "enter")  # the oldest: Ana confirmed the Pandas session
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "my-sessions"
        table = app.screen.focused
        assert isinstance(table, DataTable)
        assert table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value == world.sessions["sam-ana-confirmed"]


async def test_enter_on_a_message_opens_the_conversation(world, clock):
    ana = await act_as(world, "ana", clock)
    try:
        await ana.send_message(world.people["sam"].id, "Bring your notebook")
    finally:
        await ana.close()
    app = await signed_in_app(world, clock, "sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_inbox(app, pilot)
        assert inbox_lines(app)[0].endswith("New message from Ana Souza: Bring your notebook")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"
        conversations = app.screen.query_one("#conversations", OptionList)
        assert conversations.highlighted is not None
        assert conversations.get_option_at_index(conversations.highlighted).id == world.people["ana"].id


async def test_reading_a_conversation_takes_its_messages_off_the_header_count(world, clock):
    ana = await act_as(world, "ana", clock)
    try:
        await ana.send_message(world.people["sam"].id, "Bring your notebook")
    finally:
        await ana.close()
    app = await signed_in_app(world, clock, "sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sub_title == "Sam Rivera · student · 6 new (F8)"
        await pilot.press("f5")  # Messages opens on Ana's conversation and reads it
        await settle(app, pilot)
        assert app.sub_title == "Sam Rivera · student · 5 new (F8)"
        await open_inbox(app, pilot)
        assert not inbox_lines(app)[0].startswith("●")  # the message's line, already read


async def test_the_empty_inbox_says_what_will_show(world, clock):
    newcomer = Services(LocalRepository(world.db_path, paths.state_dir(), clock), clock)
    await newcomer.sign_up("new@example.org", PASSWORD, "New Person", Role.STUDENT)
    await newcomer.close()
    app = MentorApp(LocalRepository(world.db_path, paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sub_title == "New Person · student"
        await open_inbox(app, pilot)
        assert not app.screen.query_one("#inbox-list").display
        empty = app.screen.query_one("#inbox-empty")
        assert empty.display and "Nothing here yet" in str(empty.render())


async def test_f8_does_nothing_signed_out(world, clock):
    app = MentorApp(LocalRepository(world.db_path, paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        assert not isinstance(app.screen, InboxScreen)


async def test_hostile_notifications_reach_the_inbox_as_plain_text(tmp_path, clock):
    hostile_world = await build_hostile_world(tmp_path / "hostile.db", tmp_path / "shots", clock.now())
    await remember_hostile(hostile_world, paths.state_dir(), "student@example.org", clock)
    app = MentorApp(LocalRepository(hostile_world.db_path, paths.state_dir(), clock), clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "\x1b" not in app.sub_title
        await open_inbox(app, pilot)
        lines = inbox_lines(app)
        assert lines and all("\x1b" not in line and "\x07" not in line and "\x9b" not in line for line in lines)
        assert any("[@click=app.screenshot(" in line for line in lines)  # content, not markup
        assert not any((tmp_path / "shots").glob("*"))  # no screenshot action ran
