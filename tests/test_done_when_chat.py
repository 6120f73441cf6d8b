"""Issue 12's "Done when", as two terminals side by side: a student and a mentor, each a
``MentorApp(..., live=True)`` driven by Pilot at the same time, on the embedded backend (the
demo data, seeded as ``mentor-tui --demo`` seeds it) and through the Supabase gateway (the
migrations on PostgreSQL, the Realtime stand-in, demo-like people made through the repository).

The student books through the form; the mentor's Overview shows the request by itself and the
mentor confirms; the student's header, toast, My Sessions and inbox follow by themselves; they
chat both ways, each message reaching the other's open thread; the mentor proposes
``/schedule friday 4pm``, the student accepts with one key and the mentor's thread shows it
confirmed; both join the call from the chat, over SSH: the link is linked (OSC 8) and copied
(OSC 52), and no browser opens.

Each step is waited on until it is on screen, with a generous deadline against hanging; no
step's duration is asserted (the issue's 2 s bound is measured in tests/test_live_*.py).
On the gateway the clock is real (the database's now()): "friday 4pm" is always ahead (on a
Friday it names the next one), and the mentor keeps every day 09:00-18:00, so it is open.
"""

from __future__ import annotations

import re
import uuid
import webbrowser
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from clocks import FixedClock
from gateway import Gateway, ProjectConfig, project_database
from gateway.realtime_standin import RealtimeStandin
from pilot_support import paste, settle, until
from test_inbox import inbox_lines
from test_messages import pane, thread_shown
from test_session_call import links_drawn
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.clock import SystemClock
from mentor_tui.domain import messages
from mentor_tui.domain.models import ProfileUpdate, Role, SessionStatus, SessionView
from mentor_tui.domain.schedule_text import parse_schedule
from mentor_tui.repository import supabase_live
from mentor_tui.repository.demo import DEMO_PASSWORD, demo_logins, seed_demo
from mentor_tui.repository.local import LocalRepository
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.screens.booking import BookingScreen
from mentor_tui.screens.inbox import InboxScreen
from mentor_tui.services import Services
from mentor_tui.widgets.message_composer import MessageComposer
from mentor_tui.widgets.schedule_preview import SchedulePreview
from mentor_tui.widgets.session_call import CallDialog

SIZE = (80, 24)
GUARD_SECONDS = 30.0
"""Against hanging only: two apps, a database and a websocket share two busy CPUs."""
PROPOSE_WHEN = "friday 4pm"
STUDENT_ZONE = ZoneInfo("America/Chicago")
MENTOR = "Sofia Rossi"
MENTOR_ZONE = ZoneInfo("Europe/Rome")
"""Sofia Rossi's, as in the demo data."""
SUBJECT = "SwiftUI layouts"
GATEWAY_PASSWORD = "done-when-pass-1"


@dataclass
class Terminals:
    """The two apps, not yet running, and what the test needs to know of their world."""

    student: MentorApp
    mentor: MentorApp
    now: Callable[[], datetime]


# --- the two worlds ----------------------------------------------------------------------


async def _local_terminals(clock: FixedClock) -> Terminals:
    """The demo database, seeded as ``mentor-tui --demo`` seeds it; Sam books Sofia Rossi (Rome,
    open Mon, Wed and Fri 15:00-19:00), whose Friday 16:00 is free for both of them."""
    db_path = paths.default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    assert seed_demo(db_path, clock.now())
    emails = {login.full_name: login.email for login in demo_logins(db_path)}

    async def terminal(name: str) -> MentorApp:
        state = db_path.parent / f"terminal-{name.split()[0].lower()}"
        services = Services(LocalRepository(db_path, state, clock), clock)
        await services.sign_in(emails[name], DEMO_PASSWORD)
        await services.close()
        return MentorApp(LocalRepository(db_path, state, clock), clock, live=True)

    return Terminals(await terminal("Sam Rivera"), await terminal(MENTOR), clock.now)


