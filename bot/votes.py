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
there. With REDIS_URL (the worker's one Redis client, ``bot.redis_link``,
shared with the widget's rate limit) the first vote is a ``SET NX`` in Redis,
so it holds across workers and machines for ``VOTE_TTL_SECONDS``; while Redis
cannot be reached, the process memory decides (said once in the log and in
``/readyz``), as without REDIS_URL.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict

from bot.redis_link import Backend, RedisLink, Unavailable

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
    """First vote per (conversation, card): in Redis through the worker's link, else in memory."""

    def __init__(self, redis: RedisLink | None = None, max_cards: int = MAX_CARDS) -> None:
        self.local = LocalVotes(max_cards)
        self.redis = redis or RedisLink()

    @property
    def backend(self) -> Backend:
        """Where the next vote is decided: in Redis (for every worker) or in this process."""
        return self.redis.backend

    async def first(self, conversation: str, card: str) -> bool:
        """True for the first vote on this card in this conversation, False for any later one."""
        digest = hashlib.sha256(f"{conversation}\0{card}".encode()).hexdigest()[:32]
        try:
            created = await self.redis.call(
                lambda redis: redis.set(KEY_PREFIX + digest, 1, nx=True, ex=VOTE_TTL_SECONDS)
            )
        except Unavailable:
            return self.local.first(conversation, card)
        # Also remembered here, so that a repeat during a Redis outage is still caught.
        self.local.first(conversation, card)
        return bool(created)
