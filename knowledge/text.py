"""Text folding and tokenising, shared by indexing and questions.

Folding makes the forms people type compare equal to the notice's: case,
accents on Latin letters, typographic apostrophes and quotes, non-breaking
and narrow spaces, full-width forms (NFKC). Japanese has no spaces between
words, so CJK runs are cut into overlapping character bigrams.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": "",
        "\u2011": "-",
        "\u2010": "-",
    }
)
# Word characters of space-separated scripts (letters and digits, no underscore).
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_CJK_CONTENT_RUN = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffー]+")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a text."""
    translated = text.translate(_TRANSLATE)
    if translated.isascii():
        # Most questions: normalisation leaves ASCII as it is, casefold is lower.
        return _SPACES.sub(" ", translated.lower()).strip()
    return fold_unicode(text)


def fold_unicode(text: str) -> str:
    """``fold`` through every normalisation step, whatever the text (its full path)."""
    text = unicodedata.normalize("NFKC", text.translate(_TRANSLATE)).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            # Accents go only on Latin letters; Japanese voicing marks are kept.
            if base and base < "\u0250":
                continue
        else:
            base = char
        kept.append(char)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", "".join(kept))).strip()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def words(folded: str) -> list[str]:
    """Words of a folded text. CJK runs come back whole; see cjk_grams."""
    return _WORD.findall(folded)


def cjk_grams(folded: str) -> list[str]:
    """Character bigrams of the kanji and katakana runs (hiragana is mostly grammar).

    A one-character run gives itself, so a lone kanji still counts.
    """
    grams: list[str] = []
    for run in _CJK_CONTENT_RUN.findall(folded):
        if len(run) == 1:
            grams.append(run)
        else:
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def latin_words(folded: str) -> list[str]:
    """Words outside CJK runs (``ip``, ``sip``, ``microsoft`` in a Japanese text)."""
    return [w for w in _WORD.findall(_CJK.sub(" ", folded)) if w]


# Hiragana ぁ..ゖ and katakana ァ..ヶ are the same syllables 0x60 apart.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def katakana(text: str) -> str:
    """The text with hiragana written as katakana (same length, one to one)."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


# A Teams mention left in the text ("<at>Privacy Bot</at> is my IP shared?")
# names the bot, not the question; other tags are markup, their text is kept.
_MENTION = re.compile(r"<at\b[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def strip_markup(text: str) -> str:
    """The text without mention spans and without tags."""
    return _TAG.sub(" ", _MENTION.sub(" ", text))
