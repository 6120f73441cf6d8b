"""A stand-in for a Supabase project's HTTP API, plugged into supabase-py through
httpx's transport hook (``SupabaseRepository(..., transport=httpx.MockTransport)``).

Tests script the replies, in the shapes the documented APIs use (GoTrue's
session and error JSON, PostgREST's rows and ``{code, message, details, hint}``
errors with their HTTP status), then assert the exact requests the repository
sent. A request nobody scripted, or a scripted reply nobody asked for, fails
the test. The tests at the end check the double itself against the client
library's own parsers, so its replies stay faithful.
"""

from __future__ import annotations

import base64
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from mentor_tui.repository.supabase import SupabaseRepository
from mentor_tui.repository.supabase_storage import session_file_name
from mentor_tui.services import Services

PROJECT_URL = "https://mentorproj.supabase.co"
STUDENT_ID = "5a1c7a52-0000-4000-8000-000000000001"
MENTOR_ID = "3b2e9f10-0000-4000-8000-000000000002"
SESSION_ID = "9c4d1e2f-0000-4000-8000-000000000003"
SLOT_ID = "7e8f9a0b-0000-4000-8000-000000000004"
GOTRUE_VERSION = {"X-Supabase-Api-Version": "2024-01-01"}


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def make_jwt(claims: dict[str, Any]) -> str:
    """A JWT-shaped token (header.payload.signature); the double never checks signatures."""
    return f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}.c2lnbmF0dXJl"


ANON_KEY = make_jwt({"iss": "supabase", "ref": "mentorproj", "role": "anon", "iat": 1700000000, "exp": 2000000000})


def access_token(user_id: str, *, expires_at: int, serial: int = 1) -> str:
    return make_jwt(
        {
            "sub": user_id,
            "role": "authenticated",
            "aud": "authenticated",
            "exp": expires_at,
            "iat": expires_at - 3600,
            "session_id": f"session-{serial}",
        }
    )


def user_json(user_id: str, email: str, full_name: str, role: str) -> dict[str, Any]:
    """A GoTrue user object, as /signup, /token and /user return it."""
    return {
        "id": user_id,
        "aud": "authenticated",
        "role": "authenticated",
        "email": email,
        "email_confirmed_at": "2026-11-01T09:00:00Z",
        "phone": "",
        "confirmed_at": "2026-11-01T09:00:00Z",
        "last_sign_in_at": "2026-11-24T10:00:00Z",
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {"full_name": full_name, "role": role, "email_verified": True},
        "identities": [],
        "created_at": "2026-11-01T09:00:00Z",
        "updated_at": "2026-11-24T10:00:00Z",
        "is_anonymous": False,
    }


def session_json(user: dict[str, Any], *, serial: int = 1, expires_in: int = 3600) -> dict[str, Any]:
    """GoTrue's answer to a password sign-in, a sign-up without confirmation, or a refresh."""
    expires_at = int(time.time()) + expires_in
    return {
        "access_token": access_token(user["id"], expires_at=expires_at, serial=serial),
        "token_type": "bearer",
        "expires_in": expires_in,
        "expires_at": expires_at,
        "refresh_token": f"refresh-{serial}",
        "user": user,
    }


STUDENT_USER = user_json(STUDENT_ID, "sam@example.org", "Sam Student", "student")
MENTOR_USER = user_json(MENTOR_ID, "maya@example.org", "Maya Mentor", "mentor")


def profile_row(user: dict[str, Any], **changes: Any) -> dict[str, Any]:
    meta = user["user_metadata"]
    mentor = meta["role"] == "mentor"
    row = {
        "user_id": user["id"],
        "full_name": meta["full_name"],
        "role": meta["role"],
        "profession": "Backend engineer" if mentor else None,
        "experience": "8 years" if mentor else None,
        "hourly_rate": 60.0 if mentor else None,
        "expertise": ["Python", "PostgreSQL"] if mentor else [],
        "bio": "I like teaching." if mentor else None,
        "timezone": "Europe/Berlin" if mentor else "America/New_York",
    }
    return {**row, **changes}


