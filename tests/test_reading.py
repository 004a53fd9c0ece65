"""Reading a message: which sentence asks, how common unknown words are, what to ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase, Verdict
from knowledge.frequency import COMMON_FLOOR, load_frequencies
from knowledge.reading import (
    CONTEXT_SENTENCE_WEIGHT,
    MAX_SENTENCES,
    REFERRED_SENTENCE_WEIGHT,
    focus,
    names,
    questions,
    sentences,
)


def test_the_sentence_with_a_question_mark_is_the_question() -> None:
    text = "I just joined sales. My manager says calls go outside. Does the carrier get my number?"
    assert sentences(text)[-1] == "Does the carrier get my number?"
    # The sentence right before the question is what it may refer to.
    assert [w for _, w in focus(text)] == [
        CONTEXT_SENTENCE_WEIGHT,
        REFERRED_SENTENCE_WEIGHT,
        1.0,
    ]


def test_without_a_question_mark_the_last_sentence_asks() -> None:
    assert [w for _, w in focus("We use Teams. tell me about my location")] == [
        REFERRED_SENTENCE_WEIGHT,
        1.0,
    ]
    assert focus("one sentence only") == [("one sentence only", 1.0)]


def test_two_questions_are_cut_at_sentences_and_conjunctions() -> None:
    assert questions("Is my number shared? And can they download it?", ["and"]) == [
        ("Is my number shared?", False),
        ("And can they download it?", False),
    ]
    assert questions("What does it do, and is my SIP URI shared?", ["and"], ["is"]) == [
        ("What does it do", True),
        ("is my SIP URI shared?", True),
    ]


def test_landlines_and_mobiles_is_one_question(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Can I call landlines and mobile phones from Teams?", "en-US")
    assert [p.key for p in outcome.answers] == ["l1.1"]
    two = kb.ask("What does Operator Connect do and is my SIP URI shared?", "en-US")
    assert [p.key for p in two.answers] == ["l1.1", "l2.1"]


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


def test_names_count_only_in_a_message_that_sets_a_scene() -> None:
    assert names("Our carrier is BT. What will BT get?") == {"bt"}
    assert names("What is the emergency number in the UK?") == frozenset()
    assert names("Anbieter ist die Telekom. Was bekommt die TELEKOM?", nouns_capitalised=True) == {
        "telekom"
    }


def test_a_context_sentence_missing_from_a_passage_costs_little(kb: KnowledgeBase) -> None:
    # The scene (home, hotels) is not in the notice; the question leans on it.
    outcome = kb.ask(
        "I often work from hotels these days. A colleague said that when I dial 911 from "
        "Teams my location is passed to the phone company. Is that true?",
        "en-US",
    )
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "l2.3"


def test_loanwords_typed_in_hiragana_meet_their_katakana_terms(kb: KnowledgeBase) -> None:
    from knowledge.text import katakana

    assert katakana("だうんろーど") == "ダウンロード"
    outcome = kb.ask("おぺれーたーはでーたをだうんろーどできるの", "ja-JP")
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "p2"


def test_the_shipped_frequency_lists_are_what_wordfreq_gives() -> None:
    pytest.importorskip("wordfreq")
    from knowledge.frequency import from_wordfreq

    shipped = load_frequencies("it").zipf
    assert dict(from_wordfreq("it")) == shipped and len(shipped) > 5000


def test_a_broken_frequency_line_names_the_file(tmp_path: Path) -> None:
    from knowledge import KnowledgeError
    from knowledge.frequency import WordFrequencies

    (tmp_path / "xx.tsv").write_text("# header\nword\tnot-a-number\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"xx\.tsv: line 2"):
        WordFrequencies.read("xx", tmp_path)
    assert WordFrequencies.read("yy", tmp_path).weight("anything") == 1.0


@pytest.mark.parametrize(
    ("question", "locale", "key"),
    [
        ("Can the carrier keep a copy of my call details?", "en-US", "p2"),
        ("How long does the carrier keep my call records?", "en-US", None),
    ],
)
def test_keeping_a_copy_is_export_keeping_for_a_time_is_retention(
    kb: KnowledgeBase, question: str, locale: str, key: str | None
) -> None:
    outcome = kb.ask(question, locale)
    assert [p.key for p in outcome.answers] == ([key] if key else [])


def test_a_mention_left_in_the_text_is_not_part_of_the_question(kb: KnowledgeBase) -> None:
    outcome = kb.ask("<at>Privacy Bot</at> Operator Connect, ça permet de faire quoi ?", "fr-FR")
    assert [p.key for p in outcome.answers] == ["l1.1"]


def test_a_message_is_read_by_its_last_sentences_only() -> None:
    # A hostile message of hundreds of short sentences costs MAX_SENTENCES readings.
    text = " ".join(f"Sentence number {i}." for i in range(200)) + " Is my IP shared?"
    parts = sentences(text)
    assert len(parts) == MAX_SENTENCES
    assert parts[-1] == "Is my IP shared?" and parts[0] == "Sentence number 185."


# Round 6: messages written for these tests (not from any evaluation set).
@pytest.mark.parametrize(
    ("question", "locale"),
    [
        (
            "Hi, I look after the switchboard at a ferry company. Our telco says it listens to "
            "all Teams calls for training. Is that in the notice?",
            "en-US",
        ),
        (
            "Morning. I'm a paralegal. The carrier's rep says they keep recordings of our calls "
            "for years. Where does it say that?",
            "en-US",
        ),
        (
            "Bonjour, je suis assistante juridique. Le commercial de l'opérateur dit qu'ils "
            "gardent les enregistrements de nos appels pendant des années. C'est écrit où ?",
            "fr-FR",
        ),
        (
            "Hallo, ich bin Rechtsanwaltsfachangestellte. Der Vertrieb des Anbieters sagt, sie "
            "bewahren Aufzeichnungen unserer Anrufe jahrelang auf. Wo steht das?",
            "de-DE",
        ),
        (
            "Hola, soy asistente legal. El comercial del operador dice que guardan grabaciones "
            "de nuestras llamadas durante años. ¿Dónde lo pone?",
            "es-ES",
        ),
        (
            "Ciao, sono assistente legale. Il commerciale dell'operatore dice che conservano le "
            "registrazioni delle nostre chiamate per anni. Dove c'è scritto?",
            "it-IT",
        ),
        (
            "法律事務の補助をしています。事業者の営業が、通話の録音を何年も保管すると言っています。"
            "どこに書いてありますか？",
            "ja-JP",
        ),
    ],
)
def test_pointing_at_a_claim_the_notice_does_not_cover_is_refused(
    kb: KnowledgeBase, question: str, locale: str
) -> None:
    """ "Where does it say that?" asks about the claim before it, not for the privacy links."""
    assert kb.ask(question, locale).verdict == Verdict.NOT_COVERED


@pytest.mark.parametrize(
    ("question", "locale"),
    [
        (
            "Morning. I'm a paralegal. The carrier's rep says they can download our call "
            "details. Where does it say that?",
            "en-US",
        ),
        (
            "法律事務の補助をしています。事業者の営業が、通話の詳細をダウンロードできると言っています。"
            "どこに書いてありますか？",
            "ja-JP",
        ),
    ],
)
def test_pointing_at_a_claim_the_notice_covers_is_answered(
    kb: KnowledgeBase, question: str, locale: str
) -> None:
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "p2"


@pytest.mark.parametrize(
    "question",
    [
        "Estoy preparando una evaluación de riesgos. Necesito la declaración de privacidad de "
        "Microsoft para Teams. ¿Dónde la consigo?",
        "Hago una revisión de impacto para el comité. Necesito la política de privacidad del "
        "operador. ¿Dónde la encuentro?",
    ],
)
def test_the_clearest_reading_wins_when_the_whole_message_finds_none(
    kb: KnowledgeBase, question: str
) -> None:
    """A bare "where is it?" leans on the sentence that names what is wanted; the scene
    before it (a risk review, a committee) is left out of the reading that wins."""
    outcome = kb.ask(question, "es-ES")
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "p3"


def test_a_one_sentence_question_is_read_once(kb: KnowledgeBase) -> None:
    """Only messages of several sentences get the extra readings (speed of the common case)."""
    index = kb.indexes["en-US"]
    assert (
        kb._clearest_reading(index, "What is the weather like in Paris tomorrow?", "en-US") is None
    )
    two = "I run a small team. What is the weather like in Paris tomorrow?"
    assert kb._clearest_reading(index, two, "en-US") is None
    assert kb.ask(two, "en-US").verdict != Verdict.ANSWER


@pytest.mark.parametrize(
    ("question", "locale"),
    [
        (
            "Last night a guest collapsed in the lobby and our porter dialled emergency services "
            "from a Teams handset. The crew came to the right entrance without being told. How?",
            "en-US",
        ),
        (
            "Hier soir un client s'est effondré dans le hall et le portier a appelé les secours "
            "depuis un combiné Teams. L'équipe est arrivée à la bonne entrée sans qu'on le lui "
            "dise. Comment ?",
            "fr-FR",
        ),
        (
            "Gestern Abend ist ein Gast in der Lobby zusammengebrochen und der Portier hat vom "
            "Teams-Apparat den Notruf gewählt. Das Team kam ohne Hinweis zum richtigen Eingang. "
            "Wie?",
            "de-DE",
        ),
        (
            "Ieri sera un ospite è crollato nella hall e il portiere ha chiamato il 112 da un "
            "apparecchio Teams. La squadra è arrivata all'ingresso giusto senza indicazioni. "
            "In che modo?",
            "it-IT",
        ),
    ],
)
def test_a_question_that_points_back_is_asked_by_what_the_scene_names(
    kb: KnowledgeBase, question: str, locale: str
) -> None:
    """The story's own words (a guest, a lobby, a porter) are left out; what it names of
    the notice (an emergency call, and where we were) is what the bare "How?" asks."""
    outcome = kb.ask(question, locale)
    assert outcome.verdict == Verdict.ANSWER and outcome.best is not None
    assert outcome.best.key == "l2.3"


@pytest.mark.parametrize(
    "question",
    [
        "My SIP password expired this morning and the carrier's portal locked me out. "
        "Where do I reset it?",
        "I was on hold with the carrier for an hour yesterday. Their agent was rude. "
        "Who do I complain to?",
    ],
)
def test_the_scene_read_again_does_not_answer_what_the_notice_lacks(
    kb: KnowledgeBase, question: str
) -> None:
    assert kb.ask(question, "en-US").verdict != Verdict.ANSWER
