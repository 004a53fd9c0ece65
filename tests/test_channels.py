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

from knowledge import KnowledgeBase
from tests.cards import card_actions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"
CARD = "application/vnd.microsoft.card.adaptive"


class Channel:
    """Receives what the bot sends to serviceUrl: new messages, and updates of sent ones."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.updated: list[tuple[str, dict[str, Any]]] = []
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(await request.json())
        return web.json_response({"id": f"reply-{len(self.received)}"})

    async def update(self, request: web.Request) -> web.Response:
        self.updated.append((request.match_info["activity"], await request.json()))
        return web.json_response({"id": request.match_info["activity"]})


@pytest.fixture
async def channel(serve: Callable[[web.Application], Any]) -> Channel:
    channel = Channel()
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", channel.handle)
    app.router.add_post("/v3/conversations/{conversation}/activities", channel.handle)
    app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", channel.update)
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
    assert all(a["data"]["msteams"]["displayText"] == a["title"] for a in submits(card))
    # The card alone: Teams would split text + card into two messages. The
    # notification and chat-list preview read the summary: the passage's start.
    assert "text" not in reply and len(reply["attachments"]) == 1
    summary = reply["summary"]
    assert summary.startswith("Les détails des appels") and summary.endswith("…")
    assert summary[:-1].lower() in " ".join(body.split()).lower()
    assert len(summary) <= 100 and "\n" not in summary


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
    assert "adresses IP" in "\n".join(texts(card_of(reply)))


async def test_teams_locale_comes_from_client_info_when_the_activity_has_none(
    bot_url: str, channel: Channel
) -> None:
    [reply] = await replay(
        bot_url, channel, "teams-personal-message.json", locale=None, text="help"
    )
    assert reply["locale"] == "fr-FR" and texts(card_of(reply))[0].startswith("Je réponds")
    assert reply["summary"].startswith("Je réponds")


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
    assert "text" not in reply  # the list shows once, in the card
    assert texts(card_of(reply))[0].startswith(greeting) and reply["summary"].startswith(greeting)
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


async def metrics_of(bot_url: str) -> str:
    async with aiohttp.ClientSession() as session, session.get(f"{bot_url}/metrics") as response:
        return await response.text()


async def test_teams_vote_replaces_the_card_and_counts_once(bot_url: str, channel: Channel) -> None:
    [answer] = await replay(bot_url, channel, "teams-personal-message.json")
    [up] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "up"]
    # Teams sends the click as a message replying to the card's activity
    # ("reply-1", the id the stand-in channel gave the answer).
    vote = {"text": None, "attachments": [], "value": up["data"], "replyToId": "reply-1"}
    assert await replay(bot_url, channel, "teams-personal-message.json", **vote) == []
    [(activity_id, card_update)] = channel.updated
    assert activity_id == "reply-1" and card_update["id"] == "reply-1"
    assert card_update["locale"] == "fr-FR" and "text" not in card_update
    updated = card_of(card_update)
    assert "Merci pour votre retour !" in texts(updated)
    assert "adresses IP et systèmes d’exploitation" in "\n".join(texts(updated))  # kept
    assert [a for a in submits(updated) if a["data"].get("action") == "feedback"] == []
    metrics = await metrics_of(bot_url)
    assert 'bot_feedback_total{vote="up"} 1.0' in metrics
    assert 'bot_questions_total{locale="fr-FR",outcome="answer"} 1.0' in metrics
    assert "Est-ce que" not in metrics  # nothing typed ever becomes a label
    # The same vote again (a double click, a retry), and 👎 on the same card: not counted.
    [down] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "down"]
    await replay(bot_url, channel, "teams-personal-message.json", **vote)
    await replay(bot_url, channel, "teams-personal-message.json", **{**vote, "value": down["data"]})
    metrics = await metrics_of(bot_url)
    assert 'bot_feedback_total{vote="up"} 1.0' in metrics
    assert 'bot_feedback_total{vote="down"}' not in metrics
    # A second answer is a second card: its vote counts.
    [second] = await replay(bot_url, channel, "teams-personal-message.json")
    [up2] = [a for a in submits(card_of(second)) if a["data"].get("vote") == "up"]
    await replay(
        bot_url,
        channel,
        "teams-personal-message.json",
        **{**vote, "value": up2["data"], "replyToId": "reply-2"},
    )
    assert 'bot_feedback_total{vote="up"} 2.0' in await metrics_of(bot_url)


async def test_teams_vote_on_a_card_that_cannot_be_updated_gets_a_thanks_message(
    bot_url: str, channel: Channel
) -> None:
    [answer] = await replay(bot_url, channel, "teams-personal-message.json")
    [up] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "up"]
    # No replyToId: nothing names the message to update.
    [thanks] = await replay(
        bot_url, channel, "teams-personal-message.json", text=None, attachments=[], value=up["data"]
    )
    assert thanks["text"] == "Merci pour votre retour !" and channel.updated == []
    assert 'bot_feedback_total{vote="up"} 1.0' in await metrics_of(bot_url)


def webchat_click(action: dict[str, Any]) -> dict[str, Any]:
    """What Web Chat (and so the Emulator) posts for a card's Bot Framework card action."""
    card_action = action["data"]["cardAction"]
    assert action["data"]["__isBotFrameworkCardAction"] is True
    return {
        "text": card_action.get("text"),
        "value": card_action["value"],
        "channelData": {"messageBack": {"displayText": card_action["displayText"]}},
    }


