"""The gateway answers as GoTrue does, checked through supabase-py's auth client and its error classes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from supabase import AsyncClient, AsyncClientOptions
from supabase_auth.errors import AuthApiError

from gateway import Gateway

PASSWORD = "gateway-pass-1"


def email() -> str:
    return f"auth-{uuid.uuid4().hex[:10]}@example.org"


@pytest.fixture
async def client(gateway: Gateway) -> AsyncIterator[AsyncClient]:
    """supabase-py itself, with no stored session and no background refresh."""
    async with httpx.AsyncClient(transport=gateway) as http:
        options = AsyncClientOptions(httpx_client=http, auto_refresh_token=False, persist_session=False, flow_type="implicit")
        yield AsyncClient(gateway.url, gateway.config.publishable_key, options)


async def test_sign_up_signs_in_unless_confirmation_is_on(gateway, client):
    address = email()
    response = await client.auth.sign_up({"email": address, "password": PASSWORD, "options": {"data": {"full_name": "Ann"}}})
    assert response.session is not None and response.user.user_metadata == {"full_name": "Ann"}
    with pytest.raises(AuthApiError) as caught:
        await client.auth.sign_up({"email": address, "password": PASSWORD})
    assert (caught.value.status, caught.value.code) == (422, "user_already_exists")
    with pytest.raises(AuthApiError) as caught:
        await client.auth.sign_in_with_password({"email": address, "password": "wrong-password"})
    assert (caught.value.status, caught.value.code) == (400, "invalid_credentials")

    gateway.reconfigure(email_confirmation=True)
    waiting = email()
    response = await client.auth.sign_up({"email": waiting, "password": PASSWORD})
    assert response.session is None and response.user.email_confirmed_at is None
    with pytest.raises(AuthApiError) as caught:
        await client.auth.sign_in_with_password({"email": waiting, "password": PASSWORD})
    assert caught.value.code == "email_not_confirmed"


async def test_refresh_rotates_and_detects_reuse(gateway, client):
    signed_in = (await client.auth.sign_up({"email": email(), "password": PASSWORD})).session
    first = signed_in.refresh_token
    second = (await client.auth.refresh_session(first)).session.refresh_token
    assert second != first
    # The parent of the active token (a client that lost the answer) gets the active one back.
    assert (await client.auth.refresh_session(first)).session.refresh_token == second
    third = (await client.auth.refresh_session(second)).session.refresh_token
    # Within the reuse interval an older token is swapped again (its child becomes the active token)...
    fourth = (await client.auth.refresh_session(first)).session.refresh_token
    assert fourth not in (first, second, third)
    # ... outside it, reuse revokes the whole session: every token of it is refused from then on.
    gateway.reconfigure(refresh_token_reuse_seconds=0.0)
    for token in (second, fourth, third, first):
        with pytest.raises(AuthApiError) as caught:
            await client.auth.refresh_session(token)
        assert (caught.value.status, caught.value.code) == (400, "refresh_token_already_used")


async def test_logout_ends_the_session(gateway, client):
    session = (await client.auth.sign_up({"email": email(), "password": PASSWORD})).session
    user = await client.auth.get_user(session.access_token)
    assert user.user.id == session.user.id
    await client.auth.sign_out({"scope": "local"})
    with pytest.raises(AuthApiError) as caught:
        await client.auth.refresh_session(session.refresh_token)
    assert caught.value.code == "refresh_token_not_found"
    async with httpx.AsyncClient(transport=gateway, base_url=gateway.url) as http:
        answer = await http.get(
            "/auth/v1/user",
            headers={"apikey": gateway.config.publishable_key, "authorization": f"Bearer {session.access_token}"},
        )
    # internal/api/errors.go: without the API version header, the original error shape.
    assert (answer.status_code, answer.json()) == (
        403, {"code": 403, "error_code": "session_not_found", "msg": "Session from session_id claim in JWT does not exist"}
    )


async def test_rate_limits_answer_429(gateway, client):
    gateway.reconfigure(request_limit=(2, 60.0))
    address = email()
    await client.auth.sign_up({"email": address, "password": PASSWORD})
    await client.auth.sign_in_with_password({"email": address, "password": PASSWORD})
    with pytest.raises(AuthApiError) as caught:
        await client.auth.sign_in_with_password({"email": address, "password": PASSWORD})
    assert (caught.value.status, caught.value.code) == (429, "over_request_rate_limit")

    gateway.reconfigure(request_limit=None, email_confirmation=True, email_limit=(1, 3600.0))
    await client.auth.sign_up({"email": email(), "password": PASSWORD})
    with pytest.raises(AuthApiError) as caught:
        await client.auth.sign_up({"email": email(), "password": PASSWORD})
    assert (caught.value.status, caught.value.code) == (429, "over_email_send_rate_limit")
