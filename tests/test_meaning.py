"""The meaning reader: its examples, its stored vectors, its opinion, and how policy
uses it (knowledge.meaning, knowledge.policy.reconsider)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from knowledge import KnowledgeBase, KnowledgeError, Match, Outcome, PassageKind, Verdict
from knowledge.loader import load_notice
from knowledge.meaning import (
    MAX_CHARS,
    MAX_CJK_CHARS,
    TOP_K,
    VECTORS_FILE,
    Example,
    MeaningIndex,
    Opinion,
    VectorStore,
    digest,
    label_of,
    load_examples,
    window,
)
from knowledge.policy import (
    MEANING_AGREE_LEAD,
    MEANING_AGREE_SCORE,
    MEANING_AGREE_WORDS,
    MEANING_ASKED_VETO,
    MEANING_CHOICE_LEAD,
    MEANING_DOUBT_SCORE,
    MEANING_NOT_COVERED_LEAD,
    MEANING_SWITCH_LEAD,
    MEANING_SWITCH_RANGE,
    MEANING_SWITCH_SCORE,
    Refusal,
    asked_vetoes,
    may_reconsider,
    reconsider,
    switched,
)
from tests.matches import match

NOTICES = Path(__file__).resolve().parent.parent / "knowledge" / "notices"
SLUG = "operator-connect-privacy"


class TableEncoder:
    """An encoder that knows a few texts' vectors, and counts what it encodes."""

    name = "table-1"

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = {t: np.asarray(v, np.float32) / np.linalg.norm(v) for t, v in table.items()}
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        self.encoded.extend(texts)
        return np.stack([self.table[t] for t in texts])


# -- the opinion --------------------------------------------------------------


def test_a_label_scores_the_mean_of_its_nearest_examples() -> None:
    encoder = TableEncoder(
        {
            "a1": [1, 0, 0],
            "a2": [1, 0.2, 0],
            "a3": [1, 0.4, 0],
            "a4": [0, 0, 1],  # far from the message: not among a's TOP_K nearest
            "b1": [0.2, 1, 0],
            "none1": [0.7, 0.7, 0],
            "message": [1, 0, 0],
        }
    )
    examples = [Example(t, "n#a") for t in ("a1", "a2", "a3", "a4")]
    examples += [Example("b1", "n#b"), Example("none1", "n#none")]
    index = MeaningIndex(encoder, examples)
    opinion = index.opinion("message")
    assert TOP_K == 3
    vectors = encoder.table
    expected_a = np.mean([vectors["message"] @ vectors[t] for t in ("a1", "a2", "a3")])
    assert opinion.best == "n#a"
    assert opinion.score("n#a") == pytest.approx(expected_a, abs=1e-3)
    # A label with fewer examples than TOP_K scores the mean of those it has.
    assert opinion.score("n#b") == pytest.approx(vectors["message"] @ vectors["b1"], abs=1e-3)
    assert opinion.score("n#b") > 0.1
    assert opinion.score("n#none") == pytest.approx(vectors["message"] @ vectors["none1"], abs=1e-3)
    assert [label for label, _ in opinion.ranked] == ["n#a", "n#none", "n#b"]


def test_ties_keep_the_order_labels_were_first_seen() -> None:
    encoder = TableEncoder({"x": [1, 0], "y": [1, 0], "q": [1, 0]})
    index = MeaningIndex(encoder, [Example("x", "n#second"), Example("y", "n#first")])
    assert [label for label, _ in index.opinion("q").ranked] == ["n#second", "n#first"]


def test_lead_is_the_distance_to_the_best_other_label() -> None:
    opinion = Opinion((("n#a", 0.7), ("n#none", 0.65), ("n#b", 0.4)))
    assert opinion.lead("n#a") == pytest.approx(0.05)
    assert opinion.lead("n#none") == pytest.approx(-0.05)
    assert opinion.lead("n#b") == pytest.approx(-0.3)
    assert opinion.score("n#missing") == 0.0


