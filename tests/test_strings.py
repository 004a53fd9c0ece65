from __future__ import annotations

import dataclasses

import pytest

from bot.strings import Catalog, Strings


def test_every_language_of_the_notices_has_every_string() -> None:
    catalog = Catalog.load()
    assert sorted(catalog.by_language) == ["de", "en", "es", "fr", "it", "ja"]
    for strings in catalog.by_language.values():
        for field in dataclasses.fields(Strings):
            assert getattr(strings, field.name), (strings.language, field.name)
        assert len(strings.examples) == 3
        assert "{title}" in strings.help


@pytest.mark.parametrize(
    "text",
    ["help", "HELP!", "aide", "Aiuto", "Hilfe", "ayuda", "ヘルプ", "?", "que sais-tu faire ?"],
)
def test_help_words_in_any_language(text: str) -> None:
    assert Catalog.load().is_help(text)


def test_a_question_is_not_help() -> None:
    assert not Catalog.load().is_help("help me understand what is shared")


def test_unknown_languages_fall_back_to_english() -> None:
    assert Catalog.load().for_locale("pt-BR").language == "en"
