"""A Supabase Realtime server for tests: a real websocket server on 127.0.0.1 speaking the
Phoenix channel protocol (JSON serializer, ``vsn=1.0.0``) as Realtime does for
``postgres_changes``, with the changes coming from the real PostgreSQL database.

What follows which part of Realtime (github.com/supabase/realtime):
- The socket (``lib/realtime_web/channels/user_socket.ex``): ``/realtime/v1/websocket``
  with the project's key as the ``apikey`` query parameter, else the upgrade is refused.
- ``phx_join`` (``lib/realtime_web/channels/realtime_channel.ex``, ``join/3``): the
  ``access_token`` in the payload must be a JWT signed with the project's secret carrying
  ``role`` and ``exp`` and not expired, else an error reply ``{"reason": ...}``; then an
  ok reply listing each ``config.postgres_changes`` binding with a server id
  (``add_id_to_postgres_changes``: a hash of the binding), then a ``system`` message
  "Subscribed to PostgreSQL" (``handle_info(:postgres_subscribe, ...)``).
- ``access_token`` (``handle_in("access_token", ...)``): a new valid token replaces the
  channel's claims, with no reply; an invalid one ends the channel (``shutdown_response``:
  a ``system`` error, then ``phx_close``).
- ``heartbeat`` on topic ``phoenix`` and ``phx_leave``: an ok reply (Phoenix).
- Changes (``lib/extensions/postgres_cdc_rls/message_dispatcher.ex`` and
  ``priv/repo/tenant_schema/realtime/functions/apply_rls.sql``): an insert or update is
  sent to a subscriber only when their role and claims can select the row under RLS, as
  ``{"ids": [binding ids], "data": {schema, table, type, commit_timestamp, columns,
  record, old_record, errors}}`` in a ``postgres_changes`` event. Deletes are not modelled
  (no client deletes these rows).

It learns of changes through test-only triggers doing ``pg_notify`` (installed by
``start``, not by the migrations). Knobs: ``refuse_joins`` (an error reply to every join), ``ignore_joins`` (no reply),
``drop_channels()`` (``phx_error`` on every joined channel, as when a channel process
crashes) and ``stop()`` (connections refused).
"""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jwt
import psycopg
from psycopg import sql
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .config import ProjectConfig

NOTIFY_CHANNEL = "realtime_standin"
TRIGGERS = """
create schema if not exists realtime_standin;
create or replace function realtime_standin.notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('realtime_standin', json_build_object(
        'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op, 'id', new.id,
        'old_record', case when tg_op = 'UPDATE' then to_jsonb(old) end,
        'commit_timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
    return null;
end
$$;
"""


@dataclass
class Subscription:
    """One joined channel on one connection."""

    topic: str
    join_ref: str | None
    claims: dict[str, Any]
    bindings: list[dict[str, Any]]


@dataclass
class Delivery:
    """A change sent: to whom (the JWT's ``sub``), which table and row."""

    subscriber: str
    table: str
    row_id: str


