"""The widget's per-client rate limit: a token bucket in process memory, or in Redis.

Each client (its address) has a bucket of ``burst`` tokens that refills at
``per_minute``; a request takes a token or waits for one (429 + Retry-After).

Without REDIS_URL the buckets live in the worker's memory: each worker process
(and each machine) counts on its own. With REDIS_URL the same bucket is kept
in Redis by one Lua script, so the limit holds across workers and machines;
the script reads Redis's clock, so machines with skewed clocks still agree.
When Redis cannot be reached the limiter falls back to the in-memory buckets
(the rule is ``bot.redis_link``'s, whose one client the vote ledger shares):
the widget keeps answering, with a per-process limit meanwhile.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict

from aiohttp import web
from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from bot.redis_link import Backend, RedisLink, Unavailable

log = logging.getLogger(__name__)

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
    """The widget's limiter: in Redis through the worker's link, else in process memory."""

    def __init__(self, per_minute: int, burst: int, redis: RedisLink | None = None) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self.local = TokenBucket(per_minute, burst)
        self.redis = redis or RedisLink()
        self._script: AsyncScript | None = None

    @property
    def backend(self) -> Backend:
        return self.redis.backend

    async def check(self) -> Backend:
        """Ask Redis now (for /readyz); the backend the next request will use."""
        return await self.redis.check()

    async def wait(self, client: str) -> float:
        """0 when the client's request may go ahead, else the seconds to wait."""
        key = KEY_PREFIX + hashlib.sha256(client.encode()).hexdigest()[:32]
        try:
            raw = await self.redis.call(
                lambda redis: self._bucket_script(redis)(
                    keys=[key], args=[self.burst, self.per_minute / 60.0]
                )
            )
            return float(raw)
        except (Unavailable, ValueError):
            return self.local.wait(client)

    def _bucket_script(self, redis: Redis) -> AsyncScript:
        """The token bucket script on this client: EVALSHA, loaded again if Redis lost it."""
        if self._script is None or self._script.registered_client is not redis:
            self._script = redis.register_script(TOKEN_BUCKET_LUA)
        return self._script


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
