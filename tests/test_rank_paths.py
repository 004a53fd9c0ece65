"""A small index ranks in plain Python, a large one with numpy: the same matches and scores.

The questions are the project's question sets and seeded random word bags of
every notice (with typos, context sentences and words the notices never use),
so that both ways meet weak hits, referents, phrasings and ties alike.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.index import PLAIN_MAX_PASSAGES, LocaleIndex
from knowledge.yamlfile import load_yaml

EVAL = Path(__file__).parent / "eval"
EXTRA = ["password", "112", "IP", "SIP", "Teams", "hier", "ayer", "gestern", "電話", "?", "."]


def vector_twin(index: LocaleIndex) -> LocaleIndex:
    twin = copy.copy(index)
    twin.plain = False
    return twin


def sample_questions(kb: KnowledgeBase, locale: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    vocabulary = [
        w
        for p in kb.passages.values()
        if p.locale == locale
        for w in (
            p.text.split()
            if not locale.startswith("ja")
            else [p.text[i : i + 3] for i in range(0, len(p.text), 3)]
        )
    ]
    out = []
    for _ in range(count):
        size = rng.randint(1, 25)
        bag = [
            rng.choice(vocabulary) if rng.random() < 0.85 else rng.choice(EXTRA)
            for _ in range(size)
        ]
        if rng.random() < 0.2:  # a typo
            i = rng.randrange(len(bag))
            bag[i] = bag[i][:-1] if len(bag[i]) > 4 else bag[i]
        text = " ".join(bag)
        if rng.random() < 0.4:  # a scene set before the question
            text = " ".join(rng.sample(vocabulary, min(8, len(vocabulary)))) + ". " + text + " ?"
        out.append(text)
    return out


def set_questions(locale: str) -> list[str]:
    language = locale.split("-")[0]
    out = []
    for path in sorted(EVAL.glob("*.yaml")):
        for group, items in (load_yaml(path) or {}).items():
            if str(group).split("-")[0] == language:
                out.extend(str(item[0]) for item in items)
    return out


def test_the_shipped_indexes_are_small(kb: KnowledgeBase) -> None:
    assert all(index.plain for index in kb.indexes.values())
    assert all(len(index.entries) <= PLAIN_MAX_PASSAGES for index in kb.indexes.values())


@pytest.mark.parametrize("locale", ["en-US", "fr-FR", "de-DE", "it-IT", "es-ES", "ja-JP"])
def test_plain_and_vector_ranking_agree(kb: KnowledgeBase, locale: str) -> None:
    plain = kb.indexes[locale]
    vector = vector_twin(plain)
    questions = set_questions(locale) + sample_questions(kb, locale, 400, seed=11)
    assert len(questions) > 400
    compared = 0
    for question in questions:
        terms = plain.read(question)
        for limit in (1, 5, 10):
            assert plain.rank(terms, limit) == vector.rank(terms, limit), question
        compared += bool(plain.rank(terms))
    # Most questions reach some passage: the comparison is not of empty lists.
    assert compared > len(questions) // 2


@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_a_question_found_in_one_passage_ranks_alike(kb: KnowledgeBase, locale: str) -> None:
    """One notice word among many unknown ones: numpy sums that lone column pairwise."""
    plain = kb.indexes[locale]
    vector = vector_twin(plain)
    rng = random.Random(3)
    syllables = ["fa", "he", "pi", "lo", "xu", "na", "qe", "ro", "ti", "vu", "ke", "do"]
    known = sorted({w for p in kb.passages.values() if p.locale == locale for w in p.text.split()})
    one_passage = 0
    for _ in range(300):
        made_up = ["".join(rng.choices(syllables, k=rng.randint(3, 5))) for _ in range(12)]
        terms = plain.read(" ".join([rng.choice(known), *made_up]))
        ranked = plain.rank(terms, 5)
        assert ranked == vector.rank(terms, 5)
        one_passage += len(ranked) == 1
    assert one_passage > 10  # the lone-column case is met, not only many-passage ones


def test_a_large_index_ranks_with_vectors(kb: KnowledgeBase) -> None:
    index = kb.indexes["fr-FR"]
    passages = [e.passage for e in index.entries] * (PLAIN_MAX_PASSAGES // len(index.entries) + 1)
    large = LocaleIndex("fr-FR", index.analyzer, passages)
    assert not large.plain
    question = "Est-ce que mon adresse IP est transmise ?"
    [best] = large.rank(large.read(question), 1)
    assert best.passage.key == index.rank(index.read(question), 1)[0].passage.key == "l2.2"
