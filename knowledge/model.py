"""Plain data of the knowledge base: notices, passages and search matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice file, as published, with what the loader read from it."""

    slug: str
    locale: str
    title: str
    description: str
    body: str
    links: tuple[Link, ...]
    dates: tuple[tuple[str, str], ...]
    path: Path

    @property
    def privacy_link(self) -> Link:
        # The loader refuses a notice without a link, so there is always one.
        return self.links[0]


class PassageKind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST = "list"
    ITEM = "item"


@dataclass(frozen=True, slots=True)
class Passage:
    """A piece of a notice that can be given as an answer.

    ``key`` is structural (``p1``, ``l2``, ``l2.3``) and so the same in every
    translation of a notice; ``id`` adds the locale and the notice slug.
    ``text`` is verbatim notice text (a list's text is its lead-in and items).
    ``context`` is the lead-in sentence of the list (for a list) or of the list
    the item belongs to (for an item): it helps matching and is shown with an item.
    """

    id: str
    key: str
    locale: str
    notice: str
    section: str
    kind: PassageKind
    text: str
    order: int
    context: str = ""
    parent: str | None = None
    children: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    passage: Passage
    score: float
    coverage: float
    phrasing: float = 0.0
    matched: tuple[str, ...] = field(default=())
    missing: tuple[str, ...] = field(default=())
