"""PostgREST v13 for exactly the request grammar SupabaseRepository sends.

Each request is one transaction on a connection from the pool (``pool.py``), as PostgREST runs it
(docs/references/transactions.rst): ``begin`` READ ONLY for GET/HEAD and for
POST to a STABLE or IMMUTABLE function, READ WRITE otherwise; then
``set local role`` from the JWT's ``role`` claim and
``set_config('request.jwt.claims', <claims>, true)`` (plus request.method /
request.path); then the main query in the shape of
src/library/PostgREST/Query/Statements.hs: ``WITH pgrst_source AS (<read,
insert ... RETURNING, update ... RETURNING, delete ... RETURNING, or the
function call>) SELECT coalesce(json_agg(_postgrest_t), '[]') ...``. So
PostgreSQL itself applies grants, RLS (including the SELECT policies on
RETURNING rows: an inserted row the role cannot read fails with 42501), triggers
and constraints, and renders the JSON.

Anything outside the grammar below raises ``GrammarError`` naming the request:
a test must never pass on a guessed answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
from psycopg import sql

from .pool import ConnectionPool

from .postgrest_errors import (
    PostgrestError,
    column_not_found,
    function_not_found,
    singular_error,
    sql_error_response,
    table_not_found,
)

SCHEMA = "public"
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
SINGULAR = "application/vnd.pgrst.object+json"
# docs/references/api/tables_views.rst, "Operators": the ones the app's client uses.
OPERATORS = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "like": "like", "ilike": "ilike"}
IS_VALUES = {"null": "null", "true": "true", "false": "false", "unknown": "unknown", "not_null": "not null"}
RESERVED = {"select", "order", "limit", "offset", "or", "columns", "on_conflict", "and", "not"}


class GrammarError(AssertionError):
    """A request the gateway does not implement: the test fails instead of getting a guess."""

    def __init__(self, request: httpx.Request, why: str) -> None:
        body = request.content.decode(errors="replace") if request.content else ""
        super().__init__(f"gateway: {why}\n  {request.method} {request.url}\n  headers: {dict(request.headers)}\n  body: {body}")


@dataclass
class Caller:
    """Who PostgREST runs the request as: the JWT's role and claims."""

    role: str
    claims: dict[str, Any]

    @property
    def authed(self) -> bool:
        # Error.hs: PgError (Just authRole /= configDbAnonRole): 42501 is 401 only for anon.
        return self.role != "anon"


@dataclass
class Range:
    offset: int = 0
    limit: int | None = None

    def intersect(self, other: Range) -> Range:
        start = max(self.offset, other.offset)
        ends = [r.offset + r.limit for r in (self, other) if r.limit is not None]
        return Range(start, max(0, min(ends) - start) if ends else None)


@dataclass
class Plan:
    """One parsed request."""

    conditions: list[sql.Composable] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    order: list[sql.Composable] = field(default_factory=list)
    select: list[str] | None = None
    range: Range = field(default_factory=Range)


