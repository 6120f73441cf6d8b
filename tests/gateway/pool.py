"""The stand-in's connection pool, as PostgREST keeps one (``db-pool``, 10 connections by
default; docs/references/configuration.rst): a request takes an idle connection instead of
opening one, and gives it back when its transaction has ended. Everything a request sets
(``set local role``, ``set_config(..., true)``) is local to its transaction, so a reused
connection carries nothing over, as in PostgREST.

Idle connections are kept per event loop: tests run each on a loop of their own, and an
async connection serves only the loop it was opened on.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg.pq import TransactionStatus

POOL_SIZE = 10


class ConnectionPool:
    def __init__(self, db_url: str, size: int = POOL_SIZE) -> None:
        self._db_url = db_url
        self._size = size
        self._idle: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[psycopg.AsyncConnection]] = (
            weakref.WeakKeyDictionary()
        )

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        idle = self._idle.setdefault(asyncio.get_running_loop(), [])
        conn = idle.pop() if idle else await psycopg.AsyncConnection.connect(self._db_url, autocommit=True)
        try:
            yield conn
        finally:
            # A connection left inside a transaction (the request failed midway) or one too
            # many is closed, never handed to the next request.
            reusable = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
            if reusable and len(idle) < self._size:
                idle.append(conn)
            else:
                await conn.close()
