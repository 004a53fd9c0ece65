"""Policy: from ranked matches and what the question names, the verdict.

A careful person answers when one passage clearly wins, offers "did you mean"
only when two or more passages are really close (one single choice is the
answer), and says "not covered" when the notice does not say what is asked,
even when the question shares words with it. Every threshold is on the 0..1
score of knowledge.index and is measured on tests/eval and dev-v2 (README).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from knowledge.meaning import NOT_COVERED, Opinion, label_of
from knowledge.model import Match, Passage, PassageKind

# Below this score no passage is worth naming: not covered.
SUGGEST_MIN_SCORE = 0.40
# From this score the top passage can be the answer on its own.
ANSWER_MIN_SCORE = 0.55
# "Did you mean" when the runner-up is within CLOSE_K * sqrt(top) of the top
# score (the shape of QnA Maker's active-learning rule), unless the top is sure.
# 0.01 (about 0.008 at a score of 0.7): only a near tie is a real doubt; a sweep
# on dev-v2 (0.04 -> 0.01: +3 of 302) changed none of tests/eval/*.yaml.
CLOSE_K = 0.01
SURE_SCORE = 0.85
# Under ANSWER_MIN_SCORE a "did you mean" names only the passages within this
# much of the top one: a runner-up far behind (0.55 against 0.40) is no real
# doubt, and a "did you mean" left with one single choice is that answer.
DOUBT_MARGIN = 0.1
# At most this many choices in a "did you mean".
MAX_CHOICES = 3
# A question naming only generic concepts (share, call, operator...) is answered
# only when it is this close to one of the passage's alternative questions.
GENERIC_PHRASING = 0.7

# The meaning reader's second opinion (knowledge.meaning) settles what the
# words left in doubt, and only where it is clear. Its scores are mean cosine
# similarities of a message to a passage's nearest examples (paraphrases score
# about 0.6 to 0.8, unrelated text 0.1 to 0.3); a lead is the distance to the
# best other passage, or to the examples of what the notice does not cover.
# Each value was chosen on a coarse grid over tests/eval and dev-v2 (README,
# "How matching works"), never on the held-out set measured at the end, then
# made stricter where it cost nothing there and an existing test, or a review,
# showed a wrong answer. The messages named here are in tests/test_meaning.py
# (SETTLED, KEPT), so that a change of examples that moves them fails a test.
# A "did you mean" is the choice the meaning reader prefers, when it leads
# every other label by MEANING_CHOICE_LEAD (0 to 0.02 gave the same; 0.04 lost
# a fifth of the gain) and scores at least MEANING_CHOICE_SCORE: a weak
# preference is no reading ("Does the carrier know my blood type?" is nearest
# the call details, weakly).
MEANING_CHOICE_LEAD = 0.01
MEANING_CHOICE_SCORE = 0.55
# An answer moves to another passage the words found nearly as good (within
# MEANING_SWITCH_RANGE under the words' score) when the meaning reader prefers
# it by MEANING_SWITCH_LEAD and scores it at least MEANING_SWITCH_SCORE ("Che
# cosa finisce al gestore telefonico quando chiamo da Teams?" asks for the
# list, not the call details). A narrower range switched fewer right; a weaker
# preference switched some wrong ("¿qué hay que explicar a la plantilla sobre
# esta función?" is the duty to inform, not the feature).
MEANING_SWITCH_RANGE = 0.2
MEANING_SWITCH_LEAD = 0.1
MEANING_SWITCH_SCORE = 0.62
# The meaning reader reads a long message's scene too; the words read what is
# asked. A switch in a message of several sentences stands only if what is
# asked, read alone, does not prefer the words' answer by this much ("Our
# calls and their duration go through the carrier now. What is shared
# overall?" asks for the list).
MEANING_ASKED_VETO = 0.1
# "Not covered" for want of evidence (Refusal.WEAK: no topic the notice lacks
# was asked, no specific word it lacks stands among everyday ones) is
# answered when the meaning reader's best is the words' best passage too, two
# independent readings agreeing, with this lead and at least this score, and
# the words' best has at least MEANING_AGREE_WORDS: under it the words named
# too little for their best to be a reading at all.
MEANING_AGREE_LEAD = 0.03
MEANING_AGREE_SCORE = 0.5
MEANING_AGREE_WORDS = 0.25
# An answer the words are not sure of (under MEANING_DOUBT_SCORE) is withdrawn
# when what the message means is nearest the examples of what the notice does
# not cover, by MEANING_NOT_COVERED_LEAD ("Le forze dell'ordine possono
# chiedere al gestore i miei tabulati?"); a closer call keeps the words' answer
# ("Who do my call records belong to?" is the controller sentence).
MEANING_DOUBT_SCORE = 0.7
MEANING_NOT_COVERED_LEAD = 0.06


class Verdict(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NOT_COVERED = "not_covered"
    SMALL_TALK = "small_talk"
    EMPTY = "empty"


class Refusal(StrEnum):
    """Why a question is not covered, where policy.decide says so."""

    # Nothing of the notice is named ("Quelle heure est-il ?").
    NO_TOPIC = "no_topic"
    # What is asked is a topic the notice does not cover (retention, price...).
    UNCOVERED_TOPIC = "uncovered_topic"
    # Only everyday concepts around a specific word the notice lacks ("know my salary").
    LACKING_WORD = "lacking_word"
    # Some of the notice is named, too little to name a passage.
    WEAK = "weak"


class Topic(StrEnum):
    """Which of the notice's concepts a question names and its best passage holds."""

    SPECIFIC = "specific"  # IP address, location... or what is asked for (why, which)
    GENERIC = "generic"  # only everyday ones: share, call, operator
    NONE = "none"  # none at all ("Quelle heure est-il ?" shares only "heure")


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    locale: str
    matches: tuple[Match, ...] = ()
    small_talk: str | None = None
    # Further answers when the message asked several things ("is my number
    # shared? and can they download it?"), each the best match of its part.
    more: tuple[Match, ...] = ()
    # The questions of the message that ask what the notice does not cover
    # ("... and can they sell it?"), answered beside the others: "not covered".
    uncovered_questions: tuple[str, ...] = ()
    # Why not covered, when policy.decide said so (None: another reading did).
    refusal: Refusal | None = None

    @property
    def best(self) -> Passage | None:
        return self.matches[0].passage if self.matches else None

    @property
    def answers(self) -> tuple[Passage, ...]:
        """The passages to give, in order: the best, then one per further question."""
        if self.verdict != Verdict.ANSWER or not self.matches:
            return ()
        return (self.matches[0].passage, *(m.passage for m in self.more))


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the question says beyond its scores."""

    topic: Topic
    # It asks about a topic the notice does not cover (lexicon 'uncovered').
    asks_uncovered: bool
    # It holds a specific word the notice never uses ("écran", not "semaine").
    specific_unknown: bool


def decide(locale: str, matches: Sequence[Match], evidence: Evidence) -> Outcome:
    """Answer, did you mean, or not covered."""
    if evidence.topic == Topic.NONE:
        return Outcome(Verdict.NOT_COVERED, locale, tuple(matches), refusal=Refusal.NO_TOPIC)
    # The reason is named before the score is looked at: a question about a
    # topic the notice lacks is refused for that, however weak its score.
    if evidence.asks_uncovered:
        # Retention, price...: sharing other words with a passage does not cover it.
        return Outcome(Verdict.NOT_COVERED, locale, tuple(matches), refusal=Refusal.UNCOVERED_TOPIC)
    if not matches or matches[0].score < SUGGEST_MIN_SCORE:
        lacking = evidence.topic == Topic.GENERIC and evidence.specific_unknown
        return Outcome(
            Verdict.NOT_COVERED,
            locale,
            tuple(matches),
            refusal=Refusal.LACKING_WORD if lacking else Refusal.WEAK,
        )
    top = matches[0]
    if evidence.topic == Topic.GENERIC and (
        evidence.specific_unknown or top.phrasing < GENERIC_PHRASING
    ):
        choices = [m for m in matches if m.score >= SUGGEST_MIN_SCORE]
        if top.score >= ANSWER_MIN_SCORE:
            # As below, for a list that could answer alone.
            choices = without_own_items(top, choices)
        choices = choices[:MAX_CHOICES]
        if evidence.specific_unknown:
            # Only everyday concepts plus a specific word the notice lacks
            # ("partager mon écran", "know my salary"): what is asked is the
            # word the notice lacks, so neither an answer nor a "did you mean"
            # among passages that hold only the everyday words.
            return Outcome(
                Verdict.NOT_COVERED, locale, tuple(choices), refusal=Refusal.LACKING_WORD
            )
        return suggest_or_answer(locale, matches, choices)
    close = [m for m in matches if m.score >= top.score - CLOSE_K * math.sqrt(top.score)]
    close = without_own_items(top, close)
    if top.score >= ANSWER_MIN_SCORE and (len(close) == 1 or top.score >= SURE_SCORE):
        return Outcome(Verdict.ANSWER, locale, tuple(matches))
    floor = max(SUGGEST_MIN_SCORE, top.score - DOUBT_MARGIN)
    choices = close if len(close) > 1 else [m for m in matches if m.score >= floor]
    return suggest_or_answer(locale, matches, choices[:MAX_CHOICES])


def without_own_items(top: Match, matches: Sequence[Match]) -> list[Match]:
    """The matches without the items of the list on top: a list and its own items
    are one answer, not rivals, as the list holds them. (An item just ahead of its
    list stays in doubt with it: the item holds the list's lead-in words too, and
    "what must we tell staff about this function?" is the list's own question.)"""
    if top.passage.kind != PassageKind.LIST:
        return list(matches)
    return [m for m in matches if m.passage.parent != top.passage.id]


def suggest_or_answer(locale: str, matches: Sequence[Match], choices: Sequence[Match]) -> Outcome:
    """ "Did you mean" needs two real choices; one single choice is the answer."""
    if len(choices) == 1:
        return Outcome(Verdict.ANSWER, locale, tuple(matches))
    return Outcome(Verdict.SUGGEST, locale, tuple(choices))


def several(
    locale: str, answered: Sequence[Match], uncovered_questions: Sequence[str] = ()
) -> Outcome:
    """One answer per question of a message that asked several (distinct passages),
    and the questions of it the notice does not cover."""
    return Outcome(
        Verdict.ANSWER,
        locale,
        (answered[0],),
        more=tuple(answered[1:]),
        uncovered_questions=tuple(uncovered_questions),
    )


def may_reconsider(outcome: Outcome) -> bool:
    """Whether the meaning reader's opinion could change this outcome (see reconsider):
    a "did you mean", a "not covered" for want of evidence, or an answer to one
    question that is not sure or has a near runner-up."""
    if outcome.more or outcome.uncovered_questions or not outcome.matches:
        return False
    if outcome.verdict == Verdict.ANSWER:
        top = outcome.matches[0].score
        return top < MEANING_DOUBT_SCORE or (
            _by_score(outcome)
            and any(m.score >= top - MEANING_SWITCH_RANGE for m in outcome.matches[1:])
        )
    if outcome.verdict == Verdict.NOT_COVERED:
        return outcome.refusal == Refusal.WEAK and outcome.matches[0].score >= MEANING_AGREE_WORDS
    return outcome.verdict == Verdict.SUGGEST


def reconsider(outcome: Outcome, opinion: Opinion) -> Outcome:
    """The words' outcome, settled by the meaning reader where the words were in doubt.

    - a "did you mean" whose choices include the passage the meaning reader
      clearly prefers is that answer;
    - an answer moves to a passage the words found nearly as good when the
      meaning reader clearly prefers it;
    - an answer the words are not sure of is withdrawn when the message means
      what the notice does not cover;
    - a "not covered" given for want of evidence (``Refusal.WEAK``; the caller
      has checked that no topic the notice lacks was asked anywhere in the
      message) is answered when both readings pick the same passage.
    """
    if not may_reconsider(outcome):
        return outcome
    best = opinion.best
    top = outcome.matches[0]
    if best == label_of(top.passage.notice, NOT_COVERED):
        if (
            outcome.verdict == Verdict.ANSWER
            and top.score < MEANING_DOUBT_SCORE
            and opinion.lead(best) >= MEANING_NOT_COVERED_LEAD
        ):
            return Outcome(Verdict.NOT_COVERED, outcome.locale, outcome.matches)
        return outcome
    chosen = next((m for m in outcome.matches if _label(m) == best), None)
    if chosen is None or (chosen is top and outcome.verdict == Verdict.ANSWER):
        return outcome
    if outcome.verdict == Verdict.SUGGEST:
        settled = (
            opinion.lead(best) >= MEANING_CHOICE_LEAD
            and opinion.score(best) >= MEANING_CHOICE_SCORE
        )
    elif outcome.verdict == Verdict.ANSWER:
        settled = (
            _by_score(outcome)
            and chosen.score >= top.score - MEANING_SWITCH_RANGE
            and opinion.score(best) >= MEANING_SWITCH_SCORE
            and opinion.score(best) - opinion.score(_label(top)) >= MEANING_SWITCH_LEAD
        )
    else:
        # (may_reconsider has checked the words' side: MEANING_AGREE_WORDS.)
        settled = (
            chosen is top
            and opinion.lead(best) >= MEANING_AGREE_LEAD
            and opinion.score(best) >= MEANING_AGREE_SCORE
        )
    if not settled:
        return outcome
    rest = [m for m in outcome.matches if m is not chosen]
    return Outcome(Verdict.ANSWER, outcome.locale, (chosen, *rest))


def asked_vetoes(before: Outcome, after: Outcome, asked: Opinion) -> bool:
    """Whether what is asked, read alone, clearly prefers the words' answer to the
    passage ``reconsider`` moved it to (see MEANING_ASKED_VETO)."""
    if not switched(before, after):
        return False
    words, meaning = _label(before.matches[0]), _label(after.matches[0])
    return asked.score(words) - asked.score(meaning) >= MEANING_ASKED_VETO


def switched(before: Outcome, after: Outcome) -> bool:
    """Whether ``reconsider`` moved an answer to another passage."""
    return (
        before.verdict == after.verdict == Verdict.ANSWER
        and before.matches[0] is not after.matches[0]
    )


def _by_score(outcome: Outcome) -> bool:
    """Whether the words' top is their best-scored match: one ahead of a better
    score was put there by a rule of the words ("anything else than my number?"
    asks for the list), which the meaning reader does not overrule."""
    top = outcome.matches[0].score
    return all(m.score <= top for m in outcome.matches)


def _label(match: Match) -> str:
    return label_of(match.passage.notice, match.passage.key)


def same_answer(one: Passage, other: Passage) -> bool:
    """The same passage, or a list and one of its own items (the list holds it)."""
    return one.id == other.id or one.parent == other.id or other.parent == one.id
