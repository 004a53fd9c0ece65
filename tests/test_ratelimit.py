"""The widget's rate limit: the in-memory token bucket, the same bucket in a real
Redis (shared by every limiter using it), and the local fallback when Redis is gone."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict
from redis.asyncio import Redis

from bot.ratelimit import KEY_PREFIX, RateLimiter, TokenBucket, client_address
from bot.redis_link import Backend, RedisLink
from bot.settings import Settings
from bot.web import create_app
from knowledge import KnowledgeBase

QUESTION = {"type": "message", "text": "Is my IP address shared?", "locale": "en-US"}


@asynccontextmanager
async def running(url: str = "") -> AsyncIterator[RedisLink]:
    """A worker's Redis link, opened and closed by its cleanup context as an application would."""
    link = RedisLink(url)
    lifespan = link.lifespan(web.Application())
    await anext(lifespan)
    try:
        yield link
    finally:
        await lifespan.aclose()


def unused_redis_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"  # nothing listens there


def test_token_bucket_refills_and_forgets_old_clients() -> None:
    bucket = TokenBucket(per_minute=60, burst=2, max_clients=2)
    assert [bucket.wait("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 1.0]
    assert bucket.wait("a", now=1.0) == 0.0  # one token back after a second
    bucket.wait("b", now=1.0)
    bucket.wait("c", now=1.0)
    assert bucket.wait("a", now=1.0) == 0.0  # "a" was forgotten: a full bucket again


async def test_without_redis_url_the_limit_is_in_memory() -> None:
    async with running() as link:
        limiter = RateLimiter(per_minute=1, burst=2, redis=link)
        waits = [await limiter.wait("a") for _ in range(3)]
        assert waits[:2] == [0.0, 0.0] and waits[2] > 0
        assert await limiter.check() == Backend.MEMORY


async def test_the_redis_bucket_is_shared_by_every_limiter_using_it(redis_server: Any) -> None:
    # Two limiters stand for two workers (or two machines) with the same REDIS_URL.
    async with running(redis_server.url) as one, running(redis_server.url) as other:
        first = RateLimiter(per_minute=60, burst=3, redis=one)
        second = RateLimiter(per_minute=60, burst=3, redis=other)
        assert first.backend == second.backend == Backend.REDIS
        waits = [await limiter.wait("203.0.113.7") for limiter in (first, second, first, second)]
        assert waits[:3] == [0.0, 0.0, 0.0]
        # At 60 a minute a token comes back within a second: the same Retry-After
        # the in-memory bucket gives.
        assert 0 < waits[3] <= 1.0
        assert await second.wait("198.51.100.1") == 0.0  # another client, its own bucket
        assert first.local.wait("203.0.113.7") == 0.0  # the local buckets were not used


async def test_redis_keys_hold_no_address_and_expire(redis_server: Any) -> None:
    async with running(redis_server.url) as link:
        await RateLimiter(per_minute=30, burst=10, redis=link).wait("203.0.113.7")
    client = Redis.from_url(redis_server.url)
    try:
        [key] = await client.keys("*")
        assert key.decode().startswith(KEY_PREFIX) and b"203.0.113.7" not in key
        # Full again after 10 / (30 a minute) = 20 s: Redis forgets it soon after.
        assert 0 < await client.pttl(key) <= 21_000
    finally:
        await client.aclose()


async def test_redis_gone_falls_back_to_local_buckets_says_so_once_and_comes_back(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.redis_link")
    async with running(redis_server.url) as link:
        limiter = RateLimiter(per_minute=1, burst=2, redis=link)
        assert await limiter.wait("a") == 0.0
        redis_server.kill()
        # The local bucket decides now: its own burst of 2, then a wait.
        waits = [await limiter.wait("a") for _ in range(5)]
        assert waits[:2] == [0.0, 0.0] and all(w > 0 for w in waits[2:])
        assert limiter.backend == Backend.FALLBACK
        assert await limiter.check() == Backend.FALLBACK
        lost = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(lost) == 1 and f"127.0.0.1:{redis_server.port}" in lost[0].getMessage()

        redis_server.start()  # same port, empty: the script is loaded again on use
        assert await limiter.check() == Backend.REDIS
        assert await limiter.wait("a") == 0.0  # a fresh bucket in the new Redis
        assert any("reachable again" in r.getMessage() for r in caplog.records)


async def test_redis_unreachable_at_start_is_logged_and_the_limit_stays_local(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.redis_link")
    async with running(unused_redis_url()) as link:
        limiter = RateLimiter(per_minute=1, burst=1, redis=link)
        assert limiter.backend == Backend.FALLBACK
        assert [await limiter.wait("a") > 0 for _ in range(3)] == [False, True, True]
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


async def readyz_and_widget(url: str) -> tuple[dict[str, Any], list[int]]:
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(3):
            async with session.post(f"{url}/api/widget/messages", json=QUESTION) as response:
                statuses.append(response.status)
        async with session.get(f"{url}/readyz") as response:
            assert response.status == 200
            return await response.json(), statuses


async def test_readyz_reports_where_the_limit_is_kept(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase, redis_server: Any
) -> None:
    base = {"WIDGET_BURST": "2", "WIDGET_RATE_PER_MINUTE": "1"}
    memory = await serve(create_app(Settings.from_env(base), kb))
    shared = await serve(create_app(Settings.from_env({**base, "REDIS_URL": redis_server.url}), kb))
    ready, statuses = await readyz_and_widget(memory)
    assert ready["rate_limit"] == ready["votes"] == "memory" and statuses == [200, 200, 429]
    ready, statuses = await readyz_and_widget(shared)
    assert ready["rate_limit"] == ready["votes"] == "redis" and statuses == [200, 200, 429]
    redis_server.kill()
    # The widget keeps answering on the local bucket (fresh: a burst of 2), and
    # the bot stays ready; /readyz says where the limit is kept now.
    ready, statuses = await readyz_and_widget(shared)
    assert ready["ready"] and ready["rate_limit"] == ready["votes"] == "local-fallback"
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "key"),
    [
        (0, ["198.51.100.1"], "10.0.0.9"),  # no trusted proxy: the header is ignored
        (1, [], "10.0.0.9"),  # did not come through the proxy: the connection
        (1, ["198.51.100.1"], "198.51.100.1"),
        (1, ["203.0.113.66, 198.51.100.1"], "198.51.100.1"),  # the client's own entry ignored
        (1, ["203.0.113.66", "198.51.100.1"], "198.51.100.1"),  # two header lines
        (1, ["198.51.100.1:51200"], "198.51.100.1"),  # a proxy that adds the port
        (1, ["[2001:db8::7]:443"], "2001:db8::7"),
        (1, ["2001:db8::7"], "2001:db8::7"),
        (2, ["203.0.113.66, 198.51.100.1, 192.0.2.10"], "198.51.100.1"),
        (2, ["192.0.2.10"], "10.0.0.9"),  # fewer entries than proxies
    ],
)
def test_the_client_address_behind_trusted_proxies(
    proxies: int, forwarded: list[str], key: str
) -> None:
    headers = CIMultiDict(("X-Forwarded-For", value) for value in forwarded)
    request = make_mocked_request("POST", "/api/widget/messages", headers=headers)
    assert client_address(request.clone(remote="10.0.0.9"), proxies) == key


async def test_behind_a_trusted_proxy_each_visitor_has_a_bucket(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase
) -> None:
    environ = {"WIDGET_BURST": "1", "WIDGET_RATE_PER_MINUTE": "1", "WIDGET_TRUSTED_PROXIES": "1"}
    url = await serve(create_app(Settings.from_env(environ), kb))

    async def status(forwarded: str) -> int:
        headers = {"X-Forwarded-For": forwarded}
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{url}/api/widget/messages", json=QUESTION, headers=headers) as response,
        ):
            return response.status

    assert await status("198.51.100.1") == 200
    assert await status("198.51.100.2") == 200  # another visitor through the same proxy
    assert await status("203.0.113.66, 198.51.100.1") == 429  # a forged entry changes nothing
