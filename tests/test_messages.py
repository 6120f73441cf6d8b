"""The Messages section for both roles, through Pilot at 80x24 and 120x40 on the student world
(student_support): opening a conversation from another section, sending, the newline key,
unread counts, refusals beside the box, and people's text shown as text."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest
from hostile_text import DATA_MARKERS, hostile, markup
from pilot_support import until
from student_support import (  # noqa: F401 (fixtures)
    SIZE,
    WIDE,
    act_as,
    settle,
    signed_in_app,
    world,
    world_template,
)
from textual.widgets import OptionList, Static, TabbedContent

from mentor_tui.app import MentorApp
from mentor_tui.keymap import key_for
from mentor_tui.screens.messages import MessagesPane
from mentor_tui.widgets.message_composer import MessageComposer
from mentor_tui.widgets.message_open import Partner
from mentor_tui.widgets.message_thread import MessageThread
from mentor_tui.widgets.unsaved import DiscardQuestion, discard_question, unsaved_in

SIZES = pytest.mark.parametrize("size", [SIZE, WIDE], ids=["80x24", "120x40"])


async def write(world, clock, sender: str, to: str, *bodies: str) -> None:
    """``sender`` writes ``bodies`` to ``to``, a minute apart, on a connection of their own."""
    services = await act_as(world, sender, clock)
    try:
        for body in bodies:
            await services.send_message(world.people[to].id, body)
            clock.advance(timedelta(minutes=1))
    finally:
        await services.close()


async def unread_of(world, clock, reader: str) -> dict[str, int]:
    services = await act_as(world, reader, clock)
    try:
        return {c.other_name: c.unread for c in await services.conversations()}
    finally:
        await services.close()


async def thread_of(world, clock, reader: str, other: str) -> list[str]:
    services = await act_as(world, reader, clock)
    try:
        return [m.body for m in await services.thread(world.people[other].id)]
    finally:
        await services.close()


def test_the_terminals_line_feed_is_the_newline_key_and_return_sends():
    """What Textual makes of the bytes: ctrl+Enter (and ctrl+j) arrive as a line feed in most terminals."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    assert [event.key for event in parser.feed("\n")] == [key_for("newline").key]
    assert [event.key for event in parser.feed("\r")] == [key_for("send").key]


def pane(app: MentorApp) -> MessagesPane:
    return app.screen.query_one(MessagesPane)


def thread_shown(app: MentorApp) -> str:
    return str(pane(app).query_one(MessageThread).query_one(Static).render())


