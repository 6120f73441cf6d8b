"""Shared set-up for the mentor dashboard tests (no tests here): demo data, signed-in
repositories on the test's own database, and waiting for the app to finish its work."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from textual.widget import Widget
from textual.widgets import DataTable, TabbedContent

from mentor_tui import paths
from mentor_tui.app import MentorApp
from mentor_tui.clock import Clock
from mentor_tui.domain.models import Role, SessionView
from mentor_tui.repository.demo import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from mentor_tui.repository.local import LocalRepository
from mentor_tui.services import Services
from pilot_support import settle, until

MAYA = f"maya@{DEMO_DOMAIN}"
"""The first demo mentor (Europe/London): a session in progress, yesterday's to complete, a request."""

SIZE = (80, 24)


def repo_for(clock: Clock, state: str = "") -> LocalRepository:
    """A repository on this test's database; each ``state`` remembers its own sign-in."""
    state_dir = paths.state_dir() / state if state else paths.state_dir()
    return LocalRepository(paths.default_db_path(), state_dir, clock)


_TEMPLATES: dict[datetime, Path] = {}


def seed(clock: Clock) -> Path:
    """The demo data at the clock's time in this test's database (seeded once per run, then copied)."""
    now = clock.now()
    if now not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="mentor-tui-demo-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        seed_demo(folder / "demo.db", now)
        _TEMPLATES[now] = folder / "demo.db"
    db = paths.default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_TEMPLATES[now], db)
    return db


async def demo_mentor(clock: Clock, email: str = MAYA) -> LocalRepository:
    """Demo data, and a repository signed in as a demo mentor."""
    seed(clock)
    repo = repo_for(clock)
    await repo.sign_in(email, DEMO_PASSWORD)
    return repo


async def new_person(
    clock: Clock, name: str, role: Role, zone: str = "UTC", *, complete: bool = False
) -> LocalRepository:
    """A new account (with its own remembered sign-in) in the given time zone."""
    from mentor_tui.domain.models import ProfileUpdate

    login = name.lower().replace(" ", ".")
    repo = repo_for(clock, state=login)
    await repo.sign_up(f"{login}@example.org", "a long password", name, role)
    if complete:  # what a mentor's public profile needs, so the app opens on Overview, not Settings
        await repo.update_profile(ProfileUpdate(timezone=zone, profession="Engineer", hourly_rate=Decimal(50),
                                                expertise=("Python",)))
    else:
        await repo.update_profile(ProfileUpdate(timezone=zone))
    return repo


async def services_on(repo: LocalRepository, clock: Clock) -> Services:
    """The services over ``repo``, signed in as whoever ``repo`` remembers: for the changes only
    the services make (booking, confirming, completing) and the figures they count."""
    services = Services(repo, clock)
    await services.restore()
    return services


async def dialog(app: MentorApp, pilot, screen_type: type):
    """Wait for a dialog to open."""
    await until(pilot, lambda: isinstance(app.screen, screen_type), f"{screen_type.__name__} opens")
    return app.screen


async def open_section(app: MentorApp, pilot, key: str, pane_type: type[Widget]) -> Widget:
    """Press a section's function key and return its loaded pane."""
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    pane = app.screen.query_one(pane_type)
    assert app.screen.query_one(TabbedContent).active_pane in pane.ancestors
    return pane


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def move_to(table: DataTable, key: str) -> None:
    table.focus()
    table.move_cursor(row=table.get_row_index(key))


def record_notifications(app: MentorApp, monkeypatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []

    def notify(message: str, **options) -> None:
        seen.append((message, options.get("severity", "information")))

    monkeypatch.setattr(app, "notify", notify)
    return seen


def find(views: list[SessionView], **wanted) -> Iterator[SessionView]:
    """Sessions whose fields (on the session or the view) have the wanted values."""
    for view in views:
        if all(getattr(view.session, name, getattr(view, name, None)) == value for name, value in wanted.items()):
            yield view
