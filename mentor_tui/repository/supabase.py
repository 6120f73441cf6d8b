"""The Supabase backend: a project's Auth (GoTrue) and Data (PostgREST) APIs through supabase-py.

Storage only (``repository.base.Storage``): the services have applied every rule
before a call reaches here; the database enforces them again for every client
holding the publishable key (RLS, triggers and exclusion constraints in
``sql/supabase/``). Errors are translated once, in ``supabase_errors``; nothing
here logs a token.

A call whose access token PostgREST refused (a clock running behind, a rotated
signing key) is repeated once after a refresh, and one that met a deadlock or a
serialization failure is repeated once. Every list that can be longer than the
project's max-rows (1000 by default; PostgREST then cuts it without an error) is
read a page at a time; the reviews are bounded on purpose (at most 100, newest first).

Nothing heavy is imported with this module: supabase-py (and httpx) load on
the first call, inside the running event loop, with the import itself in a
worker thread so the screen stays responsive.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import re
import time as clock_time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from ..clock import Clock
from ..domain import messages
from ..domain.booking_rules import BookingRules, context_window
from ..domain.errors import (
    BackendUnavailable,
    InvalidCredentials,
    MentorError,
    NotAllowed,
    NotFound,
    NotSignedIn,
)
from ..domain.models import (
    AvailabilitySlot,
    BookingRequest,
    Conversation,
    MentorSession,
    MentorStudent,
    MentorOrder,
    MentorPage,
    MentorSummary,
    MentorTotals,
    Message,
    Notification,
    Profile,
    ProfileUpdate,
    Proposal,
    Review,
    ReviewStats,
    Role,
    SessionNotes,
    SessionStatus,
    SessionView,
    TimeRange,
)
from . import supabase_rows as rows
from ..domain.no_show import NoShow, absent_party
from ..domain.reschedule import RescheduleFacts, RescheduleRequest, RescheduleStatus, held_window
from .base import BookingCheck, MessageCheck, NoShowCheck, ProposalCheck, RescheduleCheck, SessionChanges, WindowCheck
from .supabase_storage import FileSessionStorage

if TYPE_CHECKING:
    import httpx
    from postgrest.types import CountMethod
    from supabase import AsyncClient
    from supabase_auth._async.storage import AsyncSupportedStorage
    from supabase_auth.types import Session, User

    from .supabase_errors import Kind
    from .supabase_live import LiveChanges

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 15.0
CONNECT_TIMEOUT = 5.0
REFRESH_MARGIN = 30
"""Seconds before expiry when an access token is refreshed (under the shared lock).
More than supabase_auth's own 10 s margin, so the library never refreshes unlocked."""
PAGE_ROWS = 1000
"""Rows asked for per page of a list; the project may answer with fewer (its max-rows)."""
PARTY_BATCH = 100
"""User ids per request when looking up other people's names (keeps URLs short)."""

P = ParamSpec("P")
T = TypeVar("T")


class EmailConfirmationRequired(MentorError):
    """The project asks new accounts to confirm their email before the first sign-in."""

    default_message = messages.CONFIRMATION_SENT


def _typed(error: Exception, url: str, kind: Kind = "other") -> MentorError:
    """The typed error for a client exception; an unknown exception is re-raised as it is (a bug)."""
    from .supabase_errors import translate

    typed = translate(error, url=url, kind=kind)
    if typed is None:
        raise error
    return typed


