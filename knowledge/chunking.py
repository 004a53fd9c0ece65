"""Cutting a notice into passages that can each be an answer.

Rules (see the README): the title is never an answer; a paragraph right before
a list ends with the list's lead-in sentence ("... the following information:"),
which goes with the list; the sentences before it are a passage of their own;
a list is a passage (lead-in + items) and so is each item, which carries the
lead-in as its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.loader import strip_anchors
from knowledge.model import Notice, Passage, PassageKind

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
# A sentence ends at . ! ? after two letters, followed by a space and a capital
# (or an opening mark), or at a Japanese full stop. The two letters keep
# abbreviations such as "z. B." and "e.g." whole.
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{2}[.!?])\s+(?=[A-ZÀ-ÖØ-Þ¿¡\"“«(])|(?<=[。．])\s*(?=\S)")


@dataclass(slots=True)
class _Block:
    kind: str  # "heading" | "paragraph" | "list"
    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    level: int = 0


def _blocks(body: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for line in body.splitlines():
        if not line.strip():
            current = None
            continue
        heading = _HEADING.match(line)
        if heading:
            blocks.append(
                _Block("heading", [strip_anchors(heading.group(2))], level=len(heading.group(1)))
            )
            current = None
            continue
        item = _ITEM.match(line)
        if item:
            if current is None or current.kind != "list":
                current = _Block("list")
                blocks.append(current)
            current.lines.append(line)
            current.items.append(item.group(1).strip())
            continue
        if current is not None and current.kind == "list" and line[:1].isspace():
            # An indented continuation line belongs to the previous item.
            current.lines.append(line)
            current.items[-1] = f"{current.items[-1]} {line.strip()}"
            continue
        if current is None or current.kind != "paragraph":
            current = _Block("paragraph")
            blocks.append(current)
        current.lines.append(line)
    return blocks


def split_sentences(text: str) -> list[str]:
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if s]


class _Builder:
    def __init__(self, notice: Notice) -> None:
        self.notice = notice
        self.section = notice.title
        self.passages: list[Passage] = []

    def add(self, key: str, kind: PassageKind, text: str, **extra: Any) -> None:
        self.passages.append(
            Passage(
                id=self.id_of(key),
                key=key,
                locale=self.notice.locale,
                notice=self.notice.slug,
                section=self.section,
                kind=kind,
                text=text,
                order=len(self.passages),
                **extra,
            )
        )

    def id_of(self, key: str) -> str:
        return f"{self.notice.locale}/{self.notice.slug}#{key}"

    def add_list(self, key: str, lead: str, block: _Block) -> None:
        items = [f"{key}.{n}" for n in range(1, len(block.items) + 1)]
        raw_list = "\n".join(block.lines)
        whole = f"{lead}\n\n{raw_list}" if lead else raw_list
        children = tuple(self.id_of(k) for k in items)
        self.add(key, PassageKind.LIST, whole, context=lead, children=children)
        for item_key, item in zip(items, block.items, strict=True):
            self.add(item_key, PassageKind.ITEM, item, context=lead, parent=self.id_of(key))


def chunk(notice: Notice) -> list[Passage]:
    blocks = _blocks(notice.body)
    out = _Builder(notice)
    paragraphs = lists = 0
    lead_of: dict[int, str] = {}  # list block index -> its lead-in sentence
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            # An H1 is the notice's title; deeper headings name sections.
            out.section = notice.title if block.level == 1 else block.lines[0]
        elif block.kind == "list":
            lists += 1
            out.add_list(f"l{lists}", lead_of.get(index, ""), block)
        else:
            text = "\n".join(block.lines)
            before_list = index + 1 < len(blocks) and blocks[index + 1].kind == "list"
            if before_list:
                lead = split_sentences(text)[-1]
                lead_of[index + 1] = lead
                text = text[: text.rfind(lead)].rstrip()
            if text:
                paragraphs += 1
                out.add(f"p{paragraphs}", PassageKind.PARAGRAPH, text)
    return out.passages
