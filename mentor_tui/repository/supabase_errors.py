"""supabase-py's exceptions, turned into the typed errors screens handle.

The table is the schema contract's: 42501 -> NotAllowed, 23P01 -> SlotTaken
(InvalidInput("start_time") for availability), 23514 about availability ->
OutsideAvailability, other check/not-null/data errors -> InvalidInput with the
field guessed from the constraint or column name, PGRST116 -> NotFound,
network failures, timeouts and 5xx -> BackendUnavailable, bad credentials ->
InvalidCredentials, an email in use -> InvalidInput("email"), GoTrue's 429s ->
RateLimited saying how long to wait, 40P01/40001 -> Contention.

``retry_reason`` names the failures a call is repeated once for: an access token
PostgREST refused (PGRST301/PGRST303, after a refresh) and a deadlock or
serialization failure (the transaction was rolled back, so nothing was written).

Imported only once an error has happened, so it may import the clients' types.
Messages never include tokens or keys; they may name the project's host.
"""

from __future__ import annotations

import re
from typing import Literal

import httpx
from postgrest.exceptions import APIError
from supabase_auth.errors import (
    AuthError,
    AuthInvalidJwtError,
    AuthRetryableError,
    AuthSessionMissingError,
    AuthUnknownError,
    AuthWeakPasswordError,
    UserDoesntExist,
)

from ..domain import messages, rules, text
from ..domain.errors import (
    BackendUnavailable,
    InvalidCredentials,
    InvalidInput,
    MentorError,
    NotAllowed,
    NotFound,
    NotSignedIn,
    OutsideAvailability,
    SlotTaken,
)

Kind = Literal["session", "availability", "other"]
Retry = Literal["token", "contention"]
"""What was being written: an overlap (23P01) means a taken slot for a session
and an overlapping window for availability."""

EXPIRED = messages.SIGN_IN_EXPIRED
ENDED = messages.SIGN_IN_ENDED
EMAIL_IN_USE = messages.EMAIL_IN_USE
TOO_MANY = messages.TOO_MANY_REQUESTS
TOO_MANY_EMAILS = messages.TOO_MANY_EMAILS
CONTENTION = messages.CONTENTION


class RateLimited(MentorError):
    """The project's Auth refused with 429; the message says how long to wait."""

    default_message = TOO_MANY


class Contention(BackendUnavailable):
    """The database gave up on a transaction that met another one (deadlock or
    serialization failure) even after one retry."""

    default_message = CONTENTION


# A refresh token used again outside GoTrue's reuse interval revokes the whole
# sign-in (https://supabase.com/docs/guides/auth/sessions#refresh-token-reuse-detection).
ENDED_CODES = frozenset({"refresh_token_already_used", "session_not_found", "refresh_token_not_found"})
_SIGNED_OUT_CODES = frozenset(
    {
        *ENDED_CODES,
        "session_expired",
        "bad_jwt",
        "invalid_jwt",
        "no_authorization",
        "user_not_found",
    }
)
_EMAIL_IN_USE_CODES = frozenset({"user_already_exists", "email_exists"})
# GoTrue's error codes (https://supabase.com/docs/guides/auth/debugging/error-codes): the
# request limit is per minute by default, the email limit per hour.
_RATE_LIMITS = {"over_request_rate_limit": TOO_MANY, "over_email_send_rate_limit": TOO_MANY_EMAILS}
_TOKEN_REFUSED_CODES = frozenset({"PGRST301", "PGRST303"})  # JWT invalid / JWT expired
_CONTENTION_CODES = frozenset({"40P01", "40001"})  # deadlock_detected / serialization_failure
_SCHEMA_MISSING_CODES = frozenset({"PGRST202", "PGRST204", "PGRST205", "42P01", "42703", "42883"})

