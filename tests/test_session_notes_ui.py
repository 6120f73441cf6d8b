"""Session notes and review replies on screen: the mentor writes notes (w) in a dialog with a
rendered preview, both parties read them rendered in the session detail, open action items
are carried into the pair's next session, links are shown and never opened, and the mentor
replies once (p) to a review. Hostile Markdown stays text."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from pilot_support import paste, until
from test_mentor_support import SIZE, dialog, move_to, new_person, services_on, settle
from textual.widgets import DataTable, TextArea
from textual.widgets._markdown import MarkdownBlock

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import BookingRequest, Role
from mentor_tui.screens.dashboard_sessions import SessionsPane
from mentor_tui.screens.my_sessions import MySessionsPane
from mentor_tui.widgets.session_detail import SessionDetail
from mentor_tui.widgets.session_notes import LinkDialog, NotesDialog, NotesMarkdown, ReplyDialog

ROOM = "https://meet.jit.si/mentor-tui-notes"
HOSTILE_NOTES = (
    "## Summary\n[bold red]x[/] and [@click=app.quit]quit[/]\n"
    "[site](javascript:alert(1)) [docs](https://docs.pytest.org)\n\n- [ ] Write a fixture\n- [x] Read the docs"
)


def rendered(markdown: NotesMarkdown) -> str:
    """What the Markdown widget shows, block by block, as plain text."""
    return "\n".join(block._content.plain for block in markdown.query(MarkdownBlock) if block._content.plain)


async def pair_with_sessions(clock, count: int = 1):
    """A mentor and a student with ``count`` confirmed sessions a day apart, the clock inside the first."""
    mentor_repo = await new_person(clock, "Tahu Nikora", Role.MENTOR, complete=True)
    student_repo = await new_person(clock, "Ana Lopez", Role.STUDENT)
    mentor, student = await services_on(mentor_repo, clock), await services_on(student_repo, clock)
    start = clock.now() + timedelta(hours=1)
    sessions = []
    for n in range(count):
        booked = await student.create_session(BookingRequest(
            mentor_id=mentor.person().id, subject=f"Pytest {n + 1}", scheduled_time=start + timedelta(days=n),
            duration_minutes=60,
        ))
        await mentor.confirm_session(booked.id, ROOM)
        sessions.append(booked)
    clock.advance(timedelta(hours=1, minutes=10))
    return mentor_repo, student_repo, mentor, student, sessions


async def open_mentor_session(app, pilot, session_id: str) -> SessionsPane:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    pane = app.screen.query_one(SessionsPane)
    move_to(pane.query_one("#sessions", DataTable), session_id)
    await settle(app, pilot)
    return pane


async def open_student_session(app, pilot, session_id: str) -> MySessionsPane:
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    pane = app.screen.query_one(MySessionsPane)
    for table_id in ("upcoming", "past"):
        table = pane.query_one(f"#{table_id}", DataTable)
        if session_id in {key.value for key in table.rows}:
            move_to(table, session_id)
    await settle(app, pilot)
    return pane


async def test_the_mentor_writes_notes_and_both_parties_read_them_rendered(clock):
    mentor_repo, student_repo, _, _, (session,) = await pair_with_sessions(clock)
    app = MentorApp(mentor_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_mentor_session(app, pilot, session.id)
        assert pane.check_action("write_notes", ())
        assert not pane.check_action("reply", ())
        await pilot.press("w")
        notes = await dialog(app, pilot, NotesDialog)
        area = notes.query_one("#summary", TextArea)
        assert app.focused is area and "## Action items" in area.text  # a template to start from
        assert not notes.has_class("-wide")  # stacked at 80x24
        area.select_all()
        await paste(pilot, HOSTILE_NOTES)
        markdown = notes.query_one("#notes-rendered", NotesMarkdown)
        await until(pilot, lambda: "Write a fixture" in rendered(markdown), "the preview shows the pasted notes")
        preview = rendered(markdown)
        assert "[bold red]x[/]" in preview and "[@click=app.quit]quit[/]" in preview
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, NotesDialog)
        detail = pane.query_one(SessionDetail)
        shown = rendered(detail.query_one(NotesMarkdown))
        assert "[bold red]x[/] and [@click=app.quit]quit[/]" in shown
        assert "Write a fixture" in shown
        assert detail.can_focus  # the arrows scroll long notes

    app = MentorApp(student_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_student_session(app, pilot, session.id)
        detail = pane.query_one(SessionDetail)
        assert "Write a fixture" in rendered(detail.query_one(NotesMarkdown))
        assert not pane.check_action("write_notes", ())


async def test_open_items_are_carried_into_the_next_session_with_the_same_student(clock):
    mentor_repo, student_repo, mentor, _, (first, second) = await pair_with_sessions(clock, count=2)
    await mentor.save_session_notes(first.id, "- [ ] Write a fixture\n- [x] Read the docs\n- [ ] Try [b]this[/b]")
    app = MentorApp(student_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_student_session(app, pilot, second.id)
        carried = pane.query_one(SessionDetail).query_one(".detail-carried")
        assert carried.display
        text = str(carried.content)
        assert text.startswith("Open from ")
        assert "Write a fixture" in text and "Try [b]this[/b]" in text and "Read the docs" not in text
        assert not pane.query_one(SessionDetail).query(NotesMarkdown)  # the second has no notes of its own


async def test_a_link_in_the_notes_is_shown_and_copied_on_a_key_never_opened(clock, monkeypatch):
    mentor_repo, _, mentor, _, (session,) = await pair_with_sessions(clock)
    await mentor.save_session_notes(session.id, "See [the docs](https://docs.pytest.org/en/stable/)")
    app = MentorApp(mentor_repo, clock)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_mentor_session(app, pilot, session.id)
        markdown = pane.query_one(SessionDetail).query_one(NotesMarkdown)
        markdown.post_message(NotesMarkdown.LinkClicked(markdown, "https://docs.pytest.org/en/stable/"))
        link = await dialog(app, pilot, LinkDialog)
        assert "https://docs.pytest.org/en/stable/" in str(link.query_one("#dialog-about").content)
        assert app.focused is link.query_one("#dialog-back")  # Enter closes; copying is a choice
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert copied == ["https://docs.pytest.org/en/stable/"]
        assert opened == []


async def test_the_mentor_replies_once_to_a_review_and_both_read_it(clock):
    mentor_repo, student_repo, mentor, student, (session,) = await pair_with_sessions(clock)
    await mentor.complete_session(session.id, "Good")
    await student.rate_session(session.id, 5, "Clear [i]and[/i] kind")
    app = MentorApp(mentor_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_mentor_session(app, pilot, session.id)
        assert pane.check_action("reply", ())
        await pilot.press("p")
        reply = await dialog(app, pilot, ReplyDialog)
        assert "Clear [i]and[/i] kind" in str(reply.query_one("#dialog-about").content)
        await paste(pilot, "Thank you [b]!")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Your reply: Thank you [b]!" in pane.query_one(SessionDetail).text
        assert not pane.check_action("reply", ())  # once
    app = MentorApp(student_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_student_session(app, pilot, session.id)
        assert "Mentor's reply: Thank you [b]!" in pane.query_one(SessionDetail).text


async def test_the_mentor_page_shows_the_star_chart_the_completed_count_and_replies_under_reviews(clock):
    from textual.widgets import Static

    from mentor_tui.screens.mentors import MentorsPane

    mentor_repo, student_repo, mentor, student, (session,) = await pair_with_sessions(clock)
    await mentor.complete_session(session.id, "Good")
    await student.rate_session(session.id, 4, "Helpful [b]really[/b]")
    await mentor.reply_to_review(session.id, "Thanks [@click=app.quit]x[/]")
    app = MentorApp(student_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.screen.query_one(MentorsPane)
        await until(pilot, lambda: "Recent reviews" in str(pane.query_one("#mentor-detail-text", Static).content),
                    "the mentor page loaded")
        page = str(pane.query_one("#mentor-detail-text", Static).content)
        assert "Sessions completed: 1" in page
        chart = page[page.index("Sessions completed"):page.index("Recent reviews")].splitlines()[1:]
        assert [line.split()[0] for line in chart] == ["5★", "4★", "3★", "2★", "1★"]
        assert chart[1].split()[-1] == "1" and "█" in chart[1] and "█" not in chart[0]
        assert "Helpful [b]really[/b]" in page
        assert "Mentor's reply: Thanks [@click=app.quit]x[/]" in page


async def test_notes_written_by_another_client_with_terminal_controls_show_as_symbols(clock):
    mentor_repo, student_repo, mentor, _, (session,) = await pair_with_sessions(clock)
    await mentor.save_session_notes(session.id, "placeholder")
    hostile = "Hi \x1b]52;c;ZXZpbA==\x07 \x1b[?1049l \u202eexe.txt " + "[red]x[/] " * 900
    with sqlite3.connect(paths.default_db_path()) as conn:  # as an older or other client could write it
        conn.execute("update session_notes set summary = ? where session_id = ?", (hostile, session.id))
    app = MentorApp(student_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_student_session(app, pilot, session.id)
        shown = rendered(pane.query_one(SessionDetail).query_one(NotesMarkdown))
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "␛]52;c;ZXZpbA==␇" in shown and "[red]x[/]" in shown
        assert len(shown) <= 10_000  # bounded, however much a row holds


async def test_f9_hands_the_notes_to_the_editor_and_takes_back_what_it_saved(clock, monkeypatch):
    from contextlib import nullcontext

    mentor_repo, _, _, _, (session,) = await pair_with_sessions(clock)
    monkeypatch.setenv("EDITOR", "sh -c 'printf \"%s\" \"- [ ] from the editor\" > \"$0\"'")
    app = MentorApp(mentor_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_mentor_session(app, pilot, session.id)
        await pilot.press("w")
        notes = await dialog(app, pilot, NotesDialog)
        await pilot.press("f9")  # a headless terminal cannot hand over: said, nothing lost
        assert "cannot hand over" in str(notes.query_one("#dialog-error").content)
        assert "## Action items" in notes.summary
        monkeypatch.setattr(app, "suspend", nullcontext)  # as a real terminal would, for the test
        await pilot.press("f9")
        await pilot.pause()
        assert notes.summary == "- [ ] from the editor"


async def test_over_ssh_the_editor_is_not_offered(clock, monkeypatch):
    monkeypatch.setenv("MENTOR_TUI_KIOSK", "1")
    mentor_repo, _, _, _, (session,) = await pair_with_sessions(clock)
    app = MentorApp(mentor_repo, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_mentor_session(app, pilot, session.id)
        await pilot.press("w")
        notes = await dialog(app, pilot, NotesDialog)
        assert not notes.check_action("external_editor", ())
        assert "EDITOR" not in str(notes.query_one("#dialog-about").content)


def test_a_huge_summary_is_bounded_before_rendering():
    from mentor_tui.widgets.session_notes import safe_markdown

    assert len(safe_markdown("\x1b]8;;javascript:x\x07" * 200_000)) <= 10_000


# --- snapshots --------------------------------------------------------------------------------


def notes_app(clock, with_notes: bool) -> tuple[MentorApp, str]:
    """Tahu's app inside a session with Ana (its notes written when ``with_notes``), built on a
    loop of its own: snap_compare runs the app on another."""
    import asyncio

    from test_mentor_support import repo_for

    async def build() -> str:
        _, _, mentor, _, (session,) = await pair_with_sessions(clock)
        if with_notes:
            await mentor.save_session_notes(session.id, "## Summary\nFixtures and **parametrize**.\n\n"
                                                        "## Action items\n\n- [ ] Write a fixture\n- [x] Read the docs")
        return session.id

    session_id = asyncio.run(build())
    return MentorApp(repo_for(clock, state="tahu.nikora"), clock), session_id


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_of_the_notes_dialog(clock, snap_compare, size):
    app, session_id = notes_app(clock, with_notes=True)

    async def show(pilot) -> None:
        await open_mentor_session(pilot.app, pilot, session_id)
        await pilot.press("w")
        notes = await dialog(pilot.app, pilot, NotesDialog)
        notes.query_one("#summary", TextArea).cursor_blink = False
        markdown = notes.query_one("#notes-rendered", NotesMarkdown)
        await until(pilot, lambda: "Read the docs" in rendered(markdown), "the preview shows the saved notes")
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=show)