class Rest:
    """PostgREST over one database; ``handle`` answers one request."""

    def __init__(self, db_url: str, max_rows: int | None) -> None:
        self._pool = ConnectionPool(db_url)
        self._max_rows = max_rows

    async def handle(self, request: httpx.Request, path: str, caller: Caller) -> httpx.Response:
        for header in ("accept-profile", "content-profile"):
            profile = request.headers.get(header)
            if profile not in (None, SCHEMA):
                raise PostgrestError(406, "PGRST106", f"Invalid schema: {profile}", hint="Only the following schemas are exposed: public")
        parts = path.strip("/").split("/")
        async with self._pool.connection() as conn:
            if len(parts) == 2 and parts[0] == "rpc" and IDENTIFIER.fullmatch(parts[1]):
                return await self._rpc(conn, request, parts[1], caller)
            if len(parts) == 1 and IDENTIFIER.fullmatch(parts[0]):
                return await self._table(conn, request, parts[0], caller)
        raise GrammarError(request, "path is neither /rest/v1/<table> nor /rest/v1/rpc/<function>")

    # --- the transaction ------------------------------------------------------
    async def _run(
        self, conn: psycopg.AsyncConnection, request: httpx.Request, caller: Caller, read_only: bool,
        query: sql.Composed, params: list[Any], count_query: tuple[sql.Composed, list[Any]] | None,
    ) -> tuple[list[Any] | dict[str, Any] | None, int, int | None] | httpx.Response:
        """(rows as JSON, rows in this page, total or None) or PostgREST's error response."""
        await conn.execute("begin isolation level read committed read only" if read_only else "begin isolation level read committed")
        try:
            await conn.execute(sql.SQL("set local role {}").format(sql.Identifier(caller.role)))
            await conn.execute(
                "select set_config('request.jwt.claims', %s, true), set_config('request.method', %s, true),"
                " set_config('request.path', %s, true)",
                (json.dumps(caller.claims), request.method, request.url.path),
            )
            cursor = await conn.execute(query, params)
            body_text, page = await _single(cursor)
            total = None
            if count_query is not None:
                cursor = await conn.execute(count_query[0], count_query[1])
                (total,) = await _single(cursor)
        except psycopg.Error as error:
            await conn.execute("rollback")
            return sql_error_response(error, caller.authed)
        if SINGULAR in request.headers.get("accept", "") and page != 1:
            await conn.execute("rollback")  # PostgREST rolls a mutation back when it is not exactly one row
            raise singular_error(page)
        await conn.execute("commit")
        return json.loads(body_text), page, total

    # --- tables -----------------------------------------------------------
    async def _columns(self, conn: psycopg.AsyncConnection, table: str) -> dict[str, str]:
        cursor = await conn.execute(
            "select a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute a"
            " where a.attrelid = to_regclass(%s) and a.attnum > 0 and not a.attisdropped order by a.attnum",
            (f"{SCHEMA}.{table}",),
        )
        return dict(await cursor.fetchall())

    async def _table(self, conn: psycopg.AsyncConnection, request: httpx.Request, table: str, caller: Caller) -> httpx.Response:
        columns = await self._columns(conn, table)
        if not columns:
            raise table_not_found(SCHEMA, table)
        target = sql.Identifier(SCHEMA, table)
        prefer = _prefer(request)
        plan = _plan(request, set(columns), sql.Identifier(table), mutation=request.method != "GET")
        where = sql.SQL(" where ") + sql.SQL(" and ").join(plan.conditions) if plan.conditions else sql.SQL("")
        returned = _projection(plan.select, sql.Identifier("pgrst_source"))
        if request.method in ("GET", "HEAD"):
            page = self._restrict(plan.range)
            source = sql.SQL("select {} from {} as {}{}{}{}").format(
                _projection(plan.select, sql.Identifier(table)), target, sql.Identifier(table), where,
                _order(plan.order), _limit(page),
            )
            count = None
            if prefer.get("count") == "exact":
                count = (sql.SQL("select count(*) from {} as {}{}").format(target, sql.Identifier(table), where), plan.params)
            outcome = await self._run(conn, request, caller, True, _wrap(source, sql.SQL("*")), plan.params, count)
            return _answer(request, outcome, page.offset, 200)
        if plan.order or plan.range != Range():
            raise GrammarError(request, "order/limit/offset on a write")
        if request.method == "POST":
            body = _json_body(request)
            rows = body if isinstance(body, list) else [body]
            if not rows or not all(isinstance(row, dict) for row in rows):
                raise GrammarError(request, "insert body must be an object or a non-empty array of objects")
            names = list(dict.fromkeys(name for row in rows for name in row))
            _known(names, columns, table)
            record = _record_type(names, columns)
            source = sql.SQL("insert into {} as {} ({}) select {} from json_to_recordset(%s::json) as pgrst_body({}){} returning {}").format(
                target, sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, names)),
                sql.SQL(", ").join(sql.Identifier("pgrst_body", n) for n in names), record,
                _on_conflict(request, prefer, names, columns), _returning(prefer, table),
            )
            params: list[Any] = [json.dumps(rows)]
            status = 201
        elif request.method == "PATCH":
            body = _json_body(request)
            if not isinstance(body, dict) or not body:
                raise GrammarError(request, "PATCH body must be a non-empty object")
            names = list(body)
            _known(names, columns, table)
            source = sql.SQL("update {} as {} set {} from json_to_record(%s::json) as pgrst_body({}){} returning {}").format(
                target, sql.Identifier(table),
                sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(n), sql.Identifier("pgrst_body", n)) for n in names),
                _record_type(names, columns), where, _returning(prefer, table),
            )
            params = [json.dumps(body), *plan.params]
            status = 200
        elif request.method == "DELETE":
            source = sql.SQL("delete from {} as {}{} returning {}").format(target, sql.Identifier(table), where, _returning(prefer, table))
            params = list(plan.params)
            status = 200
        else:
            raise GrammarError(request, "method")
        representation = prefer.get("return") == "representation"
        query = _wrap(source, returned if representation else sql.SQL("1 as pgrst_one"))
        outcome = await self._run(conn, request, caller, False, query, params, None)
        # Response.hs actionResponse: inserts and deletes always say "*/*", updates "0-<n-1>/*";
        # return=minimal (the default) has no body, and PATCH/DELETE then answer 204.
        response = _answer(request, outcome, 0, status)
        if isinstance(outcome, httpx.Response):
            return response
        if request.method != "PATCH":
            response.headers["content-range"] = "*/*"
        if not representation:
            return httpx.Response(201 if status == 201 else 204, headers={"content-range": response.headers["content-range"]})
        return response

    def _restrict(self, requested: Range) -> Range:
        """Plan.hs ``treeRestrictRange``: the project's max rows caps every read."""
        if self._max_rows is None:
            return requested
        return requested.intersect(Range(requested.offset, self._max_rows))

    # --- functions ----------------------------------------------------------
    async def _rpc(self, conn: psycopg.AsyncConnection, request: httpx.Request, name: str, caller: Caller) -> httpx.Response:
        if request.method == "POST":
            args = _json_body(request) if request.content else {}
            if not isinstance(args, dict):
                raise GrammarError(request, "RPC body must be a JSON object of named arguments")
            filter_params = request.url.params
        elif request.method == "GET":
            # functions.rst: with GET the query string carries the arguments; the
            # parameters that are not the function's are filters on its result.
            names = await _parameter_names(conn, name)
            args = {k: v for k, v in request.url.params.items() if k in names}
            filter_params = httpx.QueryParams([(k, v) for k, v in request.url.params.multi_items() if k not in names])
        else:
            raise GrammarError(request, "RPC method")
        function = await _find_function(conn, name, list(args))
        if function is None:
            raise function_not_found(SCHEMA, name, list(args))
        volatility, returns_set, returns_composite, arg_types = function
        # transactions.rst, "Access Mode on Functions": POST to a STABLE/IMMUTABLE function is READ ONLY.
        read_only = request.method == "GET" or volatility in ("s", "i")
        record = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(a), sql.SQL(arg_types[a])) for a in args)
        call = sql.SQL("{}({})").format(
            sql.Identifier(SCHEMA, name),
            sql.SQL(", ").join(sql.SQL("{} := {}").format(sql.Identifier(a), sql.Identifier("pgrst_body", a)) for a in args),
        )
        body_source = sql.SQL("json_to_record(%s::json) as pgrst_body({}), lateral ").format(record) if args else sql.SQL("")
        params: list[Any] = [json.dumps(args)] if args else []
        if not returns_composite:
            raise GrammarError(request, f"function {name} returns a scalar; the app calls none")
        columns = await _call_columns(conn, name)
        plan = _plan_from(request, filter_params, set(columns), sql.Identifier("pgrst_call"), mutation=False)
        where = sql.SQL(" where ") + sql.SQL(" and ").join(plan.conditions) if plan.conditions else sql.SQL("")
        page = self._restrict(plan.range) if returns_set else plan.range
        source = sql.SQL("select {} from {}{} as pgrst_call{}{}{}").format(
            _projection(plan.select, sql.Identifier("pgrst_call")), body_source, call, where, _order(plan.order), _limit(page)
        )
        prefer = _prefer(request)
        count = None
        if prefer.get("count") == "exact":
            count = (sql.SQL("select count(*) from {}{} as pgrst_call{}").format(body_source, call, where), [*params, *plan.params])
        outcome = await self._run(conn, request, caller, read_only, _wrap(source, sql.SQL("*")), [*params, *plan.params], count)
        if not returns_set and not isinstance(outcome, httpx.Response):
            # A function returning one composite answers with an object (Statements.hs funcReturnsSingle).
            rows, page_rows, total = outcome
            outcome = (rows[0] if isinstance(rows, list) and rows else None), page_rows, total
        return _answer(request, outcome, page.offset, 200)


