"""One contract, run through the services against every backend that can run here.

"local" always runs. "gateway" runs SupabaseRepository through the
PostgREST/GoTrue test gateway (tests/gateway/) on real PostgreSQL: one database
for the session, set up as a Supabase project created today with the
migrations applied twice; its clock is the database's real now(), so the tests
that move the clock skip there. "supabase" runs against a live project only
when MENTOR_TUI_LIVE_SUPABASE_URL and MENTOR_TUI_LIVE_SUPABASE_ANON_KEY are set
(optionally MENTOR_TUI_LIVE_EMAIL_DOMAIN, for projects that refuse example.org).
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from mentor_tui.clock import Clock, SystemClock
from mentor_tui.repository.base import Storage
from mentor_tui.services import Services

LIVE_URL = "MENTOR_TUI_LIVE_SUPABASE_URL"
LIVE_KEY = "MENTOR_TUI_LIVE_SUPABASE_ANON_KEY"
LIVE_EMAIL_DOMAIN = "MENTOR_TUI_LIVE_EMAIL_DOMAIN"


@dataclass
class Backend:
    name: str
    clock: Clock
    connect: Callable[..., Services]
    """``connect(state=None, storage=None)``: the services on a new backend (or on ``storage``) over the same store; ``state``
    names its state folder (a fresh one by default), so one test can act as several people."""
    open_storage: Callable[..., Storage]
    """``open_storage(state=None)``: a new backend alone, for a test to wrap before giving it to ``Services``."""
    advance: Callable[[timedelta], None] | None
    """Moves time forward; None where the clock is a live server's and cannot be moved."""
    email_domain: str = "example.org"
    cap_rows: Callable[[int], None] | None = None
    """Lowers the project's max rows (PostgREST ``db-max-rows``); None where there is no such limit."""

    def email(self, who: str) -> str:
        """Unique per call, so runs against a live project never collide."""
        return f"{who}-{uuid.uuid4().hex[:12]}@{self.email_domain}"

    def move_clock(self, delta: timedelta) -> None:
        if self.advance is None:
            pytest.skip(f"the {self.name} backend's clock cannot be moved forward")
        self.advance(delta)


def _local(tmp_path: Path, clock) -> tuple[Callable[[Path], Storage], Clock, Callable[[timedelta], None]]:
    from mentor_tui.repository.local import LocalRepository

    db_path = tmp_path / "contract.db"
    return (lambda state: LocalRepository(db_path, state, clock)), clock, clock.advance


def _supabase() -> tuple[Callable[[Path], Storage], Clock, None]:
    url, key = os.environ.get(LIVE_URL), os.environ.get(LIVE_KEY)
    if not (url and key):
        pytest.skip(f"set {LIVE_URL} and {LIVE_KEY} to run the contract against a live Supabase project")
    from mentor_tui.repository.supabase import SupabaseRepository

    system = SystemClock()
    return (lambda state: SupabaseRepository(url, key, state, system)), system, None


@pytest.fixture(scope="session")
def gateway_project() -> Iterator[str]:
    from gateway import project_database

    with project_database("contract") as url:
        yield url


def _gateway(request: pytest.FixtureRequest) -> tuple[Callable[[Path], Storage], Clock, None]:
    from gateway import Gateway

    from mentor_tui.repository.supabase import SupabaseRepository

    gateway = Gateway(request.getfixturevalue("gateway_project"))
    request.node.gateway = gateway
    request.addfinalizer(lambda: _no_grammar_errors(gateway))
    system = SystemClock()
    key = gateway.config.publishable_key
    return (lambda state: SupabaseRepository(gateway.url, key, state, system, transport=gateway)), system, None


def _no_grammar_errors(gateway) -> None:
    assert not gateway.grammar_errors, "requests outside the gateway's grammar (see the test's errors)"


@pytest.fixture(params=["local", "gateway", "supabase"])
async def backend(request, tmp_path, clock):
    if request.param == "local":
        factory, chosen_clock, advance = _local(tmp_path, clock)
    elif request.param == "gateway":
        factory, chosen_clock, advance = _gateway(request)
    else:
        factory, chosen_clock, advance = _supabase()
    names = itertools.count()
    opened: list[Services] = []

    def open_storage(state: str | None = None) -> Storage:
        return factory(tmp_path / "contract-state" / (state or f"person-{next(names)}"))

    def connect(state: str | None = None, storage: Storage | None = None) -> Services:
        services = Services(storage or open_storage(state), chosen_clock)
        opened.append(services)
        return services

    yield Backend(
        name=request.param,
        clock=chosen_clock,
        connect=connect,
        open_storage=open_storage,
        advance=advance,
        email_domain=os.environ.get(LIVE_EMAIL_DOMAIN) or "example.org",
        cap_rows=(lambda rows: request.node.gateway.reconfigure(max_rows=rows)) if request.param == "gateway" else None,
    )
    for services in opened:
        await services.close()
