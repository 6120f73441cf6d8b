"""SupabaseRepository's sign-in holding up against GoTrue's and PostgREST's real
behaviour (issue 10, item 5), and lists longer than the project's max rows."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import datetime, time, timedelta, timezone

import psycopg
import pytest

from gateway.gotrue import _hash
from mentor_tui.domain.errors import MentorError, NotSignedIn
from mentor_tui.domain.models import BookingRequest, Role

PASSWORD = "flows-pass-1"
NEAR_EXPIRY = -(3600 - 20.0)
"""Tokens issued as if 59 min 40 s ago: every call finds them about to expire and refreshes."""


def email(who: str) -> str:
    return f"{who}-{uuid.uuid4().hex[:10]}@example.org"


def refreshes(gateway) -> int:
    return sum("grant_type=refresh_token" in request for request in gateway.requests)


async def test_two_instances_sharing_the_session_file_stay_signed_in(gateway, connect):
    gateway.reconfigure(issue_skew_seconds=NEAR_EXPIRY, refresh_token_reuse_seconds=0.0)
    first = connect("shared")
    me = await first.sign_up(email("shared"), PASSWORD, "Shared", Role.STUDENT)
    second = connect("shared")
    assert (await second.restore()).id == me.id
    before = refreshes(gateway)
    for _ in range(2):
        await first.my_sessions()  # rotates the refresh token twice: the second's copy is now two behind
    await second.my_sessions()
    await first.my_sessions()
    assert refreshes(gateway) - before >= 4
    assert (await connect("shared").restore()).id == me.id


async def test_reuse_outside_the_window_signs_out_with_a_clear_message(gateway, connect, tmp_path):
    gateway.reconfigure(issue_skew_seconds=NEAR_EXPIRY, refresh_token_reuse_seconds=0.0)
    original = connect("original")
    await original.sign_up(email("copied"), PASSWORD, "Copied", Role.STUDENT)
    shutil.copytree(tmp_path / "original", tmp_path / "copy")  # a copy, not a shared file: no lock between them
    copy = connect("copy")
    await copy.restore()
    await original.my_sessions()
    await original.my_sessions()
    with pytest.raises(NotSignedIn) as caught:
        await copy.my_sessions()
    assert "sign in again" in str(caught.value).lower() and "refresh" not in str(caught.value).lower()
    assert copy.me is None


async def test_expired_jwt_from_postgrest_refreshes_and_retries(gateway, connect):
    person = connect("behind")
    await person.sign_up(email("behind"), PASSWORD, "Behind", Role.STUDENT)
    # The project's clocks now run two hours ahead of this machine's: the token it holds
    # looks fresh here, but PostgREST finds it expired (PGRST303).
    gateway.reconfigure(issue_skew_seconds=7200.0, verify_skew_seconds=7200.0)
    mark = len(gateway.requests)
    assert await person.my_sessions() == []
    sent = [request.split("?")[0] for request in gateway.requests[mark:]]
    assert sent == [
        "POST /rest/v1/rpc/expire_stale_requests", "POST /auth/v1/token", "POST /rest/v1/rpc/expire_stale_requests",
        "GET /rest/v1/mentor_sessions",
    ]


async def test_rate_limits_say_what_to_wait_for(gateway, connect):
    address = email("limited")
    await connect("limited").sign_up(address, PASSWORD, "Limited", Role.STUDENT)
    gateway.reconfigure(request_limit=(1, 60.0))
    await connect("again").sign_in(address, PASSWORD)
    with pytest.raises(MentorError) as caught:
        await connect("third").sign_in(address, PASSWORD)
    assert "minute" in str(caught.value)
    gateway.reconfigure(request_limit=None, email_confirmation=True, email_limit=(0, 3600.0))
    with pytest.raises(MentorError) as caught:
        await connect("mailer").sign_up(email("mailer"), PASSWORD, "Mailer", Role.STUDENT)
    assert "hour" in str(caught.value)


async def test_sign_up_with_confirmation_on_says_so(gateway, connect):
    from mentor_tui.repository.supabase import EmailConfirmationRequired

    gateway.reconfigure(email_confirmation=True)
    with pytest.raises(EmailConfirmationRequired):
        await connect("confirm").sign_up(email("confirm"), PASSWORD, "Confirm", Role.MENTOR)


async def test_web_app_user_without_a_profile_row_gets_one(gateway, connect, project_url):
    address = email("webapp")
    with psycopg.connect(project_url, autocommit=True) as owner, owner.transaction():
        owner.execute("set local session_replication_role = replica")  # the profile trigger does not run
        owner.execute(
            "insert into auth.users (id, email, encrypted_password, email_confirmed_at, raw_user_meta_data)"
            " values (%s, %s, %s, now(), %s)",
            (str(uuid.uuid4()), address, _hash(PASSWORD), json.dumps({"full_name": "Web User"})),
        )
    profile = await connect("webapp").sign_in(address, PASSWORD)
    assert (profile.full_name, profile.role, profile.email) == ("Web User", Role.STUDENT, address)


async def test_lists_longer_than_max_rows_are_complete(gateway, connect):
    mentor = connect("busy-mentor")
    await mentor.sign_up(email("busy"), PASSWORD, "Busy Mentor", Role.MENTOR)
    for weekday in range(7):
        await mentor.set_availability(weekday, time(0), time(23, 45))
    student = connect("keen-student")
    await student.sign_up(email("keen"), PASSWORD, "Keen Student", Role.STUDENT)
    gateway.reconfigure(max_rows=4)
    assert len(await student.get_availability(mentor.me.id)) == 7
    day = (datetime.now(timezone.utc) + timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    for hour in range(1, 6):  # at most 5 pending requests per student and mentor
        await student.create_session(BookingRequest(
            mentor_id=mentor.me.id, subject=f"Topic {hour}", scheduled_time=day + timedelta(hours=hour),
            duration_minutes=30,
        ))
    assert len(await student.my_sessions()) == 5
    assert len(await mentor.my_sessions()) == 5
    assert len(await mentor.busy_times(mentor.me.id, day, day + timedelta(days=1))) == 5
