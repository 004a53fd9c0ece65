"""The worker's one Redis client, shared by the widget's rate limit and the vote ledger.

With REDIS_URL the application opens one client (one connection pool) when it
starts and closes it when it stops (``lifespan``, a cleanup context; the link
is ``app[REDIS]``). Both users send their commands through ``call``, which
keeps the one fallback rule: when Redis cannot be reached, ``call`` raises
``Unavailable`` and the caller decides in process memory; the loss is logged
once, the return once, and for ``REDIS_RETRY_SECONDS`` after a failure no
command is tried (an unreachable Redis costs one timeout per interval, not one
per request). ``check`` (for ``/readyz``) always asks Redis.

Without REDIS_URL there is no client and ``call`` always raises ``Unavailable``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from enum import StrEnum
from typing import TypeVar
from urllib.parse import urlsplit

from aiohttp import web
from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger(__name__)

# A Redis call on a user's request waits at most this long before the local
# fallback decides: a slow Redis must not make the widget or a vote slow.
REDIS_TIMEOUT_SECONDS = 0.5
# After a failure, requests decide locally for this long before Redis is tried
# again. /readyz always tries.
REDIS_RETRY_SECONDS = 5.0
# One immediate retry: after a Redis restart the first command on a pooled
# connection fails although the server is back; more retries only add latency.
REDIS_RETRIES = 1
# The longest one command may take, its retry included.
CALL_TIMEOUT_SECONDS = REDIS_TIMEOUT_SECONDS * (REDIS_RETRIES + 1)

T = TypeVar("T")


class Backend(StrEnum):
    """Where shared state (rate limit, votes) is kept, as ``/readyz`` reports it."""

    MEMORY = "memory"  # no REDIS_URL: per worker process
    REDIS = "redis"  # shared by every worker and machine using the same Redis
    FALLBACK = "local-fallback"  # REDIS_URL set, Redis unreachable: per process meanwhile


class Unavailable(Exception):
    """Redis is not configured, unreachable, or being waited out: decide locally."""


class RedisLink:
    """One Redis client per worker with the fallback rule in one place (see the module)."""

    def __init__(self, url: str = "") -> None:
        self.url = url
        self._client: Redis | None = None
        self._up = False
        self._retry_at = 0.0

    @property
    def backend(self) -> Backend:
        """Where the next command's state is kept."""
        if not self.url:
            return Backend.MEMORY
        return Backend.REDIS if self._client is not None and self._up else Backend.FALLBACK

    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """Cleanup context: the client lives as long as the application serves."""
        if not self.url:
            yield
            return
        self._client = Redis.from_url(
            self.url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), REDIS_RETRIES),
        )
        # Reachable until told otherwise, so that a failure at start is logged.
        self._up = True
        await self.check()
        try:
            yield
        finally:
            client, self._client = self._client, None
            await client.aclose()

    async def check(self) -> Backend:
        """Ask Redis now (for /readyz), whatever the retry interval; the backend then."""
        if self._client is not None:
            try:
                async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
                    await self._client.ping()
            except (RedisError, OSError, TimeoutError) as exc:
                self._lost(exc)
            else:
                self._found()
        return self.backend

    async def call(self, command: Callable[[Redis], Awaitable[T]]) -> T:
        """The command's result from Redis; ``Unavailable`` when Redis cannot decide."""
        client = self._client
        if client is None or (not self._up and time.monotonic() < self._retry_at):
            raise Unavailable
        try:
            async with asyncio.timeout(CALL_TIMEOUT_SECONDS):
                result = await command(client)
        except (RedisError, OSError, TimeoutError) as exc:
            self._lost(exc)
            raise Unavailable from exc
        self._found()
        return result

    def _lost(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
        if self._up:
            self._up = False
            log.warning(
                "Redis at %s is unreachable (%s): the widget's rate limit and the votes "
                "are per process until it is back",
                where(self.url),
                type(exc).__name__,
            )

    def _found(self) -> None:
        if not self._up:
            self._up = True
            log.warning(
                "Redis at %s is reachable again: the widget's rate limit and the votes are shared",
                where(self.url),
            )


# The worker's link, opened and closed by the application (create_app).
REDIS = web.AppKey("redis", RedisLink)


def where(url: str) -> str:
    """host:port (or the socket path) of a Redis URL, never its password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    try:
        port = parts.port or 6379
    except ValueError:
        port = 6379
    return f"{parts.hostname}:{port}"
