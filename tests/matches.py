"""Matches made by hand for policy tests: a passage of the notice ``notice``, scored."""

from __future__ import annotations

from knowledge.model import Match, Passage, PassageKind


def match(
    key: str,
    score: float,
    *,
    notice: str = "n",
    kind: PassageKind = PassageKind.ITEM,
    parent: str = "",
) -> Match:
    """A match of passage ``key`` (``parent``: the key of its list) in en-US."""
    passage = Passage(
        id=f"en-US/{notice}#{key}",
        key=key,
        locale="en-US",
        notice=notice,
        section="",
        kind=kind,
        text=key,
        order=0,
        parent=f"en-US/{notice}#{parent}" if parent else None,
    )
    return Match(passage, score, coverage=score)
