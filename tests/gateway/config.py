"""The gateway's project settings and its tokens (JWTs signed HS256 with a test secret)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

JWT_SECRET = "gateway-test-jwt-secret-of-at-least-32-characters"
PUBLISHABLE_KEY = "sb_publishable_gateway-test-key"


@dataclass
class ProjectConfig:
    """What a Supabase project lets its owner set, as far as the app can see it.

    Defaults follow Supabase's: max rows 1000 (Dashboard > API settings, PostgREST
    ``db-max-rows``), access tokens for 3600 s (GoTrue ``JWT_EXP``), refresh token
    reuse interval 10 s (``GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL``), email
    confirmation off (``MAILER_AUTOCONFIRM`` on) so sign-up signs in at once.
    """

    jwt_secret: str = JWT_SECRET
    publishable_key: str = PUBLISHABLE_KEY
    max_rows: int | None = 1000
    access_token_seconds: int = 3600
    issue_skew_seconds: float = 0.0
    """Added to the real time when a token is issued: a negative skew makes tokens
    that look issued in the past, as from a server whose clock runs behind."""
    verify_skew_seconds: float = 0.0
    """Added to the real time when PostgREST checks a token's exp/nbf: with
    ``issue_skew_seconds`` the same, the project's clocks run ahead of the client's."""
    refresh_token_reuse_seconds: float = 10.0
    email_confirmation: bool = False
    request_limit: tuple[int, float] | None = None
    """(requests, per seconds) on /token and /signup; over it: 429 over_request_rate_limit."""
    email_limit: tuple[int, float] | None = None
    """(emails, per seconds) sent by sign-ups with confirmation on (GoTrue counts per hour):
    over it: 429 over_email_send_rate_limit."""

    def now(self) -> float:
        return time.time() + self.issue_skew_seconds

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.jwt_secret, algorithm="HS256")

    def legacy_anon_key(self) -> str:
        """The pre-2025 anon key: a long-lived JWT with role anon (still accepted as apikey)."""
        issued = int(time.time())
        return self.sign({"iss": "supabase", "ref": "gateway", "role": "anon", "iat": issued, "exp": issued + 10**8})
