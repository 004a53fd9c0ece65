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
a few edits (optimal string alignment distance, so a swap is one edit): under
5 letters, where a single edit lands on too many other words, only a dropped
letter ("datn" -> "daten"), one for 5-7 letters, two from 8 on; so "urgense"
and "pozisione" still match. Only words with the same first letter are
candidates: typos rarely touch it, and it keeps real words ("changer") from
being "mended" into notice words ("échanger").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge import scoring
from knowledge.lexicon import (
    CONCEPT_PREFIX,
    INTENT_PREFIX,
    UNCOVERED_PREFIX,
    Analyzer,
    Slot,
    is_intent,
    is_uncovered,
)
from knowledge.model import Match, Passage, PassageKind
from knowledge.reading import NAME_SHARE, REFERRED_SENTENCE_WEIGHT, focus, names
from knowledge.scoring import CHILDREN_WEIGHT, CONTEXT_WEIGHT, REFERENT_WEIGHT, WEAK_WEIGHT
from knowledge.selection import ROUND, top_k
from knowledge.text import fold, words

INTENT_WEIGHT = 0.5
UNKNOWN_SHARE = 0.6
# A topic the notice does not cover (retention, password, price) weighs like
# the rarest notice word: it is the question's point, and no passage holds it.
UNCOVERED_SHARE = 1.0
# Languages that capitalise every noun: there only words in capitals are names.
NOUNS_CAPITALISED = frozenset({"de"})
MIN_TYPO_LENGTH = 5
# A typed word this short may still be a word of 5 letters with one letter
# dropped ("datn", "numbr" is 5 already): the vocabulary holds only words of
# MIN_TYPO_LENGTH or more, so one edit from 4 letters can only be that insertion.
MIN_TYPED_TYPO_LENGTH = 4
LONG_WORD = 8
# Indexes of at most this many passages score a question in plain Python, larger
# ones with numpy vectors. Every numpy call costs about a microsecond whatever
# its size, and ranking takes some sixty of them: on the few passages of a real
# notice that overhead was most of a question's time. Both ways give the same
# matches with the same scores, in the same order (tests/test_rank_paths.py).
PLAIN_MAX_PASSAGES = 64
_NONE = np.array([], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class Term:
    """One slot of a question as read: how close to what was typed, how much it is asked."""

    slot: Slot
    similarity: float = 1.0  # below 1 when a typo was mended
    emphasis: float = 1.0  # 1 in the sentence that asks, less in context or for a name
    # From the sentence the question refers to (reading.REFERRED_SENTENCE_WEIGHT):
    # what a bare "Is that so?" asks about.
    referred: bool = False

    @property
    def asked(self) -> bool:
        return self.emphasis >= 1.0


@dataclass(frozen=True, slots=True)
class IndexedPassage:
    passage: Passage
    own: frozenset[str]
    context: frozenset[str]
    phrasings: tuple[str, ...]
    concepts: frozenset[str]
    # The list's item concepts a paragraph right after it speaks of ("the
    # information listed above"); not counted in the IDF.
    refers: frozenset[str] = frozenset()


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
        self.entries = tuple(_with_referents(entries, by_id))
        # Words of the notice's own text (not only of its alternative questions).
        self._text_terms = frozenset(
            t for p in passages for t in analyzer.terms(p.text) | analyzer.terms(p.context)
        )
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
        refers: dict[str, list[int]] = {}
        for row, entry in enumerate(self.entries):
            for key in entry.refers:
                refers.setdefault(key, []).append(row)
        self._refers = {k: np.array(v, dtype=np.int64) for k, v in refers.items()}
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
        self._phrasings = scoring.Phrasings([e.phrasings for e in self.entries])
        self.plain = len(self.entries) <= PLAIN_MAX_PASSAGES
        if self.plain:
            self._plain = _PlainPostings(
                own={k: tuple(v.tolist()) for k, v in self._own.items()},
                context={k: tuple(v.tolist()) for k, v in self._context.items()},
                refers={k: tuple(v.tolist()) for k, v in self._refers.items()},
                any={k: tuple(v.tolist()) for k, v in self._any.items()},
                context_weight=tuple(self._context_weight.tolist()),
                concept_count=tuple(self._concept_count.tolist()),
                order=tuple(self._order.tolist()),
            )

    def _phrasing(self, text: str) -> str:
        return " ".join(sorted(k for slot in self.analyzer.slots(text) for k in slot.all_keys))

    def corrected(self, slots: Iterable[Slot]) -> list[tuple[Slot, float]]:
        """Slots with typos mended where the index has a close word; with the similarity."""
        out: list[tuple[Slot, float]] = []
        for slot in slots:
            if (
                any(k in self.idf for k in slot.all_keys)
                or len(slot.surface) < MIN_TYPED_TYPO_LENGTH
                or " " in slot.surface
                # An everyday word of the language is no typo ("manos" is not "macos").
                or self.analyzer.frequencies.weight(slot.surface) < 1.0
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

    def term_weight(self, term: Term) -> float:
        """A slot's weight where it stands in the message."""
        slot = term.slot
        if term.asked:
            return self.weight(slot) * term.emphasis
        if is_uncovered(slot):
            # An uncovered topic in the scene set ("... and keep it on their
            # side") weighs as any unknown word there: only what is asked vetoes.
            return self.unknown_idf * term.emphasis
        weight = self.weight(slot)
        if not slot.concepts and not is_intent(slot):
            # A plain word of the scene set ("last week", "new team") is as
            # telling as it is rare in the language, even when some passage
            # happens to use it: everyday words there say little.
            weight = min(weight, self.unknown_weight(slot))
        return weight * term.emphasis

    def unknown_weight(self, slot: Slot) -> float:
        """A word the notice never uses: as telling as it is rare in the language."""
        rarity = self.analyzer.frequencies.weight(slot.surface)
        return self.unknown_idf * rarity * self.analyzer.UNKNOWN_SLOT_SHARE

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
            if not slot.concepts and not slot.all_keys & self._text_terms:
                # A plain word only the alternative questions use ("gut" of
                # "wofür ist das gut?") is as telling as it is rare in the
                # language: everyday words there are phrasing, not topic.
                return min(min(known), self.unknown_weight(slot))
            return min(known)
        return self.unknown_weight(slot)

    def analyze(self, question: str) -> list[tuple[Slot, float]]:
        """The question's slots, typos mended, each with its similarity to what was typed."""
        return [(t.slot, t.similarity) for t in self.read(question)]

    def read(self, question: str, *, statements: bool = True) -> list[Term]:
        """The question's slots with their similarity and emphasis (1 asked, less context).

        ``statements``: a message that asks nothing is read by the clause its
        statement is about (reading.focus); False reads it whole.
        """
        named = names(question, nouns_capitalised=self.analyzer.language in NOUNS_CAPITALISED)
        split = self.analyzer.split_statement if statements else None
        out: list[Term] = []
        for sentence, emphasis in focus(question, self._names_topic, split):
            referred = emphasis == REFERRED_SENTENCE_WEIGHT
            for slot, similarity in self.corrected(self.analyzer.slots(sentence)):
                if slot.surface in named and not self.knows(slot) and not is_uncovered(slot):
                    emphasis_here = emphasis * NAME_SHARE
                else:
                    emphasis_here = emphasis
                out.append(Term(slot, similarity, emphasis_here, referred))
        return self._introduced(out)

    def _introduced(self, terms: list[Term]) -> list[Term]:
        """A word the notice lacks that the scene introduced before the question
        ("… go out through a telecom partner. What does that partner receive?")
        is who or what the scene is about, as a name is: it keeps NAME_SHARE of
        its emphasis in the question. Uncovered topics stay whole ("… they keep
        records. How long are the records kept?")."""
        scene = {
            k
            for t in terms
            if not t.asked and not self.knows(t.slot) and not is_uncovered(t.slot)
            for k in t.slot.keys
        }
        if not scene:
            return terms
        return [
            replace(t, emphasis=t.emphasis * NAME_SHARE)
            if t.asked
            and not self.knows(t.slot)
            and not is_uncovered(t.slot)
            and t.slot.keys
            and t.slot.keys <= scene
            else t
            for t in terms
        ]

    def _names_topic(self, sentence: str) -> bool:
        """Whether a sentence names one of the lexicon's concepts (what the notice speaks of)."""
        return any(slot.concepts for slot in self.analyzer.slots(sentence))

    def search(self, question: str, limit: int = 5) -> list[Match]:
        return self.rank(self.read(question), limit)

    def hit_matrix(self, slots: Sequence[Slot]) -> npt.NDArray[np.float64]:
        """How fully each passage (columns) holds each slot (rows); see knowledge.scoring."""
        hits = np.zeros((len(slots), len(self.entries)))
        for row, slot in enumerate(slots):
            hit = hits[row]
            for key in slot.weak:
                rows = self._any.get(key)
                if rows is not None:
                    hit[rows] = WEAK_WEIGHT
            for key in slot.keys:
                rows = self._refers.get(key)
                if rows is not None:
                    hit[rows] = np.maximum(hit[rows], REFERENT_WEIGHT)
            for key in slot.keys:
                rows = self._context.get(key)
                if rows is not None:
                    hit[rows] = np.maximum(hit[rows], self._context_weight[rows])
            for key in slot.keys:
                rows = self._own.get(key)
                if rows is not None:
                    hit[rows] = 1.0
        return hits

    def rank(self, terms: Sequence[Term], limit: int = 5) -> list[Match]:
        """The best `limit` passages for read question terms."""
        if not terms or not self.entries:
            return []
        if self.plain:
            return self._rank_plain(terms, limit)
        slots = [t.slot for t in terms]
        weights = [self.term_weight(t) for t in terms]
        hits = self.hit_matrix(slots)
        held_any = (hits > 0).any(axis=0)
        found = np.flatnonzero(held_any)
        if found.size == 0:
            return []
        sub = hits[:, found]
        cover = scoring.coverage(
            sub, weights, [t.similarity for t in terms], [t.asked for t in terms]
        )
        named = np.zeros(len(self.entries))
        for key in {k for slot in slots for k in slot.keys}:
            rows = self._own.get(key)
            if rows is not None and key.startswith((CONCEPT_PREFIX, INTENT_PREFIX)):
                named[rows] += 1
        aim = scoring.focus(named[found], self._concept_count[found])
        # Phrasing compares what is asked, not the scene set around it.
        question_keys = " ".join(sorted(k for t in terms if t.asked for k in t.slot.all_keys))
        phrase = self._phrasings.best(question_keys)[found]
        score = scoring.combine(cover, phrase, aim)
        matches = []
        for final, cov, i in top_k(score, cover, self._order[found], limit):
            row = int(found[i])
            held = sub[:, i] > 0
            matched = tuple(s.surface for s, h in zip(slots, held.tolist(), strict=True) if h)
            missing = tuple(s.surface for s, h in zip(slots, held.tolist(), strict=True) if not h)
            matches.append(
                Match(
                    self.entries[row].passage,
                    final,
                    cov,
                    round(float(phrase[i]), ROUND),
                    matched,
                    missing,
                )
            )
        return matches

    def _rank_plain(self, terms: Sequence[Term], limit: int) -> list[Match]:
        """``rank`` for a small index, the same arithmetic in plain Python.

        Each step mirrors the vector code above, operation for operation: the
        hit matrix (as one row -> fullness mapping per slot), coverage, focus,
        phrasing, the combined score, and the exact ranking of
        ``selection.top_k``. The matches are the same, with the same scores to
        the ROUND decimals a Match keeps (numpy may add a lone column's slots
        pairwise, which can differ in the last bit).
        """
        postings = self._plain
        slots = [t.slot for t in terms]
        weights = [self.term_weight(t) for t in terms]
        hits = [postings.hits(slot) for slot in slots]
        found = sorted({row for hit in hits for row in hit})
        if not found:
            return []
        shares = [w * t.similarity for w, t in zip(weights, terms, strict=True)]
        asked = [t.asked for t in terms]
        named: dict[int, int] = {}
        for key in {k for slot in slots for k in slot.keys}:
            if key.startswith((CONCEPT_PREFIX, INTENT_PREFIX)):
                for row in postings.own.get(key, ()):
                    named[row] = named.get(row, 0) + 1
        question_keys = " ".join(sorted(k for t in terms if t.asked for k in t.slot.all_keys))
        phrase_of = self._phrasings.best(question_keys).tolist()
        held = [[hit.get(row, 0.0) for hit in hits] for row in found]
        counts = postings.concept_count
        aims = [named[row] / counts[row] if row in named else 0.0 for row in found]
        phrases = [phrase_of[row] for row in found]
        scores = scoring.plain_scores(held, weights, shares, asked, aims, phrases)
        order = postings.order
        scored = [
            (round(score, ROUND), round(cover, ROUND), order[row], i)
            for i, (row, (score, cover)) in enumerate(zip(found, scores, strict=True))
        ]
        scored.sort(key=lambda r: (-r[0], -r[1], r[2]))
        matches = []
        for final, cover, _, i in scored[:limit]:
            column = held[i]
            matched = tuple(s.surface for s, h in zip(slots, column, strict=True) if h > 0)
            missing = tuple(s.surface for s, h in zip(slots, column, strict=True) if not h > 0)
            passage = self.entries[found[i]].passage
            matches.append(Match(passage, final, cover, round(phrases[i], ROUND), matched, missing))
        return matches


@dataclass(frozen=True, slots=True)
class _PlainPostings:
    """The postings of a small index as tuples of rows, for ``LocaleIndex._rank_plain``."""

    own: dict[str, tuple[int, ...]]
    context: dict[str, tuple[int, ...]]
    refers: dict[str, tuple[int, ...]]
    any: dict[str, tuple[int, ...]]
    context_weight: tuple[float, ...]
    concept_count: tuple[float, ...]
    order: tuple[int, ...]

    def hits(self, slot: Slot) -> dict[int, float]:
        """One row of ``LocaleIndex.hit_matrix``: the passages holding the slot, how fully."""
        hit: dict[int, float] = {}
        for key in slot.weak:
            for row in self.any.get(key, ()):
                hit[row] = WEAK_WEIGHT
        for key in slot.keys:
            for row in self.refers.get(key, ()):
                hit[row] = max(hit.get(row, 0.0), REFERENT_WEIGHT)
        for key in slot.keys:
            for row in self.context.get(key, ()):
                hit[row] = max(hit.get(row, 0.0), self.context_weight[row])
        for key in slot.keys:
            for row in self.own.get(key, ()):
                hit[row] = 1.0
        return hit


def _with_referents(
    entries: Sequence[IndexedPassage], by_id: Mapping[str, Passage]
) -> list[IndexedPassage]:
    """A paragraph right after a list's last item speaks of that list ("Operators
    can export the information listed above"): it holds the concepts of the
    list's items, those neither it nor the lead-in names, at REFERENT_WEIGHT, so
    "can they download my call history?" finds it, not only the item."""
    out = list(entries)
    row_of = {e.passage.id: row for row, e in enumerate(out)}
    for row in range(1, len(out)):
        entry, before = out[row], out[row - 1]
        if entry.passage.kind != PassageKind.PARAGRAPH or before.passage.kind != PassageKind.ITEM:
            continue
        parent = before.passage.parent
        if parent is None or parent not in by_id or parent not in row_of:
            continue
        listed = out[row_of[parent]]
        items = {k for k in listed.context if k.startswith(CONCEPT_PREFIX)} - listed.own - entry.own
        out[row] = replace(entry, refers=frozenset(items))
    return out


def _idf(total: int, df: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))