def session_row(**changes: Any) -> dict[str, Any]:
    row = {
        "id": SESSION_ID,
        "mentor_id": MENTOR_ID,
        "student_id": STUDENT_ID,
        "subject": "Async Python",
        "scheduled_time": "2026-11-25T13:00:00+00:00",
        "duration_minutes": 60,
        "status": "pending",
        "notes": "Bring questions",
        "meeting_link": None,
        "feedback": None,
        "rating": None,
        "review": None,
        "cancellation_reason": None,
        "created_at": "2026-11-20T08:00:00+00:00",
        "updated_at": "2026-11-20T08:00:00+00:00",
    }
    return {**row, **changes}


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] | None = None


def rows(
    data: list[dict[str, Any]] | dict[str, Any], status: int = 200, *, offset: int = 0, total: int | None = None
) -> Reply:
    """PostgREST's answer with rows (a read, or a write with return=representation).

    Content-Range carries the total the repository asks for (``Prefer: count=exact``):
    by default the rows given are all there are; ``offset``/``total`` describe one page of more.
    """
    count = len(data) if isinstance(data, list) else 1
    total = offset + count if total is None else total
    content_range = f"{offset}-{offset + count - 1}/{total}" if count else f"*/{total}"
    return Reply(status, data, {"Content-Range": content_range})


def page(offset: int, limit: int = 1000) -> list[tuple[str, str]]:
    """The query parameters of one page of a list read."""
    return [("offset", str(offset)), ("limit", str(limit))]


def pg_error(status: int, code: str, message: str, details: str | None = None, hint: str | None = None) -> Reply:
    """PostgREST's error JSON, with the HTTP status PostgREST gives that SQLSTATE."""
    return Reply(status, {"code": code, "details": details, "hint": hint, "message": message})


def auth_error(status: int, code: str, message: str, **extra: Any) -> Reply:
    """GoTrue's error JSON for API version 2024-01-01 (the version supabase-py asks for)."""
    return Reply(status, {"code": code, "message": message, **extra}, GOTRUE_VERSION)


Answer = Reply | httpx.Response | Exception | Callable[[httpx.Request], Reply | httpx.Response | Exception]


@dataclass
class Seen:
    """One request as the project received it."""

    method: str
    path: str
    params: list[tuple[str, str]]
    headers: httpx.Headers
    body: Any

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None

    @property
    def query(self) -> dict[str, str]:
        return dict(self.params)


class FakeProject:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.unexpected: list[Seen] = []
        self._replies: dict[tuple[str, str], deque[Answer]] = defaultdict(deque)
        self._standing: dict[tuple[str, str], Reply] = {}
        self.standing_seen: list[Seen] = []
        """Requests a standing reply answered: kept apart from ``seen``, which holds what tests script."""
        self.log: list[Seen] = []
        """Every request, in order."""

    def on(self, method: str, path: str, reply: Answer) -> None:
        """Answer the next ``method path`` request (the path without the query) with ``reply``:
        a JSON ``Reply``, a raw ``httpx.Response`` (say, an HTML page), an httpx
        exception raised as a failing network would, or a function of the request
        returning one of those (for what happens at that very moment)."""
        self._replies[(method, path)].append(reply)

    def standing(self, method: str, path: str, reply: Reply) -> None:
        """Answer every ``method path`` request no scripted reply waits for with ``reply``
        (recorded in ``standing_seen``, not in ``seen``)."""
        self._standing[(method, path)] = reply

    def unused(self) -> list[tuple[str, str]]:
        return [key for key, queue in self._replies.items() for _ in queue]

    def handle(self, request: httpx.Request) -> httpx.Response:
        content = request.content
        seen = Seen(
            method=request.method,
            path=request.url.path,
            params=list(request.url.params.multi_items()),
            headers=request.headers,
            body=json.loads(content) if content else None,
        )
        self.log.append(seen)
        queue = self._replies.get((seen.method, seen.path))
        if not queue and (seen.method, seen.path) in self._standing:
            self.standing_seen.append(seen)
            queue = deque([self._standing[(seen.method, seen.path)]])
        else:
            self.seen.append(seen)
        if not queue:
            self.unexpected.append(seen)
            return httpx.Response(500, json={"message": f"no reply scripted for {seen.method} {seen.path}"})
        reply = queue.popleft()
        if callable(reply):
            reply = reply(request)
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        if reply.body is None:
            return httpx.Response(reply.status, headers=reply.headers)
        return httpx.Response(reply.status, json=reply.body, headers=reply.headers)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def only(self, method: str, path: str) -> Seen:
        """The single request sent to ``method path``."""
        matches = [s for s in self.seen if (s.method, s.path) == (method, path)]
        assert len(matches) == 1, f"{len(matches)} requests to {method} {path}; all requests: {self.calls()}"
        return matches[0]

    def calls(self) -> list[tuple[str, str]]:
        return [(s.method, s.path) for s in self.seen]


