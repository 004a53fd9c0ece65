"""Reading a message: which sentences ask, which only set the scene.

People write a greeting, who they are and why they ask, then the question
("... What exactly will BT receive about our calls?"). The sentences that ask
(they end with a question mark, else the last one) carry the question's full
weight; the others are context, counted at CONTEXT_SENTENCE_WEIGHT, which
still lets a short "Is that right?" lean on the sentence before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# How much a sentence that does not ask weighs beside the one that does.
CONTEXT_SENTENCE_WEIGHT = 0.35
# A part of a message must have this many characters to be a question of its own.
MIN_PART_CHARS = 6

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_ASKS = ("?", "？")


def sentences(text: str) -> list[str]:
    """The message cut after each full stop, question or exclamation mark, or line break."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip(" .!?。！？")]


def focus(text: str) -> list[tuple[str, float]]:
    """Each sentence with its weight: 1 for the question, CONTEXT_SENTENCE_WEIGHT for context."""
    parts = sentences(text)
    if len(parts) <= 1:
        return [(text, 1.0)]
    asking = {i for i, part in enumerate(parts) if part.endswith(_ASKS)} or {len(parts) - 1}
    return [(part, 1.0 if i in asking else CONTEXT_SENTENCE_WEIGHT) for i, part in enumerate(parts)]


def questions(text: str, conjunctions: Iterable[str]) -> list[str]:
    """The separate questions of a message: its asking sentences, cut at "and", "et"...

    ("Is my number shared? And can they download it?", "What does Operator
    Connect do, and is my SIP URI shared?"). One part means one question.
    """
    parts = sentences(text)
    asking = [p for p in parts if p.endswith(_ASKS)] or parts[-1:]
    pattern = _conjunction_pattern(tuple(conjunctions))
    out: list[str] = []
    for sentence in asking:
        pieces = pattern.split(sentence) if pattern else [sentence]
        out.extend(p.strip(" ,;") for p in pieces if len(p.strip(" ,;")) >= MIN_PART_CHARS)
    return out


def _conjunction_pattern(conjunctions: tuple[str, ...]) -> re.Pattern[str] | None:
    if not conjunctions:
        return None
    words = "|".join(re.escape(c) for c in sorted(conjunctions, key=len, reverse=True))
    # A conjunction between two clauses, after a comma or standing as a word.
    return re.compile(rf"(?:,\s*|\s+)(?:{words})\s+", re.IGNORECASE)