def test_a_long_message_is_read_up_to_what_it_asks_from_a_word() -> None:
    question = "Does the carrier get my number?"
    message = "I work in sales and we just moved to Teams. " * 20 + question
    cut = window(message)
    assert len(cut) <= MAX_CHARS
    assert cut.endswith(question)
    assert message.endswith(cut)
    assert cut[0] != " " and message[-len(cut) - 1] == " "
    assert window(question) == question
    # The scene after the question is not what is asked.
    after = question + " I'm asking because our works council wants to know." * 5
    assert window(after) == question
    # Japanese takes about twice the tokens a character: half as many characters.
    japanese = "会社の電話がTeamsに変わりました。" * 10 + "位置情報は通信事業者に送られますか？"
    assert len(window(japanese)) <= MAX_CJK_CHARS < MAX_CHARS
    assert window(japanese).endswith("位置情報は通信事業者に送られますか？")
    # A message that asks nothing is read by its end.
    statement = "Nobody told us anything about this at all. " * 10
    assert statement.rstrip().endswith(window(statement))


# -- stored vectors -------------------------------------------------------------


def test_stored_vectors_are_used_and_only_new_examples_are_encoded(tmp_path: Path) -> None:
    table = {"one": [1, 0], "two": [0, 1], "three": [1, 1]}
    first = TableEncoder(table)
    store = VectorStore()
    kept = store.embed(first, ["one", "two"])
    path = tmp_path / VECTORS_FILE
    store.write(path)

    again = TableEncoder(table)
    read = VectorStore.read(path)
    vectors = read.embed(again, ["two", "three", "one"])
    assert again.encoded == ["three"]
    np.testing.assert_array_equal(vectors[0], kept[1])
    np.testing.assert_array_equal(vectors[2], kept[0])
    # Stored and fresh vectors are rounded alike, so neither scores differently.
    np.testing.assert_array_equal(
        vectors[1], np.float32(table["three"] / np.sqrt(2)).astype(np.float16)
    )


def test_another_encoders_vectors_are_not_used(tmp_path: Path) -> None:
    store = VectorStore()
    store.embed(TableEncoder({"one": [1, 0]}), ["one"])
    other = TableEncoder({"one": [0, 1]})
    other.name = "table-2"
    assert digest("table-1", "one") != digest("table-2", "one")
    vectors = store.embed(other, ["one"])
    assert other.encoded == ["one"]
    np.testing.assert_array_equal(vectors[0], [0, 1])


def test_a_broken_vectors_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / VECTORS_FILE
    path.write_bytes(b"not a zip archive")
    with pytest.raises(KnowledgeError) as caught:
        VectorStore.read(path)
    assert caught.value.path == path
    np.savez(path, keys=np.array(["a", "b"]), vectors=np.zeros((1, 4)))
    with pytest.raises(KnowledgeError, match="do not match"):
        VectorStore.read(path)


def test_the_shipped_vectors_hold_every_example(kb: KnowledgeBase) -> None:
    """`python -m knowledge vectors` was run after the last change of an example."""
    assert kb.meaning is not None
    assert kb.meaning.encoded_at_start == 0
    stored = VectorStore.read(NOTICES / VECTORS_FILE)
    wanted = {digest(kb.meaning.encoder.name, e.text) for e in kb.meaning.examples}
    assert set(stored.vectors) == wanted


# -- example files --------------------------------------------------------------


