"""Everyday phrasings of this round's vocabulary: trust and 'what they do with it'
(the operator's own practices, p3), what the customer must tell its users (l1),
'overall / in total' (the whole list, l2), and Japanese typed in kana."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase, Verdict

CASES = [
    ("en-US", "Can I trust the carrier with my data?", "p3"),
    ("en-US", "What does the phone company do with our data?", "p3"),
    ("en-US", "What should we tell our employees about this?", "l1"),
    ("en-US", "In total, what gets shared with the operator?", "l2"),
    ("fr-FR", "Qu'est-ce que le fournisseur fera de mes données ?", "p3"),
    ("fr-FR", "Au total, quelles données sont partagées ?", "l2"),
    ("de-DE", "Kann man dem Anbieter vertrauen?", "p3"),
    ("de-DE", "Welche Daten gehen insgesamt an den Anbieter?", "l2"),
    ("it-IT", "Mi posso fidare del gestore con i miei dati?", "p3"),
    ("es-ES", "¿Qué hace la operadora con mis datos?", "p3"),
    ("es-ES", "¿Qué hay que comunicar a los usuarios?", "l1"),
    ("fr-FR", "Qu'est-ce qui est transmis à l'opérateur, précisément ?", "l2"),
    ("ja-JP", "きんきゅうつうわのばしょはきょうゆうされますか", "l2.3"),
    ("ja-JP", "実際に事業者へ共有されるのは何ですか？", "l2"),
    ("ja-JP", "つうわりれきはだうんろーどできますか", "p2"),
    # "the information listed above": exporting call records is the export paragraph
    ("en-US", "Can the carrier download my call history?", "p2"),
    ("de-DE", "Darf der Betreiber den Anrufverlauf exportieren?", "p2"),
    ("it-IT", "Il gestore può scaricare il registro chiamate?", "p2"),
    # the wrapping of a worry is not its topic
    (
        "fr-FR",
        "Ça m'ennuierait que le fournisseur sache où je suis pendant un appel d'urgence.",
        "l2.3",
    ),
    ("de-DE", "Ich habe ein ungutes Gefühl, wenn der Provider meine IP-Adresse kennt.", "l2.2"),
    # who handles the information at the operator is the operator's own handling (p3,
    # whose text says "gérées / gestite / manejada"); who manages my data, the controller
    ("fr-FR", "Qui gère ces données du côté de l'opérateur ?", "p3"),
    ("it-IT", "Chi gestisce questi dati dal lato dell'operatore?", "p3"),
    ("es-ES", "¿Quién maneja esta información en el operador?", "p3"),
    ("fr-FR", "Qui gère mes données personnelles ?", "p1"),
    ("it-IT", "Chi gestisce i miei dati personali?", "p1"),
]


@pytest.mark.parametrize(("locale", "question", "key"), CASES)
def test_everyday_phrasing(kb: KnowledgeBase, locale: str, question: str, key: str) -> None:
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.ANSWER, (question, outcome.verdict, outcome.matches[:3])
    best = outcome.best
    assert best is not None and best.id.endswith(f"#{key}"), (question, best)


def test_a_paragraph_after_a_list_holds_its_items_weakly(kb: KnowledgeBase) -> None:
    # p2 ("... export and download the information listed above") follows the
    # list l2; p3 follows p2, a paragraph, and refers to nothing.
    index = kb.indexes["en-US"]
    refers = {e.passage.key: e.refers for e in index.entries}
    assert "~call_details" in refers["p2"] and "~location" in refers["p2"]
    assert not refers["p3"] and not refers["l2.2"]
    # The item itself still wins the plain question about it.
    best = kb.ask("Does the carrier get my call history?", "en-US").best
    assert best is not None and best.key == "l2.2"


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        (
            "en-US",
            "Our calls and their duration go through the carrier now. What is shared overall?",
        ),
        (
            "en-US",
            "The carrier handles our calls now, call history included. What is shared overall?",
        ),
        (
            "fr-FR",
            "Nos appels et leur durée passent par l'opérateur. "
            "Au total, qu'est-ce qui est partagé ?",
        ),
    ],
)
def test_a_whole_question_after_context_keeps_its_own_answer(
    kb: KnowledgeBase, locale: str, message: str
) -> None:
    # The asked sentence has a question word and concepts of its own: the
    # context (calls, duration) must not pull it to the call-details item.
    outcome = kb.ask(message, locale)
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "l2", outcome.matches[:3]


def test_an_everyday_word_of_the_scene_weighs_by_its_frequency(kb: KnowledgeBase) -> None:
    # "use" (of "we use it every day") is a word of the notice ("when you use
    # Operator Connect"), but in the scene set before the question it is an
    # everyday word, not evidence.
    index = kb.indexes["en-US"]
    message = "We use it every day at our office. Is my number shared?"
    terms = {t.slot.surface: t for t in index.read(message)}
    use, number = terms["use"], terms["number"]
    assert not use.asked
    assert index.term_weight(use) < index.idf["use"] * use.emphasis
    assert index.term_weight(number) == index.weight(number.slot)


@pytest.mark.parametrize(
    ("locale", "message", "key"),
    [
        (
            "de-DE",
            "Ein paar Leute im Vertrieb wollen wissen, ob der Provider die Anrufliste "
            "exportieren darf. Geht das?",
            "p2",
        ),
        (
            "it-IT",
            "I colleghi vogliono sapere se il gestore può scaricare la cronologia chiamate. "
            "È possibile?",
            "p2",
        ),
    ],
)
def test_who_wants_to_know_is_not_what_is_asked(
    kb: KnowledgeBase, locale: str, message: str, key: str
) -> None:
    # "want to know" says that someone asks, not that the operator knows
    # (share); "Geht das?" is "is that possible?", not a notice word.
    outcome = kb.ask(message, locale)
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == key, outcome.matches[:3]


def test_a_four_letter_word_with_a_dropped_letter_is_mended(kb: KnowledgeBase) -> None:
    index = kb.indexes["de-DE"]
    ((slot, similarity),) = index.corrected(index.analyzer.slots("datn"))
    assert "~data" in slot.keys and similarity < 1.0
    # Everyday short words stay what they are.
    ((slot, similarity),) = index.corrected(index.analyzer.slots("woche"))
    assert similarity == 1.0 and "~data" not in slot.keys


def test_an_everyday_word_only_alternative_questions_use_weighs_little(kb: KnowledgeBase) -> None:
    # "gut" is in an alternative question ("Wofür ist die Funktion gut?"), not
    # in the notice: in "nicht gut, wenn..." it must not outweigh the number.
    index = kb.indexes["de-DE"]
    (good,) = index.analyzer.slots("gut")
    (number,) = index.analyzer.slots("Durchwahl")
    assert index.knows(good)
    assert index.weight(good) < index.weight(number)
    best = kb.ask("Es wäre nicht gut, wenn der Anbieter meine Durchwahl bekommt.", "de-DE").best
    assert best is not None and best.key == "l2.1"


def test_communicating_with_others_is_calling_not_sharing(kb: KnowledgeBase) -> None:
    # The feature item says users can "communicate with others" (communiquer
    # avec, comunicare con, comunicarse con): calling, not sharing data, so a
    # "why do they send it?" does not find the feature item.
    for locale, index in kb.indexes.items():
        feature = next(e for e in index.entries if e.passage.key == "l1.1")
        assert "~share" not in feature.own, locale
    best = kb.ask(
        "On m'a dit que Microsoft transmet des informations à l'opérateur. Pourquoi ?", "fr-FR"
    ).best
    assert best is not None and best.key == "l1.2"


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("en-US", "Can my employer see my call history?"),
        ("fr-FR", "Est-ce que mon employeur peut voir mon historique d'appels ?"),
        ("de-DE", "Kann mein Arbeitgeber sehen, wen ich anrufe?"),
        ("es-ES", "¿Mi jefe puede ver a quién llamo?"),
        # Selling is not sharing: the notice says nothing about it.
        ("fr-FR", "Le fournisseur a-t-il le droit de vendre mes données ?"),
        ("en-US", "Will my carrier sell my phone number?"),
        ("de-DE", "Verkauft der Anbieter meine Daten weiter?"),
    ],
)
def test_what_the_notice_does_not_say_is_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # The notice says what Microsoft gives the operator, not what an employer
    # or a manager can watch, nor whether anyone sells it: not covered, though
    # call details or sharing words are named.
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED
