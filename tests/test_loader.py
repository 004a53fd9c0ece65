from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeError
from knowledge.loader import load_notice, load_notices, normalise_locale
from tests.conftest import NOTICES

PRIVACY_URL = "https://go.microsoft.com/fwlink/?LinkId=521839"
GOOD = """---
title: A notice
ms.contentlocale: pt-BR
ms.date: 01/02/2025
---
# A notice

Some text with [a link](https://example.com/privacy).
"""


def write(tmp_path: Path, folder: str, text: str | bytes, name: str = "notice.md") -> Path:
    path = tmp_path / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_the_six_shipped_notices_load_with_locale_title_and_link() -> None:
    notices = load_notices(NOTICES)
    assert [n.locale for n in notices] == ["de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP"]
    for notice in notices:
        assert notice.slug == "operator-connect-privacy"
        assert notice.privacy_link.url == PRIVACY_URL
        assert notice.title and notice.description
    english = next(n for n in notices if n.locale == "en-US")
    assert english.title == "Data transfers between carriers and Microsoft for Operator Connect"
    assert dict(english.dates) == {"ms.date": "05/27/2021"}
    french = next(n for n in notices if n.locale == "fr-FR")
    assert dict(french.dates) == {"ms.lasthandoff": "10/01/2021"}


def test_english_locale_comes_from_the_folder_name() -> None:
    notice = load_notice(NOTICES / "en-US" / "operator-connect-privacy.md")
    assert notice.locale == "en-US"


def test_a_new_notice_in_a_new_folder_is_picked_up(tmp_path: Path) -> None:
    write(tmp_path, "pt-BR", GOOD)
    [notice] = load_notices(tmp_path)
    assert (notice.locale, notice.title, notice.links[0].url) == (
        "pt-BR",
        "A notice",
        "https://example.com/privacy",
    )
    assert dict(notice.dates) == {"ms.date": "01/02/2025"}


@pytest.mark.parametrize(
    ("folder", "content", "problem"),
    [
        (
            "fr-FR",
            "---\ntitle: [unclosed\n---\nbody [l](https://x.y)\n",
            "invalid YAML front matter",
        ),
        ("misc", "---\ntitle: T\n---\nbody [l](https://x.y)\n", "no locale"),
        ("fr-FR", "---\ntitle: T\n---\n\n", "no body"),
        ("fr-FR", "---\ntitle: T\n---\nbody without a link\n", "no link"),
        (
            "fr-FR",
            "---\ntitle: T\nms.contentlocale: it-IT\n---\nbody [l](https://x.y)\n",
            "disagrees",
        ),
        (
            "fr-FR",
            "---\ntitle: T\nms.contentlocale: french\n---\nbody [l](https://x.y)\n",
            "not a locale",
        ),
        ("fr-FR", "---\nms.author: x\n---\nbody [l](https://x.y)\n", "no title"),
        ("fr-FR", b"---\ntitle: caf\xe9\n---\nbody\n", "not UTF-8"),
    ],
)
def test_an_unusable_notice_raises_an_error_naming_the_file(
    tmp_path: Path, folder: str, content: str | bytes, problem: str
) -> None:
    path = write(tmp_path, folder, content, "broken-notice.md")
    with pytest.raises(KnowledgeError) as caught:
        load_notices(tmp_path)
    assert caught.value.path == path
    assert "broken-notice.md" in str(caught.value)
    assert problem in str(caught.value)


def test_an_empty_notices_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no notices found"):
        load_notices(tmp_path)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fr-fr", "fr-FR"),
        ("FR-fr", "fr-FR"),
        (" it-IT ", "it-IT"),
        ("french", None),
        ("fr_FR", None),
    ],
)
def test_normalise_locale(raw: str, expected: str | None) -> None:
    assert normalise_locale(raw) == expected
