"""Scoring details of the per-locale index."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase


@pytest.mark.parametrize(
    ("locale", "typo", "concept"),
    [
        ("fr-FR", "urgense", "~emergency"),  # one edit, 7 letters
        ("it-IT", "pozisione", "~location"),  # two edits, 9 letters
        ("en-US", "emergancy", "~emergency"),
    ],
)
def test_typos_are_mended_to_a_close_known_word(
    kb: KnowledgeBase, locale: str, typo: str, concept: str
) -> None:
    index = kb.indexes[locale]
    [(slot, similarity)] = index.analyze(typo)
    assert concept in slot.keys and 0.7 < similarity < 1


@pytest.mark.parametrize("word", ["ecran", "pris", "fichier", "changer"])  # not "echanger"
def test_short_or_far_words_are_not_mended(kb: KnowledgeBase, word: str) -> None:
    index = kb.indexes["fr-FR"]
    [(slot, similarity)] = index.analyze(word)
    assert similarity == 1.0 and not slot.concepts


def test_a_word_the_notice_never_uses_weighs_like_a_rare_word(kb: KnowledgeBase) -> None:
    index = kb.indexes["fr-FR"]
    [ecran] = index.analyzer.slots("écran")
    [share] = index.analyzer.slots("partager")
    assert index.weight(ecran) > index.weight(share)


def test_coverage_uses_context_for_items(kb: KnowledgeBase) -> None:
    # "Microsoft" is in the lead-in of the list, not in the item or its questions.
    matches = kb.search("adresse IP Microsoft", "fr-FR", limit=10)
    [item] = [m for m in matches if m.passage.key == "l2.2"]
    assert 0.5 < item.coverage < 1.0 and set(item.matched) == {"adresse ip", "microsoft"}


def test_an_alternative_asking_for_something_else_is_a_weaker_phrasing() -> None:
    from knowledge.scoring import INTENT_MISMATCH, Phrasings

    which = "?which ~data ~operator ~share"
    alternatives = [("?which ~data ~operator ~share",), (), ("?purpose ~data ~operator ~share",)]
    same, none, other = Phrasings(alternatives).best(which)
    assert none == 0.0
    assert same == 1.0 and other < INTENT_MISMATCH + 1e-9


def test_an_everyday_word_is_not_mended_into_a_notice_word(kb: KnowledgeBase) -> None:
    index = kb.indexes["es-ES"]
    # "manos" (hands) is one edit from "macos" but is a common Spanish word.
    [(slot, similarity)] = index.analyze("manos")
    assert "~os" not in slot.keys and similarity == 1.0
    # A real typo is still mended.
    [(mended, close)] = index.analyze("emergensia")
    assert "~emergency" in mended.keys and close < 1.0


def test_phrasings_in_one_batch_are_the_closest_alternative_one_by_one(kb: KnowledgeBase) -> None:
    """Phrasings.best against the plain definition: each alternative's rapidfuzz ratio,
    weakened when it asks for something else, the best one per passage."""
    from rapidfuzz import fuzz, utils

    from knowledge.scoring import INTENT_MISMATCH, INTENT_UNSAID, Phrasings, intents_of

    def closest(question_keys: str, alternatives: tuple[str, ...]) -> float:
        asks = intents_of(question_keys)
        best = 0.0
        for alternative in alternatives:
            ratio = fuzz.ratio(question_keys, alternative, processor=utils.default_process) / 100.0
            theirs = intents_of(alternative)
            if asks and theirs and not asks & theirs:
                ratio *= INTENT_MISMATCH
            elif asks and not theirs:
                ratio *= INTENT_UNSAID
            best = max(best, ratio)
        return best

    checked = 0
    for locale, index in kb.indexes.items():
        per_passage = [e.phrasings for e in index.entries]
        phrasings = Phrasings(per_passage)
        asked = [q for pid, qs in kb.alternatives.items() if pid.startswith(locale) for q in qs]
        for question in [*asked[:40], "", "quoi ?", "SIP 112 IP"]:
            terms = index.read(question)
            keys = " ".join(sorted(k for t in terms if t.asked for k in t.slot.all_keys))
            expected = [closest(keys, alternatives) for alternatives in per_passage]
            assert phrasings.best(keys).tolist() == expected, (locale, question)
            checked += 1
    assert checked > 100
