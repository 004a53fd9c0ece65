"""One answer, one vote: the ledger in memory, in a real Redis shared by workers, its fallback."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from redis.asyncio import Redis

from bot import replies
from bot.redis_link import Backend
from bot.settings import Settings
from bot.votes import KEY_PREFIX, VOTE_TTL_SECONDS, LocalVotes, VoteLedger
from bot.web import create_app
from knowledge import KnowledgeBase
from tests.test_ratelimit import running, unused_redis_url
from tests.test_web import activity, post
from tests.test_widget import call


def test_in_memory_the_first_vote_per_card_counts_and_old_cards_are_forgotten() -> None:
    votes = LocalVotes(max_cards=2)
    assert votes.first("c1", "card-a") and not votes.first("c1", "card-a")
    assert votes.first("c2", "card-a")  # another conversation's card
    assert votes.first("c1", "card-b")  # "c1/card-a" is now the least recently voted...
    assert not votes.first("c1", "card-b")
    assert votes.first("c2", "card-c")
    assert votes.first("c1", "card-a")  # ...and was forgotten past two cards


async def test_without_redis_url_each_ledger_counts_on_its_own() -> None:
    async with running() as first, running() as second:
        one, other = VoteLedger(first), VoteLedger(second)
        assert await one.first("c", "card") and not await one.first("c", "card")
        assert await other.first("c", "card")  # another worker: the documented gap
        assert one.backend == Backend.MEMORY


async def test_with_redis_every_ledger_agrees(redis_server: Any) -> None:
    # Two ledgers stand for two workers (or two machines) with the same REDIS_URL.
    async with running(redis_server.url) as first, running(redis_server.url) as second:
        one, other = VoteLedger(first), VoteLedger(second)
        assert one.backend == Backend.REDIS
        assert await one.first("19:conversation", "card-1")
        assert not await other.first("19:conversation", "card-1")
        assert not await one.first("19:conversation", "card-1")
        assert await other.first("19:conversation", "card-2")
    client = Redis.from_url(redis_server.url)
    try:
        keys = await client.keys(KEY_PREFIX + "*")
        assert len(keys) == 2 and not any(b"conversation" in k for k in keys)  # hashed
        assert 0 < await client.ttl(keys[0]) <= VOTE_TTL_SECONDS
    finally:
        await client.aclose()


async def test_redis_gone_falls_back_to_memory_says_so_once_and_comes_back(
    redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.redis_link")
    async with running(redis_server.url) as link:
        ledger = VoteLedger(link)
        assert await ledger.first("c", "before")
        redis_server.kill()
        # A repeat of a vote Redis had is still caught: the ledger remembered it too.
        assert not await ledger.first("c", "before")
        assert await ledger.first("c", "during") and not await ledger.first("c", "during")
        assert ledger.backend == Backend.FALLBACK
        lost = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(lost) == 1


async def test_unreachable_redis_at_start_still_counts_once_per_process() -> None:
    async with running(unused_redis_url()) as link:
        ledger = VoteLedger(link)
        assert await ledger.first("c", "card") and not await ledger.first("c", "card")


async def test_a_vote_replayed_on_another_worker_is_not_counted_again(
    serve: Any, kb: KnowledgeBase, redis_server: Any
) -> None:
    """Two apps with one REDIS_URL (two workers); a vote on one, replayed on the other."""
    settings = Settings.from_env({"REDIS_URL": redis_server.url})
    urls = [await serve(create_app(settings, kb)) for _ in range(2)]
    status, body = await post(urls[0], activity("Are IP addresses shared?"))
    assert status == 200
    card = body["activities"][0]["attachments"][0]["content"]
    [up] = [data for data in _vote_data(card) if data["vote"] == "up"]
    for url in (urls[0], urls[1], urls[1]):
        status, thanks = await post(url, activity("", value=up))
        assert status == 200 and thanks["activities"][0]["text"] == "Thanks for the feedback!"
    counted = 0.0
    for url in urls:
        async with aiohttp.ClientSession() as session, session.get(f"{url}/metrics") as r:
            for line in (await r.text()).splitlines():
                if line.startswith('bot_feedback_total{vote="up"}'):
                    counted += float(line.split()[-1])
    assert counted == 1.0


async def feedback_counted(url: str) -> float:
    async with aiohttp.ClientSession() as session, session.get(f"{url}/metrics") as r:
        return sum(
            float(line.split()[-1])
            for line in (await r.text()).splitlines()
            if line.startswith("bot_feedback_total{")
        )


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda n, real: {"card": f"forged{n}", "id": "x"}, id="no-such-passage"),
        pytest.param(lambda n, real: {"card": f"forged{n}", "id": real["id"]}, id="card-not-ours"),
        pytest.param(lambda n, real: {"card": real["card"] + "!", "id": real["id"]}, id="charset"),
        pytest.param(lambda n, real: {"card": None, "id": real["id"]}, id="no-card"),
        pytest.param(lambda n, real: {"card": real["card"], "id": f"x{n}"}, id="bad-id"),
    ],
)
async def test_a_forged_vote_is_thanked_and_not_counted(
    bot_url: str, forge: Callable[[int, dict[str, Any]], dict[str, Any]]
) -> None:
    """Widget posts with vote data the bot never issued: thanked, never counted."""

    async def widget(text: str, value: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"type": "message", "text": text, "locale": "en-US", "conversation": {"id": "w-1"}}
        status, _, reply = await call(
            bot_url, "/api/widget/messages", "POST", json={**body, "value": value}
        )
        assert status == 200
        [first, *_] = json.loads(reply)["activities"]
        return dict(first)

    [real] = [d for d in _vote_data(await widget("Are IP addresses shared?")) if d["vote"] == "up"]
    for n in range(5):
        thanks = await widget("", {"action": "feedback", "vote": "up", **forge(n, real)})
        assert thanks["text"] == "Thanks for the feedback!"
    assert await feedback_counted(bot_url) == 0.0
    # The card's own vote counts, once.
    for _ in range(2):
        assert (await widget("", real))["text"] == "Thanks for the feedback!"
    assert await feedback_counted(bot_url) == 1.0


async def test_with_a_signing_key_only_the_bots_own_cards_count(
    serve: Any, kb: KnowledgeBase
) -> None:
    """VOTE_SIGNING_KEY: a card id of the right shape is not enough, its signature must hold."""
    settings = Settings.from_env({"VOTE_SIGNING_KEY": "a-test-key-of-32-characters-long"})
    url = await serve(create_app(settings, kb))

    async def widget(text: str, value: dict[str, Any] | None = None) -> dict[str, Any]:
        body = {"type": "message", "text": text, "locale": "en-US", "value": value}
        body["conversation"] = {"id": "w-3"}
        status, _, reply = await call(url, "/api/widget/messages", "POST", json=body)
        assert status == 200
        return dict(json.loads(reply)["activities"][0])

    [real] = [d for d in _vote_data(await widget("Are IP addresses shared?")) if d["vote"] == "up"]
    card, _, signature = real["card"].partition(".")
    assert signature and replies.is_card_id(card)  # signed: <card id>.<signature>
    other = next(p for p in kb.passages if p.startswith("en-US/") and p != real["id"])
    forged = [
        {**real, "card": card},  # the right shape, unsigned
        {**real, "card": "A" * len(card)},  # another id of the right shape
        {**real, "card": f"{'A' * len(card)}.{signature}"},  # a signature for another card
        {**real, "id": other},  # the card's signature is for its own passage
    ]
    for value in forged:
        assert (await widget("", value))["text"] == "Thanks for the feedback!"
    assert await feedback_counted(url) == 0.0
    await widget("", real)
    assert await feedback_counted(url) == 1.0


async def test_the_widget_limit_and_the_votes_share_one_redis_client(
    serve: Any, kb: KnowledgeBase, redis_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """One client per worker: one connection to Redis, one outage message, one /readyz field."""
    caplog.set_level(logging.WARNING)
    url = await serve(create_app(Settings.from_env({"REDIS_URL": redis_server.url}), kb))

    async def widget(value: dict[str, Any] | None = None) -> dict[str, Any]:
        text = "" if value else "Are IP addresses shared?"
        body = {"type": "message", "text": text, "locale": "en-US", "value": value}
        body["conversation"] = {"id": "w-2"}
        status, _, reply = await call(url, "/api/widget/messages", "POST", json=body)
        assert status == 200
        return dict(json.loads(reply)["activities"][0])

    [up] = [d for d in _vote_data(await widget()) if d["vote"] == "up"]
    await widget(up)  # the rate limit (a script) and the vote (SET NX), both in Redis
    observer = Redis.from_url(redis_server.url)
    try:
        assert len(await observer.keys(KEY_PREFIX + "*")) == 1
        clients = await observer.client_list()
        assert len(clients) == 2  # the application's one connection, and this one
    finally:
        await observer.aclose()
    redis_server.kill()
    await widget(up)  # both fall back: the limit and the vote decide in this process
    async with aiohttp.ClientSession() as session, session.get(f"{url}/readyz") as r:
        ready = await r.json()
    assert ready["rate_limit"] == ready["votes"] == "local-fallback"
    lost = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(lost) == 1 and "rate limit and the votes" in lost[0].getMessage()


def _vote_data(node: Any) -> list[dict[str, Any]]:
    """The data of the vote buttons anywhere under a card element (not nested card actions)."""
    if isinstance(node, list):
        return [found for item in node for found in _vote_data(item)]
    if not isinstance(node, dict):
        return []
    if node.get("action") == "feedback":
        return [node]
    return [found for value in node.values() for found in _vote_data(value)]
