"""One answer, one vote: which answer cards have been voted on.

A vote's button data names its answer card (``card``, a random id given to
the card when it is sent; a vote without one, or for no passage, is not
counted, see ``NoticeBot.vote``). Where the channel can update a message (Teams), the card is
replaced after the vote by one without vote buttons, so a person cannot vote
twice on it. What this ledger adds is that a vote delivered again (a double
click before the update lands, a channel's retry, a replayed request, Web
Chat's buttons that stay) is not counted again: the first vote for a card
counts, later ones are thanked and not counted.

Without REDIS_URL the ledger is in process memory and bounded (the least
recently voted cards are forgotten past ``max_cards``): it holds within one
worker process, and a repeat that reaches another worker counts once more
there. With REDIS_URL (the same Redis as the widget's rate limit) the first
vote is a ``SET NX`` in Redis, so it holds across workers and machines for
``VOTE_TTL_SECONDS``; while Redis cannot be reached, the process memory
decides (said once in the log), as without REDIS_URL.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator

from aiohttp import web
from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from bot.ratelimit import REDIS_RETRIES, REDIS_RETRY_SECONDS, REDIS_TIMEOUT_SECONDS

log = logging.getLogger(__name__)

# Cards remembered per process; at about 100 bytes each, about 1 MB.
MAX_CARDS = 10_000
# How long Redis remembers a voted card: people vote on an answer they just
# read; a vote on a month-old card counts once more, and Redis stays small.
VOTE_TTL_SECONDS = 30 * 24 * 3600
# Keys are hashes, so that Redis holds no conversation id in clear.
KEY_PREFIX = "bot:vote:"


class LocalVotes:
    """The voted cards in process memory, least recently voted forgotten first."""

    def __init__(self, max_cards: int = MAX_CARDS) -> None:
        self.max_cards = max_cards
        self._voted: OrderedDict[tuple[str, str], None] = OrderedDict()

    def first(self, conversation: str, card: str) -> bool:
        key = (conversation, card)
        if key in self._voted:
            self._voted.move_to_end(key)
            return False
        self._voted[key] = None
        while len(self._voted) > self.max_cards:
            self._voted.popitem(last=False)
        return True


class VoteLedger:
    """First vote per (conversation, card): in Redis when configured, else in process memory.

    The Redis connection opens and closes with the application (``lifespan``,
    a cleanup context).
    """

    def __init__(self, redis_url: str = "", max_cards: int = MAX_CARDS) -> None:
        self.local = LocalVotes(max_cards)
        self.redis_url = redis_url
        self._redis: Redis | None = None
        self._shared = False
        self._retry_at = 0.0

    @property
    def shared(self) -> bool:
        """Whether the next vote is decided in Redis (for every worker) rather than locally."""
        return self._redis is not None and self._shared

    async def lifespan(self, app: web.Application) -> AsyncIterator[None]:
        if not self.redis_url:
            yield
            return
        self._redis = Redis.from_url(
            self.redis_url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), REDIS_RETRIES),
        )
        self._shared = True
        try:
            yield
        finally:
            redis, self._redis = self._redis, None
            await redis.aclose()

    async def first(self, conversation: str, card: str) -> bool:
        """True for the first vote on this card in this conversation, False for any later one."""
        redis = self._redis
        if redis is None or (not self._shared and time.monotonic() < self._retry_at):
            return self.local.first(conversation, card)
        digest = hashlib.sha256(f"{conversation}\0{card}".encode()).hexdigest()[:32]
        try:
            async with asyncio.timeout(REDIS_TIMEOUT_SECONDS * (REDIS_RETRIES + 1)):
                created = await redis.set(KEY_PREFIX + digest, 1, nx=True, ex=VOTE_TTL_SECONDS)
        except (RedisError, OSError, TimeoutError) as exc:
            self._lost(exc)
            return self.local.first(conversation, card)
        if not self._shared:
            self._shared = True
            log.warning("Redis is reachable again: votes are counted once across workers")
        # Also remembered here, so that a repeat during a Redis outage is still caught.
        self.local.first(conversation, card)
        return bool(created)

    def _lost(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + REDIS_RETRY_SECONDS
        if self._shared:
            self._shared = False
            log.warning(
                "Redis is unreachable (%s): votes are counted once per worker until it is back",
                type(exc).__name__,
            )
