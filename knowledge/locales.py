"""Locales: which notice a requested locale stands for, and which language a text is in.

Decided once per question, in this order: the question's own language when
the text says it clearly, else the client's locale (a regional one, fr-BE or
ja, stands for its language's notice), else the configured default. An unknown
default is an error at start-up, not a silent fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from knowledge.errors import KnowledgeError
from knowledge.loader import normalise_locale
from knowledge.text import fold, has_cjk, words

# A language is detected when at least this many of the text's words are its
# own and it leads every other language by as many ...
DETECT_MIN_WORDS = 2
# ... or when it is the only language to know any word of the text at all,
# or when it knows every word of the text (at least this many) and no other does.
DETECT_ALONE_MIN_WORDS = 1
DETECT_ALL_MIN_WORDS = 2
# Letters and marks only one of the six languages writes: a short question
# that has one is in that language ("¿Comparten mi número?").
LETTER_CUES = {"¿": "es", "¡": "es", "ñ": "es", "ß": "de", "œ": "fr"}
# A cue counts as this many known words.
CUE_WORDS = 2


class Locales:
    """The knowledge base's locales and the words each language knows."""

    def __init__(self, vocabularies: Mapping[str, Iterable[str]]) -> None:
        self.locales = tuple(sorted(vocabularies))
        self._vocabulary = {loc: frozenset(v) for loc, v in vocabularies.items()}
        # Per word, the locales that know it: a text's counts in one pass over its words.
        known_by: dict[str, list[str]] = {}
        for locale, vocabulary in self._vocabulary.items():
            for word in vocabulary:
                known_by.setdefault(word, []).append(locale)
        self._known_by = {word: tuple(locales) for word, locales in known_by.items()}
        self._language = {locale: language_of(locale) for locale in self._vocabulary}

    def resolve(self, requested: str | None, default: str) -> str:
        """Exact locale, else the same language in another region, else the default."""
        for candidate in (requested, default):
            if not candidate:
                continue
            found = self._same_language(candidate)
            if found is not None:
                return found
        return self.locales[0]

    def require(self, default: str) -> str:
        """The locale a configured default stands for; KnowledgeError if no notice has it."""
        found = self._same_language(default)
        if found is None:
            raise KnowledgeError(
                "DEFAULT_LOCALE",
                f"no notice in {default!r}; the knowledge base has {', '.join(self.locales)}",
            )
        return found

    def detect(self, text: str) -> str | None:
        """The locale whose language the text is clearly written in, or None.

        Counts the words each language's stop words, lexicon and notices know;
        a language wins by DETECT_MIN_WORDS over every other. Kana or kanji
        mean Japanese.
        """
        if has_cjk(text):
            return next((loc for loc in self.locales if loc.startswith("ja")), None)
        tokens = words(fold(text))
        if not tokens:
            return None
        lowered = text.lower()
        cues = {language for letter, language in LETTER_CUES.items() if letter in lowered}
        known = dict.fromkeys(self._vocabulary, 0)
        for token in tokens:
            for locale in self._known_by.get(token, ()):
                known[locale] += 1
        counts = sorted(
            (
                (count + (CUE_WORDS if self._language[locale] in cues else 0), locale)
                for locale, count in known.items()
            ),
            key=lambda c: (-c[0], c[1]),
        )
        best, runner_up = counts[0], counts[1] if len(counts) > 1 else (0, "")
        if best[0] >= DETECT_MIN_WORDS and best[0] >= runner_up[0] + DETECT_MIN_WORDS:
            return best[1]
        if best[0] >= DETECT_ALONE_MIN_WORDS and runner_up[0] == 0:
            return best[1]
        knows_all = [loc for loc, count in known.items() if count == len(tokens)]
        if len(tokens) >= DETECT_ALL_MIN_WORDS and knows_all == [best[1]]:
            return best[1]
        return None

    def choose(self, text: str, client_locale: str | None, default: str) -> str:
        """The question's own language when clear, else the client's, else the default."""
        client = self.resolve(client_locale, default)
        detected = self.detect(text)
        if detected is None or language_of(detected) == language_of(client):
            return client
        return detected

    def _same_language(self, requested: str) -> str | None:
        locale = normalise_locale(requested.replace("_", "-")) or requested.strip().lower()
        if locale in self._vocabulary:
            return locale
        language = language_of(locale)
        return next((loc for loc in self.locales if language_of(loc) == language), None)


def language_of(locale: str) -> str:
    return locale.split("-")[0].lower()