def _notice_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "en-US"
    folder.mkdir()
    source = NOTICES / "en-US" / f"{SLUG}.md"
    (folder / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / source.name


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("l9:\n  - what?\n", "no passage 'l9'"),
        ("l2.3: where am I\n", "l2.3: expected a list of non-empty messages"),
        ("- just a list\n", "expected a mapping"),
        ("l2.3: [\n", "invalid YAML"),
    ],
)
def test_a_broken_examples_file_is_an_error_naming_it(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = _notice_copy(tmp_path)
    examples = path.with_name(f"{SLUG}.examples.yaml")
    examples.write_text(content, encoding="utf-8")
    notice = load_notice(path)
    with pytest.raises(KnowledgeError, match=problem) as caught:
        load_examples(notice, ["p1", "l2.3"])
    assert caught.value.path == examples


def test_examples_name_passages_and_none_for_what_is_not_covered(tmp_path: Path) -> None:
    path = _notice_copy(tmp_path)
    path.with_name(f"{SLUG}.examples.yaml").write_text(
        "l2.3:\n  - ' where am I when I dial 911 '\nnone:\n  - how long is it kept?\n",
        encoding="utf-8",
    )
    examples = load_examples(load_notice(path), ["l2.3"])
    assert examples == [
        Example("where am I when I dial 911", label_of(SLUG, "l2.3")),
        Example("how long is it kept?", label_of(SLUG, "none")),
    ]


def test_every_shipped_notice_has_examples_of_every_passage_and_of_none(
    kb: KnowledgeBase,
) -> None:
    for (locale, slug), notice in kb.notices.items():
        keys = {p.key for p in kb.notice_passages(locale, slug)}
        labels = {e.label for e in load_examples(notice, keys)}
        assert labels == {label_of(slug, k) for k in keys | {"none"}}, locale


def test_every_translation_of_a_notice_has_the_same_passages(kb: KnowledgeBase) -> None:
    """Labels are pooled across languages by key: a translation cut differently
    would give one language's examples to another passage."""
    shapes: dict[str, set[tuple[tuple[str, str, str | None], ...]]] = {}
    for locale, slug in kb.notices:
        shape = tuple(
            (p.key, str(p.kind), p.parent and p.parent.split("#")[-1])
            for p in sorted(kb.notice_passages(locale, slug), key=lambda p: p.order)
        )
        shapes.setdefault(slug, set()).add(shape)
    assert all(len(found) == 1 for found in shapes.values()), shapes


# -- the real encoder -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "key"),
    [
        # Words the lexicon never lists; the meaning is plain.
        ("Does the phone company see which operating system my laptop runs when I call?", "l2.2"),
        ("Si appelle le SAMU depuis mon poste, l'opérateur sait-il où je suis ?", "l2.3"),
        ("Kann der Provider sich die ganzen Infos einfach runterladen?", "p2"),
        ("¿Quién responde legalmente por mis datos personales en todo esto?", "p1"),
        ("In pratica a cosa serve collegare Teams a un operatore telefonico?", "l1.1"),
        ("会社は私たちにこのことを知らせる義務がありますか", "l1"),
    ],
)
def test_the_encoder_reads_paraphrases_in_every_language(
    kb: KnowledgeBase, question: str, key: str
) -> None:
    assert kb.meaning is not None
    assert kb.meaning.opinion(question).best == label_of(SLUG, key)


def test_what_the_notice_does_not_say_is_nearest_its_none_examples(kb: KnowledgeBase) -> None:
    assert kb.meaning is not None
    opinion = kb.meaning.opinion("How many years does the carrier archive my call logs?")
    assert opinion.best == label_of(SLUG, "none")


# -- policy -----------------------------------------------------------------------


def _match(key: str, score: float) -> Match:
    return match(key, score, notice=SLUG, kind=PassageKind.PARAGRAPH)


def _opinion(**scores: float) -> Opinion:
    ranked = [(label_of(SLUG, k.replace("_", ".")), s) for k, s in scores.items()]
    return Opinion(tuple(sorted(ranked, key=lambda r: -r[1])))


def _keys(outcome: Outcome) -> tuple[Verdict, list[str]]:
    return outcome.verdict, [m.passage.key for m in outcome.matches]


def test_a_did_you_mean_is_the_choice_the_meaning_reader_clearly_prefers() -> None:
    doubt = Outcome(Verdict.SUGGEST, "en-US", (_match("l2.2", 0.54), _match("p2", 0.5)))
    clear = _opinion(p2=0.63, l2_2=0.63 - MEANING_CHOICE_LEAD - 0.01, none=0.4)
    assert _keys(reconsider(doubt, clear)) == (Verdict.ANSWER, ["p2", "l2.2"])
    close = _opinion(p2=0.63, l2_2=0.63 - MEANING_CHOICE_LEAD / 2)
    assert reconsider(doubt, close) is doubt
    elsewhere = _opinion(l2_3=0.8, p2=0.6)
    assert reconsider(doubt, elsewhere) is doubt


