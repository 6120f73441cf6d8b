"""Fixtures for the gateway's own tests: one project database per module."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from gateway import Gateway, project_database
from mentor_tui.clock import SystemClock
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.services import Services


@pytest.fixture(scope="module")
def project_url(request: pytest.FixtureRequest) -> Iterator[str]:
    with project_database(request.module.__name__.rsplit(".", 1)[-1]) as url:
        yield url


@pytest.fixture
def gateway(project_url: str) -> Iterator[Gateway]:
    gateway = Gateway(project_url)
    yield gateway
    assert not gateway.grammar_errors, gateway.grammar_errors


@pytest.fixture
async def connect(gateway: Gateway, tmp_path: Path) -> AsyncIterator[Callable[[str], Services]]:
    """``connect(name)``: the services on a SupabaseRepository through the gateway with state folder ``name``."""
    opened: list[Services] = []

    def make(name: str = "person") -> Services:
        clock = SystemClock()
        key = gateway.config.publishable_key
        repo = Services(SupabaseRepository(gateway.url, key, tmp_path / name, clock, transport=gateway), clock)
        opened.append(repo)
        return repo

    yield make
    for repo in opened:
        await repo.close()
