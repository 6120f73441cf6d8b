"""A Supabase project for tests: PostgREST's and GoTrue's documented behaviour
executed on a real PostgreSQL database, plugged into supabase-py as an httpx
transport (``SupabaseRepository(..., transport=gateway.transport())``).

Requests go to ``GATEWAY_URL``; ``/rest/v1/...`` is answered as PostgREST v13
does (rest.py), ``/auth/v1/...`` as GoTrue does (gotrue.py). The Supabase API
gateway in front of both checks the ``apikey`` header: the project's
publishable key or its legacy anon JWT; without a user's JWT in
``Authorization``, the request runs as ``anon``
(supabase.com/docs/guides/api/api-keys).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import jwt
import psycopg

from .config import JWT_SECRET, PUBLISHABLE_KEY, ProjectConfig
from .gotrue import GoTrue
from .postgrest_errors import PostgrestError, jwt_error
from .rest import Caller, GrammarError, Rest

__all__ = ["project_database", "GATEWAY_URL", "JWT_SECRET", "PUBLISHABLE_KEY", "Gateway", "GrammarError", "ProjectConfig", "install_auth_schema"]

GATEWAY_URL = "http://gateway.supabase.test"
ALLOWED_SKEW = 30  # seconds; Auth/Jwt.hs allowedSkewSeconds
AUTH_SCHEMA = Path(__file__).with_name("auth_schema.sql")


def install_auth_schema(conn: psycopg.Connection) -> None:
    """GoTrue's own tables (sessions, refresh tokens, passwords) on top of the stand-in."""
    conn.execute(AUTH_SCHEMA.read_text())


@contextmanager
def project_database(label: str, *, legacy: bool = False, migrate: bool = True) -> Iterator[str]:
    """A throw-away database set up as a Supabase project (created today unless ``legacy``),
    with GoTrue's tables and, if ``migrate``, mentor-tui's migrations applied twice."""
    import pg_support

    with pg_support.fresh_database(pg_support.server_url(), label) as url:
        with psycopg.connect(url, autocommit=True) as admin:
            pg_support.Scripts.load_standin(admin, legacy=legacy)
            install_auth_schema(admin)
            if migrate:
                pg_support.Scripts.migrate(admin)
                pg_support.Scripts.migrate(admin)
        yield url


class Gateway(httpx.AsyncBaseTransport):
    """The transport; ``config`` may be changed between requests (limits, token lifetime, skew)."""

    def __init__(self, db_url: str, config: ProjectConfig | None = None, *, url: str = GATEWAY_URL) -> None:
        """``url``: the project URL clients are given (scheme and host[:port], no path);
        another than ``GATEWAY_URL`` when a real server must answer there too (Realtime's
        websocket, which clients derive from the project URL and open without httpx)."""
        self.db_url = db_url
        self._url = url
        self.config = config or ProjectConfig()
        self.requests: list[str] = []
        """``METHOD path?query`` of every request, in order: what tests may assert was sent."""
        self.grammar_errors: list[GrammarError] = []
        self._rest = Rest(db_url, self.config.max_rows)
        self._auth = GoTrue(db_url, self.config, f"{url}/auth/v1")

    @property
    def url(self) -> str:
        return self._url

    def reconfigure(self, **changes: object) -> None:
        for name, value in changes.items():
            if not hasattr(self.config, name):
                raise AttributeError(name)
            setattr(self.config, name, value)
        self._rest = Rest(self.db_url, self.config.max_rows)
        self._auth = GoTrue(self.db_url, self.config, f"{self._url}/auth/v1")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(f"{request.method} {request.url.raw_path.decode()}")
        try:
            return await self._route(request)
        except GrammarError as error:
            self.grammar_errors.append(error)
            raise

    async def _route(self, request: httpx.Request) -> httpx.Response:
        if f"{request.url.scheme}://{request.url.netloc.decode()}" != self._url:
            raise GrammarError(request, "request to another host")
        apikey = request.headers.get("apikey")
        if apikey != self.config.publishable_key and not _is_legacy_anon(apikey, self.config):
            # The platform's API gateway answers before PostgREST or GoTrue see the request.
            body = {"message": "Invalid API key", "hint": "Double check your Supabase `anon` or `service_role` API key."}
            return httpx.Response(401, json=body)
        path = request.url.path
        if path.startswith("/auth/v1/"):
            response = await self._auth.handle(request, path.removeprefix("/auth/v1/"))
            if response is None:
                raise GrammarError(request, "auth endpoint not implemented")
            return response
        if path.startswith("/rest/v1/"):
            try:
                caller = self._caller(request, apikey or "")
                return await self._rest.handle(request, path.removeprefix("/rest/v1/"), caller)
            except PostgrestError as error:
                return error.response()
        raise GrammarError(request, "path is neither /auth/v1 nor /rest/v1")

    def _caller(self, request: httpx.Request, apikey: str) -> Caller:
        """Auth/Jwt.hs: the signature, then exp/nbf/iat against the server's clock with
        30 s of allowed skew; the role claim (default anon)."""
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token or token == apikey:
            return Caller("anon", {"role": "anon"})
        parts = token.count(".") + 1
        if parts != 3:
            raise jwt_error("PGRST301", f"Expected 3 parts in JWT; got {parts}")
        try:
            claims = jwt.decode(
                token, self.config.jwt_secret, algorithms=["HS256"],
                options={"verify_aud": False, "verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
        except jwt.InvalidSignatureError as error:
            raise jwt_error("PGRST301", "JWT cryptographic operation failed") from error
        except jwt.PyJWTError as error:
            raise jwt_error("PGRST301", "JWT couldn't be decoded") from error
        now = time.time() + self.config.verify_skew_seconds
        if isinstance(claims.get("exp"), (int, float)) and now - ALLOWED_SKEW > claims["exp"]:
            raise jwt_error("PGRST303", "JWT expired")
        if isinstance(claims.get("nbf"), (int, float)) and now + ALLOWED_SKEW < claims["nbf"]:
            raise jwt_error("PGRST303", "JWT not yet valid")
        if isinstance(claims.get("iat"), (int, float)) and now + ALLOWED_SKEW < claims["iat"]:
            raise jwt_error("PGRST303", "JWT issued at future")
        return Caller(str(claims.get("role") or "anon"), claims)


def _is_legacy_anon(apikey: str | None, config: ProjectConfig) -> bool:
    if not apikey or apikey.count(".") != 2:
        return False
    try:
        return jwt.decode(apikey, config.jwt_secret, algorithms=["HS256"]).get("role") == "anon"
    except jwt.PyJWTError:
        return False