def test_an_answer_moves_to_a_near_runner_up_the_meaning_reader_prefers() -> None:
    answer = Outcome(Verdict.ANSWER, "en-US", (_match("l2.2", 0.86), _match("l2", 0.79)))
    prefers_list = _opinion(l2=0.70, l2_2=0.70 - MEANING_SWITCH_LEAD - 0.01)
    assert _keys(reconsider(answer, prefers_list)) == (Verdict.ANSWER, ["l2", "l2.2"])
    barely = _opinion(l2=0.70, l2_2=0.70 - MEANING_SWITCH_LEAD / 2)
    assert reconsider(answer, barely) is answer
    weakly = _opinion(l2=MEANING_SWITCH_SCORE - 0.01, l2_2=0.3)
    assert reconsider(answer, weakly) is answer
    far_behind = (_match("l2.2", 0.86), _match("l2", 0.86 - MEANING_SWITCH_RANGE - 0.05))
    far = Outcome(Verdict.ANSWER, "en-US", far_behind)
    assert reconsider(far, prefers_list) is far
    # The words put the list first on purpose ("anything else than my number?").
    ruled = Outcome(Verdict.ANSWER, "en-US", (_match("l2", 0.36), _match("l2.1", 0.62)))
    assert reconsider(ruled, _opinion(l2_1=0.8, l2=0.5)) is ruled


def test_what_is_asked_read_alone_can_keep_the_words_answer() -> None:
    """A long message is read whole by the encoder, scene included: a switch stands
    only if the asking sentence alone does not clearly prefer the words' answer."""
    before = Outcome(Verdict.ANSWER, "en-US", (_match("l2", 0.89), _match("l2.2", 0.85)))
    after = reconsider(before, _opinion(l2_2=0.63, l2=0.52))
    assert switched(before, after)
    assert asked_vetoes(before, after, _opinion(l2=0.78, l2_2=0.78 - MEANING_ASKED_VETO - 0.01))
    assert not asked_vetoes(before, after, _opinion(l2=0.6, l2_2=0.6 - MEANING_ASKED_VETO / 2))
    assert not switched(before, before)
    assert not asked_vetoes(before, before, _opinion(l2=0.9, l2_2=0.1))


def test_an_unsure_answer_is_withdrawn_when_the_message_means_what_is_not_covered() -> None:
    unsure = Outcome(Verdict.ANSWER, "en-US", (_match("l2.2", MEANING_DOUBT_SCORE - 0.1),))
    assert may_reconsider(unsure)
    clearly_not = _opinion(none=0.65, l2_2=0.65 - MEANING_NOT_COVERED_LEAD - 0.01)
    assert reconsider(unsure, clearly_not).verdict == Verdict.NOT_COVERED
    close_call = _opinion(none=0.62, l2_2=0.62 - MEANING_NOT_COVERED_LEAD / 2)
    assert reconsider(unsure, close_call) is unsure
    sure = Outcome(Verdict.ANSWER, "en-US", (_match("l2.2", MEANING_DOUBT_SCORE + 0.1),))
    assert not may_reconsider(sure)
    assert reconsider(sure, clearly_not) is sure


def test_a_not_covered_for_want_of_evidence_is_answered_when_both_readings_agree() -> None:
    matches = (_match("l1.1", MEANING_AGREE_WORDS + 0.1), _match("l2", MEANING_AGREE_WORDS))
    weak = Outcome(Verdict.NOT_COVERED, "en-US", matches, refusal=Refusal.WEAK)
    agree = _opinion(
        l1_1=MEANING_AGREE_SCORE + 0.1, l2=MEANING_AGREE_SCORE + 0.1 - MEANING_AGREE_LEAD - 0.01
    )
    assert _keys(reconsider(weak, agree)) == (Verdict.ANSWER, ["l1.1", "l2"])
    low = _opinion(l1_1=MEANING_AGREE_SCORE - 0.05, l2=0.2)
    assert reconsider(weak, low) is weak
    disagree = _opinion(l2=0.7, l1_1=0.6)
    assert reconsider(weak, disagree) is weak
    next_to_nothing = (_match("l1.1", MEANING_AGREE_WORDS - 0.1),)
    too_weak = Outcome(Verdict.NOT_COVERED, "en-US", next_to_nothing, refusal=Refusal.WEAK)
    assert reconsider(too_weak, agree) is too_weak


@pytest.mark.parametrize(
    "refusal", [Refusal.NO_TOPIC, Refusal.UNCOVERED_TOPIC, Refusal.LACKING_WORD, None]
)
def test_other_refusals_stand_whatever_the_meaning_reader_says(refusal: Refusal | None) -> None:
    """Retention, "my salary", the weather: the words' reasons to refuse are kept."""
    matches = (_match("l2.1", 0.45),)
    refused = Outcome(Verdict.NOT_COVERED, "en-US", matches, refusal=refusal)
    assert not may_reconsider(refused)
    assert reconsider(refused, _opinion(l2_1=0.9, none=0.2)) is refused


