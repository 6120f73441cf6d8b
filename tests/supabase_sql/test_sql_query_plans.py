"""Every request SupabaseRepository sends, planned by PostgreSQL on a database big
enough that the planner prefers indexes (scale_data.PLANS, ANALYZEd): no sequential
scan of a big table, in the request itself, in the functions it calls (their own
statements, nested) or in the RLS policies it meets.

The requests are recorded as the test gateway runs them (PostgREST's SQL, with its
role and JWT claims), then run again the same way with ``auto_explain`` reporting the
plan of every statement, nested ones included, and rolled back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

import scale_calls
import scale_data
from gateway import Gateway, project_database
from gateway.rest import Caller, Rest
from mentor_tui.clock import SystemClock
from mentor_tui.repository.supabase import SupabaseRepository

BIG_TABLES = {"mentor_sessions", "user_profiles", "mentor_messages", "mentor_notifications", "mentor_students"}
NOW = datetime.now(UTC)


@dataclass(frozen=True)
class Request:
    caller: Caller
    query: sql.SQL | sql.Composed
    params: list[Any]


@pytest.fixture(scope="module")
def project() -> Iterator[tuple[str, scale_data.People]]:
    with project_database("query_plans") as url, psycopg.connect(url, autocommit=True) as admin:
        people = scale_data.load_postgres(admin, scale_data.PLANS, NOW)
        scale_calls.open_gateway_sign_in(admin, people)
        yield url, people


def plans(url: str, request: Request) -> list[dict[str, Any]]:
    """The plans of every statement the request runs, nested ones included, as JSON;
    run as PostgREST runs it, then rolled back."""
    found: list[dict[str, Any]] = []

    def collect(diag: psycopg.errors.Diagnostic) -> None:
        text = diag.message_primary or ""
        if "plan:" in text:
            found.append(json.loads(text.split("plan:", 1)[1])["Plan"])

    with psycopg.connect(url, autocommit=True) as conn:
        for setting in ("load 'auto_explain'", "set auto_explain.log_min_duration = 0",
                        "set auto_explain.log_nested_statements = on", "set auto_explain.log_format = json",
                        "set auto_explain.log_level = notice"):
            conn.execute(setting)
        conn.add_notice_handler(collect)
        conn.execute("begin")
        conn.execute(sql.SQL("set local role {}").format(sql.Identifier(request.caller.role)))
        conn.execute("select set_config('request.jwt.claims', %s, true)", (json.dumps(request.caller.claims),))
        found.clear()  # the two statements above
        conn.execute(request.query, request.params)
        conn.execute("rollback")
    return found


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch, project) -> dict[str, list[dict[str, Any]]]:
    """From now on, each request the gateway answers is first run on its own and rolled
    back, with every plan kept by request path: planned in the state the request met."""
    url, _ = project
    found: dict[str, list[dict[str, Any]]] = {}
    run = Rest._run

    async def planning(self, conn, request, caller, read_only, query, params, count_query):  # type: ignore[no-untyped-def]
        for statement in (query, params), *([count_query] if count_query else []):
            found.setdefault(request.url.path, []).extend(plans(url, Request(caller, *statement)))
        return await run(self, conn, request, caller, read_only, query, params, count_query)

    monkeypatch.setattr(Rest, "_run", planning)
    return found


def index_names(plan: dict[str, Any]) -> Iterator[str]:
    if "Index Name" in plan:
        yield plan["Index Name"]
    for child in plan.get("Plans", []):
        yield from index_names(child)


def seq_scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        yield f"Seq Scan on {plan['Relation Name']} filter {plan.get('Filter', '')}"
    for child in plan.get("Plans", []):
        yield from seq_scans(child)


async def test_no_request_the_repository_makes_scans_a_big_table(project, planned, tmp_path: Path):
    url, people = project
    gateway = Gateway(url)
    clock = SystemClock()
    mentor = SupabaseRepository(gateway.url, gateway.config.publishable_key, tmp_path / "m", clock, transport=gateway)
    student = SupabaseRepository(gateway.url, gateway.config.publishable_key, tmp_path / "s", clock, transport=gateway)
    await mentor.sign_in(scale_calls.email(people.busy_mentor), scale_calls.PASSWORD)
    await student.sign_in(scale_calls.email(people.seven_student), scale_calls.PASSWORD)
    for read in scale_calls.reads(people, NOW):
        await read.run(mentor if read.who == "mentor" else student)
    await scale_calls.writes(mentor, student, people, NOW)
    await mentor.close()
    await student.close()
    assert not gateway.grammar_errors

    assert {"/rest/v1/rpc/mentor_busy_times", "/rest/v1/rpc/mentor_session_parties",
            "/rest/v1/mentor_sessions"} <= planned.keys(), planned.keys()  # the recording works
    scans = {path: found for path, plan_list in planned.items()
             if (found := [scan for plan in plan_list for scan in seq_scans(plan)])}
    assert not scans, json.dumps(scans, indent=1)
    # Busy times: each person's held sessions through the no-overlap rules' gist indexes (003).
    busy = {name for plan in planned["/rest/v1/rpc/mentor_busy_times"] for name in index_names(plan)}
    assert {"mentor_sessions_mentor_overlap", "mentor_sessions_student_overlap"} <= busy, busy


def test_the_finder_sees_a_scan_when_there_is_one(project):
    """The check itself: a request that must read every session is caught, inside a function too."""
    url, people = project
    owner = Caller("postgres", {})  # no RLS: the policies would narrow the read to one person's rows
    direct = Request(owner, sql.SQL("select count(*) from public.mentor_sessions where subject = 'x'"), [])
    assert [s for plan in plans(url, direct) for s in seq_scans(plan)]
    caller = Caller("authenticated", {"role": "authenticated", "sub": people.busy_mentor})
    nested = Request(caller, sql.SQL("select * from public.mentor_reviews(%s, 5)"), [people.busy_mentor])
    assert len(plans(url, nested)) >= 2  # the function's own statement is reported too
