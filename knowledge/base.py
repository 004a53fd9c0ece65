"""The knowledge base: every notice loaded, chunked and indexed per locale.

``KnowledgeBase.load()`` reads ``knowledge/notices/<locale>/<slug>.md`` (plus the
optional ``<slug>.questions.yaml`` beside each) and ``knowledge/lexicon/<lang>.yaml``;
``ask()`` turns a question into an Outcome: an answer, "did you mean" choices,
not covered, or small talk.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from knowledge.chunking import chunk
from knowledge.errors import KnowledgeError
from knowledge.index import LocaleIndex
from knowledge.lexicon import (
    INTENT_PREFIX,
    Analyzer,
    Slot,
    is_uncovered,
    load_analyzers,
    load_generic_concepts,
)
from knowledge.loader import load_notices, normalise_locale
from knowledge.model import Match, Notice, Passage, PassageKind
from knowledge.reading import questions as question_parts
from knowledge.text import fold, has_cjk, words
from knowledge.yamlfile import load_yaml

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_NOTICES = PACKAGE_DIR / "notices"
DEFAULT_LEXICON = PACKAGE_DIR / "lexicon"
QUESTIONS_SUFFIX = ".questions.yaml"

# Thresholds on the 0..1 score of knowledge.index; measured on tests/eval (see README).
ANSWER_MIN_SCORE = 0.55
SUGGEST_MIN_SCORE = 0.40
# "Did you mean" when the runner-up is within CLOSE_K * sqrt(top) of the top
# score (the shape of QnA Maker's active-learning rule), unless the top is sure.
CLOSE_K = 0.04
SURE_SCORE = 0.85
MAX_CHOICES = 3
# A question naming only generic concepts (share, call, operator...) is answered
# only when it is this close to one of the passage's alternative questions.
GENERIC_PHRASING = 0.7
# An unknown word keeping at least this share of its weight (see knowledge.frequency)
# is specific enough to doubt a generic-only match: "screen" 0.58, "week" 0.22.
SPECIFIC_UNKNOWN = 0.5


class Verdict(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NOT_COVERED = "not_covered"
    SMALL_TALK = "small_talk"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    locale: str
    matches: tuple[Match, ...] = ()
    small_talk: str | None = None
    # Further answers when the message asked several things ("is my number
    # shared? and can they download it?"), each the best match of its part.
    more: tuple[Match, ...] = ()

    @property
    def best(self) -> Passage | None:
        return self.matches[0].passage if self.matches else None

    @property
    def answers(self) -> tuple[Passage, ...]:
        """The passages to give, in order: the best, then one per further question."""
        if self.verdict != Verdict.ANSWER or not self.matches:
            return ()
        return (self.matches[0].passage, *(m.passage for m in self.more))


class KnowledgeBase:
    def __init__(
        self,
        notices: Sequence[Notice],
        analyzers: dict[str, Analyzer],
        alternatives: Mapping[str, Sequence[str]] | None = None,
        generic_concepts: frozenset[str] = frozenset(),
    ) -> None:
        self.generic_concepts = generic_concepts
        self.notices = {(n.locale, n.slug): n for n in notices}
        self.analyzers = analyzers
        self.alternatives: dict[str, Sequence[str]] = dict(alternatives or {})
        self.passages: dict[str, Passage] = {}
        by_locale: dict[str, list[Passage]] = {}
        for notice in notices:
            for passage in chunk(notice):
                self.passages[passage.id] = passage
                by_locale.setdefault(notice.locale, []).append(passage)
        self.indexes = {
            locale: LocaleIndex(locale, self.analyzer_for(locale), passages, alternatives)
            for locale, passages in sorted(by_locale.items())
        }
        # Words each locale knows, for telling which language a question is in.
        self._vocabulary = {
            locale: frozenset(index.analyzer.lexicon_words) | frozenset(index.vocabulary)
            for locale, index in self.indexes.items()
        }

    @classmethod
    def load(
        cls, notices_dir: Path = DEFAULT_NOTICES, lexicon_dir: Path = DEFAULT_LEXICON
    ) -> KnowledgeBase:
        notices = load_notices(notices_dir)
        analyzers = load_analyzers(lexicon_dir)
        alternatives: dict[str, list[str]] = {}
        for notice in notices:
            alternatives.update(load_alternatives(notice))
        return cls(notices, analyzers, alternatives, load_generic_concepts(lexicon_dir))

    # -- locales -------------------------------------------------------------

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self.indexes)

    def analyzer_for(self, locale: str) -> Analyzer:
        language = locale.split("-")[0]
        analyzer = self.analyzers.get(language)
        if analyzer is None:
            # A notice in a language with no lexicon still works, on plain words.
            log.warning(
                "no lexicon for %s: matching its notices without stop words or synonyms", language
            )
            analyzer = Analyzer(language, None, [], {}, {})
            self.analyzers[language] = analyzer
        return analyzer

    def resolve_locale(self, requested: str | None, default: str) -> str:
        """Exact locale, else the same language in another region, else the default."""
        for candidate in (requested, default):
            if not candidate:
                continue
            locale = normalise_locale(candidate.replace("_", "-")) or candidate.strip().lower()
            if locale in self.indexes:
                return locale
            language = locale.split("-")[0].lower()
            same_language = [loc for loc in self.indexes if loc.split("-")[0] == language]
            if same_language:
                return same_language[0]
        return self.locales[0]

    def require_locale(self, default: str) -> str:
        """The locale a configured default stands for; KnowledgeError if no notice has it.

        A typo in DEFAULT_LOCALE must stop the start, not silently serve another language.
        """
        locale = normalise_locale(default.replace("_", "-")) or default.strip()
        language = locale.split("-")[0].lower()
        for candidate in (locale, *self.indexes):
            if candidate in self.indexes and candidate.split("-")[0] == language:
                return candidate
        raise KnowledgeError(
            "DEFAULT_LOCALE",
            f"no notice in {default!r}; the knowledge base has {', '.join(self.locales)}",
        )

    def detect_locale(self, text: str) -> str | None:
        """The locale whose language the text is clearly written in, or None.

        Counts the words each language's stop words, lexicon and notices know;
        a language wins when it has at least two more of them than any other.
        Kana or kanji mean Japanese.
        """
        if has_cjk(text):
            return next((loc for loc in self.indexes if loc.startswith("ja")), None)
        tokens = words(fold(text))
        if not tokens:
            return None
        counts = sorted(
            (
                (sum(t in vocabulary for t in tokens), locale)
                for locale, vocabulary in self._vocabulary.items()
            ),
            key=lambda c: (-c[0], c[1]),
        )
        best, runner_up = counts[0], counts[1] if len(counts) > 1 else (0, "")
        if best[0] >= 2 and best[0] >= runner_up[0] + 2:
            return best[1]
        if best[0] >= 1 and runner_up[0] == 0:
            return best[1]
        return None

    def choose_locale(self, text: str, client_locale: str | None, default: str) -> str:
        """The question's own language when clear, else the client's, else the default."""
        client = self.resolve_locale(client_locale, default)
        detected = self.detect_locale(text)
        if detected is None or detected.split("-")[0] == client.split("-")[0]:
            return client
        return detected

    # -- passages ------------------------------------------------------------

    def passage(self, passage_id: str) -> Passage | None:
        return self.passages.get(passage_id)

    def first_notice(self, locale: str) -> Notice:
        """The locale's first notice (by slug): where replies that quote none take their link."""
        return min(
            (n for (loc, _), n in self.notices.items() if loc == locale), key=lambda n: n.slug
        )

    def notice_of(self, passage: Passage) -> Notice:
        return self.notices[(passage.locale, passage.notice)]

    def related(self, passage: Passage) -> list[Passage]:
        """The other items of the same list (or a list's items)."""
        if passage.kind == PassageKind.LIST:
            return [self.passages[c] for c in passage.children]
        if passage.parent:
            parent = self.passages[passage.parent]
            return [self.passages[c] for c in parent.children if c != passage.id]
        return []

    def notice_passages(self, locale: str, slug: str) -> list[Passage]:
        return [p for p in self.passages.values() if p.locale == locale and p.notice == slug]

    # -- questions -----------------------------------------------------------

    def search(self, question: str, locale: str, limit: int = 5) -> list[Match]:
        return self.indexes[locale].search(question, limit)

    def ask(self, question: str, locale: str) -> Outcome:
        if not words(fold(question)) and not has_cjk(question):
            return Outcome(Verdict.EMPTY, locale)
        kind = self.indexes[locale].analyzer.small_talk_kind(question)
        if kind:
            return Outcome(Verdict.SMALL_TALK, locale, small_talk=kind)
        index = self.indexes[locale]
        outcome = self._ask_one(index, question, locale)
        parts = question_parts(question, index.analyzer.conjunctions)
        if len(parts) < 2:
            return outcome
        # Several questions in one message: each part answered on its own; the
        # message gets every part's answer when at least two parts are answered.
        answered: list[Match] = []
        for part in parts:
            one = self._ask_one(index, part, locale)
            if one.verdict != Verdict.ANSWER:
                continue
            best = one.matches[0]
            if all(not _same_answer(best.passage, m.passage) for m in answered):
                answered.append(best)
        if len(answered) < 2:
            return outcome
        return Outcome(Verdict.ANSWER, locale, (answered[0],), more=tuple(answered[1:]))

    def _ask_one(self, index: LocaleIndex, question: str, locale: str) -> Outcome:
        terms = index.read(question)
        if any(emphasis < 1.0 for _, _, emphasis in terms):
            # A message with context: what is asked alone first; the context
            # only helps when the question cannot stand alone ("Is that right?").
            asked = [t for t in terms if t[2] >= 1.0]
            alone = self._decide(index, asked, locale)
            if any(is_uncovered(slot) for slot, _, _ in asked):
                return alone
            # "Is it Microsoft?", "Why do they do that?": without a notice
            # topic of its own, the question leans on the context.
            names_topic = any(slot.concepts - self.generic_concepts for slot, _, _ in asked)
            if alone.verdict == Verdict.ANSWER and names_topic:
                return alone
            whole = self._decide(index, terms, locale)
            return (
                whole
                if whole.verdict == Verdict.ANSWER or alone.verdict != Verdict.ANSWER
                else alone
            )
        return self._decide(index, terms, locale)

    def _decide(
        self, index: LocaleIndex, terms: Sequence[tuple[Slot, float, float]], locale: str
    ) -> Outcome:
        slots = [(slot, similarity) for slot, similarity, _ in terms]
        matches = index.rank(terms)
        topic = self._topic(index, slots, matches[0]) if matches else None
        if topic is None or matches[0].score < SUGGEST_MIN_SCORE:
            return Outcome(Verdict.NOT_COVERED, locale, tuple(matches))
        if any(is_uncovered(slot) for slot, _, emphasis in terms if emphasis >= 1.0):
            # Asked about a topic the notice does not cover (retention, price...):
            # sharing its other words with a passage does not make it covered.
            return Outcome(Verdict.NOT_COVERED, locale, tuple(matches))
        top = matches[0]
        # A specific word the notice lacks ("écran", not "semaine") in what is asked.
        unknown = any(
            not index.knows(slot)
            and emphasis * index.analyzer.frequencies.weight(slot.surface) >= SPECIFIC_UNKNOWN
            for slot, _, emphasis in terms
        )
        if topic == "generic" and (unknown or top.phrasing < GENERIC_PHRASING):
            choices = [m for m in matches if m.score >= SUGGEST_MIN_SCORE][:MAX_CHOICES]
            if unknown:
                # Only everyday concepts plus a specific word the notice lacks
                # ("partager mon écran"): what is asked is not known, so no answer.
                return Outcome(Verdict.SUGGEST, locale, tuple(choices))
            return _suggest_or_answer(locale, matches, choices)
        close = [m for m in matches if m.score >= top.score - CLOSE_K * math.sqrt(top.score)]
        # A list and its own items are one answer, not rivals: the list holds them.
        if top.passage.kind == PassageKind.LIST:
            close = [m for m in close if m.passage.parent != top.passage.id]
        if top.score >= ANSWER_MIN_SCORE and (len(close) == 1 or top.score >= SURE_SCORE):
            return Outcome(Verdict.ANSWER, locale, tuple(matches))
        choices = close if len(close) > 1 else [m for m in matches if m.score >= SUGGEST_MIN_SCORE]
        return _suggest_or_answer(locale, matches, choices[:MAX_CHOICES])

    def _topic(
        self, index: LocaleIndex, slots: Sequence[tuple[Slot, float]], top: Match
    ) -> str | None:
        """Which of the notice's concepts the question names and the passage holds.

        "specific" (IP address, location... or an intent: "why", "which"),
        "generic" (only share, call...) or None. Without this, "Quelle heure
        est-il ?" would match "heures de fin des appels" on one word. A language
        without a lexicon has no concepts: its questions count as specific.
        """
        if not index.analyzer.phrases and not index.analyzer.substrings:
            return "specific"
        named = [s for s, _ in slots if s.concepts and s.surface in top.matched]
        if not named:
            return None
        asks = any(k.startswith(INTENT_PREFIX) for s, _ in slots for k in s.keys)
        if asks or any(s.concepts - self.generic_concepts for s in named):
            return "specific"
        return "generic"