def session_path(state_dir: Path, project_url: str = PROJECT_URL) -> Path:
    return state_dir / session_file_name(project_url)


def stored_session(state_dir: Path) -> dict[str, Any]:
    return json.loads(session_path(state_dir).read_text())["session"]


BOOKING_RULES_READS = (
    ("POST", "/rest/v1/rpc/expire_stale_requests"),
    ("GET", "/rest/v1/mentor_booking_rules"),
    ("POST", "/rest/v1/rpc/mentor_held_times"),
)
"""What every session list (expiry on read) and booking (the mentor's rules and held times)
also asks; answered with nothing (no rules set, nothing expired) unless a test scripts more."""


@pytest.fixture
def project():
    fake = FakeProject()
    for method, path in BOOKING_RULES_READS:
        fake.standing(method, path, rows([]))
    yield fake
    assert not fake.unexpected, f"unscripted requests: {[(s.method, s.path) for s in fake.unexpected]}"
    assert not fake.unused(), f"scripted replies never requested: {fake.unused()}"


@pytest.fixture
def state_dir(tmp_path) -> Path:
    return tmp_path / "state"


@pytest.fixture
async def repo(project, state_dir, clock):
    """The services on a SupabaseRepository talking to the double: what the screens call."""
    services = Services(SupabaseRepository(PROJECT_URL, ANON_KEY, state_dir, clock, transport=project.transport()), clock)
    yield services
    await services.close()


async def sign_in_as(
    repo: Services, project: FakeProject, user: dict[str, Any], room: str | None = None
) -> dict[str, Any]:
    """Sign in through the double (a mentor's private row holding ``room``); returns the
    session GoTrue handed out and forgets the requests."""
    session = session_json(user)
    project.on("POST", "/auth/v1/token", Reply(200, session))
    project.on("GET", "/rest/v1/user_profiles", rows([profile_row(user)]))
    if user["user_metadata"]["role"] == "mentor":
        project.on("GET", "/rest/v1/mentor_private_profiles", rows([{"meeting_url": room}] if room else []))
    await repo.sign_in(user["email"], "correct horse")
    project.seen.clear()
    return session


@pytest.fixture
async def student(repo, project) -> dict[str, Any]:
    return await sign_in_as(repo, project, STUDENT_USER)


@pytest.fixture
async def mentor(repo, project) -> dict[str, Any]:
    return await sign_in_as(repo, project, MENTOR_USER)


# --- the double's own fidelity ---------------------------------------------


def test_session_reply_is_a_session_to_supabase_auth():
    from supabase_auth.types import Session

    parsed = Session.model_validate(session_json(MENTOR_USER))
    assert parsed.user.id == MENTOR_ID
    assert parsed.expires_at and parsed.expires_at > time.time()


def test_user_reply_is_a_user_to_supabase_auth():
    from supabase_auth.types import User

    assert User.model_validate(STUDENT_USER).user_metadata["role"] == "student"


def test_postgrest_error_reply_is_an_api_error_to_postgrest():
    from postgrest.exceptions import APIErrorFromJSON

    reply = pg_error(409, "23P01", "conflicting key value violates exclusion constraint")
    assert APIErrorFromJSON.model_validate(reply.body).code == "23P01"


def test_session_row_is_a_domain_session():
    from mentor_tui.repository.supabase_rows import session_from_row

    assert session_from_row(session_row()).id == SESSION_ID


async def test_unscripted_request_is_recorded_not_answered():
    fake = FakeProject()
    async with httpx.AsyncClient(transport=fake.transport()) as client:
        response = await client.get(f"{PROJECT_URL}/rest/v1/nothing")
    assert response.status_code == 500
    assert [(s.method, s.path) for s in fake.unexpected] == [("GET", "/rest/v1/nothing")]
