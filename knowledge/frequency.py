"""How common a word is in its language, from wordfreq's offline word lists.

A word the notices never use says the question is about something else, but
only as much as the word is specific: everyday words ("team", "week",
"manager", "semaine") are how people set the scene, rare ones ("password",
"retention", "publicité") name a topic the notice lacks. The Zipf scale is
log10 of a word's frequency per billion words: 7 for "the", 3 for a word met
once in a million.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

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


@dataclass(frozen=True, slots=True)
class WordFrequencies:
    """Folded word -> Zipf frequency, for one language (empty: every word is rare)."""

    language: str
    zipf: Mapping[str, float]

    @classmethod
    def load(cls, language: str) -> WordFrequencies:
        try:
            from wordfreq import get_frequency_dict
        except ImportError:  # pragma: no cover - a declared dependency
            log.warning("wordfreq is not installed: every unknown word weighs as rare")
            return cls(language, {})
        try:
            frequencies = get_frequency_dict(language, WORDLIST)
        except (LookupError, ValueError):
            log.warning("wordfreq has no %s list: every unknown word weighs as rare", language)
            return cls(language, {})
        folded: dict[str, float] = {}
        for word, frequency in frequencies.items():
            key = fold(word)
            if frequency > 0 and folded.get(key, 0.0) < frequency:
                folded[key] = frequency
        return cls(language, {w: round(math.log10(f) + 9, 2) for w, f in folded.items()})

    def weight(self, word: str) -> float:
        """Share (COMMON_FLOOR..1) of an unknown word's weight this word keeps."""
        zipf = self.zipf.get(word)
        if zipf is None or zipf <= RARE_ZIPF:
            return 1.0
        share = (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)
        return max(COMMON_FLOOR, min(1.0, share))


# One list per language, read once per process (six languages at most).
@lru_cache(maxsize=16)
def load_frequencies(language: str) -> WordFrequencies:
    return WordFrequencies.load(language)
