"""Reading a message: which sentence asks, how common unknown words are, what to ignore."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, Verdict
from knowledge.frequency import COMMON_FLOOR, load_frequencies
from knowledge.reading import CONTEXT_SENTENCE_WEIGHT, focus, questions, sentences


def test_the_sentence_with_a_question_mark_is_the_question() -> None:
    text = "I just joined sales. My manager says calls go outside. Does the carrier get my number?"
    assert sentences(text)[-1] == "Does the carrier get my number?"
    assert [w for _, w in focus(text)] == [CONTEXT_SENTENCE_WEIGHT, CONTEXT_SENTENCE_WEIGHT, 1.0]


def test_without_a_question_mark_the_last_sentence_asks() -> None:
    assert [w for _, w in focus("We use Teams. tell me about my location")] == [
        CONTEXT_SENTENCE_WEIGHT,
        1.0,
    ]
    assert focus("one sentence only") == [("one sentence only", 1.0)]


def test_two_questions_are_cut_at_sentences_and_conjunctions() -> None:
    assert questions("Is my number shared? And can they download it?", ["and"]) == [
        "Is my number shared?",
        "And can they download it?",
    ]
    assert questions("What does it do, and is my SIP URI shared?", ["and"]) == [
        "What does it do",
        "is my SIP URI shared?",
    ]


@pytest.mark.parametrize(
    ("word", "everyday"), [("week", True), ("team", True), ("password", False)]
)
def test_everyday_words_weigh_little_rare_ones_fully(word: str, everyday: bool) -> None:
    weight = load_frequencies("en").weight(word)
    assert (weight < 0.5) is everyday and weight >= COMMON_FLOOR


def test_a_word_no_list_knows_is_rare() -> None:
    assert load_frequencies("en").weight("zzyzxq") == 1.0
    assert load_frequencies("fr").weight("semaine") < 0.5  # folded forms are looked up


@pytest.mark.parametrize(
    ("question", "locale", "key"),
    [
        (
            "Hi, I just started in sales and got a Teams number last week. My manager says our "
            "calls go through an outside company. Does the operator get my SIP address?",
            "en-US",
            "l2.1",
        ),
        ("Privacy Bot why does Microsoft share data with the operator?", "en-US", "l1.2"),
        ("Privacy Bot mon adresse IP est-elle partagée ?", "fr-FR", "l2.2"),
    ],
)
def test_context_and_addressing_do_not_hide_the_question(
    kb: KnowledgeBase, question: str, locale: str, key: str
) -> None:
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == key


@pytest.mark.parametrize(
    ("question", "locale"),
    [
        ("How long does the carrier keep my call records?", "en-US"),
        ("Combien de temps l'opérateur conserve-t-il mes données ?", "fr-FR"),
        ("Quanto costa Operator Connect per utente?", "it-IT"),
        ("Werden meine Anrufe vom Anbieter aufgezeichnet?", "de-DE"),
        ("¿El operador vende mis datos a anunciantes?", "es-ES"),
    ],
)
def test_what_the_notice_does_not_say_is_refused(
    kb: KnowledgeBase, question: str, locale: str
) -> None:
    assert kb.ask(question, locale).verdict != Verdict.ANSWER
