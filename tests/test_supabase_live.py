"""Live updates on Supabase (repository/supabase_live.py) through the gateway and a Realtime
stand-in (tests/gateway/realtime_standin.py) on the real PostgreSQL: a change another person
makes moves the change token, a third party's does not reach the channel; a refreshed access
token is sent to Realtime; a refused or dropped channel falls back to polling
mentor_change_marker() and joins again later; only when both fail does change_token raise."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import jwt
import psycopg
import pytest

from gateway import Gateway, ProjectConfig, project_database
from gateway.realtime_standin import RealtimeStandin
from mentor_tui.clock import SystemClock
from mentor_tui.domain.errors import BackendUnavailable
from mentor_tui.domain.models import Role
from mentor_tui.repository import supabase_live
from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.services import Services

PASSWORD = "live-pass-123"
MARKER = "POST /rest/v1/rpc/mentor_change_marker"


class FlakyGateway(Gateway):
    """The gateway, with the change query unreachable while ``marker_down`` is set."""

    marker_down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.marker_down and request.url.path == "/rest/v1/rpc/mentor_change_marker":
            raise httpx.ConnectError("connection refused", request=request)
        return await super().handle_async_request(request)


@pytest.fixture(scope="module")
def project_url() -> Iterator[str]:
    with project_database("supabase_live") as url:
        yield url


@pytest.fixture
async def standin(project_url: str) -> AsyncIterator[RealtimeStandin]:
    with psycopg.connect(project_url) as conn:
        tables = [t for t in supabase_live.LIVE_TABLES if conn.execute("select to_regclass(%s)", (f"public.{t}",)).fetchone()[0]]
    server = RealtimeStandin(project_url, ProjectConfig(), tables)
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def gateway(project_url: str, standin: RealtimeStandin) -> Iterator[FlakyGateway]:
    gateway = FlakyGateway(project_url, standin.config, url=standin.url)
    yield gateway
    assert not gateway.grammar_errors, gateway.grammar_errors


@pytest.fixture
async def people(gateway: FlakyGateway, project_url: str, tmp_path: Path) -> AsyncIterator[SimpleNamespace]:
    """A mentor and a student with a session, and another such pair (the third party)."""
    clock = SystemClock()
    opened: list[Services] = []

    async def person(role: Role) -> tuple[Services, str]:
        name = f"live-{uuid.uuid4().hex[:10]}"
        repo = SupabaseRepository(gateway.url, gateway.config.publishable_key, tmp_path / name, clock, transport=gateway)
        services = Services(repo, clock)
        opened.append(services)
        profile = await services.sign_up(f"{name}@example.org", PASSWORD, name.title(), role)
        found.emails[profile.id] = profile.email
        return services, profile.id

    found = SimpleNamespace(emails={})
    found.mentor, found.mentor_id = await person(Role.MENTOR)
    found.student, found.student_id = await person(Role.STUDENT)
    found.other_mentor, found.other_mentor_id = await person(Role.MENTOR)
    found.outsider, found.outsider_id = await person(Role.STUDENT)
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    with psycopg.connect(project_url, autocommit=True) as admin:
        for mentor, student in ((found.mentor_id, found.student_id), (found.other_mentor_id, found.outsider_id)):
            admin.execute(
                "insert into public.mentor_sessions (mentor_id, student_id, subject, scheduled_time, duration_minutes)"
                " values (%s, %s, 'Python', %s, 60)",
                (mentor, student, start),
            )
    yield found
    for services in opened:
        await services.close()


async def until(check: Callable[[], bool | Awaitable[bool]], what: str) -> None:
    """Wait for ``check`` (a guard against hanging, not a measure of time)."""
    for _ in range(400):
        answer = check()
        if await answer if inspect.isawaitable(answer) else answer:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


def moved(services: Services, since: int | None) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return await services.change_token() != since

    return check


def marker_polls(gateway: Gateway) -> int:
    return sum(1 for line in gateway.requests if line.startswith(MARKER))


async def test_the_other_persons_change_moves_the_token_and_a_third_partys_never_reaches_the_channel(
    people, standin, gateway
):
    before = await people.student.change_token()
    await people.outsider.change_token()
    assert sorted(standin.subscribers()) == sorted([people.student_id, people.outsider_id])

    theirs = await people.other_mentor.send_message(people.outsider_id, "Third party")
    ours = await people.mentor.send_message(people.student_id, "Hello from your mentor")
    await until(moved(people.student, before), "the student's token moves")

    def sent_to(user_id: str) -> set[tuple[str, str]]:
        return {(d.table, d.row_id) for d in standin.deliveries if d.subscriber == user_id}

    # The message's notification may arrive first; the message itself follows.
    await until(lambda: ("mentor_messages", ours.id) in sent_to(people.student_id), "the message reaches the student")
    assert ("mentor_messages", theirs.id) in sent_to(people.outsider_id)  # relayed: RLS kept it from the student
    assert not sent_to(people.student_id) & sent_to(people.outsider_id)
    assert marker_polls(gateway) == 0  # the channel carried it all


async def test_a_refreshed_access_token_is_sent_to_realtime(people, standin, gateway):
    gateway.reconfigure(access_token_seconds=20)  # under the refresh margin: every call refreshes
    await people.student.sign_in(people.emails[people.student_id], PASSWORD)
    before = await people.student.change_token()
    (joined,) = [join["access_token"] for join in standin.joins]

    # The next call refreshes the token; a few seconds later by the project's clock, so the
    # new token differs from the old one even within the same second here.
    gateway.reconfigure(issue_skew_seconds=5.0)
    await people.student.change_token()
    await until(lambda: bool(standin.access_tokens), "an access_token message")
    (sent,) = standin.access_tokens
    claims = jwt.decode(sent, options={"verify_signature": False})
    assert sent != joined and claims["sub"] == people.student_id

    await people.mentor.send_message(people.student_id, "Still there?")
    await until(moved(people.student, before), "a change after the refresh")
    assert marker_polls(gateway) == 0


async def test_a_refused_join_falls_back_to_polling_until_the_channel_joins(
    people, standin, gateway, monkeypatch, caplog
):
    monkeypatch.setattr(supabase_live, "RETRY_SECONDS", (0.05,))
    standin.refuse_joins = "Unauthorized: You do not have permissions to read from this Channel topic"
    before = await people.student.change_token()
    assert standin.joins and standin.subscribers() == []

    await people.mentor.send_message(people.student_id, "Polled")
    polled = await people.student.change_token()
    assert polled != before and marker_polls(gateway) >= 1
    assert await people.student.change_token() == polled  # nothing new: the marker stands still
    (fallback,) = [r.getMessage() for r in caplog.records if "polling for changes" in r.getMessage()]
    assert "Unauthorized" in fallback  # logged once, with Realtime's reason

    standin.refuse_joins = None
    await until(lambda: standin.subscribers() == [people.student_id], "the channel joins again")
    rejoined = await people.student.change_token()
    assert rejoined != polled  # what changed between the last poll and the join is not lost
    polls = marker_polls(gateway)
    await people.mentor.send_message(people.student_id, "Live again")
    await until(moved(people.student, rejoined), "a change through the channel")
    assert marker_polls(gateway) == polls


async def test_a_join_without_an_answer_falls_back_to_polling(people, standin, gateway, monkeypatch):
    monkeypatch.setattr(supabase_live, "JOIN_SECONDS", 1)
    standin.ignore_joins = True
    before = await people.student.change_token()
    assert standin.joins and marker_polls(gateway) == 1

    await people.mentor.send_message(people.student_id, "Nobody answered the join")
    assert await people.student.change_token() != before


async def test_a_dropped_channel_falls_back_to_polling(people, standin, gateway, monkeypatch):
    monkeypatch.setattr(supabase_live, "RETRY_SECONDS", (30.0,))  # stays on the poll during the test
    await people.student.change_token()
    await standin.drop_channels()

    async def polling() -> bool:
        await people.student.change_token()
        return marker_polls(gateway) > 0

    await until(polling, "the poll takes over")
    before = await people.student.change_token()
    await people.mentor.send_message(people.student_id, "After the drop")
    assert await people.student.change_token() != before


async def test_change_token_raises_only_when_realtime_and_the_poll_both_fail(people, standin, gateway):
    await standin.stop()  # connections refused
    gateway.marker_down = True
    with pytest.raises(BackendUnavailable):
        await people.student.change_token()

    gateway.marker_down = False
    before = await people.student.change_token()
    await people.mentor.send_message(people.student_id, "Back")
    assert await people.student.change_token() != before


async def test_signing_out_leaves_the_channel(people, standin):
    await people.student.change_token()
    assert standin.subscribers() == [people.student_id]
    await people.student.sign_out()
    await until(lambda: standin.subscribers() == [], "the channel is left")