# --- parsing -------------------------------------------------------------------
def _prefer(request: httpx.Request) -> dict[str, str]:
    prefer: dict[str, str] = {}
    for item in request.headers.get("prefer", "").split(","):
        key, _, value = item.strip().partition("=")
        if not key:
            continue
        if key not in ("return", "count", "missing", "resolution") or (key == "count" and value != "exact"):
            raise GrammarError(request, f"Prefer {item.strip()!r}")
        prefer[key] = value
    if prefer.get("resolution") not in (None, "merge-duplicates", "ignore-duplicates"):
        raise GrammarError(request, f"Prefer resolution={prefer['resolution']}")
    if prefer.get("missing") not in (None, "null"):
        raise GrammarError(request, "Prefer missing=default")
    return prefer


def _json_body(request: httpx.Request) -> Any:
    try:
        return json.loads(request.content or b"null")
    except json.JSONDecodeError as error:
        raise PostgrestError(400, "PGRST102", "Empty or invalid json") from error


def _plan(request: httpx.Request, columns: set[str], qualifier: sql.Identifier, *, mutation: bool) -> Plan:
    return _plan_from(request, request.url.params, columns, qualifier, mutation=mutation)


def _plan_from(request: httpx.Request, params: httpx.QueryParams, columns: set[str], qualifier: sql.Identifier, *, mutation: bool) -> Plan:
    plan = Plan()
    for key, value in params.multi_items():
        if key == "select":
            plan.select = _select(request, value, columns)
        elif key == "order":
            plan.order = [_order_item(request, item, columns, qualifier) for item in value.split(",")]
        elif key in ("limit", "offset"):
            if not value.isdigit():
                raise PostgrestError(400, "PGRST100", f"\"failed to parse {key} parameter ({value})\"")
            if key == "limit":
                plan.range = plan.range.intersect(Range(plan.range.offset, int(value)))
            else:
                plan.range = Range(int(value), plan.range.limit)
        elif key == "or":
            if not (value.startswith("(") and value.endswith(")")):
                raise GrammarError(request, "or=... must be a parenthesised list")
            items = _split(request, value[1:-1])
            parts = []
            for item in items:
                column, _, rest = item.partition(".")
                parts.append(_condition(request, column, rest, columns, qualifier, plan.params))
            plan.conditions.append(sql.SQL("({})").format(sql.SQL(" or ").join(parts)))
        elif key in ("columns", "on_conflict") and request.method == "POST":
            continue  # the insert's column list: taken from the body's keys, as PostgREST does for them
        elif key in RESERVED or "." in key:
            raise GrammarError(request, f"query parameter {key!r}")
        else:
            plan.conditions.append(_condition(request, key, value, columns, qualifier, plan.params))
    header = request.headers.get("range")
    if header is not None:
        if request.headers.get("range-unit", "items") != "items" or mutation:
            raise GrammarError(request, "Range header")
        match = re.fullmatch(r"(\d+)-(\d*)", header.strip())
        if match is None:
            raise GrammarError(request, "Range header")
        first, last = int(match[1]), match[2]
        # RangeQuery.hs: the header range and the limit/offset range are intersected.
        plan.range = plan.range.intersect(Range(first, int(last) - first + 1 if last else None))
    return plan


