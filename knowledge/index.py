"""One search index per locale: passages analysed once, questions scored against them.

Score of a passage for a question (all in 0..1):

    coverage  how much of the question's meaning the passage holds: each slot
              weighted by its IDF over the locale's passages (a word the notice
              never uses weighs like a rare word, UNKNOWN_SHARE of the rarest,
              so "partager mon écran" is not covered by "partager"), counted
              1.0 in the passage text or its alternative questions,
              CONTEXT_WEIGHT in an item's lead-in or a list's items;
    phrasing  the closest alternative question, as a rapidfuzz ratio over the
              sorted keys (stems and concepts) of both;
    focus     the share of the passage's own concepts the question asks about,
              so a general question gets the general passage (the list) and
              not an item that merely also holds its words;
    score     = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus.

Words not in the index are first corrected to the nearest indexed word within
a few edits (optimal string alignment distance, so a swap is one edit): none
under 5 letters, where a single edit lands on too many other words, one for
5-7 letters, two from 8 on; so "urgense" and "pozisione" still match. Only
words with the same first letter are candidates: typos rarely touch it, and it
keeps real words ("changer") from being "mended" into notice words ("échanger").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from knowledge.lexicon import CONCEPT_PREFIX, INTENT_PREFIX, UNCOVERED_PREFIX, Analyzer, Slot
from knowledge.model import Match, Passage, PassageKind
from knowledge.reading import focus
from knowledge.text import fold, words

CONTEXT_WEIGHT = 0.6
CHILDREN_WEIGHT = 0.5
WEAK_WEIGHT = 0.4
COVERAGE_SHARE = 0.7
PHRASING_SHARE = 0.2
FOCUS_SHARE = 0.1
INTENT_WEIGHT = 0.5
UNKNOWN_SHARE = 0.6
# A topic the notice does not cover (retention, password, price) weighs like
# the rarest notice word: it is the question's point, and no passage holds it.
UNCOVERED_SHARE = 1.0
# See weight(): an unknown kanji bigram overlaps its neighbours by one character.
CJK_GRAM_SHARE = 0.5
MIN_TYPO_LENGTH = 5
LONG_WORD = 8
_NONE = np.array([], dtype=np.int64)


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
        self.uncovered_idf = UNCOVERED_SHARE * _idf(total, 0)
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
        self._vocabulary_by_initial: dict[str, list[str]] = {}
        for word in self.vocabulary:
            self._vocabulary_by_initial.setdefault(word[0], []).append(word)
        self._build_postings()

    def _build_postings(self) -> None:
        """Per key, the passages holding it (own, in context, either), as numpy arrays.

        Scoring then costs a few vector operations per question slot instead of
        a Python loop over every passage (10^5 passages in a locale stay fast).
        """
        own: dict[str, list[int]] = {}
        context: dict[str, list[int]] = {}
        for row, entry in enumerate(self.entries):
            for key in entry.own:
                own.setdefault(key, []).append(row)
            for key in entry.context:
                context.setdefault(key, []).append(row)
        self._own = {k: np.array(v, dtype=np.int64) for k, v in own.items()}
        self._context = {k: np.array(v, dtype=np.int64) for k, v in context.items()}
        self._any = {
            k: np.union1d(self._own.get(k, _NONE), self._context.get(k, _NONE))
            for k in own.keys() | context.keys()
        }
        self._context_weight = np.array(
            [
                CONTEXT_WEIGHT if e.passage.kind == PassageKind.ITEM else CHILDREN_WEIGHT
                for e in self.entries
            ]
        )
        self._concept_count = np.array([len(e.concepts) for e in self.entries], dtype=np.float64)
        self._order = np.array([e.passage.order for e in self.entries], dtype=np.int64)
        self._has_phrasings = np.array([bool(e.phrasings) for e in self.entries])

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
                self._vocabulary_by_initial.get(slot.surface[0], ()),
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

    def knows(self, slot: Slot) -> bool:
        """Whether the notices (or their alternative questions) use any of the slot's keys."""
        return any(k in self.idf for k in slot.all_keys)

    def weight(self, slot: Slot) -> float:
        if any(k.startswith(UNCOVERED_PREFIX) for k in slot.keys):
            return self.uncovered_idf
        if all(k.startswith(INTENT_PREFIX) for k in slot.keys):
            # "which", "why": they steer between passages but are not the topic.
            return INTENT_WEIGHT
        known = [self.idf[k] for k in slot.keys if k in self.idf] or [
            self.idf[k] for k in slot.weak if k in self.idf
        ]
        # A slot is as telling as its most common key: synonyms are one concept.
        if known:
            return min(known)
        # A word the notice never uses: as telling as it is rare in the language.
        rarity = self.analyzer.frequencies.weight(slot.surface)
        if not self.analyzer.segmented:
            # Unsegmented text is read in overlapping bigrams: each unknown
            # character counts in two of them, so each bigram counts half.
            rarity *= CJK_GRAM_SHARE
        return self.unknown_idf * rarity

    def analyze(self, question: str) -> list[tuple[Slot, float]]:
        """The question's slots, typos mended, each with its similarity to what was typed."""
        return [(slot, sim) for slot, sim, _ in self.read(question)]

    def read(self, question: str) -> list[tuple[Slot, float, float]]:
        """The question's slots with their similarity and emphasis (1 asked, less context)."""
        return [
            (slot, similarity, emphasis)
            for sentence, emphasis in focus(question)
            for slot, similarity in self.corrected(self.analyzer.slots(sentence))
        ]

    def search(self, question: str, limit: int = 5) -> list[Match]:
        return self.rank(self.read(question), limit)

    def rank(self, terms: Sequence[tuple[Slot, float, float]], limit: int = 5) -> list[Match]:
        """The best `limit` passages for read question slots (slot, similarity, emphasis)."""
        if not terms or not self.entries:
            return []
        slots = [(slot, similarity) for slot, similarity, _ in terms]
        weights = [self.weight(slot) * emphasis for slot, _, emphasis in terms]
        total = sum(weights)
        size = len(self.entries)
        got = np.zeros(size)
        for (slot, similarity), weight in zip(slots, weights, strict=True):
            # The best way each passage holds the slot (see _hit): 1 in its own
            # text, less in context, WEAK_WEIGHT by a phrase's member word.
            hit = np.zeros(size)
            for key in slot.weak:
                rows = self._any.get(key)
                if rows is not None:
                    hit[rows] = WEAK_WEIGHT
            for key in slot.keys:
                rows = self._context.get(key)
                if rows is not None:
                    hit[rows] = np.maximum(hit[rows], self._context_weight[rows])
            for key in slot.keys:
                rows = self._own.get(key)
                if rows is not None:
                    hit[rows] = 1.0
            got += weight * hit * similarity
        found = np.flatnonzero(got)
        if found.size == 0:
            return []
        coverage = got[found] / total
        query_concepts = {k for slot, _ in slots for k in slot.keys}
        focus_count = np.zeros(size)
        for key in query_concepts:
            rows = self._own.get(key)
            if rows is not None and key.startswith((CONCEPT_PREFIX, INTENT_PREFIX)):
                focus_count[rows] += 1
        counts = self._concept_count[found]
        focus = np.divide(focus_count[found], counts, out=np.zeros(found.size), where=counts > 0)
        # Phrasing compares what is asked, not the scene set around it.
        query_phrasing = " ".join(
            sorted(k for slot, _, emphasis in terms if emphasis >= 1.0 for k in slot.all_keys)
        )
        phrasing = np.zeros(found.size)
        for i in np.flatnonzero(self._has_phrasings[found]).tolist():
            phrasing[i] = max(
                fuzz.ratio(query_phrasing, p, processor=utils.default_process) / 100.0
                for p in self.entries[int(found[i])].phrasings
            )
        score = COVERAGE_SHARE * coverage + PHRASING_SHARE * phrasing + FOCUS_SHARE * focus
        # Only passages that can reach the top `limit` are ranked exactly (in
        # Python, rounded so that float noise never decides between two).
        if found.size > limit:
            kth = np.partition(score, found.size - limit)[found.size - limit]
            near = np.flatnonzero(score >= kth - 1e-5)
            if near.size > 4 * limit:
                # Many ties: keep the first by the exact sort's own keys (rounded
                # score, rounded coverage, the notice's order).
                keys = (
                    self._order[found[near]],
                    -np.round(coverage[near], 6),
                    -np.round(score[near], 6),
                )
                near = near[np.lexsort(keys)][: 4 * limit]
        else:
            near = np.arange(found.size)
        scored = [
            (
                round(float(score[i]), 6),
                round(float(coverage[i]), 6),
                round(float(phrasing[i]), 6),
                int(found[i]),
            )
            for i in near.tolist()
        ]
        # Deterministic order: score, then coverage, then the notice's own order.
        scored.sort(key=lambda s: (-s[0], -s[1], self.entries[s[3]].passage.order))
        matches = []
        for final, cov, phr, row in scored[:limit]:
            entry = self.entries[row]
            held = [self._hit(slot, entry) > 0 for slot, _ in slots]
            matched = tuple(slot.surface for (slot, _), h in zip(slots, held, strict=True) if h)
            missing = tuple(slot.surface for (slot, _), h in zip(slots, held, strict=True) if not h)
            matches.append(Match(entry.passage, final, cov, phr, matched, missing))
        return matches

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
