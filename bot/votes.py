"""One answer, one vote: which answer cards have been voted on.

A vote's button data names its answer card (``card``, a random id given to
the card when it is sent); Teams also names it by the card's activity id in
``replyToId``. Where the channel can update a message (Teams), the card is
replaced after the vote by one without vote buttons, so a person cannot vote
twice on it. What this ledger adds is that a vote delivered again (a double
click before the update lands, a channel's retry, a replayed request) is not
counted again: the first vote for a card counts, later ones are thanked and
not counted.

The ledger is in process memory and bounded (the least recently voted cards
are forgotten past ``max_cards``): it holds within one worker process. With
several workers, a repeat that reaches another worker than the first vote
counts once more there; a store shared by the workers (for example a Redis
``SET NX`` with an expiry) would close that gap behind the same ``first()``.
"""

from __future__ import annotations

from collections import OrderedDict

# Cards remembered per process; at about 100 bytes each, about 1 MB.
MAX_CARDS = 10_000


class VoteLedger:
    def __init__(self, max_cards: int = MAX_CARDS) -> None:
        self.max_cards = max_cards
        self._voted: OrderedDict[tuple[str, str], None] = OrderedDict()

    def first(self, conversation: str, card: str) -> bool:
        """True for the first vote on this card in this conversation, False for any later one."""
        key = (conversation, card)
        if key in self._voted:
            self._voted.move_to_end(key)
            return False
        self._voted[key] = None
        while len(self._voted) > self.max_cards:
            self._voted.popitem(last=False)
        return True