# Form field names, longest first so "start_time" wins over "time"-like fragments.
_FIELDS = (
    "cancellation_reason",
    "duration_minutes",
    "scheduled_time",
    "meeting_link",
    "meeting_url",
    "hourly_rate",
    "day_of_week",
    "start_time",
    "full_name",
    "end_time",
    "timezone",
    "expertise",
    "profession",
    "experience",
    "mentor_id",
    "feedback",
    "subject",
    "rating",
    "review",
    "notes",
    "body",
    "bio",
)
_FORM_FIELD = {"day_of_week": "weekday"}
# A text column's CHECK refuses both over-long text and control characters; the domain
# normally names which before the request is sent, so this is for what slipped past it.
_TEXT_MESSAGES = {name: messages.text_refused(spec.label, spec.max_length) for name, spec in text.FIELDS.items()}
_FIELD_MESSAGES = {
    **_TEXT_MESSAGES,
    "subject": messages.subject_length(rules.SUBJECT_MAX),
    "duration_minutes": messages.duration_steps(rules.MIN_DURATION, rules.MAX_DURATION, rules.DURATION_STEP),
    "scheduled_time": messages.PICK_FUTURE,
    "rating": messages.RATING_RANGE,
    "hourly_rate": messages.hourly_rate_range(rules.MAX_HOURLY_RATE),
    "meeting_url": messages.URL_FORMAT,
    "meeting_link": messages.URL_FORMAT,
    "timezone": messages.PICK_TIME_ZONE,
    "end_time": messages.END_AFTER_START,
    "weekday": messages.PICK_WEEKDAY,
}
_SLOT_TAKEN = "slot_taken"
"""The detail (or hint) naming the booking trigger's own slot error, as the embedded
backend's error names it; only that exact value counts, never people's text."""
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
# PostgreSQL's own wording, meant for developers; a trigger's message is meant for people.
_TECHNICAL = re.compile(r"violates|null value in column|invalid input|out of range|value too long", re.IGNORECASE)


def retry_reason(error: BaseException) -> Retry | None:
    """Why ``error`` is worth one more try of the whole call, or None."""
    if isinstance(error, APIError):
        if error.code in _TOKEN_REFUSED_CODES:
            return "token"
        if error.code in _CONTENTION_CODES:
            return "contention"
    return None


def translate(error: BaseException, *, url: str, kind: Kind = "other") -> MentorError | None:
    """The typed error for ``error``, or None for one this module does not know (a bug: let it raise)."""
    host = httpx.URL(url).host if url.startswith(("http://", "https://")) else url
    if isinstance(error, MentorError):
        return error
    if isinstance(error, APIError):
        return _from_postgrest(error, host=host, kind=kind)
    if isinstance(error, AuthError):
        return _from_auth(error, host=host)
    if isinstance(error, httpx.TimeoutException):
        return _timed_out(host)
    if isinstance(error, (httpx.TransportError, httpx.InvalidURL)):
        return _unreachable(host)
    return None


def _unreachable(host: str) -> BackendUnavailable:
    return BackendUnavailable(messages.project_unreachable(host))


def _timed_out(host: str) -> BackendUnavailable:
    return BackendUnavailable(messages.project_timed_out(host))


def _not_supabase(host: str) -> BackendUnavailable:
    return BackendUnavailable(messages.not_a_project(host))


def _bad_key(host: str) -> BackendUnavailable:
    return BackendUnavailable(messages.project_refused_key(host))


