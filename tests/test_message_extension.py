"""Teams' message extension: composeExtension/query invokes over real HTTP.

The invoke is shaped as in the Teams docs ("Respond to search command").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot import replies
from bot.render import adaptive_card
from bot.strings import Catalog
from knowledge import KnowledgeBase
from tests.cards import card_actions
from tests.test_render import problems_in

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"
# Never contacted: an invoke's answer is the HTTP response itself.
SERVICE_URL = "http://127.0.0.1:9/"


async def invoke(bot_url: str, **changes: Any) -> tuple[int, Any]:
    activity = json.loads((FIXTURES / "teams-compose-extension-query.json").read_text("utf-8"))
    activity["serviceUrl"] = SERVICE_URL
    value = changes.pop("value", None)
    if value is not None:
        activity["value"] = value
    activity.update(changes)
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{bot_url}/api/messages", json=activity) as response,
    ):
        return response.status, await response.json()


def search(text: str | None, **options: int) -> dict[str, Any]:
    parameters = (
        [{"name": "initialRun", "value": "true"}]
        if text is None
        else [{"name": "query", "value": text}]
    )
    return {
        "commandId": "searchNotice",
        "parameters": parameters,
        "queryOptions": {"skip": 0, "count": 25, **options},
    }


def ids_of(kb: KnowledgeBase, body: dict[str, Any]) -> list[str]:
    """The passages of a result list, found back from their inserted cards."""
    catalog = Catalog.load()
    cards = {
        json.dumps(
            adaptive_card(
                replies.compose_shared(kb, catalog.for_locale(p.locale), p),
                "msteams",
                feedback=("", ""),
            ),
            sort_keys=True,
        ): p.id
        for p in kb.passages.values()
    }
    return [
        cards[json.dumps(a["content"], sort_keys=True)]
        for a in body["composeExtension"]["attachments"]
    ]


async def test_a_search_lists_matching_passages_with_previews_and_inserts_the_card(
    bot_url: str, kb: KnowledgeBase
) -> None:
    status, body = await invoke(bot_url)
    assert status == 200
    result = body["composeExtension"]
    assert result["type"] == "result" and result["attachmentLayout"] == "list"
    first = result["attachments"][0]
    passage = kb.passage("fr-FR/operator-connect-privacy#l2.2")
    assert passage is not None
    # The list shows the preview: the question the passage answers, and its first words.
    preview = first["preview"]
    assert preview["contentType"] == "application/vnd.microsoft.card.thumbnail"
    assert preview["content"]["title"] == replies.passage_label(kb, passage)
    assert preview["content"]["text"][:30].lower() == passage.text[:30].lower()
    # Picking it inserts the answer card: title, passage, privacy link, no bot buttons.
    card = first["content"]
    assert first["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["lang"] == "fr" and problems_in(card) == []
    assert f"]({LINK})" in json.dumps(card)
    assert card_actions(card) == []
    strings = Catalog.load().for_locale("fr-FR")
    answer = adaptive_card(
        replies.compose_answer(kb, strings, passage), "msteams", feedback=("+", "-")
    )
    blocks = [e["text"] for e in answer["body"] if e["type"] == "TextBlock"][:3]
    assert [e["text"] for e in card["body"] if e["type"] == "TextBlock"][:3] == blocks


async def test_the_question_language_wins_over_the_client_locale(
    bot_url: str, kb: KnowledgeBase
) -> None:
    status, body = await invoke(
        bot_url, value=search("posizione delle chiamate di emergenza condivisa")
    )
    assert status == 200
    ids = ids_of(kb, body)
    assert ids[0] == "it-IT/operator-connect-privacy#l2.3"
    assert all(card["content"]["lang"] == "it" for card in body["composeExtension"]["attachments"])


async def test_the_initial_run_lists_the_editorial_order(bot_url: str, kb: KnowledgeBase) -> None:
    status, body = await invoke(bot_url, value=search(None))
    assert status == 200
    ids = ids_of(kb, body)
    strings = Catalog.load().for_locale("fr-FR")
    examples = []
    for question in strings.examples:
        best = kb.ask(question, "fr-FR").best
        assert best is not None
        examples.append(best.id)
    assert ids[: len(examples)] == list(dict.fromkeys(examples))
    assert len(ids) == len(set(ids)) and 3 <= len(ids) <= 10
    assert all(i.startswith("fr-FR/") for i in ids)


async def test_paging_follows_query_options(bot_url: str, kb: KnowledgeBase) -> None:
    _, everything = await invoke(bot_url, value=search(None))
    _, page = await invoke(bot_url, value=search(None, skip=2, count=2))
    assert ids_of(kb, page) == ids_of(kb, everything)[2:4]


async def test_nothing_matching_is_an_empty_list(bot_url: str) -> None:
    status, body = await invoke(bot_url, value=search("recette de la tarte aux pommes"))
    assert status == 200 and body["composeExtension"]["attachments"] == []


@pytest.mark.parametrize(
    "value",
    [
        "adresse IP",
        {"commandId": "somethingElse", "parameters": [{"name": "query", "value": "IP"}]},
        {"commandId": "searchNotice", "parameters": "IP"},
        {"commandId": "searchNotice", "parameters": [], "queryOptions": {"skip": -1}},
        {"commandId": "searchNotice", "parameters": [], "queryOptions": {"count": "all"}},
    ],
)
async def test_a_malformed_search_is_a_400_with_a_reason(bot_url: str, value: Any) -> None:
    status, body = await invoke(bot_url, value=value)
    assert status == 400 and isinstance(body["error"], str) and body["error"]


async def test_other_invokes_are_not_implemented_not_an_error(bot_url: str) -> None:
    activity = json.loads((FIXTURES / "teams-compose-extension-query.json").read_text("utf-8"))
    activity.update(serviceUrl=SERVICE_URL, name="composeExtension/selectItem")
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{bot_url}/api/messages", json=activity) as response,
    ):
        assert response.status == 501
        assert await response.json() == {
            "error": "invoke 'composeExtension/selectItem' is not handled"
        }
