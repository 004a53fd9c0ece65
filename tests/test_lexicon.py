from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeBase, KnowledgeError, Verdict
from knowledge.base import DEFAULT_LEXICON
from knowledge.lexicon import Analyzer, load_analyzers


@pytest.fixture(scope="module")
def analyzers() -> dict[str, Analyzer]:
    return load_analyzers(DEFAULT_LEXICON)


def keys(analyzer: Analyzer, text: str) -> list[set[str]]:
    return [set(slot.keys) for slot in analyzer.slots(text)]


def test_every_language_of_the_notices_has_a_lexicon(analyzers: dict[str, Analyzer]) -> None:
    assert sorted(analyzers) == ["de", "en", "es", "fr", "it", "ja"]


@pytest.mark.parametrize(
    ("language", "text", "concept"),
    [
        ("fr", "ma localisation", "~location"),
        ("fr", "l'emplacement", "~location"),
        ("fr", "le responsable du traitement", "~controller"),
        ("it", "il titolare del trattamento", "~controller"),
        ("en", "the carrier", "~operator"),
        ("de", "der Netzbetreiber", "~operator"),
        ("fr", "opérateur Connecter", "~operator_connect"),
        ("it", "Connessione con operatore", "~operator_connect"),
        ("es", "operador Conectar", "~operator_connect"),
        ("de", "IP-Adressen", "~ip"),
        (
            "fr",
            "transmise",
            "~share",
        ),  # Snowball stems it unlike "transmis": the prefix rule joins them
        ("ja", "位置情報", "~location"),
    ],
)
def test_synonyms_meet_in_one_concept(
    analyzers: dict[str, Analyzer], language: str, text: str, concept: str
) -> None:
    assert any(concept in k for k in keys(analyzers[language], text))


def test_stop_words_are_set_aside_and_words_stemmed(analyzers: dict[str, Analyzer]) -> None:
    slots = analyzers["fr"].slots("Est-ce que les appels sont partagés ?")
    assert [s.surface for s in slots] == ["appels", "partages"]


def test_an_exact_lexicon_word_beats_a_stem_collision(analyzers: dict[str, Analyzer]) -> None:
    # Snowball cuts Italian "quali" and "qualità" to the same stem.
    [slot] = analyzers["it"].slots("quali")
    assert slot.keys == {"?which"}


def test_a_phrase_member_alone_is_only_a_weak_key(analyzers: dict[str, Analyzer]) -> None:
    [slot] = analyzers["it"].slots("indirizzi IP")
    assert "~ip" in slot.keys and "indirizz" in slot.weak and "indirizz" not in slot.keys


@pytest.mark.parametrize(
    ("language", "text", "kind"),
    [
        ("fr", "Bonjour !", "greeting"),
        ("fr", "merci, au revoir", "goodbye"),
        ("it", "grazie mille", "thanks"),
        ("en", "hi there", "greeting"),
        ("en", "thanks!", "thanks"),
        ("ja", "ありがとうございます", "thanks"),
        ("fr", "Bonjour, mon adresse IP est-elle partagée ?", None),
    ],
)
def test_small_talk_only_when_the_message_is_only_that(
    analyzers: dict[str, Analyzer], language: str, text: str, kind: str | None
) -> None:
    assert analyzers[language].small_talk_kind(text) == kind