def _from_auth(error: AuthError, *, host: str) -> MentorError:
    if isinstance(error, AuthRetryableError):
        if isinstance(error.__cause__, httpx.TimeoutException):
            return _timed_out(host)
        if error.status:
            return BackendUnavailable(messages.project_not_answering(host, error.status))
        return _unreachable(host)
    if isinstance(error, AuthUnknownError):
        return _not_supabase(host)
    if isinstance(error, AuthWeakPasswordError):
        return InvalidInput("password", error.message or messages.STRONGER_PASSWORD)
    if isinstance(error, (AuthSessionMissingError, UserDoesntExist, AuthInvalidJwtError)):
        return NotSignedIn(EXPIRED)
    code = error.code or ""
    message = error.message or ""
    status = getattr(error, "status", 0) or 0
    if "api key" in message.lower():
        return _bad_key(host)
    if code == "invalid_credentials" or "invalid login credentials" in message.lower():
        return InvalidCredentials()
    if code in _EMAIL_IN_USE_CODES or "already registered" in message.lower():
        return InvalidInput("email", EMAIL_IN_USE)
    if code in {"email_address_invalid", "email_address_not_authorized"} or (
        code == "validation_failed" and "email" in message.lower()
    ):
        return InvalidInput("email", messages.EMAIL_FORMAT)
    if code == "email_not_confirmed":
        return InvalidCredentials(messages.CONFIRM_EMAIL_FIRST)
    if code == "signup_disabled":
        return NotAllowed(messages.SIGN_UPS_OFF)
    if code in _RATE_LIMITS or status == 429:
        return RateLimited(_RATE_LIMITS.get(code, TOO_MANY))
    if code in ENDED_CODES:
        return NotSignedIn(ENDED)
    if code in _SIGNED_OUT_CODES or status in (401, 403):
        return NotSignedIn(EXPIRED)
    if status >= 500:
        return BackendUnavailable(messages.project_failed(host, status))
    return MentorError(message or None)


def _from_postgrest(error: APIError, *, host: str, kind: Kind) -> MentorError:
    code = error.code or ""
    message = error.message or ""
    http_status = len(code) == 3 and code.isdigit()
    if not code or http_status:
        # Not PostgREST's JSON (postgrest-py then puts the HTTP status in ``code``; SQLSTATEs
        # have five characters): the API gateway, e.g. for a wrong key, or another server.
        if "api key" in message.lower():
            return _bad_key(host)
        if http_status and int(code) >= 500:
            return BackendUnavailable(messages.project_not_answering(host, code))
        return _not_supabase(host)
    if code == "PGRST116":
        return NotFound()
    if code.startswith("PGRST30") and code != "PGRST300":
        return NotSignedIn(EXPIRED)
    if code in _SCHEMA_MISSING_CODES:
        return BackendUnavailable(messages.project_lacks_schema(host, message))
    if code.startswith(("PGRST0", "08", "53", "57")):
        return BackendUnavailable(messages.project_database_unreachable(host))
    if code == "42501":
        generic = "row-level security" in message or message.startswith("permission denied")
        return NotAllowed(None if generic or not message else message)
    if code in _CONTENTION_CODES:
        return Contention()
    if code == "23P01" or _SLOT_TAKEN in (error.details, error.hint):
        if kind == "availability":
            return InvalidInput("start_time", messages.WINDOW_OVERLAPS)
        return SlotTaken()
    if code == "23514" and kind == "session" and "availability" in message.lower():
        # Only for sessions: a constraint on the mentor_availability table names it too.
        return OutsideAvailability()
    if code == "22P02" and "uuid" in message:
        return NotFound()  # an id that is not even well-formed names nothing
    if code.startswith(("22", "23")):
        field = guess_field(message, error.hint, error.details)
        if _TECHNICAL.search(message) or not message:
            message = _FIELD_MESSAGES.get(field, messages.CHECK_VALUE)
        return InvalidInput(field, message)
    return MentorError(message or None)


def guess_field(message: str, hint: str | None = None, details: object = None) -> str:
    """The form field a database error is about: from a constraint name in the
    detail (as the migrations' triggers give it), a quoted column or constraint
    name, else a field named in the text; "form" when unsure.

    Any other detail is ignored: PostgreSQL's "Failing row contains (...)" holds
    what people typed, which may mention any field name."""
    text = f"{message} {hint or ''}"
    named = re.findall(r'(?:column|constraint) "([^"]+)"', text)
    if isinstance(details, str) and _IDENTIFIER.fullmatch(details):
        named.insert(0, details)
    for candidate in [*named, text]:
        for name in _FIELDS:
            if re.search(rf"(?<![a-z]){name}(?![a-z])", candidate):
                return _FORM_FIELD.get(name, name)
    return "form"
