"""SupabaseRepository's sign-up, sign-in, sign-out and remembered sign-in, through the HTTP double."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import sys

import httpx
import pytest
from test_supabase_double import (  # noqa: F401  (fixtures: project, repo, state_dir, student)
    ANON_KEY,
    MENTOR_ID,
    MENTOR_USER,
    PROJECT_URL,
    STUDENT_ID,
    STUDENT_USER,
    Reply,
    auth_error,
    profile_row,
    project,
    repo,
    rows,
    session_json,
    session_path,
    sign_in_as,
    state_dir,
    stored_session,
    student,
    user_json,
)

from mentor_tui.domain.errors import (
    BackendUnavailable,
    InvalidCredentials,
    InvalidInput,
    NotSignedIn,
)
from mentor_tui.domain.models import Role
from mentor_tui.repository.supabase import EmailConfirmationRequired, SupabaseRepository
from mentor_tui.repository.supabase_rows import PROFILE_COLUMNS

NO_CAPTCHA = {"captcha_token": None}


def write_session(state_dir, session, project_url=PROJECT_URL):
    state_dir.mkdir(parents=True, exist_ok=True)
    session_path(state_dir).write_text(json.dumps({"project_url": project_url, "session": session}))


# --- sign in -------------------------------------------------------------


async def test_sign_in_sends_a_password_grant_then_reads_the_profile(repo, project):
    session = session_json(STUDENT_USER)
    project.on("POST", "/auth/v1/token", Reply(200, session))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))

    profile = await repo.sign_in("  Sam@Example.org ", "correct horse")

    assert project.calls() == [("POST", "/auth/v1/token"), ("GET", "/rest/v1/user_profiles")]
    token = project.only("POST", "/auth/v1/token")
    assert token.params == [("grant_type", "password")]
    assert token.headers["apikey"] == ANON_KEY
    assert token.bearer == ANON_KEY
    assert token.body == {
        "email": "sam@example.org",
        "password": "correct horse",
        "data": {},
        "gotrue_meta_security": NO_CAPTCHA,
    }
    read = project.only("GET", "/rest/v1/user_profiles")
    assert read.params == [("select", PROFILE_COLUMNS), ("user_id", f"eq.{STUDENT_ID}")]
    assert read.headers["apikey"] == ANON_KEY
    assert read.bearer == session["access_token"]
    assert profile.id == STUDENT_ID and profile.role is Role.STUDENT
    assert profile.timezone == "America/New_York"
    assert repo.me == profile


async def test_sign_in_remembers_the_session_in_a_private_file(repo, project, state_dir):
    session = await sign_in_as(repo, project, STUDENT_USER)

    path = session_path(state_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert saved["project_url"] == PROJECT_URL
    assert saved["session"]["access_token"] == session["access_token"]
    assert saved["session"]["refresh_token"] == session["refresh_token"]
    assert saved["session"]["user"]["id"] == STUDENT_ID
    assert not list(state_dir.glob(".*.tmp"))  # the atomic write left no temp file behind


async def test_wrong_password_is_invalid_credentials(repo, project, state_dir):
    project.on("POST", "/auth/v1/token", auth_error(400, "invalid_credentials", "Invalid login credentials"))

    with pytest.raises(InvalidCredentials):
        await repo.sign_in("sam@example.org", "wrong")
    assert not session_path(state_dir).exists()
    assert repo.me is None


async def test_unconfirmed_email_says_what_to_do(repo, project):
    project.on("POST", "/auth/v1/token", auth_error(400, "email_not_confirmed", "Email not confirmed"))

    with pytest.raises(InvalidCredentials, match="Confirm your email"):
        await repo.sign_in("sam@example.org", "correct horse")


async def test_empty_credentials_send_nothing(repo, project):
    with pytest.raises(InvalidCredentials):
        await repo.sign_in("", "x")
    assert project.seen == []


# --- sign up -------------------------------------------------------------


async def test_sign_up_puts_name_and_role_in_the_user_metadata(repo, project, state_dir):
    project.on("POST", "/auth/v1/signup", Reply(200, session_json(MENTOR_USER)))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(MENTOR_USER)]))
    project.on("GET", "/rest/v1/mentor_private_profiles", rows([]))

    profile = await repo.sign_up("Maya@Example.org", "long enough pw", " Maya Mentor ", Role.MENTOR)

    signup = project.only("POST", "/auth/v1/signup")
    assert signup.params == []
    assert signup.bearer == ANON_KEY
    assert signup.body == {
        "email": "maya@example.org",
        "password": "long enough pw",
        "data": {"full_name": "Maya Mentor", "role": "mentor"},
        "gotrue_meta_security": NO_CAPTCHA,
    }  # no PKCE code_challenge: nothing would come back to exchange it
    assert project.only("GET", "/rest/v1/user_profiles").params == [
        ("select", PROFILE_COLUMNS),
        ("user_id", f"eq.{MENTOR_ID}"),
    ]
    assert project.only("GET", "/rest/v1/mentor_private_profiles").params == [
        ("select", "meeting_url"),
        ("user_id", f"eq.{MENTOR_ID}"),
    ]
    assert profile.role is Role.MENTOR and profile.full_name == "Maya Mentor"
    assert profile.email == "maya@example.org"  # from the auth account: profiles hold no email
    assert profile.meeting_url is None
    assert stored_session(state_dir)["user"]["id"] == MENTOR_ID


async def test_sign_up_with_an_email_in_use_names_the_email_field(repo, project):
    project.on("POST", "/auth/v1/signup", auth_error(422, "user_already_exists", "User already registered"))

    with pytest.raises(InvalidInput) as caught:
        await repo.sign_up("sam@example.org", "long enough pw", "Sam", Role.STUDENT)
    assert caught.value.field == "email"
    assert "already exists" in caught.value.message


async def test_sign_up_with_a_password_the_project_finds_weak(repo, project):
    project.on(
        "POST",
        "/auth/v1/signup",
        auth_error(
            422,
            "weak_password",
            "Password should contain at least one character of each: abc, ABC, 123.",
            weak_password={"reasons": ["characters"]},
        ),
    )

    with pytest.raises(InvalidInput) as caught:
        await repo.sign_up("sam@example.org", "long enough pw", "Sam", Role.STUDENT)
    assert caught.value.field == "password"
    assert "at least one character" in caught.value.message


async def test_sign_up_awaiting_email_confirmation(repo, project, state_dir):
    # With "Confirm email" on, GoTrue answers with the user alone and no session.
    project.on("POST", "/auth/v1/signup", Reply(200, user_json(STUDENT_ID, "sam@example.org", "Sam", "student")))

    with pytest.raises(EmailConfirmationRequired, match="confirmation link"):
        await repo.sign_up("sam@example.org", "long enough pw", "Sam", Role.STUDENT)
    assert not session_path(state_dir).exists()
    assert repo.me is None


async def test_sign_up_checks_fields_before_sending(repo, project):
    with pytest.raises(InvalidInput) as caught:
        await repo.sign_up("not-an-email", "long enough pw", "Sam", Role.STUDENT)
    assert caught.value.field == "email"
    with pytest.raises(InvalidInput) as caught:
        await repo.sign_up("sam@example.org", "short", "Sam", Role.STUDENT)
    assert caught.value.field == "password"
    assert project.seen == []


# --- sign out ------------------------------------------------------------


async def test_sign_out_revokes_this_session_and_removes_the_file(repo, project, state_dir, student):
    project.on("POST", "/auth/v1/logout", Reply(204))

    await repo.sign_out()

    logout = project.only("POST", "/auth/v1/logout")
    assert logout.params == [("scope", "local")]  # not "global": the web app's sessions stay
    assert logout.bearer == student["access_token"]
    assert logout.headers["apikey"] == ANON_KEY
    assert not session_path(state_dir).exists()
    assert repo.me is None
    with pytest.raises(NotSignedIn):
        await repo.my_sessions()


async def test_sign_out_works_offline(repo, project, state_dir, student):
    project.on("POST", "/auth/v1/logout", httpx.ConnectError("network is unreachable"))

    await repo.sign_out()

    assert not session_path(state_dir).exists()
    assert repo.me is None


async def test_sign_out_without_a_sign_in_sends_nothing(repo, project, state_dir):
    await repo.sign_out()
    assert project.seen == []


# --- restore -------------------------------------------------------------


async def test_restore_without_a_file_is_none_and_sends_nothing(repo, project):
    assert await repo.restore() is None
    assert project.seen == []


async def test_restore_with_a_valid_token_checks_it_then_loads_the_profile(repo, project, state_dir):
    session = session_json(STUDENT_USER)
    write_session(state_dir, session)
    project.on("GET", "/auth/v1/user", Reply(200, STUDENT_USER))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))

    profile = await repo.restore()

    assert profile is not None and profile.id == STUDENT_ID
    assert project.calls() == [("GET", "/auth/v1/user"), ("GET", "/rest/v1/user_profiles")]
    assert project.only("GET", "/auth/v1/user").bearer == session["access_token"]
    read = project.only("GET", "/rest/v1/user_profiles")
    assert read.bearer == session["access_token"]
    assert read.params == [("select", PROFILE_COLUMNS), ("user_id", f"eq.{STUDENT_ID}")]
    assert stored_session(state_dir)["refresh_token"] == session["refresh_token"]


async def test_restore_with_an_expired_access_token_refreshes_and_saves_the_new_session(repo, project, state_dir):
    old = session_json(STUDENT_USER, serial=1, expires_in=-60)
    write_session(state_dir, old)
    new = session_json(STUDENT_USER, serial=2)
    project.on("POST", "/auth/v1/token", Reply(200, new))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))

    profile = await repo.restore()

    assert profile is not None and profile.id == STUDENT_ID
    refresh = project.only("POST", "/auth/v1/token")
    assert refresh.params == [("grant_type", "refresh_token")]
    assert refresh.body == {"refresh_token": "refresh-1"}
    assert refresh.headers["apikey"] == ANON_KEY
    assert project.only("GET", "/rest/v1/user_profiles").bearer == new["access_token"]
    saved = stored_session(state_dir)
    assert (saved["access_token"], saved["refresh_token"]) == (new["access_token"], "refresh-2")
    assert stat.S_IMODE(session_path(state_dir).stat().st_mode) == 0o600


async def test_restore_with_a_revoked_refresh_token_forgets_it(repo, project, state_dir):
    write_session(state_dir, session_json(STUDENT_USER, expires_in=-60))
    project.on(
        "POST",
        "/auth/v1/token",
        auth_error(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"),
    )

    assert await repo.restore() is None
    assert not session_path(state_dir).exists()
    assert repo.me is None


async def test_restore_of_a_session_revoked_elsewhere_forgets_it(repo, project, state_dir):
    write_session(state_dir, session_json(STUDENT_USER))
    project.on(
        "GET",
        "/auth/v1/user",
        auth_error(403, "session_not_found", "Session from session_id claim in JWT does not exist"),
    )

    assert await repo.restore() is None
    assert not session_path(state_dir).exists()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        json.dumps({"project_url": PROJECT_URL, "session": "nope"}),
        json.dumps({"project_url": PROJECT_URL, "session": {"access_token": 3}}),
    ],
)
async def test_restore_of_a_corrupt_file_is_none(repo, project, state_dir, content):
    state_dir.mkdir(parents=True)
    session_path(state_dir).write_text(content)

    assert await repo.restore() is None
    assert project.seen == []
    assert not session_path(state_dir).exists()


async def test_restore_of_a_token_that_is_not_a_jwt_is_none(repo, project, state_dir):
    write_session(state_dir, {**session_json(STUDENT_USER), "access_token": "garbage"})

    assert await repo.restore() is None
    assert project.seen == []
    assert not session_path(state_dir).exists()


async def test_a_session_saved_for_another_project_is_never_sent(repo, project, state_dir):
    write_session(state_dir, session_json(STUDENT_USER), project_url="https://otherproj.supabase.co")

    assert await repo.restore() is None
    assert project.seen == []


async def test_restore_while_offline_keeps_the_file(repo, project, state_dir):
    write_session(state_dir, session_json(STUDENT_USER))
    project.on("GET", "/auth/v1/user", httpx.ConnectError("name resolution failed"))

    with pytest.raises(BackendUnavailable, match="mentorproj.supabase.co"):
        await repo.restore()
    assert session_path(state_dir).exists()


# --- keeping the token fresh --------------------------------------------


async def test_a_token_about_to_expire_is_refreshed_before_the_next_call(repo, project, state_dir):
    project.on("POST", "/auth/v1/token", Reply(200, session_json(STUDENT_USER, serial=1, expires_in=5)))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))
    await repo.sign_in("sam@example.org", "correct horse")
    project.seen.clear()
    new = session_json(STUDENT_USER, serial=2)
    project.on("POST", "/auth/v1/token", Reply(200, new))
    project.on("GET", "/rest/v1/mentor_sessions", rows([]))

    assert await repo.my_sessions() == []

    assert project.calls() == [("POST", "/auth/v1/token"), ("GET", "/rest/v1/mentor_sessions")]
    assert project.only("POST", "/auth/v1/token").body == {"refresh_token": "refresh-1"}
    assert project.only("GET", "/rest/v1/mentor_sessions").bearer == new["access_token"]
    assert stored_session(state_dir)["refresh_token"] == "refresh-2"


async def test_a_refresh_refused_mid_session_signs_out(repo, project, state_dir):
    project.on("POST", "/auth/v1/token", Reply(200, session_json(STUDENT_USER, expires_in=5)))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(STUDENT_USER)]))
    await repo.sign_in("sam@example.org", "correct horse")
    project.on(
        "POST",
        "/auth/v1/token",
        auth_error(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"),
    )

    with pytest.raises(NotSignedIn, match="sign in again"):
        await repo.my_sessions()
    assert not session_path(state_dir).exists()
    assert repo.me is None


# --- an unreachable or misconfigured project ----------------------------


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (httpx.ConnectError("connection refused"), "Cannot reach the Supabase project at mentorproj.supabase.co"),
        (httpx.ConnectTimeout("timed out"), "did not answer in time"),
        (httpx.ReadTimeout("timed out"), "did not answer in time"),
    ],
)
async def test_network_failures_at_sign_in_are_backend_unavailable(repo, project, failure, message):
    project.on("POST", "/auth/v1/token", failure)

    with pytest.raises(BackendUnavailable, match=message):
        await repo.sign_in("sam@example.org", "correct horse")


async def test_auth_gateway_errors_are_backend_unavailable(repo, project):
    project.on("POST", "/auth/v1/token", Reply(503, {"message": "upstream unavailable"}))

    with pytest.raises(BackendUnavailable, match="HTTP 503"):
        await repo.sign_in("sam@example.org", "correct horse")


async def test_a_wrong_anon_key_says_so(repo, project):
    project.on(
        "POST",
        "/auth/v1/token",
        Reply(
            401,
            {"message": "Invalid API key", "hint": "Double check your Supabase `anon` or `service_role` API key."},
        ),
    )

    with pytest.raises(BackendUnavailable, match="SUPABASE_ANON_KEY"):
        await repo.sign_in("sam@example.org", "correct horse")


async def test_a_server_that_is_not_supabase(repo, project):
    project.on("POST", "/auth/v1/token", httpx.Response(404, text="<html>Not Found</html>"))

    with pytest.raises(BackendUnavailable, match="did not answer like a Supabase project"):
        await repo.sign_in("sam@example.org", "correct horse")


@pytest.mark.parametrize("url", ["mentorproj.supabase.co", "ftp://mentorproj.supabase.co", ""])
async def test_a_malformed_url_fails_at_the_first_call_not_before(state_dir, clock, url):
    repo = SupabaseRepository(url, ANON_KEY, state_dir, clock)  # constructing does no I/O and no checks

    with pytest.raises(BackendUnavailable, match="SUPABASE_URL"):
        await repo.sign_in("sam@example.org", "correct horse")
    await repo.close()


async def test_a_project_nobody_answers_is_backend_unavailable(state_dir, clock):
    # httpx's real network transport, to a local port just closed: connection refused at once.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    repo = SupabaseRepository(f"http://127.0.0.1:{port}", ANON_KEY, state_dir, clock)
    try:
        with pytest.raises(BackendUnavailable, match="Cannot reach the Supabase project at 127.0.0.1"):
            await repo.sign_in("sam@example.org", "correct horse")
    finally:
        await repo.close()


def test_importing_and_constructing_loads_no_client_library(tmp_path):
    code = (
        "import sys, pathlib\n"
        "from mentor_tui.clock import SystemClock\n"
        "from mentor_tui.repository.supabase import SupabaseRepository\n"
        f"SupabaseRepository('{PROJECT_URL}', 'key', pathlib.Path({str(tmp_path)!r}), SystemClock())\n"
        "heavy = ('supabase', 'supabase_auth', 'postgrest', 'realtime', 'httpx')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert not list(tmp_path.iterdir())


def test_the_file_storage_has_the_interface_supabase_auth_expects():
    from supabase_auth import AsyncSupportedStorage
    from supabase_auth.constants import STORAGE_KEY

    from mentor_tui.repository.supabase_storage import SESSION_KEY, FileSessionStorage

    assert AsyncSupportedStorage.__abstractmethods__ <= set(vars(FileSessionStorage))
    assert SESSION_KEY == STORAGE_KEY
