"""The knowledge base: every notice loaded, chunked and indexed per locale.

``KnowledgeBase.load()`` reads ``knowledge/notices/<locale>/<slug>.md`` (plus the
optional ``<slug>.questions.yaml`` beside each) and ``knowledge/lexicon/<lang>.yaml``;
``ask()`` is the one entry point that turns a question into an Outcome: an
answer (one passage, or one per question of the message), "did you mean"
choices, not covered, or small talk.

Rooms: analysis (``text``, ``lexicon``, ``frequency``, ``reading``), scoring
and selection (``index``), policy (``policy``), locales (``locales``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from knowledge.chunking import chunk
from knowledge.errors import KnowledgeError
from knowledge.index import LocaleIndex, Term
from knowledge.lexicon import (
    CONCEPT_PREFIX,
    CONCEPTS_FILE,
    INTENT_PREFIX,
    UNCOVERED_PREFIX,
    Analyzer,
    Slot,
    is_intent,
    is_uncovered,
    load_analyzers,
    load_generic_concepts,
    load_pointer_concepts,
)
from knowledge.loader import load_notices
from knowledge.locales import Locales
from knowledge.meaning import (
    VECTORS_FILE,
    Encoder,
    MeaningIndex,
    VectorStore,
    build_examples,
    load_encoder,
)
from knowledge.model import Match, Notice, Passage, PassageKind
from knowledge.policy import (
    ANSWER_MIN_SCORE,
    Evidence,
    Outcome,
    Topic,
    Verdict,
    asked_vetoes,
    decide,
    may_reconsider,
    reconsider,
    same_answer,
    several,
    switched,
)
from knowledge.reading import ASKING_MARKS, REFERRED_SENTENCE_WEIGHT, focus
from knowledge.reading import asking as asking_sentences
from knowledge.reading import questions as question_parts
from knowledge.reading import sentences as message_sentences
from knowledge.text import fold, has_cjk, strip_markup, words
from knowledge.yamlfile import load_yaml

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_NOTICES = PACKAGE_DIR / "notices"
DEFAULT_LEXICON = PACKAGE_DIR / "lexicon"
QUESTIONS_SUFFIX = ".questions.yaml"

# An unknown word keeping at least this share of its weight (see knowledge.frequency)
# is specific enough to doubt a generic-only match: "screen" 0.58, "week" 0.22.
SPECIFIC_UNKNOWN = 0.5

# A question asking what else than an item ("more than my number?", "anything
# else?": intent ``more``), or naming one to set it aside while asking which
# ("apart from the emergency location, what goes to the carrier?": ``besides``
# with ``which``), asks for the whole list.
MORE_INTENT = INTENT_PREFIX + "more"
BESIDES_INTENT = INTENT_PREFIX + "besides"
WHICH_INTENT = INTENT_PREFIX + "which"

# A message of several sentences that the whole reading leaves in doubt or
# uncovered, or answers by a hair (under CLEAR_MARGIN ahead: "address" is a
# street address after a 911 call, but also an IP address), is read again a
# few ways (KnowledgeBase._clearest_reading); a
# reading counts only when its answer leads every passage that is not the same
# answer by at least CLEAR_MARGIN: it must clearly win, not merely answer.
# 0.05 is half of policy.DOUBT_MARGIN: a lead a person would call clear.
CLEAR_MARGIN = 0.05
# At most this many scene sentences are tried beside what is asked (the
# nearest ones before it): a long message costs a bounded number of rankings.
MAX_READINGS = 4

# When a question sentence leans on its context ("Why do they do that?"), its
# question word weighs this many times a word of the question.
ASKED_INTENT_EMPHASIS = 3.0

__all__ = [
    "Excuse",
    "KnowledgeBase",
    "Outcome",
    "StandIn",
    "Verdict",
    "load_alternatives",
    "load_excuses",
    "load_stand_ins",
]


@dataclass(frozen=True, slots=True)
class Excuse:
    """When a topic the notice does not cover only describes a concept named beside it.

    "Can the carrier take the data and keep it on their side?" keeps an export
    (covered: operators can export and download), while "how long do they keep
    it?" asks about retention: the topic is excused by any concept of ``by``
    named in the message, unless one of ``unless`` is named too.
    """

    by: frozenset[str]
    unless: frozenset[str] = frozenset()

    def applies(self, named: frozenset[str]) -> bool:
        return bool(named & self.by) and not named & self.unless


@dataclass(frozen=True, slots=True)
class StandIn:
    """When a topic the notice does not cover names, in fact, a concept of the notice.

    "I don't like my number going to another company": with no carrier named,
    the other company is the carrier, Microsoft's recipient; "the carrier
    passes it on to other companies" names the carrier, and is onward
    transfer, which the notice does not cover. The topic reads as ``concept``
    unless one of ``unless`` is named in the message.
    """

    concept: str
    unless: frozenset[str] = frozenset()


class KnowledgeBase:
    def __init__(
        self,
        notices: Sequence[Notice],
        analyzers: dict[str, Analyzer],
        alternatives: Mapping[str, Sequence[str]] | None = None,
        generic_concepts: frozenset[str] = frozenset(),
        pointer_concepts: frozenset[str] = frozenset(),
        excuses: Mapping[str, Excuse] | None = None,
        stand_ins: Mapping[str, StandIn] | None = None,
        encoder: Encoder | None = None,
        vectors: VectorStore | None = None,
    ) -> None:
        self.generic_concepts = generic_concepts
        self.pointer_concepts = pointer_concepts
        # Uncovered topic key (``!retention``) -> when it only describes a notice concept.
        self.excuses: dict[str, Excuse] = dict(excuses or {})
        # Uncovered topic key (``!other_company``) -> the concept it names when alone.
        self.stand_ins: dict[str, StandIn] = dict(stand_ins or {})
        self._stand_in_keys = frozenset(self.stand_ins)
        self.notices = {(n.locale, n.slug): n for n in notices}
        self.analyzers = analyzers
        self.alternatives: dict[str, Sequence[str]] = dict(alternatives or {})
        self.passages: dict[str, Passage] = {}
        by_locale: dict[str, list[Passage]] = {}
        by_notice: dict[tuple[str, str], list[Passage]] = {}
        for notice in notices:
            for passage in chunk(notice):
                self.passages[passage.id] = passage
                by_locale.setdefault(notice.locale, []).append(passage)
                by_notice.setdefault((notice.locale, notice.slug), []).append(passage)
        self.indexes = {
            locale: LocaleIndex(locale, self.analyzer_for(locale), passages, alternatives)
            for locale, passages in sorted(by_locale.items())
        }
        # The second opinion from meaning (knowledge.meaning); None: words alone.
        self.meaning: MeaningIndex | None = None
        if encoder is not None:
            self.meaning = MeaningIndex(
                encoder,
                build_examples(notices, by_notice, self.alternatives),
                vectors,
            )
        # Words each locale knows, for telling which language a question is in.
        self._locales = Locales(
            {
                locale: frozenset(index.analyzer.lexicon_words) | frozenset(index.vocabulary)
                for locale, index in self.indexes.items()
            }
        )

    @classmethod
    def load(
        cls,
        notices_dir: Path | None = None,
        lexicon_dir: Path = DEFAULT_LEXICON,
        *,
        meaning: bool = True,
        stored_vectors: bool = True,
    ) -> KnowledgeBase:
        """The notices of ``notices_dir`` (None: the shipped ones) with their lexicons,
        and the meaning reader's second opinion unless ``meaning`` is False (its
        examples' vectors read from VECTORS_FILE, unless ``stored_vectors`` is False)."""
        folder = notices_dir or DEFAULT_NOTICES
        notices = load_notices(folder)
        analyzers = load_analyzers(lexicon_dir)
        alternatives: dict[str, list[str]] = {}
        for notice in notices:
            alternatives.update(load_alternatives(notice))
        vectors_path = folder / VECTORS_FILE
        vectors = VectorStore.read(vectors_path) if meaning and stored_vectors else None
        kb = cls(
            notices,
            analyzers,
            alternatives,
            load_generic_concepts(lexicon_dir),
            load_pointer_concepts(lexicon_dir),
            load_excuses(lexicon_dir),
            load_stand_ins(lexicon_dir),
            load_encoder() if meaning else None,
            vectors,
        )
        if vectors is not None and kb.meaning is not None and kb.meaning.encoded_at_start:
            log.warning(
                "%d examples were encoded at start-up, not read from %s: "
                "run `python -m knowledge vectors` to store them",
                kb.meaning.encoded_at_start,
                vectors_path,
            )
        return kb

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
        return self._locales.resolve(requested, default)

    def require_locale(self, default: str) -> str:
        """The locale a configured default stands for; KnowledgeError if no notice has it.

        A typo in DEFAULT_LOCALE must stop the start, not silently serve another language.
        """
        return self._locales.require(default)

    def detect_locale(self, text: str) -> str | None:
        """The locale whose language the text is clearly written in, or None."""
        return self._locales.detect(text)

    def choose_locale(self, text: str, client_locale: str | None, default: str) -> str:
        """The question's own language when clear, else the client's, else the default."""
        return self._locales.choose(text, client_locale, default)

    # -- passages ------------------------------------------------------------

    def passage(self, passage_id: str) -> Passage | None:
        return self.passages.get(passage_id)

    def passage_counts(self) -> dict[str, int]:
        """How many passages each locale's index holds (what /readyz reports)."""
        return {locale: len(index.entries) for locale, index in self.indexes.items()}

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
        """The one entry point: what to reply to a question in a locale of the base."""
        question = strip_markup(question)
        if not words(fold(question)) and not has_cjk(question):
            return Outcome(Verdict.EMPTY, locale)
        index = self.indexes[locale]
        kind = index.analyzer.small_talk_kind(question)
        if kind:
            return Outcome(Verdict.SMALL_TALK, locale, small_talk=kind)
        outcome = self._ask_one(index, question, locale)
        parts = question_parts(question, index.analyzer.conjunctions, index.analyzer.openers)
        if len(parts) < 2:
            return self._reconsidered(index, question, outcome)
        # Several questions in one message: each part answered on its own; the
        # message gets every part's answer when at least two parts are answered.
        # A part that asks what the notice does not cover ("Can they download
        # it? And sell it?") is said to be so beside the answers to the others.
        answered: list[Match] = []
        uncovered: list[str] = []
        # What the whole message names decides a part's stand-ins ("…the carrier?
        # And does it pass my number to another company?": the carrier is named).
        named = frozenset(c for t in index.read(question) for c in t.slot.concepts)
        for part, _ in parts:
            one = self._ask_one(index, part, locale, named)
            if one.verdict != Verdict.ANSWER:
                if one.verdict == Verdict.NOT_COVERED and self._asks_uncovered(index, part, named):
                    uncovered.append(self._without_conjunction(index, part))
                continue
            best = one.matches[0]
            if all(not same_answer(best.passage, m.passage) for m in answered):
                answered.append(best)
        if len(answered) >= 2 or (answered and uncovered and outcome.verdict != Verdict.ANSWER):
            return several(locale, answered, uncovered_questions=uncovered)
        return self._reconsidered(index, question, outcome)

    def _reconsidered(self, index: LocaleIndex, question: str, outcome: Outcome) -> Outcome:
        """The words' outcome, or what the meaning reader settles of its doubt
        (policy.reconsider); the encoder runs only on outcomes it may change."""
        if self.meaning is None or not may_reconsider(outcome):
            return outcome
        # A refusal for want of evidence in the sentence read may sit beside a
        # sentence that asks what the notice lacks ("… And how long is it kept?").
        if outcome.verdict == Verdict.NOT_COVERED and self._asks_uncovered(index, question):
            return outcome
        settled = reconsider(outcome, self.meaning.opinion(question))
        if switched(outcome, settled) and len(message_sentences(question)) > 1:
            asked = self.meaning.opinion(" ".join(asking_sentences(question)))
            if asked_vetoes(outcome, settled, asked):
                return outcome
        return settled

    @staticmethod
    def _without_conjunction(index: LocaleIndex, part: str) -> str:
        """A part of a message without the "and", "¿Y", "außerdem", "それと" that
        joined it on (folding may change a word's length: "ß" is "ss")."""
        text = part.lstrip(" ¿¡")
        for conjunction in sorted(index.analyzer.conjunctions, key=len, reverse=True):
            spaced = conjunction[:1].isascii()
            for cut in range(max(1, len(conjunction) - 2), len(conjunction) + 3):
                rest = text[cut:]
                if fold(text[:cut]) != conjunction or not rest.strip(" ,、，?？"):
                    continue
                if not spaced or rest[:1] in (" ", ",", "、", "，"):
                    return rest.lstrip(" ,、，")
        return part

    def _asks_uncovered(
        self, index: LocaleIndex, question: str, named: frozenset[str] = frozenset()
    ) -> bool:
        """Whether what the question asks names a topic the notice does not cover."""
        terms = self._excused(self._read(index, question, also_named=named))
        return any(t.asked and is_uncovered(t.slot) for t in terms)

    def _ask_one(
        self,
        index: LocaleIndex,
        question: str,
        locale: str,
        named: frozenset[str] = frozenset(),
    ) -> Outcome:
        """One question (a whole message, or a part of one; ``named``: the concepts
        the rest of its message names)."""
        outcome = self._ask_read(index, question, locale, named)
        if outcome.verdict == Verdict.ANSWER and (
            # One sentence has no other readings to check an answer by a hair against.
            len(message_sentences(question)) < 2 or self._margin(outcome) >= CLEAR_MARGIN
        ):
            return outcome
        clearest = self._clearest_reading(index, question, locale, outcome, named)
        return clearest if clearest is not None else outcome

    def _clearest_reading(
        self,
        index: LocaleIndex,
        question: str,
        locale: str,
        whole: Outcome | None = None,
        named: frozenset[str] = frozenset(),
    ) -> Outcome | None:
        """The answer most readings of the message agree on, when the whole
        message (``whole``) found none, or answered without leading its first
        rival by CLEAR_MARGIN.

        A long message whose scene pulls two ways is read again: what is asked
        alone; what is asked with each single sentence before it that names
        something of the notice (a greeting, a role, a company name nothing
        of it: they are scene and left out); and, when what is asked names
        nothing of its own
        ("Where is it?", "How?"), each of those sentences alone and the topic
        vote (_topic_vote). A reading counts when its answer clearly wins: it
        covers what is asked (ANSWER_MIN_SCORE) and leads its first rival
        (another passage, not its own list or item) by CLEAR_MARGIN. The
        passage most counted readings give wins. One-sentence messages never
        get here, and what is asked or confirmed about a topic the notice does
        not cover stays refused.
        """
        parts = message_sentences(question)
        # What is asked, or the claim it confirms, names a topic the notice
        # does not cover: the refusal stands, however the scene is read.
        if len(parts) < 2 or any(
            is_uncovered(t.slot) and (t.asked or t.referred)
            for t in self._read(index, question, also_named=named)
        ):
            return None
        asks = [i for i, p in enumerate(parts) if p.endswith(ASKING_MARKS)] or [len(parts) - 1]
        last = asks[-1]
        asked = " ".join(parts[i] for i in asks)
        scene = [
            parts[i]
            for i in range(last - 1, -1, -1)
            if i not in asks and any(s.concepts for s in self._slots(index, parts[i], named))
        ][:MAX_READINGS]
        leans = bool(scene) and not any(
            slot.concepts - self.generic_concepts - self.pointer_concepts
            for slot in self._slots(index, asked, named)
        )
        readings = [asked, *(f"{s} {asked}" for s in scene)]
        if leans:
            # "¿Dónde la encuentro?" names nothing of its own: the sentence it
            # leans on may say the whole question ("I need Microsoft's privacy
            # statement for Teams").
            readings.extend(scene)
        outcomes = [
            self._ask_read(index, text, locale, named) for text in readings if text != question
        ]
        if leans:
            vote = self._topic_vote(index, scene, asked, named)
            outcomes.append(self._decide(index, vote, locale))
        # Each reading that clearly answers votes for its passage; the passage
        # most readings agree on wins, and among equals the clearest reading
        # ("Das Team kam ohne Hinweis…" alone reads a notification, the story
        # and the scene's concepts read the emergency location: two to one).
        votes: dict[str, list[tuple[float, Outcome]]] = {}
        # A whole reading that answered without a clear lead is one ballot, and
        # wins a tie: the other readings must agree on another passage to beat it.
        incumbent: str | None = None
        if whole is not None and whole.verdict == Verdict.ANSWER and whole.best is not None:
            incumbent = whole.best.id
            votes[incumbent] = [(self._margin(whole), whole)]
        for one in outcomes:
            margin = self._margin(one)
            # A clear winner also covers what is asked: a reading whose best
            # passage only passes as a lone "did you mean" (under
            # ANSWER_MIN_SCORE) holds too little of it to outvote the others.
            covers = bool(one.matches) and one.matches[0].score >= ANSWER_MIN_SCORE
            if margin >= CLEAR_MARGIN and covers and one.best is not None:
                votes.setdefault(one.best.id, []).append((margin, one))
        if not votes:
            return None
        if incumbent is not None:
            # The whole message answered a list, and a reading clearly one of its
            # items ("Does the address reach the carrier?" after a 112 call: the
            # emergency location): the list holds the item, which says it better.
            # Only the whole reading's own ballot moves; readings that clearly
            # chose the list keep theirs.
            items = [i for i in votes if self.passages[i].parent == incumbent]
            if len(items) == 1:
                votes[items[0]].append(votes[incumbent].pop(0))
                if not votes[incumbent]:
                    del votes[incumbent]
                incumbent = items[0]
        ballots = max(
            votes.items(),
            key=lambda kv: (len(kv[1]), kv[0] == incumbent, max(m for m, _ in kv[1])),
        )[1]
        return max(ballots, key=lambda b: b[0])[1]

    def _topic_vote(
        self,
        index: LocaleIndex,
        scene: Sequence[str],
        asked: str,
        named: frozenset[str] = frozenset(),
    ) -> list[Term]:
        """What the notice names across the scene, asked as one question.

        "Yesterday a colleague fainted and I called the ambulance from Teams.
        The dispatcher knew our address at once. How?": the question points
        back, and what it points at is what the scene names of the notice
        (the emergency call, the address); the scene's other words (fainted,
        dispatcher) tell the story and are left out. Every word of what is
        asked stays, known or not: "Where do I reset it?" still asks a reset.
        """
        terms = self._read(index, " ".join([*reversed(scene), asked]), also_named=named)
        return [
            t if t.asked else Term(t.slot, t.similarity)
            for t in terms
            if t.asked or t.slot.concepts or index.knows(t.slot)
        ]

    @staticmethod
    def _margin(outcome: Outcome) -> float:
        """How far an answer's passage leads the first passage that is another answer."""
        if outcome.verdict != Verdict.ANSWER or not outcome.matches:
            return 0.0
        top = outcome.matches[0]
        rival = next(
            (m for m in outcome.matches[1:] if not same_answer(top.passage, m.passage)), None
        )
        return top.score - (rival.score if rival is not None else 0.0)

    def _read(
        self,
        index: LocaleIndex,
        text: str,
        *,
        statements: bool = True,
        also_named: frozenset[str] = frozenset(),
    ) -> list[Term]:
        """The index's reading, stand-ins read as their concept (_stood_in)."""
        return self._stood_in(index.read(text, statements=statements), also_named)

    def _slots(
        self, index: LocaleIndex, text: str, also_named: frozenset[str] = frozenset()
    ) -> list[Slot]:
        """The analyser's slots of a text, stand-ins read as their concept."""
        return [
            t.slot
            for t in self._stood_in([Term(s) for s in index.analyzer.slots(text)], also_named)
        ]

    def _stood_in(self, terms: list[Term], also_named: frozenset[str] = frozenset()) -> list[Term]:
        """The terms with the uncovered topics that stand in for a concept of the
        notice (concepts.yaml ``stands_for``) read as that concept, unless the text
        or ``also_named`` (what the rest of the message names) names one of its
        ``unless``."""
        if not self.stand_ins or not any(self._stand_in_keys & t.slot.keys for t in terms):
            return terms
        named = also_named | frozenset(c for t in terms for c in t.slot.concepts)
        out: list[Term] = []
        for term in terms:
            topics = [k for k in term.slot.keys if k.startswith(UNCOVERED_PREFIX)]
            stand_in = self.stand_ins.get(topics[0]) if len(topics) == 1 else None
            if stand_in is None or named & stand_in.unless:
                out.append(term)
                continue
            slot = Slot(term.slot.surface, frozenset({stand_in.concept}), term.slot.weak)
            out.append(replace(term, slot=slot))
        return out

    def _ask_read(
        self,
        index: LocaleIndex,
        question: str,
        locale: str,
        named: frozenset[str] = frozenset(),
    ) -> Outcome:
        terms = self._read(index, question, also_named=named)
        outcome = self._ask_terms(index, question, terms, locale)
        if outcome.verdict == Verdict.ANSWER:
            return outcome
        # A statement read by the clause it is about ("Nobody told me that my
        # IP goes to the carrier") that finds no answer so is read whole, as
        # a question: the frame's words may be what it is about after all.
        whole = self._read(index, question, statements=False, also_named=named)
        if whole == terms:
            return outcome
        plain = self._ask_terms(index, question, whole, locale)
        return plain if plain.verdict == Verdict.ANSWER else outcome

    def _ask_terms(
        self, index: LocaleIndex, question: str, read: list[Term], locale: str
    ) -> Outcome:
        terms = self._excused(read)
        asked = [t for t in terms if t.asked]
        if len(asked) == len(terms):
            # Nothing before it to point at: a pointer no passage holds ("the one
            # from", "celle de") is only phrasing here, not a topic it lacks.
            phrased = [t for t in terms if not self._bare_pointer(index, t)]
            return self._decide(index, phrased or terms, locale)
        # A message with context: what is asked alone first; the context only
        # helps when the question cannot stand alone ("Is that right?").
        alone = self._decide(index, asked, locale)
        if any(is_uncovered(t.slot) for t in asked):
            return alone
        if self._points_at_uncovered(index, question, asked):
            return Outcome(Verdict.NOT_COVERED, locale, alone.matches)
        # "Where can I read about that?" points at what the context says: when
        # the context names a topic of the notice, that topic is what is asked.
        pointed = self._pointed_at(index, terms, locale)
        if pointed is not None:
            return pointed
        restated = self._restated(index, question, terms, locale)
        if restated is not None:
            return restated
        # "Is it Microsoft?", "Why do they do that?": without a notice topic of
        # its own, the question leans on the context.
        names_topic = any(t.slot.concepts - self.generic_concepts for t in asked)
        # "What is shared overall?" names only everyday concepts, but with its
        # question word it is a whole question: the scene set before it must
        # not pull it to another passage (context 'calls' to the call details).
        # A question word that is also a stop word ("¿Qué recibe ese proveedor
        # sobre mí?", "Was bekommt …?") counts when it opens the question.
        opens = any(index.analyzer.question_word(s) for s in asking_sentences(question))
        whole_question = (opens or any(is_intent(t.slot) for t in asked)) and any(
            t.slot.concepts for t in asked
        )
        if alone.verdict == Verdict.ANSWER and names_topic and alone.best is not None:
            # "Which details of my whereabouts go to the carrier?" after "I call
            # the ambulance through Teams": the list answers alone, and the scene
            # says which of its items; a topic of its own keeps the asked one.
            if alone.best.kind == PassageKind.LIST:
                whole = self._decide(index, terms, locale)
                item = whole.best if whole.verdict == Verdict.ANSWER else None
                if item is not None and item.parent == alone.best.id:
                    return whole
            return alone
        if alone.verdict == Verdict.ANSWER and whole_question:
            return alone
        # Its question word is then what it adds to the context: "why" after
        # "Microsoft sends information to our carrier" asks for the purpose.
        leaning = [
            Term(t.slot, t.similarity, ASKED_INTENT_EMPHASIS)
            if t.asked and t.slot.keys and all(k.startswith(INTENT_PREFIX) for k in t.slot.keys)
            else t
            for t in terms
        ]
        whole = self._decide(index, leaning, locale)
        if whole.verdict == Verdict.ANSWER or alone.verdict != Verdict.ANSWER:
            return whole
        return alone

    def _restated(
        self, index: LocaleIndex, question: str, terms: Sequence[Term], locale: str
    ) -> Outcome | None:
        """The answer to the sentence referred to, when what is asked only confirms it.

        "A colleague asked if the carrier learns how long each call lasts. Is
        that so?", "Stimmt das?", "本当ですか": the asking sentence names nothing
        of the notice and asks for nothing (no concept, no question word), so
        the sentence it refers to is the question, restated: it is asked alone,
        at full weight, without the greeting and the scene set before it.
        """
        asked = [t for t in terms if t.asked]
        # A pointer ("Where can I read more?") asks for something: _pointed_at's case.
        if any(t.slot.concepts or is_intent(t.slot) for t in asked):
            return None
        referred = [
            Term(t.slot, t.similarity, t.emphasis / REFERRED_SENTENCE_WEIGHT, referred=True)
            for t in terms
            if t.referred
        ]
        if not referred:
            return None
        outcome = self._decide(index, referred + asked, locale)
        if outcome.verdict == Verdict.ANSWER:
            return outcome
        # "A friend says the carrier keeps my calls for five years. Is that
        # true?": what is confirmed is a topic the notice does not cover. The
        # claim is the clause after "says that" when there is one: "an email
        # that says that they can download it" confirms no email.
        if any(is_uncovered(s) for s in self._slots(index, self._claim(index, question))):
            return Outcome(Verdict.NOT_COVERED, locale, outcome.matches)
        return None

    def _points_at_uncovered(
        self, index: LocaleIndex, question: str, asked: Sequence[Term]
    ) -> bool:
        """Whether what is asked only points back at a claim about a topic the
        notice does not cover.

        "Our carrier says they keep recordings of all our calls. Is that in
        the notice?", "Steht das im Hinweis?": the question names nothing of
        its own beyond pointers and everyday concepts, so it asks about the
        claim before it, and a claim about recording or retention is not
        covered, whatever passage the pointer ("the notice", "more
        information") would find alone.
        """
        own = {c for t in asked for c in t.slot.concepts}
        if (
            any(is_intent(t.slot) for t in asked)
            or own - self.pointer_concepts - self.generic_concepts
        ):
            return False
        claim = self._excused([Term(s) for s in self._slots(index, self._claim(index, question))])
        # A claim naming a specific concept of the notice ("the authority asks
        # who the controller is") is about that concept, not the uncovered word.
        specific = any(t.slot.concepts - self.generic_concepts for t in claim)
        return not specific and any(is_uncovered(t.slot) for t in claim)

    def _claim(self, index: LocaleIndex, question: str) -> str:
        """What the sentence a question refers to claims: its clause, else all of it."""
        referred = next(
            (part for part, weight in focus(question) if weight == REFERRED_SENTENCE_WEIGHT), ""
        )
        split = index.analyzer.split_statement(referred)
        return split[1] if split else referred

    def _bare_pointer(self, index: LocaleIndex, term: Term) -> bool:
        """A slot that only points back (concepts.yaml pointers) at what no passage holds."""
        keys = term.slot.keys
        return bool(keys) and all(k in self.pointer_concepts and k not in index.idf for k in keys)

    def _excused(self, terms: list[Term]) -> list[Term]:
        """The terms without the uncovered topics that only describe a concept named
        beside them ("keep it on their side" after "take the data": an export)."""
        if not self.excuses:
            return terms
        named = frozenset(c for t in terms for c in t.slot.concepts)

        def excused(term: Term) -> bool:
            topics = [k for k in term.slot.keys if k.startswith(UNCOVERED_PREFIX)]
            return bool(topics) and all(
                k in self.excuses and self.excuses[k].applies(named) for k in topics
            )

        kept = [t for t in terms if not excused(t)]
        return kept if len(kept) < len(terms) else terms

    def _pointed_at(self, index: LocaleIndex, terms: Sequence[Term], locale: str) -> Outcome | None:
        """The answer about the context's topic when what is asked only points at it."""
        asked = {c for t in terms if t.asked for c in t.slot.concepts}
        if (
            not asked & self.pointer_concepts
            or asked - self.pointer_concepts - self.generic_concepts
        ):
            return None
        background = self.pointer_concepts | self.generic_concepts
        context = [t.slot for t in terms if not t.asked]
        # The context names a topic when it names a specific concept ("our IP
        # addresses"), or asks something itself with everyday ones ("which data
        # the carrier gets. Can you sum that up?"), as a whole question does.
        names_topic = any(s.concepts - background for s in context) or (
            any(is_intent(s) for s in context)
            and any(s.concepts - self.pointer_concepts for s in context)
        )
        if not names_topic:
            return None
        about = [t for t in terms if not (t.asked and t.slot.concepts & self.pointer_concepts)]
        outcome = self._decide(index, about, locale)
        return outcome if outcome.verdict == Verdict.ANSWER else None

    def _decide(self, index: LocaleIndex, terms: Sequence[Term], locale: str) -> Outcome:
        matches = index.rank(terms)
        evidence = Evidence(
            topic=self._topic(index, terms, matches[0]) if matches else Topic.NONE,
            asks_uncovered=any(is_uncovered(t.slot) for t in terms if t.asked),
            specific_unknown=any(
                not index.knows(t.slot)
                and t.emphasis * index.analyzer.frequencies.weight(t.slot.surface)
                >= SPECIFIC_UNKNOWN
                for t in terms
            ),
        )
        outcome = decide(locale, matches, evidence)
        return self._beyond_the_item(outcome, terms)

    def _beyond_the_item(self, outcome: Outcome, terms: Sequence[Term]) -> Outcome:
        """The whole list when the question asks what else than one of its items
        ("more than my number?", "apart from the emergency location, what else?",
        intent ``more``): the item it names is what the list goes beyond."""
        asked = {k for t in terms if t.asked for k in t.slot.keys}
        beyond = MORE_INTENT in asked or {BESIDES_INTENT, WHICH_INTENT} <= asked
        if outcome.verdict != Verdict.ANSWER or not beyond:
            return outcome
        best = outcome.matches[0]
        parent = self.passages.get(best.passage.parent) if best.passage.parent else None
        if parent is None:
            return outcome
        whole = next((m for m in outcome.matches if m.passage.id == parent.id), None)
        if whole is None:
            return outcome
        rest = tuple(m for m in outcome.matches if m is not whole)
        return Outcome(Verdict.ANSWER, outcome.locale, (whole, *rest), more=outcome.more)

    def _topic(self, index: LocaleIndex, terms: Sequence[Term], top: Match) -> Topic:
        """Which of the notice's concepts the question names and the passage holds.

        Without this, "Quelle heure est-il ?" would match "heures de fin des
        appels" on one word. A language without a lexicon has no concepts: its
        questions count as specific.
        """
        if not index.analyzer.phrases and not index.analyzer.substrings:
            return Topic.SPECIFIC
        named = [t.slot for t in terms if t.slot.concepts and t.slot.surface in top.matched]
        if not named:
            return Topic.NONE
        asks = any(k.startswith(INTENT_PREFIX) for t in terms for k in t.slot.keys)
        if asks or any(s.concepts - self.generic_concepts for s in named):
            return Topic.SPECIFIC
        return Topic.GENERIC


