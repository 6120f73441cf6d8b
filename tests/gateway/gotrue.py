"""GoTrue (Supabase Auth) for the endpoints supabase-py's auth client calls for the app.

Follows supabase/auth: internal/api/signup.go (sign-up; with email confirmation
on, no session and an existing address answered with an obfuscated user; with
it off, ``422 user_already_exists`` and a session), internal/api/token.go
(password grant: ``400 invalid_credentials`` "Invalid login credentials",
``email_not_confirmed``), internal/tokens/service.go ``RefreshTokenGrant``
(rotation: the used token is revoked and a child issued; a revoked token that
is the parent of the session's active token gets the active token back; any
other revoked token within the reuse interval is swapped again; outside it the
session's whole family is revoked and ``refresh_token_already_used`` returned),
internal/api/logout.go (scope global|local|others, 204), internal/api/auth.go
(``requireAuthentication``: bad_jwt / no_authorization / user_not_found /
session_not_found), internal/api/errors.go (error JSON: ``{"code": <status>,
"error_code", "msg"}``, or ``{"code": <error_code>, "message"}`` when the client
sends ``X-Supabase-Api-Version: 2024-01-01``, as supabase-py does) and the
429s ``over_request_rate_limit`` ("Request rate limit reached") and
``over_email_send_rate_limit`` ("email rate limit exceeded").

Passwords are stored salted and hashed (PBKDF2 here; GoTrue uses bcrypt).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import uuid
from collections import deque
from datetime import datetime, timezone
from typing import Any, LiteralString

import httpx
import jwt
import psycopg
from psycopg.rows import dict_row

from .config import ProjectConfig

Row = dict[str, Any]
Conn = psycopg.AsyncConnection[Row]

API_VERSION_HEADER = "x-supabase-api-version"
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MIN_PASSWORD = 6  # GOTRUE_PASSWORD_MIN_LENGTH default


class AuthError(Exception):
    def __init__(self, status: int, code: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}

    def response(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get(API_VERSION_HEADER) == "2024-01-01":
            body: dict[str, Any] = {"code": self.code, "message": self.message, **self.extra}
            headers = {API_VERSION_HEADER: "2024-01-01"}
        else:
            body = {"code": self.status, "error_code": self.code, "msg": self.message, **self.extra}
            headers = {}
        return _json(self.status, body, {**headers, "x-sb-error-code": self.code})


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers={"content-type": "application/json", **(headers or {})}, content=json.dumps(body).encode())


async def _one(conn: Conn, query: LiteralString, params: tuple[Any, ...]) -> Row | None:
    cursor = await conn.execute(query, params)
    return await cursor.fetchone()


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(timezone.utc).isoformat()


def _hash(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
    return f"pbkdf2${salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("pbkdf2$"):
        return False
    salt = bytes.fromhex(stored.split("$")[1])
    return secrets.compare_digest(_hash(password, salt), stored)


def _new_refresh_token() -> str:
    # crypto.SecureAlphanumeric(12): the v1 refresh token format (token_refresh.go legacyRefreshTokenPattern).
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))


class Limiter:
    """A sliding window: at most ``count`` events per ``seconds``."""

    def __init__(self, limit: tuple[int, float] | None) -> None:
        self._limit = limit
        self._events: deque[float] = deque()

    def hit(self) -> bool:
        """Record one event; False when it is over the limit (and then not counted)."""
        if self._limit is None:
            return True
        count, seconds = self._limit
        now = time.monotonic()
        while self._events and self._events[0] <= now - seconds:
            self._events.popleft()
        if len(self._events) >= count:
            return False
        self._events.append(now)
        return True


class GoTrue:
    def __init__(self, db_url: str, config: ProjectConfig, issuer: str) -> None:
        self._db_url = db_url
        self._config = config
        self._issuer = issuer
        self._requests = Limiter(config.request_limit)
        self._emails = Limiter(config.email_limit)

    async def handle(self, request: httpx.Request, path: str) -> httpx.Response | None:
        """The response, or None for a path/method this gateway does not implement."""
        route = (request.method, path.strip("/"))
        try:
            async with await psycopg.AsyncConnection.connect(self._db_url, autocommit=True, row_factory=dict_row) as conn:
                if route == ("POST", "signup"):
                    return await self._signup(conn, request)
                if route == ("POST", "token"):
                    return await self._token(conn, request)
                if route == ("GET", "user"):
                    user, _ = await self._authenticated(conn, request)
                    return _json(200, self._user_json(user))
                if route == ("POST", "logout"):
                    return await self._logout(conn, request)
        except AuthError as error:
            return error.response(request)
        return None

    # --- endpoints ------------------------------------------------------------
    async def _signup(self, conn: Conn, request: httpx.Request) -> httpx.Response:
        if not self._requests.hit():
            raise AuthError(429, "over_request_rate_limit", "Request rate limit reached")
        body = json.loads(request.content or b"{}")
        email = str(body.get("email") or "").strip().lower()
        password = str(body.get("password") or "")
        if not EMAIL.fullmatch(email):
            raise AuthError(400, "validation_failed", "Unable to validate email address: invalid format")
        if len(password) < MIN_PASSWORD:
            raise AuthError(
                422, "weak_password", f"Password should be at least {MIN_PASSWORD} characters.",
                {"weak_password": {"reasons": ["length"]}},
            )
        confirm = self._config.email_confirmation
        async with conn.transaction():
            existing = await _one(conn, "select * from auth.users where email = %s", (email,))
            if existing is not None:
                if not confirm:
                    raise AuthError(422, "user_already_exists", "User already registered")
                # signup.go sanitizeUser: an answer that does not reveal the address is taken.
                return _json(200, {**self._user_json(existing), "id": str(uuid.uuid4()), "identities": []})
            if confirm and not self._emails.hit():
                raise AuthError(429, "over_email_send_rate_limit", "email rate limit exceeded")
            data = body.get("data") or {}
            try:
                async with conn.transaction():
                    user = await _one(
                        conn,
                        "insert into auth.users (id, email, encrypted_password, raw_user_meta_data, raw_app_meta_data,"
                        " email_confirmed_at) values (%s, %s, %s, %s, %s, %s) returning *",
                        (
                            str(uuid.uuid4()), email, _hash(password), json.dumps(data),
                            json.dumps({"provider": "email", "providers": ["email"]}),
                            None if confirm else datetime.now(timezone.utc),
                        ),
                    )
            except psycopg.Error as error:
                # A failing trigger on auth.users: GoTrue answers 500 "Database error saving new user".
                raise AuthError(500, "unexpected_failure", "Database error saving new user") from error
            assert user is not None  # insert ... returning gives the row
            if confirm:
                return _json(200, {**self._user_json(user), "confirmation_sent_at": _stamp(datetime.now(timezone.utc))})
            return _json(200, await self._issue(conn, user, parent=None, session_id=None))

    async def _token(self, conn: Conn, request: httpx.Request) -> httpx.Response:
        grant = request.url.params.get("grant_type")
        if grant not in ("password", "refresh_token"):
            raise AuthError(400, "invalid_credentials", "unsupported_grant_type")
        if not self._requests.hit():
            raise AuthError(429, "over_request_rate_limit", "Request rate limit reached")
        body = json.loads(request.content or b"{}")
        if grant == "password":
            email = str(body.get("email") or "").strip().lower()
            async with conn.transaction():
                user = await _one(conn, "select * from auth.users where email = %s", (email,))
                if user is None or not _matches(str(body.get("password") or ""), user["encrypted_password"]):
                    raise AuthError(400, "invalid_credentials", "Invalid login credentials")
                if user["email_confirmed_at"] is None:
                    raise AuthError(400, "email_not_confirmed", "Email not confirmed")
                await conn.execute("update auth.users set last_sign_in_at = now() where id = %s", (user["id"],))
                return _json(200, await self._issue(conn, user, parent=None, session_id=None))
        return await self._refresh(conn, str(body.get("refresh_token") or ""))

    async def _refresh(self, conn: Conn, presented: str) -> httpx.Response:
        if len(presented) < 12:
            raise AuthError(400, "validation_failed", "Refresh token is not valid")
        error: AuthError | None = None
        async with conn.transaction():
            token = await _one(conn, "select * from auth.refresh_tokens where token = %s for update", (presented,))
            if token is None:
                raise AuthError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
            user = await _one(conn, "select * from auth.users where id = %s::uuid", (token["user_id"],))
            session = await _one(conn, "select * from auth.sessions where id = %s for update", (token["session_id"],))
            if user is None or session is None:
                raise AuthError(400, "session_not_found", "Invalid Refresh Token: No Valid Session Found")
            if token["revoked"]:
                active = await _one(
                    conn,
                    "select * from auth.refresh_tokens where session_id = %s and not revoked order by id desc limit 1",
                    (token["session_id"],),
                )
                if active is not None and active["parent"] == token["token"]:
                    # The client lost the answer to its last refresh: hand back the active token, issue none.
                    return _json(200, await self._issue(conn, user, parent=None, session_id=session["id"], reuse=active["token"]))
                reuse_until = token["updated_at"].timestamp() + self._config.refresh_token_reuse_seconds
                if time.time() > reuse_until:
                    await conn.execute(
                        "update auth.refresh_tokens set revoked = true, updated_at = now()"
                        " where session_id = %s and not revoked",
                        (token["session_id"],),
                    )
                    # storage.NewCommitWithError: the family stays revoked, the caller gets the error.
                    error = AuthError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
            if error is None:
                await conn.execute(
                    "update auth.refresh_tokens set revoked = true, updated_at = now() where id = %s", (token["id"],)
                )
                return _json(200, await self._issue(conn, user, parent=token["token"], session_id=session["id"]))
        raise error

    async def _logout(self, conn: Conn, request: httpx.Request) -> httpx.Response:
        scope = request.url.params.get("scope") or "global"
        if scope not in ("global", "local", "others"):
            raise AuthError(400, "validation_failed", f'Unsupported logout scope "{scope}"')
        user, session_id = await self._authenticated(conn, request)
        if scope == "local" and session_id:
            await conn.execute("delete from auth.sessions where id = %s", (session_id,))
        elif scope == "others" and session_id:
            await conn.execute("delete from auth.sessions where user_id = %s and id <> %s", (user["id"], session_id))
        else:
            await conn.execute("delete from auth.sessions where user_id = %s", (user["id"],))
        return httpx.Response(204)

    # --- helpers --------------------------------------------------------------
    async def _authenticated(self, conn: Conn, request: httpx.Request) -> tuple[Row, str | None]:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        if not token:
            raise AuthError(401, "no_authorization", "This endpoint requires a valid Bearer token")
        try:
            claims = jwt.decode(token, self._config.jwt_secret, algorithms=["HS256"], options={"verify_aud": False})
        except jwt.PyJWTError as error:
            raise AuthError(403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {error}") from error
        if claims.get("role") == "anon" or not claims.get("sub"):
            raise AuthError(403, "bad_jwt", "invalid claim: missing sub claim")
        user = await _one(conn, "select * from auth.users where id = %s::uuid", (claims["sub"],))
        if user is None:
            raise AuthError(403, "user_not_found", "User from sub claim in JWT does not exist")
        session_id = claims.get("session_id")
        if session_id:
            found = await _one(conn, "select 1 from auth.sessions where id = %s::uuid", (session_id,))
            if found is None:
                raise AuthError(403, "session_not_found", "Session from session_id claim in JWT does not exist")
        return user, session_id

    async def _issue(
        self, conn: Conn, user: Row, *, parent: str | None, session_id: Any,
        reuse: str | None = None,
    ) -> dict[str, Any]:
        """tokens/service.go issueRefreshToken / AccessTokenResponse: a signed access token and a refresh token."""
        if session_id is None:
            session_id = uuid.uuid4()
            await conn.execute("insert into auth.sessions (id, user_id) values (%s, %s)", (session_id, user["id"]))
        await conn.execute(
            "update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = %s",
            (session_id,),
        )
        refresh = reuse
        if refresh is None:
            refresh = _new_refresh_token()
            await conn.execute(
                "insert into auth.refresh_tokens (token, user_id, parent, session_id) values (%s, %s, %s, %s)",
                (refresh, str(user["id"]), parent, session_id),
            )
        issued = int(self._config.now())
        expires_at = issued + self._config.access_token_seconds
        claims = {
            "iss": self._issuer, "sub": str(user["id"]), "aud": "authenticated", "exp": expires_at, "iat": issued,
            "email": user["email"] or "", "phone": "", "app_metadata": user["raw_app_meta_data"],
            "user_metadata": user["raw_user_meta_data"], "role": "authenticated", "aal": "aal1",
            "amr": [{"method": "password", "timestamp": issued}], "session_id": str(session_id), "is_anonymous": False,
        }
        return {
            "access_token": self._config.sign(claims), "token_type": "bearer",
            "expires_in": self._config.access_token_seconds, "expires_at": expires_at,
            "refresh_token": refresh, "user": self._user_json(user),
        }

    @staticmethod
    def _user_json(user: Row) -> dict[str, Any]:
        return {
            "id": str(user["id"]), "aud": "authenticated", "role": "authenticated", "email": user["email"],
            "email_confirmed_at": _stamp(user.get("email_confirmed_at")), "phone": "",
            "confirmed_at": _stamp(user.get("email_confirmed_at")), "last_sign_in_at": _stamp(user.get("last_sign_in_at")),
            "app_metadata": user["raw_app_meta_data"], "user_metadata": user["raw_user_meta_data"],
            "identities": [], "created_at": _stamp(user["created_at"]), "updated_at": _stamp(user["updated_at"]),
            "is_anonymous": False,
        }
