"""Reading a message: which sentences ask, which only set the scene.

People write a greeting, who they are and why they ask, then the question
("... What exactly will BT receive about our calls?"). The sentences that ask
(they end with a question mark, else the last one) carry the question's full
weight; the others are context, counted at CONTEXT_SENTENCE_WEIGHT, which
still lets a short "Is that right?" lean on the sentence before it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

# How much a sentence that does not ask weighs beside the one that does.
CONTEXT_SENTENCE_WEIGHT = 0.35
# The sentence right before the question is what a short "Is that true?" or
# "Why?" refers to ("A colleague says the carrier gets my location when I dial
# 911. Is that true?"): it weighs more than the greeting and the job before it,
# still less than what is asked (its words a passage lacks cost little).
REFERRED_SENTENCE_WEIGHT = 0.7
# How much the frame of a statement weighs ("Nobody ever told me", "Ça
# m'embête", "Es nervt mich" before "that ..."): how the person feels, context.
STATEMENT_FRAME_WEIGHT = CONTEXT_SENTENCE_WEIGHT
# A part of a message must have this many characters to be a question of its own.
MIN_PART_CHARS = 6

# A name (a carrier, a person, a place: "BT", "Orange", "Bretagne") is who or
# where the question is about, not a topic the notice lacks: an unknown word
# written as a name keeps this share of its weight.
NAME_SHARE = 0.3
# A message is read by its last MAX_SENTENCES sentences. Real ones have a few
# (greeting, context, then the question, which comes last); a 2,000-character
# message of 140 short sentences would otherwise be read 140 times over, about
# 50 ms of CPU for one request.
MAX_SENTENCES = 16

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_COLON = re.compile(r"[:：]\s+")
# What ends a sentence that asks.
ASKING_MARKS = ("?", "？")
_WORD = re.compile(r"[^\W\d_]+")


def sentences(text: str) -> list[str]:
    """The message cut after each full stop, question or exclamation mark, line
    break, or colon that a space follows ("… asked me to check: can the carrier
    export it?" asks after the colon; "10:30" is no cut)."""
    if ":" in text or "：" in text:
        text = _COLON.sub(":\n", text)
    parts = [s.strip() for s in _SENTENCE.findall(text) if s.strip(" .!?。！？:")]
    return parts[-MAX_SENTENCES:]


def asking(text: str) -> list[str]:
    """The sentences that ask: those ending with a question mark, else the last one."""
    parts = sentences(text)
    return [p for p in parts if p.endswith(ASKING_MARKS)] or parts[-1:]


def focus(
    text: str,
    names_topic: Callable[[str], bool] | None = None,
    split_statement: Callable[[str], tuple[str, str] | None] | None = None,
) -> list[tuple[str, float]]:
    """Each sentence with its weight: 1 for the question, REFERRED_SENTENCE_WEIGHT for
    the sentence it refers to (the nearest before it for which ``names_topic``
    holds, else the one right before it), CONTEXT_SENTENCE_WEIGHT for the rest.

    A message that asks nothing ("Nobody told me that my IP goes to the
    carrier.") stands for the question its last statement is about:
    ``split_statement`` cuts it into a frame ("Nobody told me"), weighed as
    context, and the clause it is about, weighed as asked.
    """
    parts = sentences(text)
    statement = not any(part.endswith(ASKING_MARKS) for part in parts)
    split = split_statement(parts[-1]) if statement and parts and split_statement else None
    if split is not None:
        frame, clause = split
        scene = [(part, CONTEXT_SENTENCE_WEIGHT) for part in parts[:-1]]
        return [*scene, (frame, STATEMENT_FRAME_WEIGHT), (clause, 1.0)]
    if len(parts) <= 1:
        return [(text, 1.0)]
    asks = {i for i, part in enumerate(parts) if part.endswith(ASKING_MARKS)} or {len(parts) - 1}
    topical: dict[int, bool] = {}

    def speaks_of_topic(j: int) -> bool:
        if j not in topical:
            topical[j] = names_topic is None or names_topic(parts[j])
        return topical[j]

    referred: set[int] = set()
    for i in asks:
        # The nearest sentence before it that says something the notice speaks
        # of: "Non ho niente in contrario, ma vorrei capire." only sets a mood.
        before = [j for j in range(i - 1, -1, -1) if j not in asks]
        said = next((j for j in before if speaks_of_topic(j)), None)
        if said is not None or before:
            referred.add(said if said is not None else before[0])
    return [
        (
            part,
            1.0
            if i in asks
            else REFERRED_SENTENCE_WEIGHT
            if i in referred
            else CONTEXT_SENTENCE_WEIGHT,
        )
        for i, part in enumerate(parts)
    ]


def names(text: str, *, nouns_capitalised: bool = False) -> frozenset[str]:
    """Words written as names: capitalised inside a sentence, or in capitals (BT, TIM).

    Only in a message that sets a scene (two sentences or more), where names
    say whom the question is about. Where every noun is capitalised (German),
    only words in capitals count.
    """
    found: set[str] = set()
    parts = sentences(text)
    if len(parts) < 2:
        # One sentence: no scene is set, every word is what is asked about.
        return frozenset()
    for sentence in parts:
        for i, word in enumerate(_WORD.findall(sentence)):
            acronym = len(word) >= 2 and word.isupper()
            capitalised = i > 0 and word[:1].isupper() and not nouns_capitalised
            if acronym or capitalised:
                found.add(word.casefold())
    return frozenset(found)


def questions(
    text: str, conjunctions: Iterable[str], openers: Iterable[str] = ()
) -> list[tuple[str, bool]]:
    """The separate questions of a message: its asking sentences, cut at "and", "et"...

    ("Is my number shared? And can they download it?", "What does Operator
    Connect do, and is my SIP URI shared?"). Inside a sentence a conjunction
    cuts only after a comma or before a word that opens a question (``openers``:
    "and is", "et pourquoi", "und wer"), so "landlines and mobiles" stays one.
    Each part comes with whether it was cut out of a sentence. One part means
    one question.
    """
    pattern = _conjunction_pattern(tuple(conjunctions), tuple(openers))
    out: list[tuple[str, bool]] = []
    for sentence in asking(text):
        pieces = [p.strip(" ,;") for p in (pattern.split(sentence) if pattern else [sentence])]
        pieces = [p for p in pieces if len(p) >= MIN_PART_CHARS]
        out.extend((p, len(pieces) > 1) for p in pieces)
    return out


# Keyed by a language's lexicon words, not by what users type: one entry per language.
@lru_cache(maxsize=32)
def _conjunction_pattern(
    conjunctions: tuple[str, ...], openers: tuple[str, ...]
) -> re.Pattern[str] | None:
    if not conjunctions:
        return None
    words = "|".join(re.escape(c) for c in sorted(conjunctions, key=len, reverse=True))
    after_comma = rf",\s*(?:{words})\s+"
    if not openers:
        return re.compile(after_comma, re.IGNORECASE)
    starts = "|".join(re.escape(o) for o in sorted(openers, key=len, reverse=True))
    before_question = rf"\s+(?:{words})\s+(?=(?:{starts})(?![^\W_]))"
    return re.compile(rf"{after_comma}|{before_question}", re.IGNORECASE)
