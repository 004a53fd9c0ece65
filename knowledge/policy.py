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


class Verdict(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NOT_COVERED = "not_covered"
    SMALL_TALK = "small_talk"
    EMPTY = "empty"


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
    if not matches or evidence.topic == Topic.NONE or matches[0].score < SUGGEST_MIN_SCORE:
        return Outcome(Verdict.NOT_COVERED, locale, tuple(matches))
    if evidence.asks_uncovered:
        # Retention, price...: sharing other words with a passage does not cover it.
        return Outcome(Verdict.NOT_COVERED, locale, tuple(matches))
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
            return Outcome(Verdict.NOT_COVERED, locale, tuple(choices))
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


def same_answer(one: Passage, other: Passage) -> bool:
    """The same passage, or a list and one of its own items (the list holds it)."""
    return one.id == other.id or one.parent == other.id or other.parent == one.id