async def _gateway_terminals(gateway: Gateway, folder: Path) -> Terminals:
    """Demo-like people signed up through SupabaseRepository; each app with a state folder of its own."""
    suffix = uuid.uuid4().hex[:8]

    def repository(state: Path) -> SupabaseRepository:
        return SupabaseRepository(gateway.url, gateway.config.publishable_key, state, SystemClock(), transport=gateway)

    async def person(name: str, role: Role, update: ProfileUpdate) -> tuple[Services, Path]:
        state = folder / f"terminal-{name.split()[0].lower()}"
        services = Services(repository(state), SystemClock())
        email = f"{name.split()[0].lower()}-{suffix}@example.org"
        await services.sign_up(email, GATEWAY_PASSWORD, name, role)
        await services.update_profile(update)
        return services, state

    mentor, mentor_state = await person(MENTOR, Role.MENTOR, ProfileUpdate(
        profession="iOS Engineer", experience="5 years", hourly_rate=Decimal("60"),
        expertise=("Mobile", "Swift", "iOS"), bio="Ships a banking app; enjoys SwiftUI.", timezone=MENTOR_ZONE.key,
    ))
    for weekday in range(7):
        await mentor.set_availability(weekday, clock_time(9), clock_time(18))
    student, student_state = await person("Sam Rivera", Role.STUDENT, ProfileUpdate(timezone=STUDENT_ZONE.key))
    await mentor.close()
    await student.close()
    return Terminals(
        MentorApp(repository(student_state), SystemClock(), live=True),
        MentorApp(repository(mentor_state), SystemClock(), live=True),
        lambda: datetime.now(UTC),
    )


@pytest.fixture(scope="module")
def project_url() -> Iterator[str]:
    with project_database("done_when_chat") as url:
        yield url


@pytest.fixture(params=["local", "gateway"])
async def terminals(request: pytest.FixtureRequest, clock: FixedClock, tmp_path: Path) -> AsyncIterator[Terminals]:
    if request.param == "local":
        yield await _local_terminals(clock)
        return
    url = request.getfixturevalue("project_url")
    standin = RealtimeStandin(url, ProjectConfig(), list(supabase_live.LIVE_TABLES))
    await standin.start()
    gateway = Gateway(url, standin.config, url=standin.url)
    try:
        yield await _gateway_terminals(gateway, tmp_path)
    finally:
        await standin.close()
    assert not gateway.grammar_errors, gateway.grammar_errors


