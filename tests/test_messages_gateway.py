"""The Messages section through the Supabase gateway (SupabaseRepository over the PostgREST/
GoTrue stand-in on PostgreSQL, migrations applied), by Pilot at 80x24: the conversations
newest first with unread counts, the thread read once shown, sending from a session, and the
refusal to write to a stranger, kept beside the box with what was typed.

The project's clock is real: messages are ordered by the database's now(), so the tests
assert on order and text, not on times of day.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from gateway import Gateway, project_database
from pilot_support import paste, settle
from test_messages import entries, pane, thread_shown
from textual.widgets import Static, TabbedContent

from mentor_tui.app import MentorApp
from mentor_tui.clock import SystemClock
from mentor_tui.domain import messages
from mentor_tui.domain.models import ProfileUpdate, Role
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.services import Services
from mentor_tui.widgets.message_composer import MessageComposer
from mentor_tui.widgets.message_open import Partner

SIZE = (80, 24)
PASSWORD = "messages-pass-1"


@dataclass(frozen=True)
class Person:
    name: str
    id: str
    state: Path
    """The folder that remembers their sign-in: their terminal."""


@dataclass
class Project:
    gateway: Gateway
    people: dict[str, Person]
    """Sam (student, Chicago) shares a session with Ana and with Ben; Dev shares none with him."""

    def repository(self, who: str) -> SupabaseRepository:
        return SupabaseRepository(self.gateway.url, self.gateway.config.publishable_key, self.people[who].state,
                                  SystemClock(), transport=self.gateway)

    def app(self, who: str) -> MentorApp:
        return MentorApp(self.repository(who), SystemClock())

    async def as_(self, who: str) -> Services:
        """``who``'s services, on the sign-in their terminal remembers."""
        services = Services(self.repository(who), SystemClock())
        assert await services.restore() is not None
        return services


@pytest.fixture(scope="module")
def project_url() -> Iterator[str]:
    with project_database("messages_gateway") as url:
        yield url


@pytest.fixture
async def project(project_url: str, tmp_path: Path) -> AsyncIterator[Project]:
    gateway = Gateway(project_url)
    suffix = uuid.uuid4().hex[:8]
    people: dict[str, Person] = {}
    for key, name, role in (("ana", "Ana Souza", Role.MENTOR), ("ben", "Ben Okoro", Role.MENTOR),
                            ("dev", "Dev Patel", Role.MENTOR), ("sam", "Sam Rivera", Role.STUDENT)):
        state = tmp_path / f"terminal-{key}"
        services = Services(SupabaseRepository(gateway.url, gateway.config.publishable_key, state, SystemClock(),
                                               transport=gateway), SystemClock())
        profile = await services.sign_up(f"{key}-{suffix}@example.org", PASSWORD, name, role)
        if key == "sam":
            await services.update_profile(ProfileUpdate(timezone="America/Chicago"))
        await services.close()
        people[key] = Person(name, profile.id, state)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    with psycopg.connect(project_url, autocommit=True) as owner:
        for mentor, hours in (("ana", 0), ("ben", 2)):
            owner.execute(
                "insert into public.mentor_sessions (mentor_id, student_id, subject, scheduled_time, duration_minutes)"
                " values (%s, %s, 'Pandas', %s, 60)",
                (people[mentor].id, people["sam"].id, start + timedelta(hours=hours)),
            )
    yield Project(gateway, people)
    assert not gateway.grammar_errors, gateway.grammar_errors


async def write(project: Project, sender: str, to: str, *bodies: str) -> None:
    services = await project.as_(sender)
    try:
        for body in bodies:
            await services.send_message(project.people[to].id, body)
    finally:
        await services.close()


async def unread_of(project: Project, reader: str) -> dict[str, int]:
    services = await project.as_(reader)
    try:
        return {c.other_name: c.unread for c in await services.conversations()}
    finally:
        await services.close()


async def thread_of(project: Project, reader: str, other: str) -> list[str]:
    services = await project.as_(reader)
    try:
        return [m.body for m in await services.thread(project.people[other].id)]
    finally:
        await services.close()


async def test_conversations_newest_first_with_unread_counts_and_a_thread_shown_is_read(project: Project) -> None:
    await write(project, "ana", "sam", "First", "Second")
    await write(project, "ben", "sam", "Newest")
    app = project.app("sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        listed = entries(app)
        assert listed[0].startswith("Ben Okoro\nNewest")  # shown first, so read at once
        assert listed[1].startswith("Ana Souza (2)\nSecond")
        assert "Ben Okoro\nNewest" in thread_shown(app)
        assert await unread_of(project, "sam") == {"Ben Okoro": 0, "Ana Souza": 2}

        await pilot.press("down")
        await settle(app, pilot)
        shown = thread_shown(app)
        assert shown.index("Ana Souza\nFirst") < shown.index("Ana Souza\nSecond")
        assert entries(app)[1].startswith("Ana Souza\nSecond")
        assert await unread_of(project, "sam") == {"Ben Okoro": 0, "Ana Souza": 0}


async def test_a_student_writes_from_a_session_and_the_mentor_reads_it(project: Project) -> None:
    app = project.app("sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")  # My Sessions: the first upcoming one is with Ana
        await settle(app, pilot)
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.screen.query_one("#sections", TabbedContent).active == "messages"
        assert "Ana Souza" in str(pane(app).query_one("#conversation-title", Static).render())
        assert "No messages yet" in thread_shown(app)
        assert app.screen.focused is pane(app).query_one(MessageComposer)

        await paste(pilot, "Hello Ana")
        await pilot.press("ctrl+j")
        await paste(pilot, "see you soon")
        await pilot.press("enter")
        await settle(app, pilot)
        assert pane(app).query_one(MessageComposer).text == ""
        assert "You\nHello Ana\nsee you soon" in thread_shown(app)
        assert entries(app)[0].startswith("Ana Souza\nHello Ana see you soon")
    assert await thread_of(project, "ana", "sam") == ["Hello Ana\nsee you soon"]
    assert await unread_of(project, "ana") == {"Sam Rivera": 1}


async def test_a_mentor_answers_in_the_open_conversation(project: Project) -> None:
    await write(project, "sam", "ana", "Can we look at pandas?")
    app = project.app("ana")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f7")  # Messages: Sam's conversation opens first
        await settle(app, pilot)
        assert "Sam Rivera\nCan we look at pandas?" in thread_shown(app)
        await pilot.press("enter")  # from the list to the box
        await settle(app, pilot)
        await paste(pilot, "Yes, bring a notebook")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "You\nYes, bring a notebook" in thread_shown(app)
    assert await thread_of(project, "sam", "ana") == ["Can we look at pandas?", "Yes, bring a notebook"]


async def test_a_message_to_a_stranger_is_refused_beside_the_box_and_the_text_kept(project: Project) -> None:
    app = project.app("sam")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        dev = project.people["dev"]  # no session with Sam
        pane(app).open_conversation(Partner(dev.id, dev.name))  # as another section would ask
        pane(app).refresh_data()
        await settle(app, pilot)
        await paste(pilot, "Hi Dev")
        await pilot.press("enter")
        await settle(app, pilot)
        problem = pane(app).query_one("#composer-problem", Static)
        assert problem.display and str(problem.render()) == messages.MESSAGE_NEEDS_SESSION
        assert pane(app).query_one(MessageComposer).text == "Hi Dev"
    assert await thread_of(project, "dev", "sam") == []
    assert "Sam Rivera" not in await unread_of(project, "dev")
