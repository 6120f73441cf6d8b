"""SupabaseRepository's sign-in and list handling against the PostgREST/GoTrue test
gateway on real PostgreSQL (a project created today, migrations applied twice):
two instances sharing one sign-in file, refresh-token reuse, a token the API
refuses, GoTrue's rate limits, a web-app user without a profile, lists longer
than the project's max-rows."""

from __future__ import annotations

import shutil
import uuid
from datetime import time

import psycopg
import pytest

from gateway import Gateway
from gateway.conftest import connect, gateway, project_url  # noqa: F401  (fixtures: one database per module)
from mentor_tui.domain.errors import NotSignedIn
from mentor_tui.domain.models import Role
from mentor_tui.repository.supabase import EmailConfirmationRequired
from mentor_tui.repository.supabase_errors import RateLimited
from mentor_tui.repository.supabase_storage import session_file_name

PASSWORD = "flows-pass-123"


def email() -> str:
    return f"flows-{uuid.uuid4().hex[:10]}@example.org"


def refreshes(gateway: Gateway) -> int:
    return sum(1 for line in gateway.requests if line.startswith("POST /auth/v1/token?grant_type=refresh_token"))


async def test_two_instances_sharing_a_sign_in_both_stay_signed_in(gateway, connect):
    # Every access token is about to expire (so each call refreshes), and any reuse of a
    # spent refresh token revokes the sign-in: only taking over each other's tokens works.
    gateway.reconfigure(access_token_seconds=20, refresh_token_reuse_seconds=0.0)
    first, second = connect("shared"), connect("shared")
    await first.sign_up(email(), PASSWORD, "Two Terminals", Role.STUDENT)
    assert (await second.restore()) is not None

    # Each instance refreshes at least twice in a row: the other one's token in memory is then
    # two rotations old, which GoTrue takes as reuse (only the active token's parent is forgiven).
    for repo in (first, first, second, second, first, first):
        assert await repo.my_sessions() == []

    # A listing is two requests (stale requests expired, then the sessions), each refreshing.
    assert refreshes(gateway) == 6 * 2
    assert first.me is not None and second.me is not None
    assert (await connect("shared").restore()) is not None  # and the file still holds a live sign-in


async def test_a_copied_sign_in_reused_outside_the_window_signs_out_clearly(gateway, connect, tmp_path):
    gateway.reconfigure(access_token_seconds=20, refresh_token_reuse_seconds=0.0)
    first = connect("here")
    await first.sign_up(email(), PASSWORD, "Copied Sign-in", Role.STUDENT)
    name = session_file_name(gateway.url)
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    shutil.copy(tmp_path / "here" / name, tmp_path / "elsewhere" / name)  # no shared file, no shared lock
    elsewhere = connect("elsewhere")
    assert await elsewhere.restore() is not None
    for _ in range(2):  # two rotations: the original's token is no longer the active one's parent
        assert await elsewhere.my_sessions() == []

    with pytest.raises(NotSignedIn, match="ended on the server"):
        await first.my_sessions()
    assert not (tmp_path / "here" / name).exists()


async def test_a_token_the_api_finds_expired_is_refreshed_and_the_call_repeated(gateway, connect):
    repo = connect("behind")
    await repo.sign_up(email(), PASSWORD, "Clock Behind", Role.STUDENT)
    # The project's clock is an hour and more ahead of this machine's: PostgREST finds
    # the token expired (PGRST303) while the app still thinks it fresh.
    gateway.reconfigure(verify_skew_seconds=4000.0, issue_skew_seconds=4000.0)
    gateway.requests.clear()

    assert await repo.my_sessions() == []

    # The first request of a listing (expiring stale requests) is refused, the token refreshed
    # and that request repeated; the rest go out with the new token.
    sent = [line.split("?")[0] for line in gateway.requests if line.startswith(("POST /rest", "GET /rest"))]
    assert sent == ["POST /rest/v1/rpc/expire_stale_requests"] * 2 + ["GET /rest/v1/mentor_sessions"]
    assert refreshes(gateway) == 1


async def test_too_many_requests_says_wait_a_minute(gateway, connect):
    address = email()
    await connect("limits").sign_up(address, PASSWORD, "Rate Limited", Role.STUDENT)
    gateway.reconfigure(request_limit=(1, 60.0))
    await connect("one").sign_in(address, PASSWORD)

    with pytest.raises(RateLimited, match="wait a minute"):
        await connect("two").sign_in(address, PASSWORD)


async def test_too_many_emails_says_wait_an_hour(gateway, connect):
    gateway.reconfigure(email_confirmation=True, email_limit=(1, 3600.0))
    with pytest.raises(EmailConfirmationRequired):
        await connect("mail").sign_up(email(), PASSWORD, "First Email", Role.STUDENT)

    with pytest.raises(RateLimited, match="wait an hour"):
        await connect("mail").sign_up(email(), PASSWORD, "Second Email", Role.STUDENT)


async def test_a_user_without_a_profile_row_gets_one_at_sign_in(gateway, connect, project_url):
    address = email()
    made = await connect("webapp").sign_up(address, PASSWORD, "Web App Mentor", Role.MENTOR)
    with psycopg.connect(project_url, autocommit=True) as admin:  # as if the web app never made one
        admin.execute("delete from public.user_profiles where user_id = %s", (made.id,))

    profile = await connect("tui").sign_in(address, PASSWORD)

    assert (profile.id, profile.role, profile.full_name) == (made.id, Role.MENTOR, "Web App Mentor")
    assert profile.email == address
    with psycopg.connect(project_url) as admin:
        assert admin.execute("select count(*) from public.user_profiles where user_id = %s", (made.id,)).fetchone() == (1,)


async def test_a_list_longer_than_max_rows_is_complete(gateway, connect):
    gateway.reconfigure(max_rows=5)
    mentor = connect("windows")
    await mentor.sign_up(email(), PASSWORD, "Many Windows", Role.MENTOR)
    for weekday in range(6):
        await mentor.set_availability(weekday, time(9), time(10))
        await mentor.set_availability(weekday, time(11), time(12))

    slots = await mentor.get_availability(mentor.me.id)

    assert [(s.weekday, s.start_time.hour) for s in slots] == [(d, h) for d in range(6) for h in (9, 11)]
    reads = [line for line in gateway.requests if line.startswith("GET /rest/v1/mentor_availability")]
    assert any("offset=10" in line for line in reads)  # the third page of five
