"""PostgREST's error responses: HTTP status per SQLSTATE and the JSON body.

Follows PostgREST v13's own table, src/library/PostgREST/Error.hs
(``mapSQLtoHTTP``, ``instance ErrorBody JwtError``, ``SingularityError``,
``NoRpc``, ``TableNotFound``) and docs/references/errors.rst. Notably 23P01
(exclusion violation) has no entry there, so it takes the default 400 with its
SQLSTATE as ``code``; 40001/40P01 fall under '40' -> 500.
"""

from __future__ import annotations

import json
from typing import Any

import httpx


class PostgrestError(Exception):
    """An error PostgREST answers itself, before or after the query (PGRST codes)."""

    def __init__(
        self, status: int, code: str, message: str, details: str | None = None, hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.details, self.hint = status, code, message, details, hint
        self.headers = headers or {}

    def response(self) -> httpx.Response:
        return error_response(self.status, self.code, self.message, self.details, self.hint, self.headers)


def error_response(
    status: int, code: str, message: str, details: str | None, hint: str | None, headers: dict[str, str] | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"code": code, "details": details, "hint": hint, "message": message}
    return httpx.Response(
        status, headers={"content-type": "application/json; charset=utf-8", **(headers or {})},
        content=json.dumps(body).encode(),
    )


def sql_status(sqlstate: str, message: str, authed: bool) -> int:
    """``mapSQLtoHTTP``: ``authed`` is "the JWT's role is not the anon role"."""
    exact = {
        "23503": 409, "23505": 409, "25006": 405, "53400": 500, "57P01": 503, "P0001": 400,
        "42P01": 404, "42P17": 500,
    }
    if sqlstate in exact:
        return exact[sqlstate]
    if sqlstate == "21000":
        return 400 if "UPDATE requires a WHERE clause" in message or "DELETE requires a WHERE clause" in message else 500
    if sqlstate == "22023":
        return 401 if message.startswith("role") and message.endswith("does not exist") else 400
    if sqlstate == "42883":
        return 406 if message.startswith("function xmlagg(") else 404
    if sqlstate == "42501":
        return 403 if authed else 401
    prefixes = {
        "08": 503, "09": 500, "0L": 403, "0P": 403, "25": 500, "28": 403, "2D": 500, "38": 500, "39": 500,
        "3B": 500, "40": 500, "53": 503, "54": 500, "55": 500, "57": 500, "58": 500, "F0": 500, "HV": 500,
        "P0": 500, "XX": 500,
    }
    return prefixes.get(sqlstate[:2], 400)


def sql_error_response(error: Any, authed: bool) -> httpx.Response:
    """A psycopg error as PostgREST answers it; a 401 carries ``WWW-Authenticate: Bearer``."""
    diag = error.diag
    sqlstate = error.sqlstate or "XX000"
    message = diag.message_primary or str(error)
    status = sql_status(sqlstate, message, authed)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    return error_response(status, sqlstate, message, diag.message_detail, diag.message_hint, headers)


def jwt_error(code: str, message: str) -> PostgrestError:
    """PGRST301 (decode) / PGRST303 (claims, e.g. "JWT expired"): 401 with an invalid_token challenge."""
    return PostgrestError(
        401, code, message, headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{message}"'}
    )


def singular_error(rows: int) -> PostgrestError:
    return PostgrestError(
        406, "PGRST116", "Cannot coerce the result to a single JSON object", f"The result contains {rows} rows"
    )


def table_not_found(schema: str, table: str) -> PostgrestError:
    return PostgrestError(404, "PGRST205", f"Could not find the table '{schema}.{table}' in the schema cache")


def function_not_found(schema: str, name: str, keys: list[str]) -> PostgrestError:
    args = ", ".join(sorted(keys))
    return PostgrestError(
        404, "PGRST202", f"Could not find the function {schema}.{name}({args}) in the schema cache",
        f"Searched for the function {schema}.{name} with parameters {args} or with a single unnamed json/jsonb "
        "parameter, but no matches were found in the schema cache.",
    )


def column_not_found(table: str, column: str) -> PostgrestError:
    return PostgrestError(400, "PGRST204", f"Could not find the '{column}' column of '{table}' in the schema cache")
