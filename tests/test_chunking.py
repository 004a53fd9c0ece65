"""Chunking of the six notices against golden files (tests/golden/<locale>.json).

Regenerate after a deliberate change with: UPDATE_GOLDEN=1 make test
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knowledge.chunking import chunk, split_sentences
from knowledge.loader import load_notice, load_notices
from knowledge.model import PassageKind
from tests.conftest import NOTICES

GOLDEN = Path(__file__).resolve().parent / "golden"
STRUCTURE = ["p1", "l1", "l1.1", "l1.2", "l2", "l2.1", "l2.2", "l2.3", "p2", "p3"]


def as_golden(notice_path: Path) -> list[dict[str, object]]:
    return [
        {"id": p.id, "kind": str(p.kind), "text": p.text, "context": p.context, "parent": p.parent}
        for p in chunk(load_notice(notice_path))
    ]


@pytest.mark.parametrize("locale", ["de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP"])
def test_passages_match_the_golden_file(locale: str) -> None:
    actual = as_golden(NOTICES / locale / "operator-connect-privacy.md")
    golden = GOLDEN / f"{locale}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("notice", load_notices(NOTICES), ids=lambda n: n.locale)
def test_every_notice_has_the_same_structure_and_verbatim_text(notice) -> None:  # type: ignore[no-untyped-def]
    passages = chunk(notice)
    assert [p.key for p in passages] == STRUCTURE
    for passage in passages:
        # Answers quote the notice: every passage is a piece of the body as written.
        assert passage.text in notice.body
        assert passage.context in notice.body
        assert passage.id == f"{notice.locale}/operator-connect-privacy#{passage.key}"
    # The title is never an answer.
    assert all(notice.title not in p.text for p in passages)
    lists = [p for p in passages if p.kind == PassageKind.LIST]
    for lst in lists:
        items = [p for p in passages if p.parent == lst.id]
        assert tuple(i.id for i in items) == lst.children
        assert all(i.context == lst.context and lst.text.startswith(lst.context) for i in items)


def test_the_lead_in_goes_with_its_list_and_the_sentence_before_stays_a_paragraph() -> None:
    passages = {
        p.key: p for p in chunk(load_notice(NOTICES / "en-US" / "operator-connect-privacy.md"))
    }
    assert passages["p1"].text == (
        "Microsoft is the controller of Personal Data it processes in connection with "
        "Operator Connect."
    )
    assert (
        passages["l1"].context == "Customer must notify its end users of the following information:"
    )
    assert passages["l2.3"].text == "emergency calling location information."
    assert passages["l2.3"].context.startswith("Information Microsoft shares with the Operator")
    assert "<a name" not in "".join(p.text for p in passages.values())


def test_anchors_are_stripped_from_headings_used_as_sections(tmp_path: Path) -> None:
    path = tmp_path / "en-US" / "n.md"
    path.parent.mkdir()
    path.write_text(
        '---\ntitle: T\n---\n# <a name="t"></a>T\n\nIntro [l](https://x.y).\n\n'
        '## <a name="s"></a>Section two\n\nLead:\n- one\n- two\n  continued\n',
        encoding="utf-8",
    )
    passages = chunk(load_notice(path))
    assert [(p.key, p.section) for p in passages] == [
        ("p1", "T"),
        ("l1", "Section two"),
        ("l1.1", "Section two"),
        ("l1.2", "Section two"),
    ]
    assert passages[3].text == "two continued"


def test_sentences_do_not_split_at_abbreviations() -> None:
    assert split_sentences("See z. B. IP-Adressen. Der Kunde muss:") == [
        "See z. B. IP-Adressen.",
        "Der Kunde muss:",
    ]
    assert split_sentences("一つ。 二つ。") == ["一つ。", "二つ。"]
