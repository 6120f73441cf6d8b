"""What the shell's tests share: people made before the app starts, and waiting for it."""

from __future__ import annotations

from decimal import Decimal

from pilot_support import settle  # noqa: F401 (the shell tests take it from here)
from textual.widgets import Input

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.domain.models import ProfileUpdate, Role
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services

SIZE = (80, 24)
PASSWORD = "correct horse"
PEOPLE = {Role.MENTOR: ("maya@example.org", "Maya Chen"), Role.STUDENT: ("sam@example.org", "Sam Rivera")}


def new_repo(clock) -> LocalRepository:
    """A repository on this test's database; a second one on the same files is a restart."""
    return LocalRepository(paths.default_db_path(), paths.state_dir(), clock)


BOOKABLE = ProfileUpdate(profession="Staff engineer", hourly_rate=Decimal(60), expertise=("Python",))
"""What a mentor's profile needs before students can book it (else the app starts in Settings)."""


async def add_account(clock, role: Role, *, signed_in: bool, profile: ProfileUpdate | None = BOOKABLE) -> None:
    """Maya (mentor) or Sam (student), made before the app starts; a sign-in left in place is restored."""
    email, name = PEOPLE[role]
    services = Services(new_repo(clock), clock)
    await services.sign_up(email, PASSWORD, name, role)
    if role is Role.MENTOR and profile is not None:
        await services.update_profile(profile)
    if not signed_in:
        await services.sign_out()
    await services.close()


async def signed_in_app(clock, role: Role, profile: ProfileUpdate | None = BOOKABLE) -> MentorApp:
    await add_account(clock, role, signed_in=True, profile=profile)
    return MentorApp(new_repo(clock), clock)


async def type_into(pilot, selector: str, text: str) -> None:
    """Focus a field and type into it; all but the last letter are pasted, as typing each is slow."""
    field = pilot.app.screen.query_one(selector, Input)
    await pilot.click(selector)
    field.insert_text_at_cursor(text[:-1])
    await pilot.press(text[-1])


def record_notifications(app: MentorApp, monkeypatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: seen.append((message, kw.get("severity", ""))))
    return seen
