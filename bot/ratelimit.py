"""The widget's per-client rate limit: a token bucket in process memory, or in Redis.

Each client (its address) has a bucket of ``burst`` tokens that refills at
``per_minute``; a request takes a token or waits for one (429 + Retry-After).

Without REDIS_URL the buckets live in the worker's memory: each worker process
(and each machine) counts on its own. With REDIS_URL the same bucket is kept
in Redis by one Lua script, so the limit holds across workers and machines;
the script reads Redis's clock, so machines with skewed clocks still agree.
When Redis cannot be reached the limiter falls back to the in-memory buckets,
says so once in the log and in ``/readyz``, and tries Redis again a few
seconds later: the widget keeps answering, with a per-process limit meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from enum import StrEnum
from urllib.parse import urlsplit

from aiohttp import web
from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger(__name__)

# A Redis call on a user's request waits at most this long before the local
# fallback decides: a slow Redis must not make the widget slow.
REDIS_TIMEOUT_SECONDS = 0.5
# After a failure, requests use the local buckets for this long before Redis is
# tried again, so an unreachable Redis costs one timeout per interval, not one
# per request. /readyz always tries.
REDIS_RETRY_SECONDS = 5.0
# One immediate retry: after a Redis restart the first command on a pooled
# connection fails although the server is back; more retries only add latency.
REDIS_RETRIES = 1
# Keys are hashed addresses, so that a look at Redis does not list visitors in
# clear (a hash of an IPv4 address can be found by trying them all; keys expire
# once their bucket is full again, within minutes).
KEY_PREFIX = "bot:widget-rate:"
# Longest X-Forwarded-For entry taken as an address (an IPv6 with port fits).
MAX_ADDRESS = 64
# Least recently seen clients forgotten past this many (in-memory buckets).
MAX_CLIENTS = 10_000

# KEYS[1]: the client's bucket; ARGV[1]: burst, ARGV[2]: tokens per second.
# Returns the seconds to wait as a string (Lua numbers become integers in replies).
TOKEN_BUCKET_LUA = """
if redis.replicate_commands then redis.replicate_commands() end
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local tokens = tonumber(state[1]) or burst
local last = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', tostring(now))
-- A bucket left alone this long is full again: Redis may forget it.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class Backend(StrEnum):
    """Where the limit is kept, as ``/readyz`` reports it."""

    MEMORY = "memory"  # no REDIS_URL: per worker process
    REDIS = "redis"  # shared by every worker and machine using the same Redis
    FALLBACK = "local-fallback"  # REDIS_URL set, Redis unreachable: per process meanwhile


class TokenBucket:
    """A token bucket per client in process memory: ``burst`` at once, then ``per_minute``.

    The least recently seen clients are forgotten past ``max_clients``.
    """

    def __init__(self, per_minute: int, burst: int, max_clients: int = MAX_CLIENTS) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[client] = (tokens - 1, now)
            wait = 0.0
        else:
            self._buckets[client] = (tokens, now)
            wait = (1 - tokens) / self.rate
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait


class RateLimiter:
    """The widget's limiter: in memory, or in Redis with the in-memory buckets as fallback.

    The Redis connection opens and closes with the application (``lifespan``,
    a cleanup context).
    """

    def __init__(self, per_minute: int, burst: int, redis_url: str = "") -> None:
        self.per_minute = per_minute
        self.burst = burst
        self.local = TokenBucket(per_minute, burst)
        self.redis_url = redis_url
        self._redis: Redis | None = None
        self._script: AsyncScript | None = None
        self._shared = False
        self._retry_at = 0.0

    @property
    def backend(self) -> Backend:
        if not self.redis_url:
            return Backend.MEMORY
        return Backend.REDIS if self._shared else Backend.FALLBACK

    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        """Cleanup context: the Redis client lives as long as the application serves."""
        if not self.redis_url:
            yield
            return
        self._redis = Redis.from_url(
            self.redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), REDIS_RETRIES),
        )
        # EVALSHA, and the script loaded again if Redis lost it (a restart).
        self._script = self._redis.register_script(TOKEN_BUCKET_LUA)
        # Unknown until the first answer: the first failure is then logged.
        self._shared = True
        await self.check()
        try:
            yield
        finally:
            redis, self._redis, self._script = self._redis, None, None
            await redis.aclose()

    async def check(self) -> Backend:
        """Ask Redis now (for /readyz); the backend the next request will use."""
        if self._redis is not None:
            try:
                async with asyncio.timeout(REDIS_TIMEOUT_SECONDS * (REDIS_RETRIES + 1)):
                    await self._redis.ping()
            except (RedisError, OSError, TimeoutError) as exc:
                self._lost(exc)
            else:
                self._found()
        return self.backend

    async def wait(self, client: str) -> float:
        """0 when the client's request may go ahead, else the seconds to wait."""
        script = self._script
        if script is None or (not self._shared and time.monotonic() < self._retry_at):
            return self.local.wait(client)
        key = KEY_PREFIX + hashlib.sha256(client.encode()).hexdigest()[:32]
        try:
            async with asyncio.timeout(REDIS_TIMEOUT_SECONDS * (REDIS_RETRIES + 1)):
                raw = await script(keys=[key], args=[self.burst, self.per_minute / 60.0])
            wait = float(raw)
        except (RedisError, OSError, TimeoutError, ValueError) as exc:
            self._lost(exc)
            return self.local.wait(client)
        self._found()
        return wait

    def _lost(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
        if self._shared:
            self._shared = False
            log.warning(
                "Redis at %s is unreachable (%s): the widget's rate limit is per process "
                "until it is back",
                _where(self.redis_url),
                type(exc).__name__,
            )

    def _found(self) -> None:
        if not self._shared:
            self._shared = True
            log.warning(
                "Redis at %s is reachable again: the widget's rate limit is shared",
                _where(self.redis_url),
            )


def client_address(request: web.BaseRequest, trusted_proxies: int = 0) -> str:
    """The address a client's bucket is kept under.

    With no trusted proxy, the connection's. Behind ``trusted_proxies`` proxies
    that each append the address they saw to X-Forwarded-For, the entry that many
    places from the right: the address the outermost of them saw. Entries further
    left are whatever the client sent, and are ignored. A request that did not
    come through them all (too few entries) is keyed on its connection.
    """
    remote = request.remote or "unknown"
    if trusted_proxies <= 0:
        return remote
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", []))
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < trusted_proxies:
        return remote
    return _host(hops[-trusted_proxies][:MAX_ADDRESS])


def _host(address: str) -> str:
    """The address without the port some proxies add ("203.0.113.7:51200", "[2001:db8::7]:443")."""
    if address.startswith("["):
        return address[1:].split("]", 1)[0]
    if address.count(":") == 1:
        return address.split(":", 1)[0]
    return address


def _where(url: str) -> str:
    """host:port (or the socket path) of a Redis URL, never its password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    try:
        port = parts.port or 6379
    except ValueError:
        port = 6379
    return f"{parts.hostname}:{port}"