def test_a_broken_lexicon_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "xx.yaml"
    path.write_text("language: xx\nstemmer: klingon\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"xx\.yaml: unknown Snowball stemmer"):
        load_analyzers(tmp_path)
    path.write_text("language: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"xx\.yaml: invalid YAML"):
        load_analyzers(tmp_path)
    path.write_text("language: yy\nstemmer: null\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="does not match the file name"):
        load_analyzers(tmp_path)


def test_phrases_with_small_words_match_as_written(analyzers: dict[str, Analyzer]) -> None:
    # "por qué" is "why": its meaning is in the stop words.
    assert keys(analyzers["es"], "¿Por qué se comparte?")[0] == {"?purpose"}
    assert {"~call_details"} in keys(analyzers["de"], "Weiß er, wen ich anrufe?")


def test_yes_no_on_off_stay_words_in_lexicon_files(analyzers: dict[str, Analyzer]) -> None:
    # PyYAML 1.1 would read them as booleans.
    assert "on" in analyzers["fr"].stopwords
    assert "no" in analyzers["es"].stopwords


def test_latin_terms_in_japanese_are_whole_words(analyzers: dict[str, Analyzer]) -> None:
    concepts = {k for s in analyzers["ja"].slots("SIP アドレス") for k in s.keys}
    assert "~ip" not in concepts and "~sip" in concepts


def test_japanese_stop_words_are_cut_out(analyzers: dict[str, Analyzer]) -> None:
    surfaces = [s.surface for s in analyzers["ja"].slots("私の電話番号")]
    assert surfaces == ["電話番号"]


def test_french_participles_of_communiquer_share_not_call(analyzers: dict[str, Analyzer]) -> None:
    # Snowball cuts "communiqués" like "communication"; the listed word wins.
    [slot] = analyzers["fr"].slots("communiqués")
    assert slot.keys == {"~share"}


def test_each_script_has_its_analyser(tmp_path: Path) -> None:
    from knowledge.lexicon import CjkAnalyzer

    analyzers = load_analyzers(DEFAULT_LEXICON)
    assert type(analyzers["ja"]) is CjkAnalyzer
    assert type(analyzers["fr"]) is Analyzer
    bad = tmp_path / "xx.yaml"
    bad.write_text("language: xx\nscript: runic\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="'script' must be one of"):
        Analyzer.from_file(bad)


def test_no_term_is_both_a_notice_concept_and_an_uncovered_topic() -> None:
    # An uncovered topic vetoes an answer: a word of the notice's own concepts
    # (even by its stem: "records" and "recorded") must never carry that veto.
    for language, analyzer in load_analyzers(DEFAULT_LEXICON).items():
        for table in (analyzer.phrases, analyzer.exact, analyzer.substrings):
            for term, keys in table.items():
                kinds = {k[0] for k in keys} - {"?"}
                assert kinds != {"~", "!"}, (language, term, sorted(keys))


def test_a_lookalike_of_an_uncovered_topic_does_not_veto() -> None:
    # Snowball leaves "cuestión" (a matter) and "esterno" (outside) with stems
    # that start like "cuesta" (costs) and "estero" (abroad): the guess by a
    # stem's start names the notice's concepts only, never a topic it lacks.
    analyzers = load_analyzers(DEFAULT_LEXICON)
    for language, word in (("es", "cuestion"), ("it", "esterno"), ("es", "correcto")):
        keys = {k for slot in analyzers[language].slots(word) for k in slot.keys}
        assert not any(k.startswith("!") for k in keys), (language, word, keys)
    # A word listed under the topic still names it.
    keys = {k for slot in analyzers["es"].slots("cuesta") for k in slot.keys}
    assert "!price" in keys


def test_the_notices_own_words_name_only_their_own_topics(kb: KnowledgeBase) -> None:
    # A lexicon word that stems like a word of another passage gives that
    # passage a topic it does not speak of: Spanish "fines" (purposes) and
    # "finales" (end users) read as call end times, the SIP URI's "Uniform
    # Resource Identifiers" as caller identifiers. The passages about the
    # feature and why Microsoft shares hold no call detail, and the number
    # item no caller identifier.
    details = {"~call_times", "~call_details", "~duration", "~ip", "~os", "~location"}
    for passage in kb.passages.values():
        if passage.key not in {"l1.1", "l1.2", "l2.1"}:
            continue
        analyzer = kb.indexes[passage.locale].analyzer
        keys = {k for slot in analyzer.slots(passage.text) for k in slot.keys}
        assert not keys & details, (passage.locale, passage.key, sorted(keys & details))


def test_one_boundary_check_around_the_phrases_matches_as_one_per_phrase() -> None:
    import random
    import re

    import yaml

    from knowledge.lexicon import _phrase_pattern
    from knowledge.text import fold

    english = yaml.safe_load((DEFAULT_LEXICON / "en.yaml").read_text(encoding="utf-8"))
    # A real list too: its phrases share first letters ("can you explain", "could you…").
    real = sorted({fold(str(p)) for p in english["ignore"]})
    phrases = [
        "privacy bot",
        "bot",
        "hey bot",
        "ボット",
        "プライバシー ボット",
        "ip",
        "sip uri",
        *real,
    ]
    ordered = sorted(phrases, key=len, reverse=True)
    one_per_phrase = re.compile(
        "|".join(
            rf"(?<![^\W_]){re.escape(p)}(?![^\W_])" if p[:1].isascii() else re.escape(p)
            for p in ordered
        )
    )
    pattern = _phrase_pattern(phrases)
    assert pattern is not None
    rng = random.Random(5)
    pieces = [
        *phrases[:7],
        *real[::7],
        "a",
        "x",
        " ",
        "_",
        "-",
        "é",
        "2",
        "robot",
        "bots",
        "の",
        "?",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert pattern.sub("|", text) == one_per_phrase.sub("|", text), text


def test_a_german_compound_is_read_by_its_head_and_modifier(
    analyzers: dict[str, Analyzer],
) -> None:
    de = analyzers["de"]
    # The head says what the compound is, covered or not ...
    assert "!content" in keys(de, "Chatnachrichten")[0]
    assert "!recording" in keys(de, "Gesprächsaufzeichnung")[0]
    # ... and the modifier adds what it names.
    assert {"~location", "~data"} <= keys(de, "Standortangaben")[0]
    # Languages that do not write closed compounds keep unknown words whole.
    assert keys(analyzers["en"], "chatmessages") == [{"chatmessag"}]


def test_a_compound_naming_an_uncovered_topic_is_refused(kb: KnowledgeBase) -> None:
    outcome = kb.ask("Kann mein Netzbetreiber die Chatnachrichten lesen?", "de-DE")
    assert outcome.verdict != Verdict.ANSWER


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("en-US", "If we switch to a different carrier, can I take my Teams number along?"),
        ("fr-FR", "Si on passe chez un autre opérateur, je garde le même numéro de téléphone ?"),
        ("de-DE", "Bleibt meine Rufnummer gleich, wenn wir zu einem anderen Anbieter gehen?"),
        ("es-ES", "¿Conservo mi número de teléfono si nos vamos con otro operador?"),
        ("it-IT", "Se passiamo a un altro gestore, il mio numero di telefono resta lo stesso?"),
        ("ja-JP", "別の事業者に変えたら、電話番号はそのままですか？"),
    ],
)
def test_moving_to_another_carrier_is_not_covered(
    kb: KnowledgeBase, locale: str, question: str
) -> None:
    # The notice speaks of one's own operator; switching carriers (and a
    # number kept through it) is not in it, however many words it shares.
    assert kb.ask(question, locale).verdict != Verdict.ANSWER


def test_a_word_listed_for_an_uncovered_topic_beats_a_phrase_met_by_stems(
    analyzers: dict[str, Analyzer], kb: KnowledgeBase
) -> None:
    it = analyzers["it"]
    # "registrare" (to record) meets "registri delle chiamate" (call logs) only
    # by stems: as typed, it is a recording.
    assert "!recording" in keys(it, "registrare chiamate")[0]
    assert "~call_details" in keys(it, "registri delle chiamate")[0]
    question = "Il mio gestore telefonico può registrare anche le chiamate di lavoro?"
    assert kb.ask(question, "it-IT").verdict != Verdict.ANSWER
    best = kb.ask("Il gestore vede il registro delle chiamate?", "it-IT").best
    assert best is not None and best.key == "l2.2"
