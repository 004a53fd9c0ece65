"""KnowledgeBase: locales, language detection, verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase, KnowledgeError, Verdict
from knowledge.base import load_alternatives, load_excuses
from knowledge.loader import load_notice
from tests.conftest import NOTICES


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ("fr-FR", "fr-FR"),
        ("fr-fr", "fr-FR"),
        ("fr_FR", "fr-FR"),
        ("fr-CA", "fr-FR"),
        ("it-CH", "it-IT"),
        ("en-GB", "en-US"),
        ("de", "de-DE"),
        ("pt-BR", "en-US"),
        ("", "en-US"),
        (None, "en-US"),
    ],
)
def test_resolve_locale(kb: KnowledgeBase, requested: str | None, expected: str) -> None:
    assert kb.resolve_locale(requested, "en-US") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La posizione delle chiamate di emergenza viene condivisa?", "it-IT"),
        ("Est-ce que mon adresse IP est transmise ?", "fr-FR"),
        ("Wird meine Telefonnummer weitergegeben?", "de-DE"),
        ("¿Se comparte la ubicación de emergencia?", "es-ES"),
        ("Who controls my personal data?", "en-US"),
        ("緊急通話の場所", "ja-JP"),
        ("IP?", None),  # too short to tell: the client's locale decides
        ("SIP URI", None),
    ],
)
def test_detect_locale(kb: KnowledgeBase, text: str, expected: str | None) -> None:
    assert kb.detect_locale(text) == expected


def test_the_question_language_wins_only_when_clear(kb: KnowledgeBase) -> None:
    assert kb.choose_locale("Gli indirizzi IP vengono condivisi?", "fr-FR", "en-US") == "it-IT"
    assert kb.choose_locale("IP ?", "fr-FR", "en-US") == "fr-FR"
    assert kb.choose_locale("", "de-AT", "en-US") == "de-DE"


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("", Verdict.EMPTY),
        ("?!", Verdict.EMPTY),
        ("Bonjour", Verdict.SMALL_TALK),
        (
            "Quelle heure est-il ?",
            Verdict.NOT_COVERED,
        ),  # shares "heure" with the notice, names no concept
        ("Comment transférer un appel dans Teams ?", Verdict.NOT_COVERED),  # a how-to
        ("Que fait Microsoft avec mes appels ?", Verdict.SUGGEST),  # generic words only
        ("Comment partager mon écran ?", Verdict.NOT_COVERED),
        ("Mon adresse IP est-elle partagée ?", Verdict.ANSWER),
    ],
)
def test_verdicts(kb: KnowledgeBase, question: str, verdict: Verdict) -> None:
    assert kb.ask(question, "fr-FR").verdict == verdict


def test_generic_words_with_words_the_notice_never_uses_are_not_answered(kb: KnowledgeBase) -> None:
    # "appel" is generic; "mettre en attente" (put on hold) is not the notice's.
    outcome = kb.ask("Comment mettre un appel en attente dans Teams ?", "fr-FR")
    assert outcome.verdict in (Verdict.SUGGEST, Verdict.NOT_COVERED)
    index = kb.indexes["fr-FR"]
    unknown = [
        slot.surface
        for slot, _ in index.analyze("mettre un appel en attente")
        if not index.knows(slot)
    ]
    assert unknown == ["mettre", "attente"]


def test_did_you_mean_offers_close_passages_at_most_three(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Que fait Microsoft avec mes appels ?", "fr-FR")
    assert outcome.verdict == Verdict.SUGGEST
    assert 2 <= len(outcome.matches) <= 3
    assert len({m.passage.id for m in outcome.matches}) == len(outcome.matches)


def test_a_list_and_its_own_items_are_not_rivals(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Quelles informations sont partagées ?", "fr-FR")
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "l2"


def test_related_passages_are_the_other_items_of_the_list(kb: KnowledgeBase) -> None:
    item = kb.passage("en-US/operator-connect-privacy#l2.2")
    assert item is not None
    assert [p.key for p in kb.related(item)] == ["l2.1", "l2.3"]
    lst = kb.passage("en-US/operator-connect-privacy#l2")
    assert lst is not None and [p.key for p in kb.related(lst)] == ["l2.1", "l2.2", "l2.3"]
    paragraph = kb.passage("en-US/operator-connect-privacy#p2")
    assert paragraph is not None and kb.related(paragraph) == []


def test_alternative_questions_must_name_existing_passages(tmp_path: Path) -> None:
    folder = tmp_path / "en-US"
    folder.mkdir()
    notice = folder / "n.md"
    notice.write_text(
        (NOTICES / "en-US" / "operator-connect-privacy.md").read_text(encoding="utf-8")
    )
    sidecar = folder / "n.questions.yaml"
    sidecar.write_text("p1: ['Who decides?']\nl9.9: ['Nothing here?']\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"n\.questions\.yaml: no passage 'l9\.9'"):
        load_alternatives(load_notice(notice))
    sidecar.write_text("p1: not a list\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="p1: expected a list"):
        load_alternatives(load_notice(notice))
    sidecar.write_text("p1: [ok\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="invalid YAML"):
        load_alternatives(load_notice(notice))


def test_a_notice_in_a_language_without_a_lexicon_still_answers(tmp_path: Path) -> None:
    folder = tmp_path / "pt-BR"
    folder.mkdir()
    (folder / "aviso.md").write_text(
        "---\ntitle: Aviso\n---\n# Aviso\n\nA operadora recebe o seu endereço IP.\n\n"
        "Veja [este link](https://example.com/privacy).\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(tmp_path)
    outcome = kb.ask("endereço IP", "pt-BR")
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.text == "A operadora recebe o seu endereço IP."


@pytest.mark.parametrize(
    ("default", "expected"),
    [("en-US", "en-US"), ("fr-BE", "fr-FR"), ("ja", "ja-JP"), ("de_AT", "de-DE")],
)
def test_a_regional_default_locale_stands_for_its_language(
    kb: KnowledgeBase, default: str, expected: str
) -> None:
    assert kb.require_locale(default) == expected


@pytest.mark.parametrize("default", ["pt-BR", "xx", "english"])
def test_an_unknown_default_locale_is_an_error(kb: KnowledgeBase, default: str) -> None:
    with pytest.raises(KnowledgeError, match="DEFAULT_LOCALE"):
        kb.require_locale(default)


def test_a_did_you_mean_never_offers_a_single_choice(kb: KnowledgeBase) -> None:
    # Generic concepts plus words the notice lacks: refused, or two real choices.
    for question in (
        # Generic concepts plus words the notice lacks, with one close passage.
        "Operator Connect, ça permet de faire quoi yo yo ?",
        "Comment mettre un appel en attente dans Teams ?",
        "Que fait Microsoft avec mes appels ?",
        "Comment partager mon écran ?",
    ):
        outcome = kb.ask(question, "fr-FR")
        assert outcome.verdict != Verdict.SUGGEST or len(outcome.matches) >= 2, question


@pytest.mark.parametrize(
    ("text", "client", "expected"),
    [
        ("¿Comparten mi número?", "fr-FR", "es-ES"),  # ¿ is Spanish only
        ("numero di telefono", "es-MX", "it-IT"),  # only Italian knows every word
        ("número de teléfono", "it-CH", "es-ES"),
        ("Mon numéro est-il partagé ?", "fr-BE", "fr-FR"),
    ],
)
def test_short_questions_in_another_language(
    kb: KnowledgeBase, text: str, client: str, expected: str
) -> None:
    assert kb.choose_locale(text, client, "en-US") == expected


def test_passage_counts_are_the_passages_of_each_locale(kb: KnowledgeBase) -> None:
    counts = kb.passage_counts()
    assert set(counts) == set(kb.locales)
    for locale, count in counts.items():
        assert count == sum(1 for p in kb.passages.values() if p.locale == locale) > 0


def test_excuses_are_read_from_concepts_yaml(tmp_path: Path) -> None:
    (tmp_path / "concepts.yaml").write_text(
        "excused:\n  keeping: {by: [export], unless: [duration]}\n", encoding="utf-8"
    )
    excuse = load_excuses(tmp_path)["!keeping"]
    assert excuse.applies(frozenset({"~export", "~data"}))
    assert not excuse.applies(frozenset({"~export", "~duration"}))
    assert not excuse.applies(frozenset({"~data"}))
    (tmp_path / "concepts.yaml").write_text("excused:\n  keeping: [export]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="excused"):
        load_excuses(tmp_path)


def test_every_alternative_question_gets_its_own_passage(kb: KnowledgeBase) -> None:
    # The knowledge base's own alternative questions, asked as they are, are
    # answered with their passage (or its list, or one of its items): a
    # lexicon term that makes one of them "not covered" ("What can I do with
    # Operator Connect?" read as a how-to request, "GDPR records" as a
    # recording) would refuse the people who ask the same way.
    wrong = []
    for passage_id, questions in kb.alternatives.items():
        passage = kb.passages[passage_id]
        related = {passage.id, passage.parent, *passage.children}
        for question in questions:
            outcome = kb.ask(question, passage.locale)
            if outcome.verdict != Verdict.ANSWER or not {p.id for p in outcome.answers} & related:
                wrong.append((passage.locale, passage.key, question, outcome.verdict))
    assert wrong == []