@dataclass
class RealtimeStandin:
    db_url: str
    config: ProjectConfig
    tables: Sequence[str]
    refuse_joins: str | None = None
    """When set, every join gets an error reply with this reason."""
    ignore_joins: bool = False
    """When set, joins get no reply at all (a server too busy to answer)."""
    joins: list[dict[str, Any]] = field(default_factory=list)
    """The payload of every ``phx_join`` received, in order."""
    access_tokens: list[str] = field(default_factory=list)
    """Every token an ``access_token`` message brought, valid or not, in order."""
    deliveries: list[Delivery] = field(default_factory=list)
    _server: Server | None = None
    _port: int = 0
    _listener: asyncio.Task[None] | None = None
    _channels: dict[ServerConnection, dict[str, Subscription]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The project URL whose Realtime endpoint this is (``http://127.0.0.1:<port>``)."""
        return f"http://127.0.0.1:{self._port}"

    async def start(self) -> None:
        with psycopg.connect(self.db_url, autocommit=True) as admin:
            admin.execute(TRIGGERS)
            for table in self.tables:
                admin.execute(
                    sql.SQL(
                        "create or replace trigger realtime_standin after insert or update on public.{}"
                        " for each row execute function realtime_standin.notify()"
                    ).format(sql.Identifier(table))
                )
        listen = await psycopg.AsyncConnection.connect(self.db_url, autocommit=True)
        await listen.execute(f"listen {NOTIFY_CHANNEL}")
        self._listener = asyncio.create_task(self._relay(listen))
        await self.serve(0)

    async def serve(self, port: int) -> None:
        """Accept connections (again) on ``port`` (0: any free one)."""
        self._server = await serve(self._session, "127.0.0.1", port, process_request=self._check_key)
        self._port = port or next(iter(self._server.sockets)).getsockname()[1]

    async def stop(self) -> None:
        """Close every connection and stop listening: new ones are refused."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def close(self) -> None:
        await self.stop()
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)

    async def drop_channels(self) -> None:
        """``phx_error`` on every joined channel, as Phoenix sends when a channel process dies."""
        for connection, channels in list(self._channels.items()):
            for topic, joined in list(channels.items()):
                del channels[topic]
                await _send(connection, topic, "phx_error", {}, None, joined.join_ref)

    def subscribers(self) -> list[str]:
        """The ``sub`` of every joined channel."""
        return [str(s.claims.get("sub")) for channels in self._channels.values() for s in channels.values()]

    # --- the socket -----------------------------------------------------------------------
    def _check_key(self, connection: ServerConnection, request: Request) -> Response | None:
        path, _, query = request.path.partition("?")
        params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        if path != "/realtime/v1/websocket" or params.get("apikey") != self.config.publishable_key:
            return Response(403, "Forbidden", Headers(), b"")
        return None

    async def _session(self, connection: ServerConnection) -> None:
        self._channels[connection] = {}
        try:
            async for raw in connection:
                message = json.loads(raw)
                await self._handle(connection, message)
        except ConnectionClosed:
            pass
        finally:
            self._channels.pop(connection, None)

    async def _handle(self, connection: ServerConnection, message: dict[str, Any]) -> None:
        topic, event, payload = message["topic"], message["event"], message.get("payload") or {}
        ref, join_ref = message.get("ref"), message.get("join_ref")
        channels = self._channels[connection]
        if topic == "phoenix" and event == "heartbeat":
            await _send(connection, topic, "phx_reply", {"status": "ok", "response": {}}, ref)
        elif event == "phx_join":
            await self._join(connection, topic, payload, ref, join_ref)
        elif event == "access_token" and topic in channels:
            token = payload.get("access_token")
            self.access_tokens.append(str(token))
            claims, problem = self._claims(token)
            if claims is None:
                del channels[topic]
                await self._system(connection, topic, "system", "error", problem)
                await _send(connection, topic, "phx_close", {}, None, join_ref)
            else:
                channels[topic].claims = claims
        elif event == "phx_leave":
            channels.pop(topic, None)
            await _send(connection, topic, "phx_reply", {"status": "ok", "response": {}}, ref, join_ref)

    async def _join(
        self, connection: ServerConnection, topic: str, payload: dict[str, Any], ref: str | None, join_ref: str | None
    ) -> None:
        self.joins.append(payload)
        if self.ignore_joins:
            return
        claims, problem = self._claims(payload.get("access_token"))
        if self.refuse_joins is not None or claims is None:
            reason = self.refuse_joins or problem
            await _send(connection, topic, "phx_reply", {"status": "error", "response": {"reason": reason}}, ref, join_ref)
            return
        bindings = [
            {**binding, "id": zlib.crc32(json.dumps(binding, sort_keys=True).encode())}
            for binding in payload.get("config", {}).get("postgres_changes", [])
        ]
        self._channels[connection][topic] = Subscription(topic, join_ref, claims, bindings)
        reply = {"status": "ok", "response": {"postgres_changes": bindings}}
        await _send(connection, topic, "phx_reply", reply, ref, join_ref)
        await self._system(connection, topic, "postgres_changes", "ok", "Subscribed to PostgreSQL")

    def _claims(self, token: Any) -> tuple[dict[str, Any] | None, str]:
        """confirm_token: the signature, ``role`` and ``exp`` present, not expired."""
        if not isinstance(token, str):
            return None, "InvalidJWTToken: Token is missing"
        try:
            claims = jwt.decode(
                token, self.config.jwt_secret, algorithms=["HS256"], options={"verify_aud": False, "verify_iat": False}
            )
        except jwt.ExpiredSignatureError:
            return None, "InvalidJWTToken: Token has expired"
        except jwt.PyJWTError:
            return None, "InvalidJWTToken: Invalid token"
        if "role" not in claims or "exp" not in claims:
            return None, "Fields `role` and `exp` are required in JWT"
        return claims, ""

    async def _system(self, connection: ServerConnection, topic: str, extension: str, status: str, text: str) -> None:
        channel = topic.removeprefix("realtime:")
        body = {"extension": extension, "status": status, "message": text, "channel": channel}
        await _send(connection, topic, "system", body, None)

    # --- changes --------------------------------------------------------------------------
    async def _relay(self, listen: psycopg.AsyncConnection[Any]) -> None:
        async with listen, await psycopg.AsyncConnection.connect(self.db_url, autocommit=True) as check:
            async for note in listen.notifies():
                change = json.loads(note.payload)
                for connection, channels in list(self._channels.items()):
                    for joined in list(channels.values()):
                        await self._offer(check, connection, joined, change)

    async def _offer(
        self, check: psycopg.AsyncConnection[Any], connection: ServerConnection, joined: Subscription, change: dict[str, Any]
    ) -> None:
        ids = [
            b["id"]
            for b in joined.bindings
            if b.get("schema", "public") == change["schema"]
            and b.get("table") in (None, "*", change["table"])
            and b.get("event") in ("*", change["type"])
        ]
        if not ids:
            return
        record, columns = await self._visible(check, joined.claims, change)
        if record is None:
            return
        data = {
            "schema": change["schema"],
            "table": change["table"],
            "type": change["type"],
            "commit_timestamp": change["commit_timestamp"],
            "columns": columns,
            "record": record,
            "errors": None,
        }
        if change["old_record"] is not None:
            data["old_record"] = change["old_record"]
        self.deliveries.append(Delivery(str(joined.claims.get("sub")), change["table"], str(change["id"])))
        try:
            await _send(connection, joined.topic, "postgres_changes", {"ids": ids, "data": data}, None)
        except ConnectionClosed:
            pass

    @staticmethod
    async def _visible(
        check: psycopg.AsyncConnection[Any], claims: dict[str, Any], change: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
        """The row as the subscriber's role and claims select it (None: RLS hides it), and
        the table's columns as apply_rls lists them."""
        table = sql.Identifier(change["schema"], change["table"])
        async with check.transaction():
            cursor = await check.execute(
                "select a.attname, t.typname from pg_attribute a join pg_type t on t.oid = a.atttypid"
                " where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum",
                (f"{change['schema']}.{change['table']}",),
            )
            columns = [{"name": name, "type": kind} for name, kind in await cursor.fetchall()]
            await check.execute(sql.SQL("set local role {}").format(sql.Identifier(str(claims["role"]))))
            await check.execute("select set_config('request.jwt.claims', %s, true)", (json.dumps(claims),))
            cursor = await check.execute(sql.SQL("select to_jsonb(t) from {} t where t.id = %s").format(table), (change["id"],))
            row = await cursor.fetchone()
        return (row[0] if row else None), columns


async def _send(
    connection: ServerConnection, topic: str, event: str, payload: dict[str, Any], ref: str | None, join_ref: str | None = None
) -> None:
    message = {"topic": topic, "event": event, "payload": payload, "ref": ref}
    if join_ref is not None:
        message["join_ref"] = join_ref
    await connection.send(json.dumps(message))
