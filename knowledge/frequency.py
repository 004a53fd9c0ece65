"""How common a word is in its language, from lists made with wordfreq.

A word the notices never use says the question is about something else, but
only as much as the word is specific: everyday words ("team", "week",
"manager", "semaine") are how people set the scene, rare ones ("password",
"retention", "publicité") name a topic the notice lacks. The Zipf scale is
log10 of a word's frequency per billion words: 7 for "the", 3 for a word met
once in a million. The lists ship in ``lexicon/frequency/`` (read in a few
milliseconds, offline); wordfreq is only needed to regenerate them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.errors import KnowledgeError
from knowledge.text import fold

log = logging.getLogger(__name__)

# A word at least this common (Zipf) is everyday vocabulary: "week" 5.6,
# "team" 5.7, "new" 6.3. It keeps only COMMON_FLOOR of an unknown word's weight.
COMMON_ZIPF = 6.0
# A word this rare or rarer keeps all its weight: "password" 4.1,
# "confidential" 3.9, "retention" 3.8. Between the two, the weight falls linearly.
RARE_ZIPF = 4.0
# Even the commonest unknown word still counts a little: a question made only
# of words the notice lacks must not look covered.
COMMON_FLOOR = 0.15
# wordfreq's "small" lists hold every word down to Zipf 3 in 30-40 thousand
# entries per language: enough to know everyday words, small in memory.
WORDLIST = "small"
# Where the shipped lists live, one ``<language>.tsv`` per lexicon.
FREQUENCY_DIR = Path(__file__).resolve().parent / "lexicon" / "frequency"
SUFFIX = ".tsv"
HEADER = (
    "# Zipf frequencies of folded {language} words commoner than Zipf {rare}, from\n"
    "# wordfreq's '{wordlist}' list (https://github.com/rspeer/wordfreq, data\n"
    "# CC BY-SA 4.0, by Robyn Speer). Regenerate: python -m knowledge frequencies"
)


@dataclass(frozen=True, slots=True)
class WordFrequencies:
    """Folded word -> Zipf frequency, for one language (empty: every word is rare)."""

    language: str
    zipf: Mapping[str, float]

    @classmethod
    def read(cls, language: str, folder: Path = FREQUENCY_DIR) -> WordFrequencies:
        """The shipped list ``<folder>/<language>.tsv`` (word TAB zipf), or an empty one."""
        path = folder / f"{language}{SUFFIX}"
        if not path.exists():
            log.warning("no word frequencies for %s: every unknown word weighs as rare", language)
            return cls(language, {})
        zipf: dict[str, float] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            word, _, value = line.partition("\t")
            try:
                zipf[word] = float(value)
            except ValueError:
                raise KnowledgeError(path, f"line {number}: expected 'word<TAB>zipf'") from None
        return cls(language, zipf)

    def weight(self, word: str) -> float:
        """Share (COMMON_FLOOR..1) of an unknown word's weight this word keeps."""
        zipf = self.zipf.get(word)
        if zipf is None or zipf <= RARE_ZIPF:
            return 1.0
        share = (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)
        return max(COMMON_FLOOR, min(1.0, share))


def from_wordfreq(language: str) -> list[tuple[str, float]]:
    """Folded words commoner than RARE_ZIPF, from wordfreq (only to regenerate the lists).

    Words rarer than that weigh fully anyway, so the shipped list keeps about
    7,000 words per language; ``python -m knowledge frequencies`` writes them.
    """
    from wordfreq import get_frequency_dict  # a development tool, not a runtime need

    folded: dict[str, float] = {}
    floor = 10.0 ** (RARE_ZIPF - 9)
    for word, frequency in get_frequency_dict(language, WORDLIST).items():
        if frequency <= floor:
            continue
        key = word.lower() if word.isascii() else fold(word)
        if key and "\t" not in key and folded.get(key, 0.0) < frequency:
            folded[key] = frequency
    return sorted(
        ((w, round(math.log10(f) + 9, 2)) for w, f in folded.items()), key=lambda e: (-e[1], e[0])
    )


def write_list(language: str, folder: Path = FREQUENCY_DIR) -> Path:
    path = folder / f"{language}{SUFFIX}"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [HEADER.format(language=language, wordlist=WORDLIST, rare=RARE_ZIPF)]
    lines += [f"{word}\t{zipf}" for word, zipf in from_wordfreq(language)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# One list per language, read once per process (six languages at most).
@lru_cache(maxsize=16)
def load_frequencies(language: str) -> WordFrequencies:
    return WordFrequencies.read(language)
