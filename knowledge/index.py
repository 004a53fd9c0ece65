"""One search index per locale: passages analysed once, questions scored against them.

Score of a passage for a question (all in 0..1):

    coverage  how much of the question's meaning the passage holds: each slot
              weighted by its IDF over the locale's passages (a word the notice
              never uses weighs most, so "partager mon écran" is not covered by
              "partager"), counted 1.0 in the passage text or its alternative
              questions, CONTEXT_WEIGHT in an item's lead-in or a list's items;
    phrasing  the closest alternative question, as a rapidfuzz ratio over the
              sorted keys (stems and concepts) of both;
    focus     the share of the passage's own concepts the question asks about,
              so a general question gets the general passage (the list) and
              not an item that merely also holds its words;
    score     = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus.

Words not in the index are first corrected to the nearest indexed word within
a few edits (optimal string alignment distance, so a swap is one edit): none
under 5 letters, where a single edit lands on too many other words, one for
5-7 letters, two from 8 on; so "urgense" and "pozisione" still match.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from knowledge.lexicon import CONCEPT_PREFIX, INTENT_PREFIX, Analyzer, Slot
from knowledge.model import Match, Passage, PassageKind
from knowledge.text import fold, words

CONTEXT_WEIGHT = 0.6
CHILDREN_WEIGHT = 0.5
WEAK_WEIGHT = 0.4
COVERAGE_SHARE = 0.7
PHRASING_SHARE = 0.2
FOCUS_SHARE = 0.1
INTENT_WEIGHT = 0.5
UNKNOWN_SHARE = 0.6
MIN_TYPO_LENGTH = 5
LONG_WORD = 8


@dataclass(frozen=True, slots=True)
class IndexedPassage:
    passage: Passage
    own: frozenset[str]
    context: frozenset[str]
    phrasings: tuple[str, ...]
    concepts: frozenset[str]


class LocaleIndex:
    def __init__(
        self,
        locale: str,
        analyzer: Analyzer,
        passages: Sequence[Passage],
        alternatives: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.locale = locale
        self.analyzer = analyzer
        by_id = {p.id: p for p in passages}
        alternatives = {k: v for k, v in (alternatives or {}).items() if k in by_id}
        entries: list[IndexedPassage] = []
        for passage in passages:
            questions = list(alternatives.get(passage.id, ()))
            if passage.kind == PassageKind.LIST:
                # A list's own words are its lead-in; its items count as context.
                own = set(analyzer.terms(passage.context))
                context: set[str] = set()
                for child in passage.children:
                    context |= analyzer.terms(by_id[child].text)
            else:
                own = set(analyzer.terms(passage.text))
                context = set(analyzer.terms(passage.context))
            for question in questions:
                own |= analyzer.terms(question)
            phrasings = tuple(self._phrasing(q) for q in questions)
            concepts = frozenset(k for k in own if k.startswith((CONCEPT_PREFIX, INTENT_PREFIX)))
            entries.append(
                IndexedPassage(
                    passage, frozenset(own), frozenset(context - own), phrasings, concepts
                )
            )
        self.entries = tuple(entries)
        leaves = [e for e in entries if e.passage.kind != PassageKind.LIST]
        total = len(leaves)
        df: dict[str, int] = {}
        for entry in leaves:
            for term in entry.own | entry.context:
                df[term] = df.get(term, 0) + 1
        self.idf = {t: _idf(total, n) for t, n in df.items()}
        # A word the notices never use is what the question is about and the
        # notice lacks; it weighs like a rare notice word, a little less than
        # the rarest, so a stray "PC" does not sink a question about IP addresses.
        self.unknown_idf = UNKNOWN_SHARE * _idf(total, 0)
        # Words of the notices and the lexicon, for typo correction.
        vocabulary: set[str] = set(analyzer.lexicon_words)
        for passage in passages:
            vocabulary.update(words(fold(passage.text)))
        for asked in alternatives.values():
            for question in asked:
                vocabulary.update(words(fold(question)))
        self.vocabulary = sorted(
            w
            for w in vocabulary - analyzer.stopwords
            if len(w) >= MIN_TYPO_LENGTH and not w.isdigit()
        )

    def _phrasing(self, text: str) -> str:
        return " ".join(sorted(k for slot in self.analyzer.slots(text) for k in slot.all_keys))

    def corrected(self, slots: Iterable[Slot]) -> list[tuple[Slot, float]]:
        """Slots with typos mended where the index has a close word; with the similarity."""
        out: list[tuple[Slot, float]] = []
        for slot in slots:
            if (
                any(k in self.idf for k in slot.all_keys)
                or len(slot.surface) < MIN_TYPO_LENGTH
                or " " in slot.surface
            ):
                out.append((slot, 1.0))
                continue
            edits = 2 if len(slot.surface) >= LONG_WORD else 1
            best = process.extractOne(
                slot.surface,
                self.vocabulary,
                scorer=OSA.distance,
                processor=None,
                score_cutoff=edits,
            )
            if best is None:
                out.append((slot, 1.0))
                continue
            fixed = self.analyzer.word_slot(best[0])
            if any(k in self.idf for k in fixed.all_keys):
                similarity = 1.0 - best[1] / max(len(slot.surface), len(best[0]))
                out.append((Slot(slot.surface, fixed.keys, fixed.weak), similarity))
            else:
                out.append((slot, 1.0))
        return out

    def weight(self, slot: Slot) -> float:
        if all(k.startswith(INTENT_PREFIX) for k in slot.keys):
            # "which", "why": they steer between passages but are not the topic.
            return INTENT_WEIGHT
        known = [self.idf[k] for k in slot.keys if k in self.idf] or [
            self.idf[k] for k in slot.weak if k in self.idf
        ]
        # A slot is as telling as its most common key: synonyms are one concept.
        return min(known) if known else self.unknown_idf

    def search(self, question: str, limit: int = 5) -> list[Match]:
        slots = self.corrected(self.analyzer.slots(question))
        if not slots:
            return []
        weights = [self.weight(slot) for slot, _ in slots]
        total = sum(weights)
        query_phrasing = " ".join(sorted(k for slot, _ in slots for k in slot.all_keys))
        query_concepts = frozenset(k for slot, _ in slots for k in slot.keys)
        matches: list[Match] = []
        for entry in self.entries:
            got = 0.0
            matched: list[str] = []
            missing: list[str] = []
            for (slot, similarity), weight in zip(slots, weights, strict=True):
                hit = self._hit(slot, entry)
                if hit:
                    got += weight * hit * similarity
                    matched.append(slot.surface)
                else:
                    missing.append(slot.surface)
            if not got:
                continue
            coverage = got / total
            phrasing = max(
                (
                    fuzz.ratio(query_phrasing, p, processor=utils.default_process) / 100.0
                    for p in entry.phrasings
                ),
                default=0.0,
            )
            focus = (
                len(query_concepts & entry.concepts) / len(entry.concepts)
                if entry.concepts
                else 0.0
            )
            score = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus
            # Rounded so that float noise never decides between two passages.
            matches.append(
                Match(
                    entry.passage,
                    round(score, 6),
                    round(coverage, 6),
                    round(phrasing, 6),
                    tuple(matched),
                    tuple(missing),
                )
            )
        # Deterministic order: score, then coverage, then the notice's own order.
        matches.sort(key=lambda m: (-m.score, -m.coverage, m.passage.order))
        return matches[:limit]

    @staticmethod
    def _hit(slot: Slot, entry: IndexedPassage) -> float:
        """How fully a passage holds a slot: 1 in its text or questions, less in context."""
        if slot.keys & entry.own:
            return 1.0
        if slot.keys & entry.context:
            return CONTEXT_WEIGHT if entry.passage.kind == PassageKind.ITEM else CHILDREN_WEIGHT
        if slot.weak & (entry.own | entry.context):
            return WEAK_WEIGHT
        return 0.0


def _idf(total: int, df: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))
