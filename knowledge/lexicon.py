"""Per-language matching data (``lexicon/<language>.yaml``) and the analyzer built on it.

A question is cut into *slots*: one per meaningful word, or one per phrase the
lexicon knows ("adresse ip", "responsable du traitement"). A slot's keys are the
stem of its word(s) plus the concept ids (``~location``) of the synonyms it
matched; a passage covers a slot when it holds any of those keys. Passages go
through the same analyzer, so synonyms meet in the middle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import Stemmer

from knowledge.errors import KnowledgeError
from knowledge.frequency import WordFrequencies, load_frequencies
from knowledge.reading import ASKING_MARKS
from knowledge.text import cjk_grams, fold, katakana, latin_words, words
from knowledge.yamlfile import load_yaml

CONCEPT_PREFIX = "~"
INTENT_PREFIX = "?"
UNCOVERED_PREFIX = "!"
SMALL_TALK_KINDS = ("greeting", "thanks", "goodbye")


@dataclass(frozen=True, slots=True)
class Slot:
    """One meaningful unit of a text.

    ``keys`` name it fully (a stem, or the concepts of a known phrase);
    ``weak`` are the member stems of a phrase, which alone only half match it
    ("indirizzo" of "indirizzo SIP" is not "indirizzi IP").
    """

    surface: str
    keys: frozenset[str]
    weak: frozenset[str] = frozenset()
    # Derived from keys and weak once, at construction: scoring reads them often.
    concepts: frozenset[str] = field(init=False, repr=False, compare=False)
    all_keys: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        concepts = frozenset(k for k in self.keys if k.startswith(CONCEPT_PREFIX))
        object.__setattr__(self, "concepts", concepts)
        object.__setattr__(self, "all_keys", self.keys | self.weak)


# The notices and lexicons of a language have a few thousand distinct words;
# room for them many times over, and for the words questions share often.
MAX_CACHED_STEMS = 50_000


# A statement's clause after "that" stands for a question when it has at
# least this many words ("that my IP goes to the carrier"; not "that one").
STATEMENT_MIN_WORDS = 2
# The same in Japanese, in characters before のは.
STATEMENT_MIN_CJK_CHARS = 4
# A closed compound is read by its parts when each part is at least this long:
# "Chat|nachrichten" (4), "SIP|Adresse" (3); shorter parts ("an|ruf") are
# letters, not words.
COMPOUND_MIN_MODIFIER = 3
COMPOUND_MIN_HEAD = 4


class Analyzer:
    """Folding, stop words, stemming and synonym concepts of one language.

    This one reads scripts that put spaces between words (Latin); CjkAnalyzer
    reads Japanese, which does not. ``Analyzer.from_file`` picks by ``script``.
    """

    # The script this analyser reads (a lexicon file's ``script``).
    SCRIPT = "spaced"
    # How much of an unknown slot's weight counts: a spaced word is one unit.
    UNKNOWN_SLOT_SHARE = 1.0

    def __init__(
        self,
        language: str,
        stemmer: str | None,
        stopwords: Iterable[str],
        concepts: dict[str, list[str]],
        small_talk: dict[str, list[str]],
        source: Path | str = "<memory>",
        *,
        intents: dict[str, list[str]] | None = None,
        ignore: Iterable[str] = (),
        conjunctions: Iterable[str] = (),
        openers: Iterable[str] = (),
        uncovered: dict[str, list[str]] | None = None,
        frequencies: WordFrequencies | None = None,
        compounds: bool = False,
        complementizers: Iterable[str] = (),
        not_complementizer_after: Iterable[str] = (),
        as_written: Iterable[str] = (),
    ) -> None:
        self.language = language
        # Words whose stem names no concept or topic: "regional" is no "region"
        # (a storage place), "records" no "recording", "étrange" no "étranger"
        # (abroad). Listed in a concept, such a word names it when typed so;
        # listed nowhere else, it is a plain word keyed by its stem, as any word
        # the lexicon does not list.
        self.as_written = frozenset(fold(str(w)) for w in as_written)
        # The language writes closed compounds (German "Chatnachrichten",
        # "Anrufaufzeichnung"): an unknown word is read by its parts.
        self.compounds = compounds
        self.frequencies = frequencies or WordFrequencies(language, {})
        # Words that join two questions in one sentence ("and", "et", "und").
        self.conjunctions = tuple(fold(str(c)) for c in conjunctions)
        # Words that open a clause said about ("that", "que", "dass"; "のは"
        # closes one in Japanese): see split_statement.
        self._complementizer = _complementizer_pattern(
            tuple(str(c) for c in complementizers), spaced=self.SCRIPT == "spaced"
        )
        # Words after which the complementizer is part of another phrase: Spanish
        # "tiene que" (has to), "por qué" (why), "para que" (so that) open no clause.
        self._not_complementizer_after = frozenset(fold(str(w)) for w in not_complementizer_after)
        # Words that open a question ("is", "pourquoi", "wer"): a conjunction
        # before one of them starts a second question.
        self.openers = tuple(str(o) for o in openers)
        # Words that address the bot rather than ask ("Privacy Bot" left over
        # from a Teams mention typed as plain text): dropped before reading,
        # with the greetings (below, once the small talk is read).
        ignored = [fold(str(i)) for i in ignore]
        self.source = Path(source)
        try:
            self._stemmer = Stemmer.Stemmer(stemmer) if stemmer else None
        except KeyError:
            raise KnowledgeError(self.source, f"unknown Snowball stemmer {stemmer!r}") from None
        self.stopwords = frozenset(w for entry in stopwords for w in words(fold(str(entry))))
        # Unsegmented text has no words to drop: its stop words are cut out as substrings.
        self._cjk_stopwords = tuple(
            sorted((fold(str(e)) for e in stopwords), key=len, reverse=True)
        )
        self._stems: dict[str, str] = {}
        # phrase (tuple of stems, or a folded substring for Japanese) -> concept keys
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.substrings: dict[str, set[str]] = {}
        # A word listed as it is decides its concepts; stems are the fallback,
        # since Snowball cuts some unrelated words alike (it: quali/qualità).
        self.exact: dict[str, set[str]] = {}
        self.raw_phrases: dict[tuple[str, ...], set[str]] = {}
        # The content words of every lexicon phrase as written ("sound quality")
        # -> its keys: a phrase typed so is no stem collision (_names_uncovered)
        # and means only what it is listed for, as ``exact`` does for one word.
        self.written_phrases: dict[tuple[str, ...], set[str]] = {}
        # Question words that are stop words too ("que", "was"): see question_word.
        self.opening_intents: dict[str, set[str]] = {}
        self.lexicon_words: set[str] = set(self.stopwords)
        # Concepts are the notice's topics; intents are what a question asks for
        # ("which ...", "why ..."): they rank passages but do not make a question on topic.
        named = [(CONCEPT_PREFIX + c, terms) for c, terms in concepts.items()]
        named += [(INTENT_PREFIX + i, terms) for i, terms in (intents or {}).items()]
        # Topics people ask about that the notice does not cover (retention,
        # passwords, prices): named so that they weigh as the strong evidence
        # they are, however common their words ("keep", "long", "price").
        named += [(UNCOVERED_PREFIX + u, terms) for u, terms in (uncovered or {}).items()]
        for key, terms in named:
            for term in terms:
                folded = fold(str(term))
                self.lexicon_words.update(words(folded))
                self._add_term(key, folded)
        self.longest_phrase = max((len(p) for p in self.phrases), default=1)
        # The lengths of the raw phrases each word starts, longest first: a word
        # that starts none is looked up alone, and only those lengths are tried
        # (English "what" starts phrases of 2 to 5 words, "data" none).
        raw_lengths: dict[str, set[int]] = {}
        for raw in self.raw_phrases:
            if len(raw) > 1:
                raw_lengths.setdefault(raw[0], set()).add(len(raw))
        self._raw_lengths = {w: sorted(n, reverse=True) for w, n in raw_lengths.items()}
        # The words that start a phrase of two words or more (by stems).
        self._phrase_starts = frozenset(p[0] for p in self.phrases if len(p) > 1)
        # Latin terms inside Japanese text must stand as words: "ip" is not in "sip".
        self._kana_patterns = {
            term: re.compile(
                (r"(?<![a-z0-9])" if term[:1].isascii() else "")
                + re.escape(katakana(term))
                + (r"(?![a-z0-9])" if term[-1:].isascii() else "")
            )
            for term in self.substrings
        }
        # Longest terms first, so 位置情報 wins over 情報 (CjkAnalyzer._read).
        self._terms_longest_first = sorted(self.substrings, key=len, reverse=True)
        self.small_talk = {
            kind: tuple(
                sorted({fold(str(t)) for t in small_talk.get(kind, [])}, key=len, reverse=True)
            )
            for kind in SMALL_TALK_KINDS
        }
        for phrases in self.small_talk.values():
            for phrase in phrases:
                self.lexicon_words.update(words(phrase))
        # A greeting before a question ("Grüezi, was ist …?", "Hi there, …") is
        # no word of it: dropped like the phrases that address the bot, wherever
        # text is read (questions, alternative questions, notices, none of which
        # uses one otherwise). A message that is only small talk is told apart
        # first (small_talk_kind).
        self._ignore = _phrase_pattern([*ignored, *self.small_talk.get("greeting", ())])
        # What small_talk_kind looks for, in the order it looks.
        self._small_talk_needles = tuple(
            (kind, self._small_talk_needle(phrase))
            for kind, phrases in self.small_talk.items()
            for phrase in phrases
        )

    def _add_term(self, key: str, folded: str) -> None:
        """Index one lexicon term under its concept key."""
        raw = tuple(words(folded))
        content = [w for w in raw if w not in self.stopwords]
        if len(raw) > 1 and len(content) < len(raw):
            # "por qué", "à quoi sert", "wen ich anrufe": the meaning is in the
            # small words, so match the words as written.
            self.raw_phrases.setdefault(raw, set()).add(key)
            return
        if len(raw) == 1 and not content and key.startswith(INTENT_PREFIX):
            # "que", "was": a question word that is also a stop word asks only
            # when it opens a question (question_word).
            self.opening_intents.setdefault(raw[0], set()).add(key)
        if len(content) == 1:
            self.exact.setdefault(content[0], set()).add(key)
            if content[0] in self.as_written:
                return
        stems = tuple(self.stem(w) for w in content)
        if stems:
            self.phrases.setdefault(stems, set()).add(key)
            self.written_phrases.setdefault(tuple(content), set()).add(key)

    @classmethod
    def from_file(cls, path: Path) -> Analyzer:
        data = load_yaml(path)
        if not isinstance(data, dict):
            raise KnowledgeError(
                path, "expected a mapping with language, stemmer, stopwords, concepts"
            )
        language = data.get("language")
        if not isinstance(language, str) or not language:
            raise KnowledgeError(path, "no 'language' code")
        concepts = _mapping_of_lists(path, data, "concepts")
        intents = _mapping_of_lists(path, data, "intents")
        small_talk = _mapping_of_lists(path, data, "small_talk")
        stopwords = data.get("stopwords") or []
        if not isinstance(stopwords, list):
            raise KnowledgeError(path, "'stopwords' must be a list")
        stemmer = data.get("stemmer")
        if stemmer is not None and not isinstance(stemmer, str):
            raise KnowledgeError(path, "'stemmer' must be a Snowball language name or null")
        ignore = data.get("ignore") or []
        conjunctions = data.get("conjunctions") or []
        openers = data.get("openers") or []
        complementizers = data.get("complementizers") or []
        not_after = data.get("not_complementizer_after") or []
        as_written = data.get("as_written") or []
        lists = (ignore, conjunctions, openers, complementizers, not_after, as_written)
        if not all(isinstance(v, list) for v in lists):
            raise KnowledgeError(
                path,
                "'ignore', 'conjunctions', 'openers', 'complementizers', "
                "'not_complementizer_after' and 'as_written' must be lists",
            )
        uncovered = _mapping_of_lists(path, data, "uncovered")
        compounds = data.get("compounds", False)
        if not isinstance(compounds, bool):
            raise KnowledgeError(path, "'compounds' must be true or false")
        script = data.get("script", "cjk" if data.get("segmented") is False else "spaced")
        kinds: dict[object, type[Analyzer]] = {k.SCRIPT: k for k in (Analyzer, CjkAnalyzer)}
        kind = kinds.get(script)
        if kind is None:
            raise KnowledgeError(path, f"'script' must be one of {', '.join(map(str, kinds))}")
        return kind(
            language,
            stemmer,
            stopwords,
            concepts,
            small_talk,
            path,
            intents=intents,
            ignore=ignore,
            conjunctions=conjunctions,
            openers=openers,
            uncovered=uncovered,
            frequencies=load_frequencies(language),
            compounds=compounds,
            complementizers=complementizers,
            not_complementizer_after=not_after,
            as_written=as_written,
        )

    def stem(self, word: str) -> str:
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stemmer.stemWord(word) if self._stemmer and not word.isdigit() else word
            # Bounded: questions bring new words forever. The notices' and the
            # lexicon's words come first (at load) and stay; past the bound a new
            # word is stemmed each time, which costs a microsecond.
            if len(self._stems) < MAX_CACHED_STEMS:
                self._stems[word] = stem
        return stem

    def slots(self, text: str) -> list[Slot]:
        folded = fold(text)
        if self._ignore is not None:
            folded = self._ignore.sub(" ", folded)
        return self._read(folded)

    def terms(self, text: str) -> frozenset[str]:
        return frozenset(k for slot in self.slots(text) for k in slot.all_keys)

    def word_slot(self, word: str) -> Slot:
        """The slot of one folded word, as if it were typed alone."""
        slots = self.slots(word)
        return slots[0] if slots else Slot(word, frozenset({word}))

    def _read(self, folded: str) -> list[Slot]:
        slots: list[Slot] = []
        run: list[str] = []  # words between raw phrases
        tokens = words(folded)
        i = 0
        while i < len(tokens):
            lengths = self._raw_lengths.get(tokens[i])
            if lengths is None:
                run.append(tokens[i])
                i += 1
                continue
            for size in lengths:
                if size > len(tokens) - i:
                    continue
                concepts = self.raw_phrases.get(tuple(tokens[i : i + size]))
                if concepts:
                    slots.extend(self._content_slots(run))
                    run = []
                    phrase = tokens[i : i + size]
                    members = {self.stem(w) for w in phrase if w not in self.stopwords}
                    slots.append(Slot(" ".join(phrase), frozenset(concepts), frozenset(members)))
                    i += size
                    break
            else:
                run.append(tokens[i])
                i += 1
        slots.extend(self._content_slots(run))
        return slots

    def _content_slots(self, tokens: list[str]) -> list[Slot]:
        content = [w for w in tokens if w not in self.stopwords]
        stems = [self.stem(w) for w in content]
        slots: list[Slot] = []
        i = 0
        while i < len(stems):
            longest = self.longest_phrase if stems[i] in self._phrase_starts else 1
            for size in range(min(longest, len(stems) - i), 0, -1):
                if size == 1:
                    concepts = self.exact.get(content[i]) or (
                        None
                        if content[i] in self.as_written
                        else self.phrases.get((stems[i],))
                        or self._word_concepts(stems[i])
                        or self._compound_concepts(content[i])
                    )
                else:
                    concepts = self.written_phrases.get(
                        tuple(content[i : i + size])
                    ) or self.phrases.get(tuple(stems[i : i + size]))
                    if concepts and self._names_uncovered(content[i : i + size], concepts):
                        concepts = None
                if concepts or size == 1:
                    members = frozenset(stems[i : i + size])
                    surface = " ".join(content[i : i + size])
                    if concepts:
                        slots.append(Slot(surface, frozenset(concepts), members))
                    else:
                        slots.append(Slot(surface, members))
                    i += size
                    break
        return slots

    def _names_uncovered(self, typed: list[str], concepts: set[str]) -> bool:
        """A word typed in a phrase that the lexicon lists, as written, for an
        uncovered topic the phrase is not: the phrase only matched by stems.

        Italian "registrare le chiamate" (to record calls) meets "registri
        delle chiamate" (call logs) by stems; "registrare" is listed as a
        recording, which the notice does not cover: the word as typed wins,
        as it does alone (``exact`` before stems).
        """
        if tuple(typed) in self.written_phrases:
            return False
        for word in typed:
            listed = self.exact.get(word)
            if (
                listed
                and all(k.startswith(UNCOVERED_PREFIX) for k in listed)
                and not listed & concepts
            ):
                return True
        return False

    def _word_concepts(self, stem: str) -> set[str] | None:
        # Snowball does not always cut accent-less or inflected forms to the
        # same stem ("transmise" -> transmis, "transmis" -> transm): a known
        # one-word stem of 5+ letters that starts this stem, at most 3 letters
        # shorter, still names its concept. (Shorter stems start too many words.)
        # Only the notice's concepts and intents: a guessed topic the notice does
        # not cover would veto the answer on a lookalike ("cuestión" is not
        # "cuesta", a price; "esterno" is not "estero", abroad).
        for cut in range(len(stem) - 1, max(4, len(stem) - 4), -1):
            concepts = self.phrases.get((stem[:cut],))
            if concepts:
                return {k for k in concepts if not k.startswith(UNCOVERED_PREFIX)} or None
        return None

    def split_statement(self, sentence: str) -> tuple[str, str] | None:
        """A statement's frame and the clause it is about, or None.

        "Nobody told me that my IP goes to the carrier", "Ça m'embête que
        l'opérateur sache qui j'appelle", "Es nervt mich, dass …": what the
        person feels or was told is the frame; the clause after "that" is what
        the statement is about, the question it stands for.
        """
        if self._complementizer is None:
            return None
        found = next(
            (
                m
                for m in self._complementizer.finditer(sentence)
                if not self._not_complementizer_after
                or (words(fold(sentence[: m.start()])) or [""])[-1]
                not in self._not_complementizer_after
            ),
            None,
        )
        if found is None:
            return None
        frame = sentence[: found.start()].rstrip(" ,")
        clause = sentence[found.end() :].lstrip(" '’,")  # "qu'il": the elided e
        if len(words(fold(frame))) < 1 or len(words(fold(clause))) < STATEMENT_MIN_WORDS:
            return None
        return frame, clause

    def question_word(self, sentence: str) -> Slot | None:
        """The question word a question opens with, when it is also a stop word.

        "¿Qué recibe ese proveedor?", "Que reçoit cet opérateur ?", "Was
        bekommt er?": "que" and "was" are stop words (they are everywhere:
        "dicen que", "das, was"), but the first word of a sentence that asks
        is what it asks for, as the lexicon's intents say ("which").
        """
        if not sentence.rstrip().endswith(ASKING_MARKS):
            return None
        tokens = words(fold(sentence))
        intents = self.opening_intents.get(tokens[0]) if tokens else None
        return Slot(tokens[0], frozenset(intents)) if intents else None

    def _compound_concepts(self, word: str) -> set[str] | None:
        """The concepts of a closed compound, read by its head and its modifier.

        In German the last part says what a compound is ("Chat|nachrichten"
        are messages, "Anruf|aufzeichnung" a recording, "Monats|preis" a
        price): the longest last part of COMPOUND_MIN_HEAD letters or more that
        the lexicon names as a word gives the compound its concepts, covered
        or not (a whole word, no guess on a stem's start), together with what
        the first part names ("Anruf|dauer": call and duration), a linking s
        ("Monats-") dropped.
        """
        if not self.compounds or len(word) < COMPOUND_MIN_MODIFIER + COMPOUND_MIN_HEAD:
            return None
        for cut in range(COMPOUND_MIN_MODIFIER, len(word) - COMPOUND_MIN_HEAD + 1):
            head = self._whole_word_concepts(word[cut:])
            if head:
                modifier = word[:cut]
                first = self._whole_word_concepts(modifier)
                if first is None and modifier.endswith("s"):
                    first = self._whole_word_concepts(modifier[:-1])
                return head | (first or set())
        return None

    def _whole_word_concepts(self, word: str) -> set[str] | None:
        """The concepts the lexicon gives one whole word, as written or by its stem."""
        found = self.exact.get(word) or self.phrases.get((self.stem(word),))
        return set(found) if found else None

    def small_talk_kind(self, text: str) -> str | None:
        """greeting/thanks/goodbye when the message is only that (plus filler words)."""
        folded = " " + " ".join(words(fold(text))) + " "
        found: list[tuple[int, str]] = []
        for kind, needle in self._small_talk_needles:
            where = folded.find(needle)
            while where >= 0:
                found.append((where, kind))
                # Blank it out in place, keeping positions for the ordering below.
                blank = " " * len(needle)
                folded = folded[:where] + blank + folded[where + len(needle) :]
                where = folded.find(needle)
        if not found:
            return None
        if self._says_more(folded):
            return None
        return max(found)[1]  # the last thing said sets the tone ("merci, au revoir")

    def _small_talk_needle(self, phrase: str) -> str:
        return f" {' '.join(words(phrase))} "

    def _says_more(self, folded: str) -> bool:
        """Whether anything but stop words is left once the small talk is blanked out."""
        return any(w not in self.stopwords for w in words(folded))


class CjkAnalyzer(Analyzer):
    """Japanese: no spaces between words, so lexicon terms are found as
    substrings and the rest is read as overlapping kanji/katakana bigrams."""

    SCRIPT = "cjk"
    # Each unknown character is in two overlapping bigrams: each counts half.
    UNKNOWN_SLOT_SHARE = 0.5

    def _add_term(self, key: str, folded: str) -> None:
        self.substrings.setdefault(folded, set()).add(key)

    def split_statement(self, sentence: str) -> tuple[str, str] | None:
        """Japanese puts the clause first: "位置が送られるのは不安です" is about
        the clause before "のは"; what follows is how the person feels."""
        if self._complementizer is None:
            return None
        found = self._complementizer.search(sentence)
        if found is None:
            return None
        clause, frame = sentence[: found.start()], sentence[found.end() :]
        if not frame.strip(" 。.!！") or len(clause) < STATEMENT_MIN_CJK_CHARS:
            return None
        return frame, clause

    def _read(self, folded: str) -> list[Slot]:
        slots: list[Slot] = []
        rest = folded
        # Loanwords typed in hiragana ("おぺれーたー", "だうんろーど") are the
        # katakana terms of the lexicon: terms are sought in a katakana copy of
        # the text (same length, so a match blanks the same span in both).
        kana = katakana(folded)
        for term in self._terms_longest_first:
            pattern = self._kana_patterns[term]
            while (found := pattern.search(kana)) is not None:
                slots.append(Slot(term, frozenset(self.substrings[term]), frozenset({term})))
                blank = " " * (found.end() - found.start())
                rest = rest[: found.start()] + blank + rest[found.end() :]
                kana = kana[: found.start()] + blank + kana[found.end() :]
        for stopword in self._cjk_stopwords:
            rest = rest.replace(stopword, " ")
        slots.extend(Slot(g, frozenset({g})) for g in cjk_grams(rest))
        slots.extend(Slot(w, frozenset({w})) for w in latin_words(rest))
        return slots

    def _small_talk_needle(self, phrase: str) -> str:
        return phrase

    def _says_more(self, folded: str) -> bool:
        return bool(cjk_grams(folded) or latin_words(folded))


def is_intent(slot: Slot) -> bool:
    """What a question asks for ("which", "why"), nothing else."""
    return bool(slot.keys) and all(k.startswith(INTENT_PREFIX) for k in slot.keys)


def is_uncovered(slot: Slot) -> bool:
    """Whether the slot names a topic the notice does not cover (lexicon ``uncovered``)."""
    return any(k.startswith(UNCOVERED_PREFIX) for k in slot.keys)


def _complementizer_pattern(terms: tuple[str, ...], *, spaced: bool) -> re.Pattern[str] | None:
    """The first complementizer of a sentence, as a whole word where words are spaced."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    if spaced:
        return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    return re.compile(alternatives)


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for whole-word phrases (Latin) or substrings (Japanese), longest first."""
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ordered:
        return None
    # Latin phrases stand as whole words. The word-boundary checks are written
    # once around all of them rather than around each: the same matches (the
    # alternatives are still tried in order, longest first), without checking
    # the boundary again for every phrase at every position. A Latin and a
    # Japanese phrase never start at the same character, so their order
    # between the two groups does not matter.
    # The Latin ones are grouped by their first letter, longest first within a
    # group: at a position only the group of its letter is tried, not every
    # phrase (a language's ignore list and greetings hold up to about 90).
    by_first: dict[str, list[str]] = {}
    for phrase in ordered:
        if phrase[:1].isascii():
            by_first.setdefault(phrase[0], []).append(phrase)
    latin = "|".join(
        re.escape(first) + "(?:" + "|".join(re.escape(p[1:]) for p in group) + ")"
        for first, group in by_first.items()
    )
    other = "|".join(re.escape(p) for p in ordered if not p[:1].isascii())
    groups = ([rf"(?<![^\W_])(?:{latin})(?![^\W_])"] if latin else []) + ([other] if other else [])
    return re.compile("|".join(groups))


def _mapping_of_lists(path: Path, data: dict[str, Any], field: str) -> dict[str, list[str]]:
    value = data.get(field) or {}
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise KnowledgeError(path, f"'{field}' must map names to lists of terms")
    return {str(k): [str(t) for t in v] for k, v in value.items()}


CONCEPTS_FILE = "concepts.yaml"


def load_generic_concepts(folder: Path) -> frozenset[str]:
    """Concept keys (``~share``) that do not make a question specific; see concepts.yaml."""
    return _concept_list(folder, "generic")


def load_pointer_concepts(folder: Path) -> frozenset[str]:
    """Concept keys (``~more_info``) of a question that points back at its context
    ("Where can I read about that?"); see concepts.yaml."""
    return _concept_list(folder, "pointers")


def _concept_list(folder: Path, field: str) -> frozenset[str]:
    path = folder / CONCEPTS_FILE
    if not path.exists():
        return frozenset()
    data = load_yaml(path) or {}
    names = data.get(field, []) if isinstance(data, dict) else None
    if not isinstance(names, list):
        raise KnowledgeError(path, f"'{field}' must be a list of concept names")
    return frozenset(CONCEPT_PREFIX + str(name) for name in names)


def load_analyzers(folder: Path) -> dict[str, Analyzer]:
    analyzers: dict[str, Analyzer] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == CONCEPTS_FILE:
            continue
        analyzer = Analyzer.from_file(path)
        if analyzer.language != path.stem:
            raise KnowledgeError(
                path, f"language {analyzer.language!r} does not match the file name"
            )
        analyzers[analyzer.language] = analyzer
    return analyzers