@pytest.fixture
def over_ssh(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Both terminals are SSH sessions on a machine with a graphical browser: what it would have opened."""
    opened: list[str] = []

    class Graphical(webbrowser.BackgroundBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
    monkeypatch.setattr(webbrowser, "get", lambda: Graphical("firefox"))
    return opened


# --- what a person sees and does -----------------------------------------------------------


def toasts(app: MentorApp) -> dict[str, str]:
    """The toasts on screen now (each expires after a while), by identity: their messages."""
    return {toast.identity: toast.message for toast in app._notifications}


def toasted(app: MentorApp, before: dict[str, str], message: str) -> bool:
    """Whether a toast raised since ``before`` says ``message``."""
    return any(said == message for identity, said in toasts(app).items() if identity not in before)


def unread_in_header(app: MentorApp) -> int:
    found = re.search(r"(\d+) new \(F8\)", app.sub_title)
    return int(found.group(1)) if found else 0


def day_and_time(at: datetime, zone: ZoneInfo) -> str:
    """How the app names a moment: 'Mon 30 Nov 08:00'."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def row_of(app: MentorApp, table_id: str, session_id: str) -> int:
    return app.screen.query_one(f"DataTable#{table_id}", DataTable).get_row_index(session_id)


def shown_row(app: MentorApp, table_id: str, session_id: str) -> list[str] | None:
    """The cells of a session's row in a list on screen (subjects are cut short at 80 columns)."""
    table = app.screen.query_one(f"DataTable#{table_id}", DataTable)
    if session_id not in table.rows:
        return None
    return [cell.plain for cell in table.get_row(session_id)]


async def to_the_conversations(app: MentorApp, pilot: Pilot) -> None:
    """Back from the message box to the list of conversations, where a, o act (shift+tab)."""
    conversations = pane(app).query_one("#conversations", OptionList)
    for _ in range(3):
        if app.screen.focused is conversations:
            return
        await pilot.press("shift+tab")
        await settle(app, pilot)
    assert app.screen.focused is conversations


async def session_with(app: MentorApp, subject: str | None = None, at: datetime | None = None) -> SessionView:
    """One of the signed-in person's sessions, read as their screens read them."""
    views = [v for v in await app.ctx.services.my_sessions()
             if (subject is None or v.session.subject == subject) and (at is None or v.session.scheduled_time == at)]
    assert len(views) == 1, views
    return views[0]


async def book(student: MentorApp, pilot: Pilot, day: str) -> SessionView:
    """Directory → type the mentor's name → ctrl+n → the form → ctrl+s."""
    await paste(pilot, "rossi")
    await settle(student, pilot)
    await pilot.press("ctrl+n")
    await settle(student, pilot)
    form = student.screen
    assert isinstance(form, BookingScreen)
    assert form.query_one("#subject").has_focus
    await paste(pilot, SUBJECT)
    form.query_one("#date").focus()  # a field selects what it holds when focused: the paste replaces it
    await pilot.pause()
    await paste(pilot, day)
    await settle(student, pilot)
    assert form.query_one("#date", Input).value == day
    before = toasts(student)
    await pilot.press("ctrl+s")
    await settle(student, pilot)
    assert not isinstance(student.screen, BookingScreen)
    said = [message for identity, message in toasts(student).items() if identity not in before]
    booked = await session_with(student, SUBJECT)
    sent = f"Request sent to {MENTOR} for {day_and_time(booked.session.scheduled_time, STUDENT_ZONE)}"
    assert any(sent in message for message in said)
    return booked


async def send(app: MentorApp, pilot: Pilot, text: str) -> None:
    assert app.screen.focused is pane(app).query_one(MessageComposer)
    await paste(pilot, text)
    await pilot.press("enter")
    await settle(app, pilot)


# --- the test ------------------------------------------------------------------------------


async def test_book_confirm_notify_chat_schedule_accept_and_join_in_two_terminals(
    terminals: Terminals, over_ssh: list[str]
) -> None:
    student, mentor = terminals.student, terminals.mentor
    proposal_at = parse_schedule(PROPOSE_WHEN, terminals.now(), MENTOR_ZONE).starts_at
    booking_day = (proposal_at.astimezone(STUDENT_ZONE) + timedelta(days=3)).date().isoformat()  # a Monday
    async with AsyncExitStack() as stack:
        sam = await stack.enter_async_context(student.run_test(size=SIZE))
        sofia = await stack.enter_async_context(mentor.run_test(size=SIZE))
        await settle(student, sam)
        await settle(mentor, sofia)
        assert student.sub_title.startswith("Sam Rivera · student")
        assert mentor.sub_title.startswith(f"{MENTOR} · mentor")

        # 1. The student books through the form.
        booked = await book(student, sam, booking_day)
        assert booked.session.status is SessionStatus.PENDING

        # 2. The mentor's Overview shows the request by itself; the mentor confirms it with c.
        await until(sofia, lambda: shown_row(mentor, "pending", booked.session.id) is not None, "the request",
                    GUARD_SECONDS)
        request_row = shown_row(mentor, "pending", booked.session.id)
        assert request_row is not None and request_row[:2] == [
            day_and_time(booked.session.scheduled_time, MENTOR_ZONE), "Sam Rivera"]
        pending = mentor.screen.query_one("DataTable#pending", DataTable)
        pending.focus()
        pending.move_cursor(row=row_of(mentor, "pending", booked.session.id))
        await settle(mentor, sofia)
        await sam.press("f3")  # meanwhile the student looks at My Sessions
        await settle(student, sam)
        unread_before, toasts_before = unread_in_header(student), toasts(student)
        await sofia.press("c")
        await settle(mentor, sofia)
        assert booked.session.id in mentor.screen.query_one("DataTable#next", DataTable).rows

        # 3. The student is told at once: header count, toast, My Sessions; then the inbox.
        confirmed_line = messages.session_confirmed(
            MENTOR, day_and_time(booked.session.scheduled_time, STUDENT_ZONE))
        await until(sam, lambda: unread_in_header(student) == unread_before + 1, "the header's count", GUARD_SECONDS)
        await until(sam, lambda: toasted(student, toasts_before, confirmed_line), "the toast", GUARD_SECONDS)

        await until(sam, lambda: (shown_row(student, "upcoming", booked.session.id) or [""])[-1] == "✔ Confirmed",
                    "the confirmed session in My Sessions", GUARD_SECONDS)
        await sam.press("f8")
        await settle(student, sam)
        assert isinstance(student.screen, InboxScreen)
        assert inbox_lines(student)[0].endswith(confirmed_line)
        await sam.press("escape")
        await settle(student, sam)

        # 4. They chat both ways, each from the session (ctrl+l), each thread open.
        upcoming = student.screen.query_one("DataTable#upcoming", DataTable)
        upcoming.focus()
        upcoming.move_cursor(row=row_of(student, "upcoming", booked.session.id))
        await settle(student, sam)
        await sam.press("ctrl+l")
        await settle(student, sam)
        next_up = mentor.screen.query_one("DataTable#next", DataTable)
        next_up.focus()
        next_up.move_cursor(row=row_of(mentor, "next", booked.session.id))
        await settle(mentor, sofia)
        await sofia.press("ctrl+l")
        await settle(mentor, sofia)
        for app, other in ((student, MENTOR), (mentor, "Sam Rivera")):
            assert app.screen.query_one("#sections", TabbedContent).active == "messages"
            assert other in str(pane(app).query_one("#conversation-title", Static).render())

        await send(student, sam, "Hi Sofia, see you then")
        await until(sofia, lambda: "Sam Rivera\nHi Sofia, see you then" in thread_shown(mentor), "Sam's message",
                    GUARD_SECONDS)
        await send(mentor, sofia, "Great, bring your project")
        await until(sam, lambda: f"{MENTOR}\nGreat, bring your project" in thread_shown(student),
                    "Sofia's reply", GUARD_SECONDS)

        # 5. The mentor proposes /schedule friday 4pm; the student accepts it with one key.
        await send(mentor, sofia, f"/schedule {PROPOSE_WHEN}")
        preview = mentor.screen
        assert isinstance(preview, SchedulePreview)
        about = str(preview.query_one("#dialog-about", Static).render())
        assert f"{day_and_time(proposal_at, STUDENT_ZONE)}–" in about and f"({STUDENT_ZONE.key})" in about
        assert f"{day_and_time(proposal_at, MENTOR_ZONE)}–" in about
        assert messages.PREVIEW_FITS in about
        await sofia.press("ctrl+s")
        await settle(mentor, sofia)
        assert "Open proposal: waiting for an answer" in thread_shown(mentor)

        await until(sam, lambda: "Open proposal · a Accept" in thread_shown(student), "the proposal card",
                    GUARD_SECONDS)
        await to_the_conversations(student, sam)
        mentor_toasts = toasts(mentor)
        await sam.press("a")
        await settle(student, sam)
        assert "Accepted: confirmed" in thread_shown(student)
        await until(sofia, lambda: "Accepted: confirmed" in thread_shown(mentor), "the accepted card at the mentor's",
                    GUARD_SECONDS)
        told = messages.session_confirmed("Sam Rivera", day_and_time(proposal_at, MENTOR_ZONE))
        await until(sofia, lambda: toasted(mentor, mentor_toasts, told), "the mentor's toast: the student confirmed",
                    GUARD_SECONDS)
        accepted = await session_with(mentor, at=proposal_at)
        assert accepted.session.status is SessionStatus.CONFIRMED and accepted.student_name == "Sam Rivera"

        # 6. Both join the call from the chat with o: linked, copied, no browser opened.
        await to_the_conversations(mentor, sofia)
        for app, pilot in ((student, sam), (mentor, sofia)):
            await pilot.press("o")
            await settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, CallDialog) and dialog.url == accepted.session.meeting_link
            assert app.clipboard == dialog.url  # OSC 52
            assert links_drawn(app) == {dialog.url}  # OSC 8
            assert "No browser was opened" in str(dialog.query_one("#call-done", Static).content)
        assert over_ssh == []