def test_messages_with_several_answers_are_not_reconsidered() -> None:
    several = Outcome(Verdict.ANSWER, "en-US", (_match("l2.1", 0.5),), more=(_match("p2", 0.6),))
    assert not may_reconsider(several)
    assert reconsider(several, _opinion(none=0.9)) is several


# -- end to end -------------------------------------------------------------------

# Messages of the tuning sets (tests/eval) that the words alone get wrong, one
# for each way the meaning reader settles a doubt: what the words say alone,
# then with the meaning reader (verdict, top passage, refusal).
SETTLED = [
    # A "did you mean" (call details or the export) answered.
    (
        "Can the phone provider pull a copy of those records off the system for themselves?",
        "en-US",
        (Verdict.SUGGEST, "l2.2", None),
        (Verdict.ANSWER, "p2", None),
    ),
    # An answer moved from an item (call details) to the list.
    (
        "Che cosa finisce al gestore telefonico quando chiamo da Teams?",
        "it-IT",
        (Verdict.ANSWER, "l2.2", None),
        (Verdict.ANSWER, "l2", None),
    ),
    # A "not covered" for want of evidence answered: both readings say p1.
    (
        "Wer trägt bei dieser Telefonielösung die datenschutzrechtliche Verantwortung?",
        "de-DE",
        (Verdict.NOT_COVERED, "p1", Refusal.WEAK),
        (Verdict.ANSWER, "p1", None),
    ),
    # An unsure answer (call details) withdrawn: the police are not in the notice.
    (
        "Le forze dell'ordine possono chiedere al gestore i miei tabulati?",
        "it-IT",
        (Verdict.ANSWER, "l2.2", None),
        (Verdict.NOT_COVERED, "l2.2", None),
    ),
]

# The messages policy's comments name, where the meaning reader must leave the
# words' outcome as it is (a threshold or a veto holds it).
KEPT = [
    ("Does the carrier know my blood type?", "en-US"),  # MEANING_CHOICE_SCORE
    ("¿qué hay que explicar a la plantilla sobre esta función?", "es-ES"),  # SWITCH_SCORE
    (
        "Our calls and their duration go through the carrier now. What is shared overall?",
        "en-US",
    ),  # MEANING_ASKED_VETO
    ("Who do my call records belong to?", "en-US"),  # MEANING_NOT_COVERED_LEAD
    ("Does my phone company get my shoe size?", "en-US"),  # Refusal.LACKING_WORD
    ("Is anything else shared apart from my SIP address?", "en-US"),  # a rule of the words
]


@pytest.fixture(scope="module")
def words_only() -> KnowledgeBase:
    return KnowledgeBase.load(meaning=False)


def _said(outcome: Outcome) -> tuple[Verdict, str | None, Refusal | None]:
    top = outcome.matches[0].passage.key if outcome.matches else None
    return outcome.verdict, top, outcome.refusal


@pytest.mark.parametrize(("question", "locale", "words", "meaning"), SETTLED)
def test_the_meaning_reader_settles_what_the_words_leave_in_doubt(
    kb: KnowledgeBase,
    words_only: KnowledgeBase,
    question: str,
    locale: str,
    words: tuple[Verdict, str, Refusal | None],
    meaning: tuple[Verdict, str, Refusal | None],
) -> None:
    assert _said(words_only.ask(question, locale)) == words
    assert _said(kb.ask(question, locale)) == meaning


@pytest.mark.parametrize(("question", "locale"), KEPT)
def test_the_meaning_reader_leaves_these_to_the_words(
    kb: KnowledgeBase, words_only: KnowledgeBase, question: str, locale: str
) -> None:
    assert _said(kb.ask(question, locale)) == _said(words_only.ask(question, locale))


def test_without_the_meaning_reader_no_encoder_is_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> None:
        raise AssertionError("the encoder was loaded")

    monkeypatch.setattr("knowledge.base.load_encoder", refuse)
    words = KnowledgeBase.load(meaning=False)
    assert words.meaning is None
    assert words.ask("Wo ist mein Standort, wenn ich 112 wähle?", "de-DE").verdict == Verdict.ANSWER
