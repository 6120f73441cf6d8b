"""Live updates on Supabase: a number that moves when someone else changes what the signed-in
person can see (``Storage.change_token``).

One Realtime channel listens to ``postgres_changes`` on ``LIVE_TABLES``, joined with the
person's access token, so Realtime sends only rows their RLS lets them read; each event
adds one to the count. The app needs nothing more than that number: it reloads what is
showing, never the rows an event carries.

When the channel cannot join (an error reply, no reply in time, a refused connection) or
drops later, the count follows a poll of ``mentor_change_marker()``
(``sql/supabase/018_live_changes.sql``) on each ask instead, while the channel is tried
again with growing delays. Only when the poll fails too does ``changes`` raise. Each
switch between the three states is logged once; the count also moves once at each switch,
since what changed in between was seen by neither.

realtime-py loads on the first ask, like supabase-py itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from realtime import AsyncRealtimeClient, RealtimeSubscribeStates

log = logging.getLogger(__name__)

LIVE_TABLES = ("mentor_sessions", "mentor_messages", "mentor_notifications", "mentor_proposals")
"""The tables the migrations put in the ``supabase_realtime`` publication (015, 016, 017)."""
CHANNEL = "mentor-tui-live"
JOIN_SECONDS = 5
"""How long a join (and the websocket's opening) may take before the poll takes over."""
RETRY_SECONDS = (2.0, 5.0, 15.0, 30.0, 60.0)
"""Delays before each new try of the channel while polling; the last one repeats."""

Mode = Literal["realtime", "polling", "failing"]


class LiveChanges:
    """The change count for one signed-in person; ``close`` ends it.

    ``realtime_url``: the project's Realtime endpoint (``ws(s)://<project>/realtime/v1``);
    ``api_key``: the project's publishable key, which the socket presents;
    ``access_token``: the person's, until ``authorize`` gives a refreshed one;
    ``poll``: reads the change marker as the person, raising when it cannot.
    """

    def __init__(
        self, realtime_url: str, api_key: str, access_token: str, poll: Callable[[], Awaitable[Any]]
    ) -> None:
        self._realtime_url = realtime_url
        self._api_key = api_key
        self._access_token = access_token
        self._poll = poll
        self._started = False
        self._count = 0
        self._socket: AsyncRealtimeClient | None = None
        self._joined = False
        self._retry: asyncio.Task[None] | None = None
        self._marker: Any = None
        self._polled = False
        self._mode: Mode | None = None
        self._why_not = ""
        """Why the channel last failed to join or dropped, for the log."""
        self._closed = False

    async def changes(self) -> int:
        """The count; the first call joins the channel (waiting for the answer)."""
        if self._closed:
            raise RuntimeError("LiveChanges used after close()")
        if not self._started:
            self._started = True
            if await self._join():
                self._enter("realtime")
            else:
                self._schedule_retry()
        if self._joined:
            return self._count
        return await self._poll_marker()

    async def authorize(self, access_token: str) -> None:
        """Give Realtime the person's refreshed access token (it ends a channel whose
        token has expired); the join sent after a drop carries it too."""
        if access_token == self._access_token:
            return
        self._access_token = access_token
        if self._socket is not None:
            await self._socket.set_auth(access_token)

    async def close(self) -> None:
        self._closed = True
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        await self._drop_socket()

    # --- the channel --------------------------------------------------------------------
    async def _join(self) -> bool:
        """One try: a new socket and channel; True when Realtime accepted the join."""
        from realtime import AsyncRealtimeClient, RealtimePostgresChangesListenEvent

        await self._drop_socket()
        # No reconnecting inside realtime-py: a drop comes back here, to poll meanwhile.
        socket = AsyncRealtimeClient(self._realtime_url, token=self._api_key, auto_reconnect=False, timeout=JOIN_SECONDS)
        await socket.set_auth(self._access_token)  # the join carries the person's token, not the key
        channel = socket.channel(CHANNEL)
        for table in LIVE_TABLES:
            channel.on_postgres_changes(
                RealtimePostgresChangesListenEvent.All, self._on_change, table=table, schema="public"
            )
        self._socket = socket
        try:
            await asyncio.wait_for(channel.subscribe(lambda state, error: self._on_state(socket, state, error)), JOIN_SECONDS * 2)
        except Exception as error:  # noqa: BLE001 - whatever stops the join, the poll takes over
            self._why(error)
        self._joined = self._socket is socket and channel.is_joined
        if not self._joined:
            await self._drop_socket()
        return self._joined

    def _on_change(self, _payload: Any) -> None:
        self._count += 1

    def _on_state(self, socket: AsyncRealtimeClient, state: RealtimeSubscribeStates, error: Exception | None) -> None:
        from realtime import RealtimeSubscribeStates

        if socket is not self._socket or state is RealtimeSubscribeStates.SUBSCRIBED:
            return
        if error is not None:
            self._why(error)
        else:
            self._why_not = state.value  # TIMED_OUT, or CLOSED by the server
        if self._joined:  # dropped after joining: poll until a new channel joins
            self._joined = False
            self._enter("polling")
            self._schedule_retry()

    def _schedule_retry(self) -> None:
        if not self._closed and (self._retry is None or self._retry.done()):
            self._retry = asyncio.get_running_loop().create_task(self._retry_until_joined())

    async def _retry_until_joined(self) -> None:
        await self._drop_socket()  # realtime-py would rejoin a dropped channel by itself, unseen
        attempt = 0
        while not self._closed and not self._joined:
            await asyncio.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])
            attempt += 1
            if await self._join():
                self._enter("realtime")

    async def _drop_socket(self) -> None:
        socket, self._socket, self._joined = self._socket, None, False
        if socket is not None:
            try:
                await socket.close()
            except Exception as error:  # noqa: BLE001 - closing a broken socket may fail too; it is gone either way
                log.debug("Closing the Realtime socket failed: %s", type(error).__name__)

    # --- the poll -------------------------------------------------------------------------
    async def _poll_marker(self) -> int:
        try:
            marker = await self._poll()
        except Exception:
            self._enter("failing")
            raise
        if self._polled and marker != self._marker:
            self._count += 1
        self._marker, self._polled = marker, True
        self._enter("polling")
        return self._count

    # --- transitions ---------------------------------------------------------------------
    def _enter(self, mode: Mode) -> None:
        if mode == self._mode:
            return
        if self._mode is not None:
            self._count += 1  # what changed while switching was seen by neither
        if mode == "realtime":
            self._polled = False  # a later poll starts from its own first answer
        self._mode = mode
        if mode == "realtime":
            log.info("Live updates: Supabase Realtime channel joined.")
        elif mode == "polling":
            log.warning("Live updates: Supabase Realtime is unavailable (%s); polling for changes meanwhile.", self._why_not)
        else:
            log.warning("Live updates: neither Supabase Realtime nor the change query answers.")

    def _why(self, error: BaseException) -> None:
        # A server's reason (say, {"reason": "Unauthorized: ..."}) or a connection error; never a
        # token. repr() keeps control characters out of the log; cut to a line.
        self._why_not = f"{type(error).__name__}: {str(error)[:200]!r}"