def _suggest_or_answer(locale: str, matches: Sequence[Match], choices: Sequence[Match]) -> Outcome:
    """ "Did you mean" needs two real choices; one single choice is the answer."""
    if len(choices) == 1:
        return Outcome(Verdict.ANSWER, locale, tuple(matches))
    return Outcome(Verdict.SUGGEST, locale, tuple(choices))


def _same_answer(one: Passage, other: Passage) -> bool:
    """The same passage, or a list and one of its own items (the list holds it)."""
    return one.id == other.id or one.parent == other.id or other.parent == one.id


def load_alternatives(notice: Notice) -> dict[str, list[str]]:
    """``<slug>.questions.yaml`` beside the notice: passage key -> questions people ask."""
    path = notice.path.with_name(notice.slug + QUESTIONS_SUFFIX)
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise KnowledgeError(
            path, "expected a mapping of passage keys (p1, l2.3...) to lists of questions"
        )
    keys = {p.key for p in chunk(notice)}
    out: dict[str, list[str]] = {}
    for key, questions in data.items():
        if str(key) not in keys:
            raise KnowledgeError(
                path, f"no passage {key!r} in {notice.path.name} (it has {', '.join(sorted(keys))})"
            )
        if not isinstance(questions, list) or not all(
            isinstance(q, str) and q.strip() for q in questions
        ):
            raise KnowledgeError(path, f"{key}: expected a list of non-empty questions")
        out[f"{notice.locale}/{notice.slug}#{key}"] = [q.strip() for q in questions]
    return out