def _select(request: httpx.Request, value: str, columns: set[str]) -> list[str] | None:
    if value == "*":
        return None
    names = [name.strip() for name in value.split(",")]
    for name in names:
        if not IDENTIFIER.fullmatch(name):
            raise GrammarError(request, f"select item {name!r} (embedding, casts, aliases and JSON paths are not used)")
        if name not in columns:
            raise PostgrestError(400, "42703", f"column {name} does not exist")
    return names


def _order_item(request: httpx.Request, item: str, columns: set[str], qualifier: sql.Identifier) -> sql.Composable:
    column, *modifiers = item.split(".")
    if column not in columns or len(modifiers) > 2:
        raise GrammarError(request, f"order item {item!r}")
    words = {"asc": "asc", "desc": "desc", "nullsfirst": "nulls first", "nullslast": "nulls last"}
    if any(m not in words for m in modifiers):
        raise GrammarError(request, f"order item {item!r}")
    return sql.SQL(" ").join([sql.SQL("{}.{}").format(qualifier, sql.Identifier(column)), *(sql.SQL(words[m]) for m in modifiers)])


def _split(request: httpx.Request, text: str) -> list[str]:
    """Split on commas outside double quotes and parentheses (url_grammar.rst, reserved characters)."""
    items, current, depth, quoted = [], "", 0, False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
        if char == "," and not quoted and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    if quoted or depth:
        raise GrammarError(request, f"unbalanced quotes or parentheses in {text!r}")
    return [*items, current]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def _condition(
    request: httpx.Request, column: str, expression: str, columns: set[str], qualifier: sql.Identifier, params: list[Any]
) -> sql.Composable:
    """``column=op.value``; values are sent untyped (PostgREST's ``unknown``) so PostgreSQL casts them."""
    if not IDENTIFIER.fullmatch(column):
        raise GrammarError(request, f"filter on {column!r}")
    if column not in columns:
        raise PostgrestError(400, "42703", f"column {qualifier.as_string(None)}.{column} does not exist")
    operator, _, value = expression.partition(".")
    target = sql.SQL("{}.{}").format(qualifier, sql.Identifier(column))
    if operator in OPERATORS:
        if operator in ("like", "ilike"):
            value = value.replace("*", "%")  # tables_views.rst: * stands for % in like patterns
        params.append(value)
        return sql.SQL("{} {} %s").format(target, sql.SQL(OPERATORS[operator]))
    if operator == "in":
        if not (value.startswith("(") and value.endswith(")")):
            raise GrammarError(request, f"in filter {expression!r}")
        values = [_unquote(v) for v in _split(request, value[1:-1])] if value != "()" else []
        if not values:
            return sql.SQL("false")
        params.extend(values)
        return sql.SQL("{} in ({})").format(target, sql.SQL(", ").join(sql.Placeholder() * len(values)))
    if operator == "is" and value in IS_VALUES:
        return sql.SQL("{} is {}").format(target, sql.SQL(IS_VALUES[value]))
    raise GrammarError(request, f"filter operator in {column}={expression}")