def _mapped(
    kind: Kind = "other",
) -> Callable[
    [Callable[Concatenate[SupabaseRepository, P], Coroutine[Any, Any, T]]],
    Callable[Concatenate[SupabaseRepository, P], Coroutine[Any, Any, T]],
]:
    """Let a public method raise only the typed errors of ``repository.base``, after
    one more try when the first failed for a reason a second try can fix.

    Repeating the whole method is safe: a refused token or a rolled-back
    transaction wrote nothing, and each method writes last (or idempotently).
    """

    def decorate(
        method: Callable[Concatenate[SupabaseRepository, P], Coroutine[Any, Any, T]],
    ) -> Callable[Concatenate[SupabaseRepository, P], Coroutine[Any, Any, T]]:
        @functools.wraps(method)
        async def call(self: SupabaseRepository, *args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return await method(self, *args, **kwargs)
            except MentorError:
                raise
            except Exception as error:
                from .supabase_errors import retry_reason

                reason = retry_reason(error)
                if reason is None:
                    raise _typed(error, self._url, kind) from error
                if reason == "token":
                    await self._auth(rejected=self._sent_token)
            try:
                return await method(self, *args, **kwargs)
            except MentorError:
                raise
            except Exception as error:
                raise _typed(error, self._url, kind) from error

        return call

    return decorate


def _exact() -> CountMethod:
    """Ask PostgREST for the exact count (its Content-Range total): how paging knows it is done."""
    from postgrest.types import CountMethod

    return CountMethod.exact


def _names_a_row(row_id: str) -> bool:
    """Whether ``row_id`` can be a row's id at all: every id here is a uuid, and PostgreSQL
    answers one that is not with an error (22P02) rather than with no rows."""
    try:
        uuid.UUID(row_id)
    except ValueError:
        return False
    return True


def _session_views(found: list[rows.Row], parties: dict[str, rows.Row]) -> list[SessionView]:
    """Sessions as read, each with its two parties' names, zones and the mentor's rate."""

    def party(user_id: str) -> rows.Row:
        return parties.get(user_id, {})

    sessions = [rows.session_from_row(row) for row in found]
    return [
        SessionView(
            session=s,
            mentor_name=party(s.mentor_id).get("full_name") or rows.UNKNOWN_NAME,
            student_name=party(s.student_id).get("full_name") or rows.UNKNOWN_NAME,
            mentor_timezone=rows.zone_or_utc(party(s.mentor_id).get("timezone")),
            student_timezone=rows.zone_or_utc(party(s.student_id).get("timezone")),
            hourly_rate=rows.decimal_or_none(party(s.mentor_id).get("hourly_rate")),
        )
        for s in sessions
    ]


def _expiring(session: dict[str, Any]) -> bool:
    expires_at = session.get("expires_at")
    return not isinstance(expires_at, int) or expires_at <= clock_time.time() + REFRESH_MARGIN


class SupabaseRepository:
    """Storage on a Supabase project, acting as the signed-in person.

    ``transport``: an ``httpx.AsyncBaseTransport`` for every request (tests pass
    an ``httpx.MockTransport``); by default httpx's network transport.
    """

    name = "supabase"

    def __init__(
        self,
        url: str,
        anon_key: str,
        state_dir: Path,
        clock: Clock,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._url = url.strip().rstrip("/")
        self._anon_key = anon_key.strip()
        self._clock = clock
        self._transport = transport
        self._storage = FileSessionStorage(Path(state_dir), self._url)
        self._client: AsyncClient | None = None
        self._http: httpx.AsyncClient | None = None
        self._user_id: str | None = None
        """Who signed in; the access token says it again to the database."""
        self._sent_token: str | None = None
        """The access token the last data request carried: the one to replace when refused."""
        self._live: LiveChanges | None = None
        """Live updates (``supabase_live``): started by the first ``change_token`` of a sign-in."""

    # --- connection -------------------------------------------------------
    async def _connect(self) -> AsyncClient:
        """The supabase-py client, created on first use inside the running loop.

        Not ``acreate_client``: it reads the stored session and swallows every
        error, while ``restore`` must tell a revoked sign-in from an unreachable
        project.
        """
        if self._client is not None:
            return self._client
        if not re.match(r"^https?://[^/\s]+", self._url):
            raise BackendUnavailable(messages.url_not_web_address(self._url))
        if not self._anon_key:
            raise BackendUnavailable(messages.KEY_EMPTY)
        await asyncio.to_thread(importlib.import_module, "supabase")
        import httpx
        from supabase import AsyncClient, AsyncClientOptions

        self._http = httpx.AsyncClient(
            transport=self._transport,
            timeout=httpx.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=True,
        )
        options = AsyncClientOptions(
            # Duck-typed: it has AsyncSupportedStorage's three methods without importing
            # supabase_auth when this module loads.
            storage=cast("AsyncSupportedStorage", self._storage),
            httpx_client=self._http,
            # Tokens are refreshed by get_session() before each call (see _auth), not by background timers.
            auto_refresh_token=False,
            # Password sign-in has no redirect for a PKCE code exchange to come back to.
            flow_type="implicit",
            # A person retries with a key press; silent retries would freeze the screen for seconds.
            postgrest_client_retry=False,
        )
        self._client = AsyncClient(self._url, self._anon_key, options)
        return self._client

    @_mapped()
    async def change_token(self) -> int | None:
        """Supabase Realtime's events for this person, counted (``supabase_live``); while the
        channel is down, a poll of ``mentor_change_marker()``. Asking also keeps the access
        token fresh: ``_auth`` hands a refreshed one to Realtime."""
        client, _ = await self._auth()
        if self._live is None:
            from .supabase_live import LiveChanges

            token = cast(str, self._sent_token)  # set by _auth just now
            self._live = LiveChanges(str(client.realtime_url), self._anon_key, token, self._change_marker)
        return await self._live.changes()

    async def _change_marker(self) -> object:
        client, _ = await self._auth()
        return (await client.rpc("mentor_change_marker", {}).execute()).data

    async def _stop_live(self) -> None:
        live, self._live = self._live, None
        if live is not None:
            await live.close()

    async def close(self) -> None:
        await self._stop_live()
        http, self._client, self._http = self._http, None, None
        if http is not None:
            await http.aclose()

    async def _forget(self) -> None:
        self._user_id = None
        await self._stop_live()
        await self._storage.forget()

    async def _auth(self, rejected: str | None = None) -> tuple[AsyncClient, User]:
        """The client with a fresh access token for PostgREST, and the signed-in person's account.

        ``rejected``: an access token PostgREST refused, to be replaced even if it
        looks unexpired here.
        """
        if self._user_id is None:
            raise NotSignedIn()
        client = await self._connect()
        try:
            session = await self._fresh_session(client, rejected)
        except Exception as error:
            typed = _typed(error, self._url)
            if isinstance(typed, NotSignedIn):
                await self._forget()
            raise typed from error
        if session is None:
            await self._forget()
            raise NotSignedIn()
        client.postgrest.auth(session.access_token)
        self._sent_token = session.access_token
        if self._live is not None:
            await self._live.authorize(session.access_token)  # a refreshed token reaches Realtime too
        return client, session.user

    async def _fresh_session(self, client: AsyncClient, rejected: str | None) -> Session | None:
        """The session, refreshed when about to expire (or refused) while holding the lock
        every instance sharing the file takes, after taking over a token one of them
        already rotated: GoTrue revokes a sign-in whose old refresh token is used again."""
        stored = self._storage.session()
        if stored is None:
            return None
        if not _expiring(stored) and stored.get("access_token") != rejected:
            return await client.auth.get_session()  # from memory: no request
        async with self._storage.locked():
            self._storage.adopt_newer()
            return await self._after_reuse(lambda: self._renew(client, rejected))

    async def _renew(self, client: AsyncClient, rejected: str | None) -> Session | None:
        stored = self._storage.session()
        if stored is None:
            return None
        if _expiring(stored) or stored.get("access_token") == rejected:
            return (await client.auth.refresh_session(stored.get("refresh_token"))).session
        return await client.auth.get_session()  # another instance had refreshed it already

    async def _after_reuse(self, call: Callable[[], Awaitable[T]]) -> T:
        """``call``, and once more if GoTrue said its refresh token was already used while
        the file now holds a newer one (an instance that did not wait for the lock)."""
        from supabase_auth.errors import AuthApiError

        from .supabase_errors import ENDED_CODES

        try:
            return await call()
        except AuthApiError as error:
            if error.code not in ENDED_CODES or not self._storage.adopt_newer():
                raise
        return await call()

    # --- auth -------------------------------------------------------------
    @_mapped()
    async def sign_up(self, email: str, password: str, full_name: str, role: Role) -> Profile:
        client = await self._connect()
        response = await client.auth.sign_up(
            {
                "email": email,
                "password": password,
                # The sign-up trigger makes the profile from these; the email stays in auth only.
                "options": {"data": {"full_name": full_name, "role": Role(role).value}},
            }
        )
        if response.session is None or response.user is None:
            raise EmailConfirmationRequired()
        return await self._signed_in(client, response.user)

    @_mapped()
    async def sign_in(self, email: str, password: str) -> Profile:
        client = await self._connect()
        response = await client.auth.sign_in_with_password({"email": email, "password": password})
        if response.user is None:
            raise InvalidCredentials()
        return await self._signed_in(client, response.user)

    @_mapped()
    async def sign_out(self) -> None:
        if self._client is None and self._storage.tokens() is None:
            await self._forget()
            return
        client = await self._connect()
        from supabase_auth.errors import AuthError

        try:
            # "local": end this sign-in only, not the person's sessions in the web app.
            await client.auth.sign_out({"scope": "local"})
        except AuthError as error:
            # Signing out here must work offline; revoking on the server is best effort.
            log.warning("Could not revoke the Supabase session on the server (%s).", type(error).__name__)
        finally:
            await self._forget()

    @_mapped()
    async def restore(self) -> Profile | None:
        tokens = self._storage.tokens()
        if tokens is None:
            await self._forget()  # drops a corrupt file or one saved for another project
            return None
        client = await self._connect()
        try:
            async with self._storage.locked():
                self._storage.adopt_newer()
                # Refreshes an expired access token; otherwise asks Auth whether the sign-in still stands.
                response = await self._after_reuse(lambda: client.auth.set_session(*self._tokens()))
            if response.user is None:
                raise NotSignedIn()
            return await self._signed_in(client, response.user)
        except Exception as error:
            typed = _typed(error, self._url)
            if isinstance(typed, BackendUnavailable):
                raise typed from error  # keep the file: the sign-in may be fine once the project is reachable
            log.info("The remembered Supabase sign-in is no longer valid (%s).", type(typed).__name__)
            await self._forget()
            return None

    def _tokens(self) -> tuple[str, str]:
        tokens = self._storage.tokens()
        if tokens is None:
            raise NotSignedIn()
        return tokens

    async def _signed_in(self, client: AsyncClient, user: User) -> Profile:
        """Load the person's profile; one the web app never made is created now from the
        sign-up metadata (``mentor_ensure_profile``), so its users can start at once."""
        await self._stop_live()  # the next change_token starts it again, for this person
        result = await client.table("user_profiles").select(rows.PROFILE_COLUMNS).eq("user_id", user.id).execute()
        row = rows.first_row(result.data)
        if row is None:
            row = rows.first_row((await client.rpc("mentor_ensure_profile", {}).execute()).data)
            if not row:
                raise NotFound(messages.NO_PROFILE)
        self._user_id = user.id
        return await self._profile(client, user, row)

    async def _profile(
        self, client: AsyncClient, user: User, row: rows.Row | None = None, private: rows.Row | None = None
    ) -> Profile:
        """The signed-in person's profile: ``row`` (read when not given), their email from
        their account and, for a mentor, the room from their owner-only row (``private``,
        read when not given)."""
        if row is None:
            result = await client.table("user_profiles").select(rows.PROFILE_COLUMNS).eq("user_id", user.id).execute()
            row = rows.first_row(result.data)
            if row is None:
                raise NotFound(messages.PROFILE_MISSING)
        profile = rows.profile_from_row(row, email=user.email or "")
        if profile.role is not Role.MENTOR:
            return profile
        if private is None:
            found = await (
                client.table("mentor_private_profiles").select(rows.PRIVATE_COLUMNS).eq("user_id", user.id).execute()
            )
            private = rows.first_row(found.data) or {}
        return profile.model_copy(update={"meeting_url": private.get("meeting_url")})

    # --- profiles ---------------------------------------------------------
    @_mapped()
    async def update_profile(self, changes: ProfileUpdate) -> Profile:
        client, user = await self._auth()
        private = rows.private_body(user.id, changes)
        if private is not None:
            # Owner-only: nobody else can read a mentor's room; a session gets it as its link.
            upserted = await client.table("mentor_private_profiles").upsert(private, on_conflict="user_id").execute()
            private = rows.first_row(upserted.data) or {}
        body = rows.profile_body(changes)
        row = None
        if body:
            result = await (
                client.table("user_profiles").update(body).eq("user_id", user.id).select(rows.PROFILE_COLUMNS).execute()
            )
            row = rows.first_row(result.data)
            if row is None:
                raise NotFound(messages.PROFILE_MISSING)
        return await self._profile(client, user, row, private)

    async def _all_rows(self, query: Callable[[], Any]) -> list[rows.Row]:
        """Every row of a list, a page at a time.

        ``query`` builds the request afresh, ordered on a unique key and asking for
        the exact count: PostgREST cuts an answer at the project's max-rows without an
        error, and a project may set that below ``PAGE_ROWS``, so only the count tells
        a short last page from a cut one.
        """
        collected: list[rows.Row] = []
        while True:
            page = await query().range(len(collected), len(collected) + PAGE_ROWS - 1).execute()
            found = rows.rows_of(page.data)
            collected.extend(found)
            if page.count is None:  # not given: only a page shorter than asked for is the last
                done = len(found) < PAGE_ROWS
            else:
                done = len(collected) >= page.count
            if done or not found:
                return collected

    @_mapped()
    async def list_mentors(self, text: str, expertise: str | None, order: MentorOrder, limit: int) -> MentorPage:
        client, _ = await self._auth()
        result = await client.rpc(
            "mentor_directory", {"search": text, "tag": expertise, "sort": order.value, "max_rows": limit}
        ).execute()
        return rows.page_from_rows(rows.rows_of(result.data))

    @_mapped()
    async def expertise_tags(self) -> list[str]:
        client, _ = await self._auth()
        result = await client.rpc("mentor_expertise_tags", {}).execute()
        return [row["tag"] for row in rows.rows_of(result.data) if isinstance(row.get("tag"), str)]

    @_mapped()
    async def get_mentor(self, mentor_id: str) -> MentorSummary | None:
        client, _ = await self._auth()
        if not _names_a_row(mentor_id):
            return None
        result = await client.rpc("mentor_profile", {"mentor": mentor_id}).execute()
        row = rows.first_row(result.data)
        return None if row is None else rows.summary_from_row(row)

    @_mapped()
    async def mentor_reviews(self, mentor_id: str, limit: int) -> list[Review]:
        """Bounded on purpose: the newest ``limit`` (the RPC caps it at 100), never paged."""
        client, _ = await self._auth()
        result = await client.rpc("mentor_reviews_replied", {"mentor": mentor_id, "max_rows": limit}).execute()
        return [rows.review_from_row(row) for row in rows.rows_of(result.data)]

    # --- reviews in depth and session notes (026) ---------------------------------------
    @_mapped()
    async def review_stats(self, mentor_id: str) -> ReviewStats:
        from .supabase_notes import stats_from_row

        client, _ = await self._auth()
        if not _names_a_row(mentor_id):
            return stats_from_row(None)
        result = await client.rpc("mentor_review_stats", {"mentor": mentor_id}).execute()
        return stats_from_row(rows.first_row(result.data))

    @_mapped("session")
    async def reply_to_review(self, session_id: str, reply: str) -> MentorSession | None:
        """A PATCH filtered on what a reply needs: nothing matches an answered or unrated
        review; the database stamps the time and holds the rule again (026)."""
        client, user = await self._auth()
        if not _names_a_row(session_id):
            return None
        query = (
            client.table("mentor_sessions")
            .update({"review_reply": reply})
            .eq("id", session_id)
            .eq("mentor_id", user.id)
            .eq("status", SessionStatus.COMPLETED.value)
            .gt("rating", 0)
            .is_("review_reply", "null")
        )
        row = rows.first_row((await query.execute()).data)
        return None if row is None else rows.session_from_row(row)

    @_mapped()
    async def session_notes(self, session_id: str) -> SessionNotes | None:
        from .supabase_notes import NOTES_COLUMNS, notes_from_row

        client, _ = await self._auth()
        if not _names_a_row(session_id):
            return None
        result = await client.table("session_notes").select(NOTES_COLUMNS).eq("session_id", session_id).execute()
        row = rows.first_row(result.data)
        return None if row is None else notes_from_row(row)

    @_mapped("session")
    async def save_session_notes(self, session_id: str, summary: str) -> SessionNotes:
        """An upsert on the session: the database copies the pair and time from the session
        and refuses anyone but its mentor, or a session not started (026)."""
        from .supabase_notes import notes_from_row

        client, _ = await self._auth()
        if not _names_a_row(session_id):
            raise NotAllowed(messages.ONLY_MENTOR_WRITES_NOTES)
        values = {"session_id": session_id, "summary": summary}
        result = await client.table("session_notes").upsert(values, on_conflict="session_id").execute()
        row = rows.first_row(result.data)
        if row is None:
            raise NotAllowed(messages.ONLY_MENTOR_WRITES_NOTES)
        return notes_from_row(row)

    @_mapped()
    async def latest_notes_before(self, mentor_id: str, student_id: str, before: datetime) -> SessionNotes | None:
        from .supabase_notes import NOTES_COLUMNS, notes_from_row

        client, _ = await self._auth()
        if not (_names_a_row(mentor_id) and _names_a_row(student_id)):
            return None
        result = await (
            client.table("session_notes")
            .select(NOTES_COLUMNS)
            .eq("mentor_id", mentor_id)
            .eq("student_id", student_id)
            .lt("session_time", before.isoformat())
            .order("session_time", desc=True)
            .limit(1)
            .execute()
        )
        row = rows.first_row(result.data)
        return None if row is None else notes_from_row(row)

    async def _parties(self, client: AsyncClient, user_ids: Iterable[str]) -> dict[str, rows.Row]:
        """Name, time zone and rate of people, by user id; RLS shows only oneself and those
        one shares a session with. In batches: a mentor may have thousands of students."""
        wanted = sorted(set(user_ids))
        batches = [wanted[i : i + PARTY_BATCH] for i in range(0, len(wanted), PARTY_BATCH)]

        def batch_query(batch: list[str]) -> Callable[[], Any]:
            return lambda: (
                client.table("user_profiles").select(rows.PARTY_COLUMNS, count=_exact()).in_("user_id", batch).order("user_id")
            )

        found = await asyncio.gather(*(self._all_rows(batch_query(batch)) for batch in batches))
        return {row["user_id"]: row for batch_rows in found for row in batch_rows}

    async def _session_parties(self, client: AsyncClient) -> dict[str, rows.Row]:
        """Name, time zone and rate of oneself and everyone one shares a session with, by
        user id: one RPC (020), however many sessions and people, instead of an id list."""
        found = await self._all_rows(
            lambda: client.rpc("mentor_session_parties", {}, count=_exact()).order("user_id")
        )
        return {row["user_id"]: row for row in found}

    # --- sessions ---------------------------------------------------------
    @_mapped()
    async def my_sessions(self) -> list[SessionView]:
        client, user = await self._auth()
        found = await self._all_rows(
            lambda: client.table("mentor_sessions")
            .select(rows.SESSION_COLUMNS, count=_exact())
            .or_(f"mentor_id.eq.{user.id},student_id.eq.{user.id}")
            .order("scheduled_time", desc=True)
            .order("created_at", desc=True)
            .order("id")
        )
        parties = await self._session_parties(client) if found else {}
        # Thousands of models for a busy mentor: built off the event loop.
        return await asyncio.to_thread(_session_views, found, parties)

    @_mapped("session")
    async def get_session(self, session_id: str) -> MentorSession | None:
        client, _ = await self._auth()
        return await self._find_session(client, session_id)

    async def _find_session(self, client: AsyncClient, session_id: str) -> MentorSession | None:
        if not _names_a_row(session_id):
            return None
        result = await client.table("mentor_sessions").select(rows.SESSION_COLUMNS).eq("id", session_id).execute()
        row = rows.first_row(result.data)
        return None if row is None else rows.session_from_row(row)

    @_mapped("session")
    async def create_session(self, request: BookingRequest, check: BookingCheck) -> MentorSession:
        client, user = await self._auth()
        if not _names_a_row(request.mentor_id):
            check(None, [], [], BookingRules(mentor_id=request.mentor_id), [])
        end = request.scheduled_time + timedelta(minutes=request.duration_minutes)
        mentor_rows, availability, busy, booking, held = await asyncio.gather(
            client.table("user_profiles").select(rows.PROFILE_COLUMNS).eq("user_id", request.mentor_id).execute(),
            self._availability(client, request.mentor_id),
            self._busy(client, request.mentor_id, request.scheduled_time, end),
            self._booking_rules(client, request.mentor_id),
            self._held(client, request.mentor_id, *context_window(request.scheduled_time, request.duration_minutes)),
        )
        # Read, checked, then inserted: the database's booking triggers and exclusion
        # constraints catch a booking that slipped in between (SlotTaken, or the rule's sentence).
        mentor = rows.first_row(mentor_rows.data)
        check(None if mentor is None else rows.profile_from_row(mentor), availability, busy, booking, held)
        result = await (
            client.table("mentor_sessions")
            .insert(
                {
                    "mentor_id": request.mentor_id,
                    "student_id": user.id,
                    "subject": request.subject,
                    "scheduled_time": request.scheduled_time.isoformat(),
                    "duration_minutes": request.duration_minutes,
                    "notes": request.notes,
                    "status": SessionStatus.PENDING.value,
                }
            )
            .execute()
        )
        return rows.session_from_row(rows.rows_of(result.data)[0])

    @_mapped("session")
    async def write_session(
        self, session_id: str, expected: SessionStatus, changes: SessionChanges, *, unrated: bool = False
    ) -> MentorSession | None:
        """A PATCH filtered on the expected status (and on there being no rating yet): it
        matches zero rows instead of overwriting a concurrent change. Who cancelled is
        recorded by the database's trigger (014), from the caller's token."""
        client, _ = await self._auth()
        if not _names_a_row(session_id):
            return None
        body = {name: str(value) if isinstance(value, SessionStatus) else value for name, value in changes.items()}
        query = client.table("mentor_sessions").update(body).eq("id", session_id).eq("status", expected.value)
        if unrated:
            query = query.is_("rating", "null")
        row = rows.first_row((await query.execute()).data)
        return None if row is None else rows.session_from_row(row)

    # --- rescheduling and no-shows (023, 024) --------------------------------
    async def _reschedule_facts(
        self, client: AsyncClient, session: MentorSession | None, request: RescheduleRequest | None,
        new_time: datetime | None,
    ) -> RescheduleFacts:
        """What the services check, as read just before the write; the database checks the
        move again (023's RPC under 003's no-overlap rule, which also sees the other party's
        sessions this person cannot read)."""
        if session is None or new_time is None:
            return RescheduleFacts(session, request)
        start, end = held_window(new_time, session.duration_minutes)
        mentor_rows, availability, busy, booking_rules, mentor_held = await asyncio.gather(
            client.table("user_profiles").select(rows.PROFILE_COLUMNS).eq("user_id", session.mentor_id).execute(),
            self._availability(client, session.mentor_id),
            self._busy(client, session.mentor_id, start, end),
            self._booking_rules(client, session.mentor_id),
            self._held(client, session.mentor_id, *context_window(new_time, session.duration_minutes)),
        )
        mentor = rows.first_row(mentor_rows.data)
        return RescheduleFacts(
            session, request, None if mentor is None else rows.profile_from_row(mentor), availability, busy,
            booking_rules, mentor_held,
        )

    async def _reschedule(self, client: AsyncClient, **match: str) -> RescheduleRequest | None:
        query = client.table("session_reschedules").select(rows.RESCHEDULE_COLUMNS)
        for column, value in match.items():
            query = query.eq(column, value)
        row = rows.first_row((await query.limit(1).execute()).data)
        return None if row is None else rows.reschedule_from_row(row)

    @_mapped("session")
    async def propose_reschedule(
        self, session_id: str, new_time: datetime, reason: str | None, check: RescheduleCheck
    ) -> RescheduleRequest:
        """Read, checked, then inserted; 023's trigger, RLS and one-open index refuse it again."""
        client, user = await self._auth()
        session = await self._find_session(client, session_id)
        open_one = None if session is None else await self._reschedule(client, session_id=session_id, status="open")
        check(await self._reschedule_facts(client, session, open_one, new_time))
        assert session is not None  # check refuses a session that is not the person's
        result = await (
            client.table("session_reschedules")
            .insert({"session_id": session_id, "proposed_by": user.id, "old_time": session.scheduled_time.isoformat(),
                     "new_time": new_time.isoformat(), "reason": reason})
            .execute()
        )
        return rows.reschedule_from_row(rows.rows_of(result.data)[0])

    @_mapped("session")
    async def answer_reschedule(
        self, request_id: str, answer: RescheduleStatus, check: RescheduleCheck
    ) -> RescheduleRequest:
        """Read and checked here; ``accept_reschedule`` / ``close_reschedule`` (023) check it all
        again under a lock on the request, in the transaction that moves the session."""
        client, _ = await self._auth()
        request = await self._reschedule(client, id=request_id) if _names_a_row(request_id) else None
        session = None if request is None else await self._find_session(client, request.session_id)
        moving = answer is RescheduleStatus.ACCEPTED
        check(await self._reschedule_facts(client, session, request, request.new_time if moving and request else None))
        if moving:
            await client.rpc("accept_reschedule", {"p_id": request_id}).execute()
        else:
            await client.rpc("close_reschedule", {"p_id": request_id, "p_status": answer.value}).execute()
        answered = await self._reschedule(client, id=request_id)
        assert answered is not None  # the party who just answered it still reads it
        return answered

    @_mapped()
    async def reschedules(self) -> list[RescheduleRequest]:
        """RLS (023) gives the requests of the caller's own sessions only."""
        client, _ = await self._auth()
        found = await self._all_rows(
            lambda: client.table("session_reschedules")
            .select(rows.RESCHEDULE_COLUMNS, count=_exact())
            .order("created_at")
            .order("id")
        )
        return [rows.reschedule_from_row(row) for row in found]

    @_mapped("session")
    async def mark_no_show(self, session_id: str, note: str | None, check: NoShowCheck) -> NoShow:
        """Read, checked, then inserted; 024's trigger and unique key refuse it again."""
        client, user = await self._auth()
        session = await self._find_session(client, session_id)
        marks: list[NoShow] = []
        if session is not None:
            result = await client.table("session_no_shows").select(rows.NO_SHOW_COLUMNS).eq("session_id", session_id).execute()
            marks = [rows.no_show_from_row(row) for row in rows.rows_of(result.data)]
        check(session, marks)
        assert session is not None  # check refuses a session that is not the person's
        result = await (
            client.table("session_no_shows")
            .insert({"session_id": session_id, "marked_by": user.id, "absent_id": absent_party(session, user.id),
                     "note": note})
            .execute()
        )
        return rows.no_show_from_row(rows.rows_of(result.data)[0])

    @_mapped()
    async def no_shows(self) -> list[NoShow]:
        """RLS (024) gives the marks the caller made or received."""
        client, _ = await self._auth()
        found = await self._all_rows(
            lambda: client.table("session_no_shows")
            .select(rows.NO_SHOW_COLUMNS, count=_exact())
            .order("created_at")
            .order("id")
        )
        return [rows.no_show_from_row(row) for row in found]

    @_mapped()
    async def busy_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        client, _ = await self._auth()
        return await self._busy(client, mentor_id, start, end)

    async def _busy(self, client: AsyncClient, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        found = await self._all_rows(
            lambda: client.rpc(
                "mentor_busy_times",
                {"mentor": mentor_id, "from_time": start.isoformat(), "to_time": end.isoformat()},
                count=_exact(),
            )
            .order("start_time")
            .order("end_time")
        )
        return [busy for busy in map(rows.busy_from_row, found) if busy is not None]

    # --- mentor side ------------------------------------------------------
    @_mapped()
    async def mentor_students(self) -> list[MentorStudent]:
        client, user = await self._auth()
        found = await self._all_rows(
            lambda: client.table("mentor_students")
            .select(rows.STUDENT_COLUMNS, count=_exact())
            .eq("mentor_id", user.id)
            .order("last_session_date", desc=True, nullsfirst=False)
            .order("student_id")
        )
        if not found:
            return []
        # The names and the no-shows this mentor marked, at once: neither waits for the other.
        names, absent = await asyncio.gather(
            self._session_parties(client),
            self._all_rows(
                lambda: client.table("session_no_shows")
                .select("absent_id", count=_exact())
                .eq("marked_by", user.id)
                .order("id")
            ),
        )
        counts = Counter(row["absent_id"] for row in absent)
        return [
            rows.student_from_row(row, names.get(row["student_id"], {}).get("full_name") or rows.UNKNOWN_NAME)
            .model_copy(update={"no_shows": counts[row["student_id"]]})
            for row in found
        ]

    @_mapped()
    async def get_availability(self, mentor_id: str) -> list[AvailabilitySlot]:
        client, _ = await self._auth()
        return await self._availability(client, mentor_id)

    async def _availability(self, client: AsyncClient, mentor_id: str) -> list[AvailabilitySlot]:
        if not _names_a_row(mentor_id):
            return []
        found = await self._all_rows(
            lambda: client.table("mentor_availability")
            .select(rows.SLOT_COLUMNS, count=_exact())
            .eq("mentor_id", mentor_id)
            .order("day_of_week")
            .order("start_time")
            .order("id")
        )
        return [rows.slot_from_row(row) for row in found]

    @_mapped("availability")
    async def save_availability(
        self, weekday: int, start: time, end: time, slot_id: str | None, check: WindowCheck
    ) -> AvailabilitySlot | None:
        client, user = await self._auth()
        check(await self._availability(client, user.id))
        body = rows.slot_body(weekday, start, end)
        table = client.table("mentor_availability")
        if slot_id is None:
            result = await table.insert({"mentor_id": user.id, **body}).execute()
        elif _names_a_row(slot_id):
            result = await table.update(body).eq("id", slot_id).eq("mentor_id", user.id).execute()
        else:
            return None
        row = rows.first_row(result.data)
        return None if row is None else rows.slot_from_row(row)

    @_mapped("availability")
    async def delete_availability(self, slot_id: str) -> bool:
        client, user = await self._auth()
        if not _names_a_row(slot_id):
            return False
        result = await (
            client.table("mentor_availability").delete().eq("id", slot_id).eq("mentor_id", user.id).execute()
        )
        return bool(rows.rows_of(result.data))

    @_mapped()
    async def booking_rules(self, mentor_id: str) -> BookingRules:
        client, _ = await self._auth()
        return await self._booking_rules(client, mentor_id)

    async def _booking_rules(self, client: AsyncClient, mentor_id: str) -> BookingRules:
        if not _names_a_row(mentor_id):
            return BookingRules(mentor_id=mentor_id)
        result = await (
            client.table("mentor_booking_rules").select(rows.RULE_COLUMNS).eq("mentor_id", mentor_id).execute()
        )
        return rows.booking_rules_from_row(mentor_id, rows.first_row(result.data))

    @_mapped("session")
    async def save_booking_rules(self, rules: BookingRules) -> BookingRules:
        client, user = await self._auth()
        result = await (
            client.table("mentor_booking_rules")
            .upsert({**rows.booking_rules_body(rules), "mentor_id": user.id}, on_conflict="mentor_id")
            .execute()
        )
        return rows.booking_rules_from_row(user.id, rows.first_row(result.data))

    @_mapped()
    async def mentor_held_times(self, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        client, _ = await self._auth()
        return await self._held(client, mentor_id, start, end)

    async def _held(self, client: AsyncClient, mentor_id: str, start: datetime, end: datetime) -> list[TimeRange]:
        if not _names_a_row(mentor_id):
            return []
        found = await self._all_rows(
            lambda: client.rpc(
                "mentor_held_times",
                {"mentor": mentor_id, "from_time": start.isoformat(), "to_time": end.isoformat()},
                count=_exact(),
            )
            .order("start_time")
            .order("end_time")
        )
        return [held for held in map(rows.busy_from_row, found) if held is not None]

    @_mapped()
    async def expire_stale_requests(self) -> int:
        client, _ = await self._auth()
        result = await client.rpc("expire_stale_requests", {}).execute()
        return len(rows.rows_of(result.data))

    @_mapped()
    async def mentor_totals(self) -> MentorTotals:
        client, _ = await self._auth()
        result = await client.rpc("mentor_dashboard_stats", {}).execute()
        return rows.totals_from_row(rows.first_row(result.data) or {})

    # --- messages and notifications ---------------------------------------
    @_mapped()
    async def conversations(self) -> list[Conversation]:
        client, _ = await self._auth()
        found = await self._all_rows(
            lambda: client.rpc("mentor_conversations", {}, count=_exact())
            .order("created_at", desc=True)
            .order("id")
        )
        return [rows.conversation_from_row(row) for row in found]

    @_mapped()
    async def thread(self, mentor_id: str, student_id: str, limit: int, before: datetime | None) -> list[Message]:
        """Bounded on purpose: the newest ``limit`` (RLS shows only the caller's own)."""
        client, _ = await self._auth()
        if not (_names_a_row(mentor_id) and _names_a_row(student_id)):
            return []
        query = (
            client.table("mentor_messages")
            .select(rows.MESSAGE_COLUMNS)
            .eq("mentor_id", mentor_id)
            .eq("student_id", student_id)
        )
        if before is not None:
            query = query.lt("created_at", before.isoformat())
        result = await query.order("created_at", desc=True).order("id", desc=True).limit(limit).execute()
        return [rows.message_from_row(row) for row in reversed(rows.rows_of(result.data))]

    async def _shared_session(self, client: AsyncClient, mentor_id: str, student_id: str) -> bool:
        if not (_names_a_row(mentor_id) and _names_a_row(student_id)):
            return False
        found = await (
            client.table("mentor_sessions")
            .select("id")
            .eq("mentor_id", mentor_id)
            .eq("student_id", student_id)
            .limit(1)
            .execute()
        )
        return bool(rows.rows_of(found.data))

    @_mapped()
    async def send_message(
        self,
        mentor_id: str,
        student_id: str,
        body: str,
        check: MessageCheck,
        *,
        session_id: str | None = None,
        proposal_id: str | None = None,
    ) -> Message:
        """Read, checked, then inserted; the database's trigger and RLS refuse a pair that
        shares no session whatever was read, and stamp the time."""
        client, user = await self._auth()
        check(await self._shared_session(client, mentor_id, student_id))
        result = await (
            client.table("mentor_messages")
            .insert({
                "mentor_id": mentor_id, "student_id": student_id, "sender_id": user.id, "body": body,
                **({"session_id": session_id} if session_id else {}),
                **({"proposal_id": proposal_id} if proposal_id else {}),
            })
            .execute()
        )
        return rows.message_from_row(rows.rows_of(result.data)[0])

    # --- proposals ----------------------------------------------------------
    @_mapped("session")
    async def create_proposal(
        self,
        student_id: str,
        subject: str,
        scheduled_time: datetime,
        duration_minutes: int,
        meeting_link: str,
        check: MessageCheck,
    ) -> Proposal:
        """Read, checked, then inserted; 017's trigger and RLS refuse it again."""
        client, user = await self._auth()
        check(await self._shared_session(client, user.id, student_id))
        result = await (
            client.table("mentor_proposals")
            .insert({
                "mentor_id": user.id, "student_id": student_id, "subject": subject,
                "scheduled_time": scheduled_time.isoformat(), "duration_minutes": duration_minutes,
                "meeting_link": meeting_link,
            })
            .execute()
        )
        return rows.proposal_from_row(rows.rows_of(result.data)[0])

    @_mapped()
    async def proposals(self, mentor_id: str, student_id: str) -> list[Proposal]:
        client, _ = await self._auth()
        if not (_names_a_row(mentor_id) and _names_a_row(student_id)):
            return []
        found = await self._all_rows(
            lambda: client.table("mentor_proposals")
            .select(rows.PROPOSAL_COLUMNS, count=_exact())
            .eq("mentor_id", mentor_id)
            .eq("student_id", student_id)
            .order("created_at")
            .order("id")
        )
        return [rows.proposal_from_row(row) for row in found]

    @_mapped("session")
    async def accept_proposal(self, proposal_id: str, check: ProposalCheck) -> MentorSession:
        """Read and checked here; ``mentor_accept_proposal`` (017) checks it all again under
        a lock on the proposal, in the transaction that inserts the confirmed session."""
        client, _ = await self._auth()
        found = None
        if _names_a_row(proposal_id):
            result = await client.table("mentor_proposals").select(rows.PROPOSAL_COLUMNS).eq("id", proposal_id).execute()
            found = rows.first_row(result.data)
        check(None if found is None else rows.proposal_from_row(found))
        accepted = await client.rpc("mentor_accept_proposal", {"proposal": proposal_id}).execute()
        return rows.session_from_row(rows.rows_of(accepted.data)[0])

    @_mapped()
    async def mark_thread_read(self, mentor_id: str, student_id: str) -> int:
        """The database stamps read_at itself (015); the value sent only moves it from null."""
        client, user = await self._auth()
        if not (_names_a_row(mentor_id) and _names_a_row(student_id)):
            return 0
        result = await (
            client.table("mentor_messages")
            .update({"read_at": datetime.now(UTC).isoformat()})
            .eq("mentor_id", mentor_id)
            .eq("student_id", student_id)
            .neq("sender_id", user.id)
            .is_("read_at", "null")
            .execute()
        )
        return len(rows.rows_of(result.data))

    @_mapped()
    async def notifications(self, limit: int) -> list[Notification]:
        client, user = await self._auth()
        result = await (
            client.table("mentor_notifications")
            .select(rows.NOTIFICATION_COLUMNS)
            .eq("user_id", user.id)
            .order("created_at", desc=True)
            .order("id", desc=True)
            .limit(limit)
            .execute()
        )
        found = rows.rows_of(result.data)
        actors = await self._parties(client, (row["actor_id"] for row in found if row.get("actor_id")))
        return [
            rows.notification_from_row(row, actors.get(row.get("actor_id") or "", {}).get("full_name") or "")
            for row in found
        ]

    @_mapped()
    async def unread_notifications(self) -> int:
        client, user = await self._auth()
        result = await (
            client.table("mentor_notifications")
            .select("id", count=_exact())
            .eq("user_id", user.id)
            .is_("read_at", "null")
            .limit(1)
            .execute()
        )
        return result.count or 0

    @_mapped()
    async def mark_notifications_read(self, ids: Sequence[str] | None) -> int:
        client, user = await self._auth()
        query = (
            client.table("mentor_notifications")
            .update({"read_at": datetime.now(UTC).isoformat()})
            .eq("user_id", user.id)
            .is_("read_at", "null")
        )
        if ids is not None:
            wanted = [row_id for row_id in ids if _names_a_row(row_id)]
            if not wanted:
                return 0
            query = query.in_("id", wanted)
        return len(rows.rows_of((await query.execute()).data))

    @_mapped()
    async def record_reminder(self, session_id: str, kind: str) -> bool:
        """``record_reminder`` (025) writes it for the caller only, once, near the start."""
        client, _ = await self._auth()
        if not _names_a_row(session_id):
            return False
        result = await client.rpc("record_reminder", {"p_session": session_id, "p_kind": kind}).execute()
        row = rows.first_row(result.data)
        return row is not None and row.get("added") is True
