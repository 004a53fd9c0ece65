"""The ActivityHandler through botbuilder's TestAdapter."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.handler import NoticeBot
from bot.settings import Settings
from bot.strings import Catalog
from knowledge import KnowledgeBase

LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"


@pytest.fixture
def adapter(kb: KnowledgeBase) -> TestAdapter:
    bot = NoticeBot(kb, Catalog.load(), Settings.from_env({}))
    return TestAdapter(bot.on_turn)


async def turn(adapter: TestAdapter, **fields: Any) -> list[Activity]:
    fields.setdefault("type", ActivityTypes.message)
    await adapter.receive_activity(Activity(**fields))
    replies = []
    while (reply := adapter.get_next_activity()) is not None:
        replies.append(reply)
    return replies


def values(reply: Activity) -> list[dict[str, str]]:
    return [a.value for a in reply.suggested_actions.actions] if reply.suggested_actions else []


async def test_a_question_gets_the_passage_verbatim_with_title_and_link(
    adapter: TestAdapter, kb: KnowledgeBase
) -> None:
    [reply] = await turn(adapter, text="Est-ce que mon adresse IP est transmise ?", locale="fr-FR")
    item = kb.passage("fr-FR/operator-connect-privacy#l2.2")
    assert item is not None
    assert item.text in reply.text and item.context in reply.text
    assert (
        "Transferts de données entre opérateurs et microsoft pour les opérateurs Connecter"
        in reply.text
    )
    assert LINK in reply.text
    assert reply.locale == "fr-FR"
    # Follow-ups: the other items of the list, then the whole notice.
    assert [v.get("id") for v in values(reply)] == [
        "fr-FR/operator-connect-privacy#l2.1",
        "fr-FR/operator-connect-privacy#l2.3",
        None,
    ]
    assert values(reply)[-1] == {
        "action": "notice",
        "locale": "fr-FR",
        "notice": "operator-connect-privacy",
    }


async def test_two_questions_in_one_message_get_both_passages(
    adapter: TestAdapter, kb: KnowledgeBase
) -> None:
    [reply] = await turn(
        adapter,
        text="Is my phone number shared with the carrier? And can they download it?",
        locale="en-US",
    )
    number = kb.passage("en-US/operator-connect-privacy#l2.1")
    export = kb.passage("en-US/operator-connect-privacy#p2")
    assert number is not None and export is not None
    assert number.text in reply.text and export.text in reply.text
    assert LINK in reply.text


async def test_a_question_not_covered_gets_a_short_reply_with_link_and_examples(
    adapter: TestAdapter,
) -> None:
    [reply] = await turn(adapter, text="Comment créer une équipe dans Teams ?", locale="fr-FR")
    assert reply.text.startswith("Désolé, la notice ne traite pas de ce sujet.")
    assert LINK in reply.text
    assert len(values(reply)) == 3 and all(v["action"] == "ask" for v in values(reply))
    assert "contrôleur" not in reply.text  # no random passage


@pytest.mark.parametrize(
    ("text", "locale", "start"),
    [
        ("help", "en-US", "I answer questions about the notice"),
        ("aide", "fr-FR", "Je réponds aux questions sur la notice"),
        ("Aiuto!", "it-IT", "Rispondo alle domande"),
        ("hilfe", "de-DE", "Ich beantworte Fragen"),
        ("ayuda", "es-ES", "Respondo preguntas"),
        ("ヘルプ", "ja-JP", "「"),
        ("", "fr-FR", "Je réponds aux questions sur la notice"),
    ],
)
async def test_help_in_every_language_and_for_an_empty_message(
    adapter: TestAdapter, text: str, locale: str, start: str
) -> None:
    [reply] = await turn(adapter, text=text, locale=locale)
    assert reply.text.startswith(start)
    assert len(values(reply)) == 3


async def test_an_attachment_without_text_gets_the_help(adapter: TestAdapter) -> None:
    attachment = {"contentType": "image/png", "contentUrl": "http://127.0.0.1/x.png"}
    [reply] = await turn(adapter, attachments=[attachment], locale="it-IT")
    assert reply.text.startswith("Rispondo alle domande")


async def test_welcome_once_when_someone_other_than_the_bot_joins(adapter: TestAdapter) -> None:
    joined = [ChannelAccount(id="bot"), ChannelAccount(id="user-1"), ChannelAccount(id="user-2")]
    replies = await turn(
        adapter, type=ActivityTypes.conversation_update, members_added=joined, locale="de-DE"
    )
    assert len(replies) == 1
    assert replies[0].text.startswith("Hallo! Ich beantworte Fragen")
    assert (
        await turn(
            adapter,
            type=ActivityTypes.conversation_update,
            members_added=[ChannelAccount(id="bot")],
        )
        == []
    )


@pytest.mark.parametrize(
    ("client", "answer_locale"),
    [
        ("fr-CA", "fr-FR"),
        ("it-CH", "it-IT"),
        ("en-GB", "en-US"),
        ("pt-BR", "en-US"),
        (None, "en-US"),
    ],
)
async def test_locale_falls_back_to_the_same_language_then_the_default(
    adapter: TestAdapter, client: str | None, answer_locale: str
) -> None:
    [reply] = await turn(adapter, text="help", locale=client)
    assert reply.locale == answer_locale


async def test_a_question_in_another_language_is_answered_in_that_language(
    adapter: TestAdapter,
) -> None:
    [reply] = await turn(
        adapter, text="La posizione delle chiamate di emergenza viene condivisa?", locale="fr-FR"
    )
    assert reply.locale == "it-IT"
    assert "informazioni sulla posizione delle chiamate di emergenza." in reply.text


async def test_a_reply_says_its_own_locale_and_the_turn_keeps_no_hook(kb: KnowledgeBase) -> None:
    """An Italian answer to a French client says it-IT; the incoming activity still says fr-FR."""
    bot = NoticeBot(kb, Catalog.load(), Settings.from_env({}))
    seen: list[TurnContext] = []

    async def logic(turn_context: TurnContext) -> None:
        seen.append(turn_context)
        await bot.on_turn(turn_context)

    adapter = TestAdapter(logic)
    [reply] = await turn(
        adapter, text="La posizione delle chiamate di emergenza viene condivisa?", locale="fr-FR"
    )
    assert reply.locale == "it-IT"
    [context] = seen
    assert context.activity.locale == "fr-FR"
    assert context._on_send_activities == [] and context._on_update_activity == []


async def test_a_clicked_button_is_answered_from_its_data_alone(
    adapter: TestAdapter, kb: KnowledgeBase
) -> None:
    value = {"action": "show", "id": "es-ES/operator-connect-privacy#p2"}
    [reply] = await turn(adapter, value=value, text="lo que sea", locale="fr-FR")
    passage = kb.passage("es-ES/operator-connect-privacy#p2")
    assert passage is not None and passage.text in reply.text
    [whole] = await turn(
        adapter, value={"action": "notice", "locale": "de-DE", "notice": "operator-connect-privacy"}
    )
    assert "Standortinformationen für Notrufe." in whole.text and "Anrufdetails" in whole.text
    [none] = await turn(adapter, value={"action": "none"}, locale="en-US")
    assert none.text.startswith("Sorry, the notice does not cover that.")


async def test_an_unknown_button_id_is_treated_as_the_typed_text(adapter: TestAdapter) -> None:
    [reply] = await turn(
        adapter, value={"action": "show", "id": "nope"}, text="help", locale="en-US"
    )
    assert reply.text.startswith("I answer questions about the notice")


async def test_small_talk_gets_a_short_reply_never_a_passage(adapter: TestAdapter) -> None:
    [reply] = await turn(adapter, text="merci beaucoup !", locale="fr-FR")
    assert reply.text == "Avec plaisir ! Une autre question sur vos données téléphoniques ?"


async def test_question_text_is_not_logged_by_default(
    adapter: TestAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    await turn(adapter, text="mon numéro +33 6 12 34 56 78 est-il partagé ?", locale="fr-FR")
    assert "+33" not in caplog.text and "partagé" not in caplog.text