def _projection(select: list[str] | None, qualifier: sql.Identifier) -> sql.Composable:
    if select is None:
        return sql.SQL("{}.*").format(qualifier)
    return sql.SQL(", ").join(sql.SQL("{}.{}").format(qualifier, sql.Identifier(c)) for c in select)


def _returning(prefer: dict[str, str], table: str) -> sql.Composable:
    # SqlFragment.hs returningF: the whole row for a representation, else "RETURNING 1".
    return sql.SQL("{}.*").format(sql.Identifier(table)) if prefer.get("return") == "representation" else sql.SQL("1")


def _on_conflict(request: httpx.Request, prefer: dict[str, str], names: list[str], columns: dict[str, str]) -> sql.Composable:
    """QueryBuilder.hs mutatePlanToQuery Insert: ``Prefer: resolution=...`` with ``on_conflict=<columns>``.

    Not modelled: PostgREST answers 200 instead of 201 when a merge inserted no row
    (Response.hs isInsertIfGTZero); this gateway always answers 201."""
    resolution = prefer.get("resolution")
    target = request.url.params.get("on_conflict")
    if resolution is None:
        if target is not None:
            raise GrammarError(request, "on_conflict without Prefer resolution")
        return sql.SQL("")
    keys = (target or "").split(",")
    if not target or any(k not in columns for k in keys):
        raise GrammarError(request, "upsert needs on_conflict=<existing columns> (the primary key is not looked up here)")
    conflict = sql.SQL(" on conflict ({}) ").format(sql.SQL(", ").join(map(sql.Identifier, keys)))
    if resolution == "ignore-duplicates":
        return conflict + sql.SQL("do nothing")
    return conflict + sql.SQL("do update set ") + sql.SQL(", ").join(
        sql.SQL("{} = excluded.{}").format(sql.Identifier(n), sql.Identifier(n)) for n in names
    )


def _record_type(names: list[str], columns: dict[str, str]) -> sql.Composable:
    return sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(columns[n])) for n in names)


def _known(names: list[str], columns: dict[str, str], table: str) -> None:
    for name in names:
        if name not in columns:
            raise column_not_found(table, name)


def _order(order: list[sql.Composable]) -> sql.Composable:
    return sql.SQL(" order by ") + sql.SQL(", ").join(order) if order else sql.SQL("")


