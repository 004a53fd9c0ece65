"""Activities shaped as Teams and the Emulator send them, replayed over HTTP.

Replies go to a stand-in channel on 127.0.0.1 (the fixtures' serviceUrl), as
they would go to Teams or the Emulator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.render import card_actions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"
CARD = "application/vnd.microsoft.card.adaptive"


class Channel:
    """Receives what the bot sends to serviceUrl."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        return web.json_response({"id": f"reply-{len(self.received)}"})


@pytest.fixture
async def channel(serve: Callable[[web.Application], Any]) -> Channel:
    channel = Channel()
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", channel.handle)
    app.router.add_post("/v3/conversations/{conversation}/activities", channel.handle)
    channel.url = await serve(app)
    return channel


async def replay(bot_url: str, channel: Channel, name: str, **changes: Any) -> list[dict[str, Any]]:
    activity = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    activity["serviceUrl"] = channel.url
    activity.update(changes)
    before = len(channel.received)
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{bot_url}/api/messages", json=activity) as response,
    ):
        assert response.status == 200, await response.text()
    return channel.received[before:]


def card_of(reply: dict[str, Any]) -> dict[str, Any]:
    [attachment] = [a for a in reply.get("attachments", []) if a["contentType"] == CARD]
    return attachment["content"]


def texts(card: dict[str, Any]) -> list[str]:
    return [element["text"] for element in card["body"] if element["type"] == "TextBlock"]


def submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in card_actions(card) if a["type"] == "Action.Submit"]


async def test_teams_personal_message_gets_a_card_with_the_passage_link_and_feedback(
    bot_url: str, channel: Channel
) -> None:
    [reply] = await replay(bot_url, channel, "teams-personal-message.json")
    assert reply["locale"] == "fr-FR" and reply["replyToId"] == "1763630102441"
    card = card_of(reply)
    assert card["version"] == "1.5" and card["lang"] == "fr"
    body = "\n".join(texts(card))
    assert "adresses IP et systèmes d’exploitation" in body
    assert (
        texts(card)[0]
        == "Transferts de données entre opérateurs et microsoft pour les opérateurs Connecter"
    )
    assert f"]({LINK})" in "\n".join(texts(card))
    votes = [a["data"] for a in submits(card) if a["data"].get("action") == "feedback"]
    assert [v["vote"] for v in votes] == ["up", "down"]
    # Teams gets messageBack data so the choice shows in the chat.
    assert all(a["data"]["msteams"]["type"] == "messageBack" for a in submits(card))
    # The text carries the passage and the link too, for notifications.
    assert "adresses IP" in reply["text"] and LINK in reply["text"]


async def test_teams_channel_message_answers_the_mention_stripped_in_the_question_language(
    bot_url: str, channel: Channel
) -> None:
    [reply] = await replay(bot_url, channel, "teams-channel-mention.json")
    assert reply["locale"] == "it-IT"
    assert "durata della chiamata" in "\n".join(texts(card_of(reply)))


async def test_teams_channel_message_without_the_mention_is_left_alone(
    bot_url: str, channel: Channel
) -> None:
    replies = await replay(
        bot_url,
        channel,
        "teams-channel-mention.json",
        text="Quelqu'un a vu la réunion ?",
        entities=[],
    )
    assert replies == []


async def test_teams_html_only_message_is_read_from_its_attachment(
    bot_url: str, channel: Channel
) -> None:
    [reply] = await replay(bot_url, channel, "teams-personal-message.json", text="")
    assert "adresses IP" in reply["text"]


async def test_teams_locale_comes_from_client_info_when_the_activity_has_none(
    bot_url: str, channel: Channel
) -> None:
    [reply] = await replay(
        bot_url, channel, "teams-personal-message.json", locale=None, text="help"
    )
    assert reply["locale"] == "fr-FR" and reply["text"].startswith("Je réponds")


@pytest.mark.parametrize(
    ("fixture", "greeting"),
    [
        ("teams-bot-added-to-team.json", "Hallo!"),
        ("teams-bot-added-to-personal-chat.json", "Ciao!"),
    ],
)
async def test_teams_welcomes_once_when_the_bot_is_installed(
    bot_url: str, channel: Channel, fixture: str, greeting: str
) -> None:
    [reply] = await replay(bot_url, channel, fixture)
    assert reply["text"].startswith(greeting)
    assert len(submits(card_of(reply))) == 3  # example questions


async def test_teams_does_not_welcome_each_new_team_member(bot_url: str, channel: Channel) -> None:
    replies = await replay(
        bot_url, channel, "teams-bot-added-to-team.json", membersAdded=[{"id": "29:new-member"}]
    )
    assert replies == []


async def test_teams_card_click_is_answered_from_its_data(bot_url: str, channel: Channel) -> None:
    [answer] = await replay(bot_url, channel, "teams-personal-message.json")
    [related] = [a for a in submits(card_of(answer)) if a["data"].get("id", "").endswith("#l2.3")]
    # Teams sends the submit's data as the value of a message with no text.
    [reply] = await replay(
        bot_url,
        channel,
        "teams-personal-message.json",
        text=None,
        attachments=[],
        value=related["data"],
    )
    assert "emplacement des appels d’urgence." in "\n".join(texts(card_of(reply)))


async def test_teams_feedback_is_counted(bot_url: str, channel: Channel) -> None:
    [answer] = await replay(bot_url, channel, "teams-personal-message.json")
    [up] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "up"]
    [thanks] = await replay(
        bot_url, channel, "teams-personal-message.json", text=None, attachments=[], value=up["data"]
    )
    assert thanks["text"] == "Merci pour votre retour !"
    async with aiohttp.ClientSession() as session, session.get(f"{bot_url}/metrics") as response:
        metrics = await response.text()
    assert 'bot_feedback_total{vote="up"} 1.0' in metrics
    assert 'bot_questions_total{locale="fr-FR",outcome="answer"} 1.0' in metrics
    assert "Est-ce que" not in metrics  # nothing typed ever becomes a label


async def test_emulator_message_gets_a_card(bot_url: str, channel: Channel) -> None:
    [reply] = await replay(bot_url, channel, "emulator-message.json")
    card = card_of(reply)
    assert "controller of Personal Data" in "\n".join(texts(card))
    assert "msteams" not in json.dumps(card)


async def test_emulator_welcome_when_the_user_joins(bot_url: str, channel: Channel) -> None:
    update = {
        "type": "conversationUpdate",
        "membersAdded": [
            {"id": "4c6e8a0b-2d4f-4a6c-8e0b-2d4f6a8c0e2b"},
            {"id": "5e8a3c1f-2b4d-4e6f-8a0b-1c3d5e7f9a2b"},
        ],
        "text": None,
    }
    [reply] = await replay(bot_url, channel, "emulator-message.json", **update)
    assert reply["text"].startswith("Hello! I answer questions")
