"""The Supabase migrations on a real PostgreSQL server.

Each test module gets a fresh database (unique name, dropped afterwards) on the
server named by MENTOR_TUI_TEST_PG, with the Supabase stand-in loaded and the
migrations applied twice. The stand-in is a project created today (no default
grants on new public objects); a module about older projects sets
``LEGACY_PROJECT = True`` to get the old broad default grants. Tests act as
PostgREST does: inside a transaction, ``set local role authenticated`` plus the
request's JWT claims (pg_support.Db).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

import pg_support
from pg_support import Db, Scripts


@pytest.fixture(scope="session")
def scripts() -> type[Scripts]:
    return Scripts


@pytest.fixture(scope="session")
def server_url() -> str:
    return pg_support.server_url()


@pytest.fixture(scope="module")
def blank_db(server_url: str, request: pytest.FixtureRequest) -> Iterator[Db]:
    """A database with only the Supabase stand-in, for tests that set tables up before migrating."""
    label = request.module.__name__.rsplit(".", 1)[-1]
    with pg_support.standin_database(server_url, label, legacy=getattr(request.module, "LEGACY_PROJECT", False)) as db:
        yield db


@pytest.fixture(scope="module")
def db(blank_db: Db) -> Db:
    """A database with the stand-in and the migrations, applied twice."""
    Scripts.migrate(blank_db.admin)
    Scripts.migrate(blank_db.admin)
    return blank_db


@pytest.fixture
def soon() -> datetime:
    """A whole hour a few days ahead: in the future for the database's now()."""
    return (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