def _topic_rules(folder: Path, field: str, shape: str) -> tuple[Path, dict[object, object]]:
    """concepts.yaml's ``field``: a mapping of uncovered topics to rules (empty if no file)."""
    path = folder / CONCEPTS_FILE
    if not path.exists():
        return path, {}
    data = load_yaml(path) or {}
    table = data.get(field, {}) if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise KnowledgeError(path, f"'{field}' must map uncovered topics to {shape}")
    return path, table


def load_excuses(folder: Path) -> dict[str, Excuse]:
    """concepts.yaml ``excused``: uncovered topic -> {by: [concepts], unless: [concepts]}."""
    path, table = _topic_rules(folder, "excused", "{by, unless}")
    out: dict[str, Excuse] = {}
    for topic, rule in table.items():
        by = rule.get("by") if isinstance(rule, dict) else None
        unless = rule.get("unless", []) if isinstance(rule, dict) else None
        if not isinstance(by, list) or not by or not isinstance(unless, list):
            raise KnowledgeError(path, f"excused {topic!r}: expected by: [concepts], unless: [...]")
        out[UNCOVERED_PREFIX + str(topic)] = Excuse(
            frozenset(CONCEPT_PREFIX + str(c) for c in by),
            frozenset(CONCEPT_PREFIX + str(c) for c in unless),
        )
    return out


def load_stand_ins(folder: Path) -> dict[str, StandIn]:
    """concepts.yaml ``stands_for``: uncovered topic -> {concept: c, unless: [concepts]}."""
    path, table = _topic_rules(folder, "stands_for", "{concept, unless}")
    out: dict[str, StandIn] = {}
    for topic, rule in table.items():
        concept = rule.get("concept") if isinstance(rule, dict) else None
        unless = rule.get("unless", []) if isinstance(rule, dict) else None
        if not isinstance(concept, str) or not concept or not isinstance(unless, list):
            raise KnowledgeError(
                path, f"stands_for {topic!r}: expected concept: <name>, unless: [concepts]"
            )
        out[UNCOVERED_PREFIX + str(topic)] = StandIn(
            CONCEPT_PREFIX + concept, frozenset(CONCEPT_PREFIX + str(c) for c in unless)
        )
    return out


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
