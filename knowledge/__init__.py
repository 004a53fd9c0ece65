"""The knowledge base of the carrier-privacy bot: notices, passages, search.

A plain library (no botbuilder, no aiohttp): ``KnowledgeBase.load()`` then
``kb.ask(question, locale)``.
"""

from knowledge.base import KnowledgeBase, Outcome, Verdict
from knowledge.errors import KnowledgeError
from knowledge.model import Link, Match, Notice, Passage, PassageKind

__all__ = [
    "KnowledgeBase",
    "KnowledgeError",
    "Link",
    "Match",
    "Notice",
    "Outcome",
    "Passage",
    "PassageKind",
    "Verdict",
]
