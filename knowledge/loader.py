"""Reading notice files: markdown with YAML front matter (python-frontmatter)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from knowledge.errors import KnowledgeError
from knowledge.model import Link, Notice

NOTICE_SUFFIX = ".md"
_LOCALE = re.compile(r"^([A-Za-z]{2,3})-([A-Za-z]{2})$")
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_HEADING = re.compile(r"^#\s+(.*)$", re.MULTILINE)
_ANCHOR = re.compile(r"<a\s+name=\"[^\"]*\"\s*>\s*</a>", re.IGNORECASE)


def normalise_locale(value: str) -> str | None:
    """``fr-fr`` -> ``fr-FR``; None when the value is not a language-REGION tag."""
    found = _LOCALE.match(value.strip())
    if not found:
        return None
    return f"{found.group(1).lower()}-{found.group(2).upper()}"


def strip_anchors(text: str) -> str:
    return _ANCHOR.sub("", text).strip()


def load_notice(path: Path) -> Notice:
    """Read one notice; raise KnowledgeError naming the file when it cannot be used.

    The locale comes from ``ms.contentlocale``, else from the folder name
    (``notices/<locale>/<slug>.md``); when both are there they must agree.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise KnowledgeError(path, f"cannot be read ({exc.strerror})") from None
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise KnowledgeError(path, f"invalid YAML front matter{line}") from None
    except (ValueError, TypeError) as exc:
        raise KnowledgeError(path, f"unreadable front matter ({exc})") from None
    meta: dict[str, Any] = dict(post.metadata)
    body = post.content.strip()
    if not body:
        raise KnowledgeError(path, "the notice has no body")

    locale = _locale_of(path, meta)
    heading = _HEADING.search(body)
    title = str(meta.get("title") or "").strip() or (
        strip_anchors(heading.group(1)) if heading else ""
    )
    if not title:
        raise KnowledgeError(path, "no title (neither a 'title' field nor a '# heading')")
    links = tuple(Link(text=m.group(1).strip(), url=m.group(2)) for m in _LINK.finditer(body))
    if not links:
        raise KnowledgeError(path, "no link in the body; every answer needs the privacy link")
    dates = tuple(
        (key, str(value))
        for key, value in sorted(meta.items())
        if value is not None and ("date" in key.lower() or key == "ms.lasthandoff")
    )
    return Notice(
        slug=path.stem,
        locale=locale,
        title=title,
        description=str(meta.get("description") or "").strip(),
        body=body,
        links=links,
        dates=dates,
        path=path,
    )


def _locale_of(path: Path, meta: dict[str, Any]) -> str:
    declared = meta.get("ms.contentlocale")
    folder = normalise_locale(path.parent.name)
    if declared is not None:
        locale = normalise_locale(str(declared))
        if locale is None:
            raise KnowledgeError(path, f"ms.contentlocale {declared!r} is not a locale like fr-FR")
        if folder is not None and folder != locale:
            raise KnowledgeError(
                path, f"ms.contentlocale {locale} disagrees with its folder {path.parent.name}"
            )
        return locale
    if folder is None:
        raise KnowledgeError(
            path, "no locale: no ms.contentlocale and the folder name is not a locale like fr-FR"
        )
    return folder


def notice_paths(root: Path) -> list[Path]:
    """Every ``<root>/<locale>/<slug>.md``, in a stable order."""
    return sorted(p for p in root.glob(f"*/*{NOTICE_SUFFIX}") if p.is_file())


def load_notices(root: Path) -> list[Notice]:
    paths = notice_paths(root)
    if not paths:
        raise KnowledgeError(root, "no notices found (expected <locale>/<slug>.md files)")
    return [load_notice(p) for p in paths]