def _limit(page: Range) -> sql.Composable:
    if page == Range():
        return sql.SQL("")
    limit = sql.SQL("all") if page.limit is None else sql.Literal(page.limit)
    return sql.SQL(" limit {} offset {}").format(limit, sql.Literal(page.offset))


async def _single(cursor: psycopg.AsyncCursor[Any]) -> Any:
    row = await cursor.fetchone()
    assert row is not None  # an aggregate always answers one row
    return row


def _wrap(source: sql.Composable, projection: sql.Composable) -> sql.Composed:
    """Statements.hs mainRead/mainWrite: the body is built in the database as JSON."""
    return sql.SQL(
        "with pgrst_source as ({}) select coalesce(json_agg(_postgrest_t), '[]')::text as body,"
        " pg_catalog.count(_postgrest_t) as page_total from (select {} from pgrst_source) _postgrest_t"
    ).format(source, projection)


async def _find_function(conn: psycopg.AsyncConnection, name: str, keys: list[str]) -> tuple[str, bool, bool, dict[str, str]] | None:
    """The overload whose named input parameters cover ``keys`` and whose required ones are all given."""
    cursor = await conn.execute(
        """
        select p.provolatile, p.proretset,
               p.prorettype = 'record'::regtype or t.typtype = 'c' as composite,
               p.pronargs, p.pronargdefaults,
               array(select format_type(x, null) from unnest(p.proargtypes) x) as in_types,
               coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}')
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_type t on t.oid = p.prorettype
        where n.nspname = %s and p.proname = %s
        """,
        (SCHEMA, name),
    )
    for volatility, returns_set, composite, nargs, ndefaults, in_types, names, modes in await cursor.fetchall():
        in_names = [n for i, n in enumerate(names) if not modes or modes[i] in ("i", "b", "v")][:nargs]
        required = set(in_names[: nargs - ndefaults])
        if set(keys) <= set(in_names) and required <= set(keys):
            return volatility, returns_set, composite, dict(zip(in_names, in_types))
    return None


async def _parameter_names(conn: psycopg.AsyncConnection, name: str) -> set[str]:
    cursor = await conn.execute(
        "select coalesce(p.proargnames, '{}'), coalesce(p.proargmodes::text[], '{}') from pg_proc p"
        " join pg_namespace n on n.oid = p.pronamespace where n.nspname = %s and p.proname = %s",
        (SCHEMA, name),
    )
    return {n for names, modes in await cursor.fetchall() for i, n in enumerate(names) if not modes or modes[i] in ("i", "b", "v")}


async def _call_columns(conn: psycopg.AsyncConnection, name: str) -> list[str]:
    """The result columns of a function returning rows (OUT/TABLE parameters or a table type)."""
    cursor = await conn.execute(
        """
        select coalesce(
            (select array_agg(n order by i) from unnest(p.proargnames, p.proargmodes::text[]) with ordinality a(n, m, i)
              where m in ('o', 'b', 't')),
            (select array_agg(a.attname order by a.attnum) from pg_attribute a
              where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped))
        from pg_proc p join pg_namespace s on s.oid = p.pronamespace join pg_type t on t.oid = p.prorettype
        where s.nspname = %s and p.proname = %s limit 1
        """,
        (SCHEMA, name),
    )
    row = await cursor.fetchone()
    return list(row[0] or []) if row else []


def _answer(
    request: httpx.Request, outcome: tuple[Any, int, int | None] | httpx.Response, offset: int, status: int
) -> httpx.Response:
    """The body and RangeQuery.hs ``rangeStatusHeader``: Content-Range ``first-last/total``
    (``*`` for an empty page or an unknown total); 206 when a counted read is partial."""
    if isinstance(outcome, httpx.Response):
        return outcome
    body, page, total = outcome
    last = offset + page - 1
    content_range = f"{offset}-{last}" if total != 0 and offset <= last else "*"
    content_range += f"/{'*' if total is None else total}"
    if status == 200 and total is not None:
        if offset > total:
            status = 416
        elif page < total:
            status = 206
    if SINGULAR in request.headers.get("accept", "") and isinstance(body, list):
        body = body[0]
    media = SINGULAR if SINGULAR in request.headers.get("accept", "") else "application/json"
    return httpx.Response(
        status, headers={"content-type": f"{media}; charset=utf-8", "content-range": content_range},
        content=json.dumps(body).encode(),
    )