async def test_emulator_click_shows_the_choice_and_is_answered(
    bot_url: str, channel: Channel
) -> None:
    [answer] = await replay(bot_url, channel, "emulator-message.json")
    actions = submits(card_of(answer))
    # Every button is a messageBack whose displayText is its label: Web Chat
    # shows it as the user's message, so the transcript says what was chosen.
    for action in actions:
        card_action = action["data"]["cardAction"]
        assert card_action["type"] == "messageBack"
        assert card_action["displayText"] == card_action["text"] == action["title"]
        assert card_action["value"]["action"] == action["data"]["action"]
    [whole] = [a for a in actions if a["data"]["action"] == "notice"]
    [reply] = await replay(bot_url, channel, "emulator-message.json", **webchat_click(whole))
    assert "text" not in reply and "emergency calling location information." in "\n".join(
        texts(card_of(reply))
    )


async def test_emulator_vote_is_thanked_and_counted_once(bot_url: str, channel: Channel) -> None:
    [answer] = await replay(bot_url, channel, "emulator-message.json")
    [up] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "up"]
    [thanks] = await replay(bot_url, channel, "emulator-message.json", **webchat_click(up))
    assert thanks["text"] == "Thanks for the feedback!" and "attachments" not in thanks
    # Web Chat cannot update a sent card: its buttons stay, a second click is not counted.
    await replay(bot_url, channel, "emulator-message.json", **webchat_click(up))
    assert channel.updated == []
    assert 'bot_feedback_total{vote="up"} 1.0' in await metrics_of(bot_url)


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
    assert "text" not in reply
    assert texts(card_of(reply))[0].startswith("Hello! I answer questions")


async def test_teams_vote_on_a_two_question_answer_keeps_both_passages(
    bot_url: str, channel: Channel, kb: KnowledgeBase
) -> None:
    two = "Is my phone number shared with the carrier? And can they download it?"
    [answer] = await replay(bot_url, channel, "teams-personal-message.json", text=two)
    number = kb.passage("en-US/operator-connect-privacy#l2.1")
    export = kb.passage("en-US/operator-connect-privacy#p2")
    assert number is not None and export is not None
    assert export.text in "\n".join(texts(card_of(answer)))
    [up] = [a for a in submits(card_of(answer)) if a["data"].get("vote") == "up"]
    vote = {"text": None, "attachments": [], "value": up["data"], "replyToId": "reply-1"}
    await replay(bot_url, channel, "teams-personal-message.json", **vote)
    [(_, card_update)] = channel.updated
    updated = "\n".join(texts(card_of(card_update)))
    assert number.text in updated and export.text in updated
