"""Search the notice from Teams' compose box: the message extension's ``composeExtension/query``.

Teams sends an invoke with the typed text as the value of the command's
parameter (or the parameter ``initialRun`` when the extension opens) and
waits 5 seconds for the list. The answer is a ``composeExtension`` result
with ``attachmentLayout: list``: one attachment per passage, whose
``preview`` (a thumbnail card: the question the passage answers and the
passage's first words) is what the list shows, and whose content (the
passage's Adaptive Card with its title and the privacy link) is what Teams
inserts into the message when the person picks it. Matching is the same
in-memory search as the bot's answers (milliseconds), with nothing sent
anywhere, so the budget holds.

An empty query lists the passages people are most likely to want, in a fixed
editorial order: the answers to the bot's own example questions (those the
welcome offers), then the rest of the notice in reading order. The bot keeps
no history of what was asked (its metrics count outcomes per locale, not per
passage), so "most asked" is this order, not a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import replies
from bot.render import CARD_CONTENT_TYPE, adaptive_card
from bot.strings import Strings
from knowledge import KnowledgeBase, Passage, Verdict

QUERY = "composeExtension/query"
COMMAND_ID = "searchNotice"
PARAMETER = "query"
THUMBNAIL = "application/vnd.microsoft.card.thumbnail"
# A search list is browsed, not answered: a partly typed word ("IP add" scores
# 0.42) should still list its passage, so the floor is below the bot's "did
# you mean" floor (knowledge.policy.SUGGEST_MIN_SCORE, 0.40), yet above the
# one-word accidents that score about 0.2.
MIN_SCORE = 0.35
# The notice has about a dozen passages per language; a longer list is noise.
MAX_RESULTS = 10
# Characters of the passage the preview shows under its question.
PREVIEW_CHARS = 140
MAX_QUERY_CHARS = 200


class BadQuery(ValueError):
    """The invoke's value is not a search the extension knows."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str  # empty for the initial run
    skip: int = 0
    count: int = MAX_RESULTS


def parse_query(value: Any) -> SearchQuery:
    """The search in a ``composeExtension/query`` invoke's value (shape from the Teams docs)."""
    if not isinstance(value, dict):
        raise BadQuery("the invoke value must be an object")
    if value.get("commandId") != COMMAND_ID:
        raise BadQuery(f"unknown command; this extension has {COMMAND_ID!r}")
    text = ""
    parameters = value.get("parameters") or []
    if not isinstance(parameters, list):
        raise BadQuery("parameters must be a list")
    for parameter in parameters:
        if not isinstance(parameter, dict):
            raise BadQuery("each parameter must be an object")
        if parameter.get("name") == PARAMETER and isinstance(parameter.get("value"), str):
            text = parameter["value"].strip()[:MAX_QUERY_CHARS]
    options = value.get("queryOptions")
    if not isinstance(options, dict):
        options = {}
    skip, count = options.get("skip", 0), options.get("count", MAX_RESULTS)
    if not isinstance(skip, int) or not isinstance(count, int) or skip < 0 or count < 0:
        raise BadQuery("queryOptions skip and count must be non-negative integers")
    return SearchQuery(text=text, skip=skip, count=min(count, MAX_RESULTS))


def matching(kb: KnowledgeBase, text: str, locale: str) -> list[Passage]:
    """Passages for the typed text, best first, each once."""
    return [m.passage for m in kb.search(text, locale, MAX_RESULTS) if m.score >= MIN_SCORE]


def editorial(kb: KnowledgeBase, strings: Strings, locale: str) -> list[Passage]:
    """The answers to the example questions, then the notice in reading order."""
    ordered: list[Passage] = []
    for question in strings.examples:
        outcome = kb.ask(question, locale)
        if outcome.verdict == Verdict.ANSWER and outcome.best is not None:
            ordered.append(outcome.best)
    ordered += kb.notice_passages(locale, kb.first_notice(locale).slug)
    return list(dict.fromkeys(ordered))[:MAX_RESULTS]


def result_item(kb: KnowledgeBase, strings: Strings, passage: Passage) -> dict[str, Any]:
    """One passage in the list: its preview, and the card Teams inserts when it is picked."""
    card = adaptive_card(
        replies.compose_shared(kb, strings, passage),
        "msteams",
        feedback=(strings.feedback_up, strings.feedback_down),
    )
    return {
        "contentType": CARD_CONTENT_TYPE,
        "content": card,
        "preview": {
            "contentType": THUMBNAIL,
            "content": {
                "title": replies.passage_label(kb, passage),
                "text": replies.shorten(passage.text, PREVIEW_CHARS),
            },
        },
    }


def respond(kb: KnowledgeBase, strings: Strings, query: SearchQuery, locale: str) -> dict[str, Any]:
    """The invoke response body: a list of passages (empty when nothing matches)."""
    passages = matching(kb, query.text, locale) if query.text else editorial(kb, strings, locale)
    page = passages[query.skip : query.skip + query.count]
    return {
        "composeExtension": {
            "type": "result",
            "attachmentLayout": "list",
            "attachments": [result_item(kb, strings, p) for p in page],
        }
    }
