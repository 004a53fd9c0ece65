"""Scoring: one function per signal, all read from one hit matrix.

The hit matrix holds, for every slot of the question (rows) and every passage
of a locale (columns), how fully the passage holds the slot: 1 in its own text
or alternative questions, CONTEXT_WEIGHT / CHILDREN_WEIGHT in an item's lead-in
or a list's items, WEAK_WEIGHT by a phrase's member word, 0 not at all.

    coverage  how much of the question's weight the passage holds (context
              sentences a passage lacks count only CONTEXT_MISSING_SHARE);
    phrasing  the closest alternative question, as a rapidfuzz ratio over
              the sorted keys (stems and concepts) of both;
    focus     the share of the passage's own concepts the question names, so
              a general question gets the general passage (the list);
    score     = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils

from knowledge.lexicon import INTENT_PREFIX

Vector = npt.NDArray[np.float64]

# How fully a passage holds a slot found only in its surroundings: an item's
# list lead-in says less than the item, a list's items less than its lead-in.
CONTEXT_WEIGHT = 0.6
CHILDREN_WEIGHT = 0.5
# A paragraph right after a list ("... the information listed above") holds the
# list's item concepts this much: less than the item itself, so the item still
# wins "is my number shared?", enough for "can they download my call history?".
REFERENT_WEIGHT = 0.5
# A phrase's member word alone ("indirizzo" of "indirizzo SIP") half matches it.
WEAK_WEIGHT = 0.4
# An alternative question asking for something else keeps this share of its phrasing.
INTENT_MISMATCH = 0.5
# ... and one that asks for nothing in particular ("when...", keywords) this share.
INTENT_UNSAID = 0.85
# The mix of the three signals: what the passage holds counts most.
COVERAGE_SHARE = 0.7
PHRASING_SHARE = 0.2
FOCUS_SHARE = 0.1
# A context sentence's slot a passage lacks counts this share of its weight:
# the scene a person sets is not what they ask about.
CONTEXT_MISSING_SHARE = 0.3


def coverage(
    hits: npt.NDArray[np.float64],
    weights: Sequence[float],
    similarities: Sequence[float],
    asked: Sequence[bool],
) -> Vector:
    """Per passage: held weight over the weight it is measured against (0..1)."""
    weight = np.asarray(weights, dtype=np.float64)[:, None]
    similarity = np.asarray(similarities, dtype=np.float64)[:, None]
    got = (weight * similarity * hits).sum(axis=0)
    asked_rows = np.asarray(asked, dtype=bool)[:, None]
    measured = np.where(
        asked_rows, weight, weight * (CONTEXT_MISSING_SHARE + (1.0 - CONTEXT_MISSING_SHARE) * hits)
    ).sum(axis=0)
    result: Vector = np.divide(got, measured, out=np.zeros_like(got), where=measured > 0)
    return result


def plain_scores(
    held: Sequence[Sequence[float]],
    weights: Sequence[float],
    shares: Sequence[float],
    asked: Sequence[bool],
    focus: Sequence[float],
    phrasing: Sequence[float],
) -> list[tuple[float, float]]:
    """(score, coverage) per passage, in plain Python, in the vector code's order of operations.

    ``held`` is the hit matrix's column of each passage (one fullness per
    slot); ``shares`` are weight * similarity per slot, as ``coverage`` forms
    them; ``focus`` and ``phrasing`` are the passages' other two signals.
    The sums run slot by slot, as numpy sums a matrix of several columns over
    its first axis (a lone column numpy may add pairwise: the last bit can
    differ, not the ROUND decimals a Match keeps).
    """
    held_share = 1.0 - CONTEXT_MISSING_SHARE
    per_slot = list(zip(weights, shares, asked, strict=True))
    out: list[tuple[float, float]] = []
    for hits, aim, phrase in zip(held, focus, phrasing, strict=True):
        got = 0.0
        measured = 0.0
        for hit, (weight, share, is_asked) in zip(hits, per_slot, strict=True):
            got += share * hit
            measured += weight if is_asked else weight * (CONTEXT_MISSING_SHARE + held_share * hit)
        cover = got / measured if measured > 0 else 0.0
        out.append((COVERAGE_SHARE * cover + PHRASING_SHARE * phrase + FOCUS_SHARE * aim, cover))
    return out


def focus(named: Vector, concept_counts: Vector) -> Vector:
    """Share of each passage's own concepts that the question names."""
    return np.divide(named, concept_counts, out=np.zeros_like(named), where=concept_counts > 0)


class Phrasings:
    """Every alternative question of a locale, compared with a question in one batch.

    The alternatives are read once, at load: their keys run through rapidfuzz's
    default processing here rather than on every comparison, and their intents
    are grouped, so a question costs one ``process.cdist`` call (C, no Python
    loop over alternatives) and a per-passage maximum.
    """

    __slots__ = ("_group_of", "_groups", "_processed", "_rows", "_size", "_starts")

    def __init__(self, per_passage: Sequence[tuple[str, ...]]) -> None:
        processed: list[str] = []
        group_of: list[int] = []
        groups: dict[frozenset[str], int] = {}
        starts: list[int] = []
        rows: list[int] = []
        for row, alternatives in enumerate(per_passage):
            if not alternatives:  # most passages of a large base have none
                continue
            starts.append(len(processed))
            rows.append(row)
            for alternative in alternatives:
                processed.append(utils.default_process(alternative))
                group_of.append(groups.setdefault(intents_of(alternative), len(groups)))
        self._processed = processed
        self._group_of = np.array(group_of, dtype=np.int64)
        self._groups = tuple(groups)
        self._starts = np.array(starts, dtype=np.int64)
        self._rows = np.array(rows, dtype=np.int64)
        self._size = len(per_passage)

    def best(self, question_keys: str) -> Vector:
        """Per passage, the closest of its alternative questions (0 without any).

        An alternative that asks for something else ("why" where the question
        asks "which") is not the same question however many words they share:
        its ratio counts INTENT_MISMATCH; one that asks for nothing in
        particular, INTENT_UNSAID.
        """
        out = np.zeros(self._size)
        if not self._processed:
            return out
        ratios = process.cdist(
            [utils.default_process(question_keys)],
            self._processed,
            scorer=fuzz.ratio,
            processor=None,
            dtype=np.float64,
        )[0]
        asks = intents_of(question_keys)
        share = np.array([_intent_share(asks, theirs) for theirs in self._groups])
        closeness = ratios / 100.0 * share[self._group_of]
        out[self._rows] = np.maximum.reduceat(closeness, self._starts)
        return out


def _intent_share(asks: frozenset[str], theirs: frozenset[str]) -> float:
    """How much of its ratio an alternative keeps, by what it asks against the question."""
    if asks and theirs and not asks & theirs:
        return INTENT_MISMATCH
    if asks and not theirs:
        return INTENT_UNSAID
    return 1.0


@lru_cache(maxsize=4096)  # alternative questions and recent questions: bounded
def intents_of(keys: str) -> frozenset[str]:
    """The intent keys (``?which``, ``?purpose``) among space-separated keys."""
    return frozenset(k for k in keys.split() if k.startswith(INTENT_PREFIX))


def combine(coverage: Vector, phrasing: Vector, focus: Vector) -> Vector:
    return COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus
