"""The bot's own words (welcome, help, not covered...) in each language: ``strings/<lang>.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from knowledge.text import fold, words

STRINGS_DIR = Path(__file__).resolve().parent / "strings"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Strings:
    language: str
    welcome: str
    help: str
    help_words: tuple[str, ...]
    not_covered: str
    # Before the answers to a message, part of which the notice does not cover:
    # "{question}" is that part as replies.quote gives it back (several: "A / B").
    partly_covered: str
    did_you_mean: str
    none_of_these: str
    source: str
    privacy_link: str
    related: str
    whole_notice: str
    examples: tuple[str, ...]
    greeting: str
    thanks: str
    goodbye: str
    error: str
    feedback_up: str
    feedback_down: str
    feedback_thanks: str
    teams_app: dict[str, str]
    # The web widget's own words, and the language's name in its menu.
    widget: dict[str, str]

    def small_talk(self, kind: str) -> str:
        return {"greeting": self.greeting, "thanks": self.thanks, "goodbye": self.goodbye}[kind]


class Catalog:
    """Strings per language, with English for any language that has none."""

    def __init__(self, by_language: dict[str, Strings]) -> None:
        if FALLBACK_LANGUAGE not in by_language:
            raise ValueError(f"the strings need a {FALLBACK_LANGUAGE}.json")
        self.by_language = by_language
        self._help_words = {
            " ".join(words(fold(w))) or fold(w)
            for strings in by_language.values()
            for w in strings.help_words
        }

    @classmethod
    def load(cls, folder: Path = STRINGS_DIR) -> Catalog:
        by_language: dict[str, Strings] = {}
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                data["help_words"] = tuple(data["help_words"])
                data["examples"] = tuple(data["examples"])
                by_language[path.stem] = Strings(language=path.stem, **data)
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}: not a valid strings file ({exc})") from None
        english = by_language.get(FALLBACK_LANGUAGE)
        for language, strings in by_language.items():
            if english and set(strings.widget) != set(english.widget):
                missing = sorted(set(english.widget) ^ set(strings.widget))
                raise ValueError(f"{folder / language}.json: widget strings differ: {missing}")
        return cls(by_language)

    def for_locale(self, locale: str) -> Strings:
        language = locale.split("-")[0].lower()
        return self.by_language.get(language) or self.by_language[FALLBACK_LANGUAGE]

    def is_help(self, text: str) -> bool:
        """'help' or its equivalent in any language, alone."""
        folded = fold(text).strip(" !.。")
        return (" ".join(words(folded)) or folded) in self._help_words
