"""The gateway answers as PostgREST v13 does, checked through supabase-py's own client and raw HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import psycopg
import pytest
from postgrest.exceptions import APIError

import pg_support
from gateway import Gateway, project_database
from gateway.postgrest_errors import sql_status

PASSWORD = "gateway-pass-1"
GRANTS = [path for path in pg_support.MIGRATIONS if "grant" in path.name]

PROBES = """
create table if not exists public.gateway_rows (n integer primary key);
insert into public.gateway_rows select generate_series(1, 5) on conflict do nothing;
grant select on public.gateway_rows to authenticated;
create table if not exists public.gateway_hidden (id integer primary key);
alter table public.gateway_hidden enable row level security;
drop policy if exists gateway_hidden_insert on public.gateway_hidden;
create policy gateway_hidden_insert on public.gateway_hidden for insert to authenticated with check (true);
grant select, insert on public.gateway_hidden to authenticated;
create sequence if not exists public.gateway_counter;
create or replace function public.gateway_stable_write() returns table (n bigint, at timestamptz)
language plpgsql stable as $$ begin return query select nextval('public.gateway_counter'), now(); end $$;
grant usage on sequence public.gateway_counter to authenticated;
grant execute on function public.gateway_stable_write() to authenticated;
"""


@pytest.fixture(scope="module")
def ungranted_url() -> Iterator[str]:
    """A project created today with every migration but the grants, and the probes above."""
    with project_database("gateway_rest", migrate=False) as url:
        with psycopg.connect(url, autocommit=True) as admin:
            for path in pg_support.MIGRATIONS:
                if path not in GRANTS:
                    pg_support.Scripts.run(admin, path)
            admin.execute(PROBES)
        yield url


@pytest.fixture
async def http(ungranted_url: str) -> AsyncIterator[tuple[Gateway, httpx.AsyncClient]]:
    gateway = Gateway(ungranted_url)
    async with httpx.AsyncClient(transport=gateway, base_url=gateway.url, headers={"apikey": gateway.config.publishable_key}) as client:
        yield gateway, client
    assert not gateway.grammar_errors


async def sign_up(client: httpx.AsyncClient) -> dict:
    response = await client.post(
        "/auth/v1/signup",
        json={"email": f"rest-{uuid.uuid4().hex[:10]}@example.org", "password": PASSWORD, "data": {"full_name": "Rest"}},
    )
    assert response.status_code == 200, response.text
    return response.json()


def bearer(session: dict) -> dict[str, str]:
    return {"authorization": f"Bearer {session['access_token']}"}


def api_error(response: httpx.Response) -> APIError:
    """What postgrest-py raises for this response."""
    assert response.status_code >= 400, response.text
    return APIError(response.json())


async def test_table_calls_fail_without_the_grants_and_pass_with_them(http, ungranted_url):
    _, client = http
    assert GRANTS, "no migration grants the API roles anything"
    session = await sign_up(client)
    me = session["user"]["id"]
    refused = await client.get(f"/rest/v1/user_profiles?select=user_id&user_id=eq.{me}", headers=bearer(session))
    assert refused.status_code == 403  # Error.hs: 42501 -> 403 for a signed-in role
    assert api_error(refused).code == "42501"
    anonymous = await client.get("/rest/v1/user_profiles?select=user_id")
    assert (anonymous.status_code, anonymous.headers["www-authenticate"]) == (401, "Bearer")  # ... 401 for anon
    # The RPCs had their own EXECUTE grants all along (008_rpc.sql): only table calls broke.
    rpc = await client.post("/rest/v1/rpc/mentor_directory", json={"search": "", "tag": None}, headers=bearer(session))
    assert rpc.status_code == 200
    with psycopg.connect(ungranted_url, autocommit=True) as admin:
        for path in GRANTS:
            pg_support.Scripts.run(admin, path)
    allowed = await client.get(f"/rest/v1/user_profiles?select=user_id&user_id=eq.{me}", headers=bearer(session))
    assert (allowed.status_code, allowed.json()) == (200, [{"user_id": me}])
    assert allowed.headers["content-range"] == "0-0/*"
    still_anonymous = await client.get("/rest/v1/user_profiles?select=user_id")
    assert still_anonymous.status_code == 401
    # functions.rst: a function takes its arguments from the JSON body, or with GET from the query string.
    arguments = {"search": "", "tag": "no-such-tag-anywhere"}
    posted = await client.post("/rest/v1/rpc/mentor_directory", json=arguments, headers=bearer(session))
    got = await client.get("/rest/v1/rpc/mentor_directory", params=arguments, headers=bearer(session))
    assert (posted.status_code, posted.json()) == (got.status_code, got.json()) == (200, [])


async def test_max_rows_caps_every_read_and_content_range_says_so(http):
    gateway, client = http
    gateway.reconfigure(max_rows=3)
    session = await sign_up(client)
    page = await client.get("/rest/v1/gateway_rows?select=n&order=n.desc", headers={**bearer(session), "prefer": "count=exact"})
    assert (page.status_code, page.json(), page.headers["content-range"]) == (206, [{"n": 5}, {"n": 4}, {"n": 3}], "0-2/5")
    uncounted = await client.get("/rest/v1/gateway_rows?select=n&order=n&offset=3", headers=bearer(session))
    assert (uncounted.json(), uncounted.headers["content-range"]) == ([{"n": 4}, {"n": 5}], "3-4/*")
    ranged = await client.get("/rest/v1/gateway_rows?select=n&order=n", headers={**bearer(session), "range": "1-1"})
    assert (ranged.json(), ranged.headers["content-range"]) == ([{"n": 2}], "1-1/*")


async def test_errors_as_postgrest_reports_them(http):
    gateway, client = http
    session = await sign_up(client)
    missing = await client.get("/rest/v1/no_such_table", headers=bearer(session))
    assert (missing.status_code, api_error(missing).code) == (404, "PGRST205")
    no_function = await client.post("/rest/v1/rpc/no_such_function", json={}, headers=bearer(session))
    assert (no_function.status_code, api_error(no_function).code) == (404, "PGRST202")
    single = await client.get(
        "/rest/v1/gateway_rows?n=eq.99", headers={**bearer(session), "accept": "application/vnd.pgrst.object+json"}
    )
    error = api_error(single)
    assert (single.status_code, error.code, error.details) == (406, "PGRST116", "The result contains 0 rows")
    hidden = await client.post(
        "/rest/v1/gateway_hidden", json={"id": 1}, headers={**bearer(session), "prefer": "return=representation"}
    )
    error = api_error(hidden)
    assert (hidden.status_code, error.code) == (403, "42501")
    assert error.message.startswith("new row violates row-level security policy")
    stable = await client.post("/rest/v1/rpc/gateway_stable_write", json={}, headers=bearer(session))
    assert (stable.status_code, api_error(stable).code) == (405, "25006")  # POST to a STABLE function is read only
    through_get = await client.get("/rest/v1/rpc/gateway_stable_write", headers=bearer(session))
    assert (through_get.status_code, api_error(through_get).code) == (405, "25006")  # GET is always read only
    tampered = session["access_token"][:-2] + ("AA" if not session["access_token"].endswith("AA") else "BB")
    bad = await client.get("/rest/v1/gateway_rows", headers={"authorization": f"Bearer {tampered}"})
    assert (bad.status_code, api_error(bad).code) == (401, "PGRST301")
    gateway.reconfigure(issue_skew_seconds=-7200.0)  # a token issued two hours ago, valid for one
    stale = await sign_up(client)
    expired = await client.get("/rest/v1/gateway_rows", headers=bearer(stale))
    error = api_error(expired)
    assert (expired.status_code, error.code, error.message) == (401, "PGRST303", "JWT expired")
    assert "invalid_token" in expired.headers["www-authenticate"]


async def test_an_unknown_api_key_is_refused_before_the_apis(http, tmp_path):
    gateway, client = http
    for path in ("/rest/v1/gateway_rows", "/auth/v1/user"):
        refused = await client.get(path, headers={"apikey": "sb_publishable_someone-else"})
        assert (refused.status_code, refused.json()["message"]) == (401, "Invalid API key")
    from mentor_tui.clock import SystemClock
    from mentor_tui.repository.base import BackendUnavailable
    from mentor_tui.repository.supabase import SupabaseRepository

    repo = SupabaseRepository(gateway.url, "sb_publishable_someone-else", tmp_path, SystemClock(), transport=gateway)
    try:
        with pytest.raises(BackendUnavailable, match="key"):
            await repo.sign_in("nobody@example.org", PASSWORD)
    finally:
        await repo.close()


async def test_outside_the_grammar_fails_loudly(http):
    gateway, client = http
    session = await sign_up(client)
    with pytest.raises(AssertionError, match="gateway: select item"):
        await client.get("/rest/v1/gateway_rows?select=n,other(*)", headers=bearer(session))
    with pytest.raises(AssertionError, match="filter operator"):
        await client.get("/rest/v1/gateway_rows?n=fts.x", headers=bearer(session))
    assert len(gateway.grammar_errors) == 2
    gateway.grammar_errors.clear()


@pytest.mark.parametrize(
    ("sqlstate", "authed", "status"),
    [("42501", False, 401), ("42501", True, 403), ("23505", True, 409), ("23503", True, 409), ("23P01", True, 400),
     ("23514", True, 400), ("P0001", True, 400), ("22P02", True, 400), ("40001", True, 500), ("40P01", True, 500),
     ("25006", True, 405), ("57014", True, 500), ("08006", True, 503)],
)
def test_sqlstate_table_is_postgrests(sqlstate, authed, status):
    # The rows of Error.hs mapSQLtoHTTP this project's errors can reach.
    assert sql_status(sqlstate, "", authed) == status
