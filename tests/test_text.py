from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.text import cjk_grams, fold, fold_unicode, latin_words, words


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("L’Opérateur", "l'operateur"),
        ("l\u2018operatore", "l'operatore"),
        ("adresse\u00a0IP\u202f?", "adresse ip ?"),
        ("  Données   PERSONNELLES ", "donnees personnelles"),
        ("Straße", "strasse"),
        ("ＩＰアドレス", "ipアドレス"),  # full-width letters fold, katakana stays
        ("ガイド", "ガイド"),  # voiced kana keep their mark
        ("¿Ubicación?", "¿ubicacion?"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@settings(derandomize=True, max_examples=500, deadline=None)
@given(
    st.text(
        st.one_of(
            st.characters(max_codepoint=127),
            st.sampled_from("’‘´`“”«»\u00a0\u202f\u2009\u200béÉçß\u0301ＩＰガイ"),
        )
    )
)
def test_the_ascii_shortcut_folds_as_the_full_normalisation(text: str) -> None:
    assert fold(text) == fold_unicode(text)


def test_fold_is_idempotent() -> None:
    text = "L’opérateur voit-il l’URI SIP ? 緊急通話の場所"
    assert fold(fold(text)) == fold(text)


def test_words_and_cjk_grams() -> None:
    assert words(fold("IP-Adressen, l'appel!")) == ["ip", "adressen", "l", "appel"]
    assert cjk_grams(fold("緊急通話の場所")) == ["緊急", "急通", "通話", "場所"]
    assert cjk_grams("の所") == ["所"]  # a lone kanji is a gram of its own
    assert latin_words(fold("IP アドレスと SIP")) == ["ip", "sip"]


def test_mentions_and_tags_are_stripped() -> None:
    from knowledge.text import strip_markup

    assert strip_markup("<at>Privacy Bot</at> is my IP shared?").split() == [
        "is",
        "my",
        "IP",
        "shared?",
    ]
    assert strip_markup("a <b>bold</b> 3 < 4").split() == ["a", "bold", "3", "<", "4"]