def entries(app: MentorApp) -> list[str]:
    options = pane(app).query_one("#conversations", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def type_in_box(app: MentorApp, pilot, text: str) -> None:
    box = pane(app).query_one(MessageComposer)
    assert app.screen.focused is box
    box.insert(text[:-1])
    await pilot.press(text[-1])


@SIZES
async def test_a_student_writes_from_a_session_enter_sends_and_ctrl_j_starts_a_line(world, clock, size):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")  # My Sessions: the first upcoming session is with Ana
        await settle(app, pilot)
        assert app.screen.query_one("MySessionsPane").check_action("message", ()) is True
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"
        assert "Ana Souza" in str(pane(app).query_one("#conversation-title", Static).render())
        assert "No messages yet" in thread_shown(app)

        await type_in_box(app, pilot, "Hello Ana")
        await pilot.press("ctrl+j")
        await type_in_box(app, pilot, "see you Thursday")
        assert pane(app).query_one(MessageComposer).text == "Hello Ana\nsee you Thursday"
        await pilot.press("enter")
        await settle(app, pilot)

        assert pane(app).query_one(MessageComposer).text == ""
        assert await thread_of(world, clock, "ana", "sam") == ["Hello Ana\nsee you Thursday"]
        shown = thread_shown(app)
        assert "── Tue 24 Nov ──" in shown  # the day, on Sam's clock (Chicago)
        assert "04:00 You\nHello Ana\nsee you Thursday" in shown
        assert "Ana Souza" in entries(app)[0] and "Hello Ana see you Thu" in entries(app)[0]


@SIZES
async def test_a_mentor_writes_from_my_students_and_times_are_on_the_mentors_clock(world, clock, size):
    await write(world, clock, "sam", "ana", "Can we look at pandas?")
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")  # My Students: Sam first
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"
        shown = thread_shown(app)
        assert "07:00 Sam Rivera\nCan we look at pandas?" in shown  # 10:00 UTC in São Paulo
        await type_in_box(app, pilot, "Yes, bring a notebook")
        await pilot.press("enter")
        await settle(app, pilot)
        assert await thread_of(world, clock, "sam", "ana") == ["Can we look at pandas?", "Yes, bring a notebook"]


async def test_the_unread_count_drops_once_the_conversation_is_opened(world, clock):
    await write(world, clock, "ana", "sam", "First", "Second")
    await write(world, clock, "ben", "sam", "Newest")
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        # Newest first; Ben's, shown first, is read at once; Ana's waits.
        listed = entries(app)
        assert listed[0].startswith("Ben Okoro\n") and listed[1].startswith("Ana Souza (2)\nSecond")
        assert await unread_of(world, clock, "sam") == {"Ben Okoro": 0, "Ana Souza": 2}
        await pilot.press("down")
        await settle(app, pilot)
        assert entries(app)[1].startswith("Ana Souza\n")
        assert await unread_of(world, clock, "sam") == {"Ben Okoro": 0, "Ana Souza": 0}
        assert "First" in thread_shown(app) and "Second" in thread_shown(app)


async def test_j_and_k_move_in_the_conversation_list(world, clock):
    await write(world, clock, "ana", "sam", "Older")
    await write(world, clock, "ben", "sam", "Newest")
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        conversations = app.screen.query_one("#conversations", OptionList)
        assert conversations.has_focus and conversations.highlighted == 0
        await pilot.press("j")
        await settle(app, pilot)
        assert conversations.highlighted == 1 and "Older" in thread_shown(app)
        await pilot.press("k")
        await settle(app, pilot)
        assert conversations.highlighted == 0 and "Newest" in thread_shown(app)


async def test_a_refusal_shows_beside_the_box_and_keeps_the_text(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        dev = world.people["dev"]  # no session with Sam
        pane(app).open_conversation(Partner(dev.id, dev.full_name))
        pane(app).refresh_data()
        await settle(app, pilot)
        await type_in_box(app, pilot, "Hi Dev")
        await pilot.press("enter")
        await settle(app, pilot)
        problem = pane(app).query_one("#composer-problem", Static)
        assert problem.display and "session" in str(problem.render())
        assert pane(app).query_one(MessageComposer).text == "Hi Dev"
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"


async def test_the_directory_offers_the_message_key_only_for_a_booked_mentor(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        mentors = app.screen.query_one("MentorsPane")
        table = mentors.query_one("#mentor-table")
        keys = [key.value for key in table.rows]
        for index, key in enumerate(keys):
            table.move_cursor(row=index)
            await settle(app, pilot)
            booked = key != world.people["dev"].id
            assert bool(mentors.check_action("message", ())) is booked
        table.move_cursor(row=keys.index(world.people["ada"].id))
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert "Ada Byron" in str(pane(app).query_one("#conversation-title", Static).render())


async def test_leaving_with_a_draft_asks_first(world, clock):
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await type_in_box(app, pilot, "Half a thought")
        assert discard_question(unsaved_in(pane(app))) == "You have unsaved changes in your message. Discard them?"
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")  # keep editing: the text is still there
        await settle(app, pilot)
        assert pane(app).query_one(MessageComposer).text == "Half a thought"


async def test_hostile_names_and_bodies_show_as_text(world, clock, tmp_path):
    await write(world, clock, "ana", "sam", "placeholder")
    evil = hostile(tmp_path)
    connection = sqlite3.connect(world.db_path)
    try:
        connection.execute("pragma ignore_check_constraints = on")
        triggers = connection.execute("select name, sql from sqlite_master where type = 'trigger'").fetchall()
        for name, _ in triggers:
            connection.execute(f'drop trigger "{name}"')
        connection.execute("update mentor_messages set body = ?", (evil + "\nsecond line https://evil.example",))
        connection.execute("update user_profiles set full_name = ? where id = ?", (evil, world.people["ana"].id))
        connection.commit()
        for _, sql in triggers:
            connection.execute(sql)
        connection.commit()
    finally:
        connection.close()
    app = await signed_in_app(world, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.is_running
        shown = thread_shown(app) + "\n".join(entries(app))
        for piece in markup(tmp_path):
            assert piece[:20] in shown  # the markup, as text
        assert "␛]52;c;aGVsbG8=␇" in shown and "second line https://evil.example" in shown
        assert not any(marker in shown for marker in DATA_MARKERS)
        assert "\x1b" not in shown and "\u202e" not in shown
        screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "\x1b" not in screen and "[@click=app.quit]" in screen
        assert not list(tmp_path.glob("*.db"))


async def test_a_reload_keeps_the_open_conversation_and_its_draft(world, clock):
    await write(world, clock, "ana", "sam", "Hello")
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("enter")
        await type_in_box(app, pilot, "Half written")
        await write(world, clock, "ben", "sam", "News from Ben")  # another person, meanwhile
        pane(app).refresh_data()  # as a live update does
        await settle(app, pilot)
        assert entries(app)[0].startswith("Ben Okoro (1)\n")
        assert pane(app).query_one("#conversations", OptionList).highlighted == 1
        assert "Ana Souza" in str(pane(app).query_one("#conversation-title", Static).render())
        assert pane(app).query_one(MessageComposer).text == "Half written"
        assert await unread_of(world, clock, "sam") == {"Ben Okoro": 1, "Ana Souza": 0}


async def test_a_mentor_writes_from_a_selected_session(world, clock):
    app = await signed_in_app(world, clock, "ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")  # Sessions
        await settle(app, pilot)
        sessions = app.screen.query_one("SessionsPane")
        view = sessions.selected_view()
        other = "Tara Singh" if view.session.student_id == world.people["tara"].id else "Sam Rivera"
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"
        assert other in str(pane(app).query_one("#conversation-title", Static).render())
        assert app.screen.focused is pane(app).query_one(MessageComposer)


async def test_a_reload_while_a_conversation_opens_still_puts_the_cursor_in_the_box(world, clock, monkeypatch):
    """Live updates reload the section whenever anything changes: a reload that cancels the load
    opening a conversation must not lose what was asked (that conversation, the cursor in its box)."""
    app = await signed_in_app(world, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        messages = pane(app)
        hold = asyncio.Event()
        show_thread = MessagesPane._show_thread
        calls = []

        async def held_once(self, partner):
            calls.append(partner)
            if len(calls) == 1:
                await hold.wait()  # the first load waits here, having read what was asked
            await show_thread(self, partner)

        monkeypatch.setattr(MessagesPane, "_show_thread", held_once)
        ana = world.people["ana"]
        messages.open_conversation(Partner(ana.id, ana.full_name))
        messages.refresh_data()
        await until(pilot, lambda: len(calls) >= 1, "the first load waiting on its thread")
        messages.refresh_data()  # the reload: cancels the first load
        await settle(app, pilot)
        assert app.screen.focused is messages.query_one(MessageComposer)
        assert messages.partner_id == ana.id
