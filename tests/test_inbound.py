"""The turn read once: bot.channels.read on Teams, Emulator and Web Chat activities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot import channels
from bot.settings import Settings
from bot.web import BOT, create_app
from knowledge import KnowledgeBase
from tests.test_web import activity as web_activity
from tests.test_web import post

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str, **changes: Any) -> Activity:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    data.update(changes)
    return Activity().deserialize(data)


def test_a_teams_personal_message() -> None:
    inbound = channels.read(fixture("teams-personal-message.json"))
    assert inbound.channel.name == "msteams"
    assert inbound.channel.capabilities == channels.Capabilities(cards=True, updates_messages=True)
    assert inbound.text == "Est-ce que mon adresse IP est transmise ?"
    assert inbound.button is None and inbound.addressed
    assert inbound.client_locale == "fr-FR"


def test_a_teams_channel_message_is_for_the_bot_only_when_it_is_mentioned() -> None:
    mention = channels.read(fixture("teams-channel-mention.json"))
    assert mention.addressed and mention.text == "L'operatore vede la durata delle chiamate?"
    other = channels.read(fixture("teams-channel-mention.json", entities=[], text="Réunion ?"))
    assert not other.addressed
    # A click on one of the bot's own buttons needs no mention.
    click = channels.read(
        fixture("teams-channel-mention.json", entities=[], text=None, value={"action": "none"})
    )
    assert click.addressed and click.button == {"action": "none"}


def test_teams_html_only_text_and_client_info_locale() -> None:
    inbound = channels.read(fixture("teams-personal-message.json", text="", locale=None))
    assert inbound.text == "Est-ce que mon adresse IP est transmise ?"
    assert inbound.client_locale == "fr-FR"  # from the clientInfo entity


@pytest.mark.parametrize(
    "value",
    [
        {"action": "show", "id": "x"},
        '{"action": "show", "id": "x"}',
        {"msteams": {"type": "messageBack", "value": {"action": "show", "id": "x"}}},
    ],
)
def test_teams_button_data_in_its_shapes(value: Any) -> None:
    inbound = channels.read(fixture("teams-personal-message.json", value=value))
    assert inbound.button == {"action": "show", "id": "x"}


def test_the_emulator_is_web_chat_and_sends_card_actions_back() -> None:
    inbound = channels.read(fixture("emulator-message.json"))
    assert inbound.channel.name == "webchat"
    assert inbound.channel.capabilities == channels.Capabilities(cards=True, updates_messages=False)
    assert inbound.text == "Who controls my personal data?" and inbound.client_locale == "en-US"
    # A client that sends the whole card action back gets it unwrapped.
    wrapped = {"__isBotFrameworkCardAction": True, "cardAction": {"value": {"action": "none"}}}
    assert channels.read(fixture("emulator-message.json", value=wrapped)).button == {
        "action": "none"
    }


def test_any_other_channel_gets_text() -> None:
    inbound = channels.read(fixture("emulator-message.json", channelId="slack"))
    assert inbound.channel.capabilities == channels.Capabilities(
        cards=False, updates_messages=False
    )
    assert channels.of(None) is channels.of("telegram") is inbound.channel


def test_the_question_is_the_typed_text_or_the_example_a_button_asks() -> None:
    typed = channels.read(fixture("emulator-message.json"))
    assert typed.question == typed.text
    asked = channels.read(
        fixture("emulator-message.json", value={"action": "ask", "text": "  Qui est responsable ?"})
    )
    assert asked.question == "Qui est responsable ?"


def test_text_is_bounded() -> None:
    long = channels.read(fixture("emulator-message.json", text="IP " * 5000))
    assert len(long.text) <= channels.MAX_QUESTION_CHARS


async def test_an_error_reply_speaks_the_language_the_turn_chose(
    serve: Any, kb: KnowledgeBase
) -> None:
    app = create_app(Settings.from_env({}), kb)

    def broken(question: str, locale: str) -> Any:
        raise RuntimeError("the index is gone")

    app[BOT].kb = _Broken(kb, broken)
    url: str = await serve(app)
    # An Italian question from a French client: the turn's locale is it-IT.
    body = web_activity("La posizione delle chiamate di emergenza viene condivisa?", locale="fr-FR")
    status, response = await post(url, body)
    [error] = response["activities"]
    assert status == 200 and error["text"].startswith("Mi dispiace")


class _Broken:
    """The knowledge base, with ``ask`` failing."""

    def __init__(self, kb: KnowledgeBase, ask: Any) -> None:
        self._kb = kb
        self.ask = ask

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kb, name)
