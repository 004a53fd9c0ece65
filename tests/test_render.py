"""Rendering: markdown text always; an Adaptive Card 1.5 where cards show, else suggestions."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot import replies
from bot.render import adaptive_card, markdown, render
from bot.strings import Catalog
from knowledge import KnowledgeBase
from tests.cards import card_actions

LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"

# Adaptive Cards elements and actions with the schema version that introduced
# them (from the Adaptive Cards schema explorer); anything else is unknown to 1.5.
ELEMENTS = {
    "TextBlock": 1.0, "Image": 1.0, "Container": 1.0, "ColumnSet": 1.0, "Column": 1.0,
    "FactSet": 1.0, "ImageSet": 1.0, "Media": 1.1, "RichTextBlock": 1.2, "ActionSet": 1.2,
    "Table": 1.5, "Input.Text": 1.0, "Input.Number": 1.0, "Input.Date": 1.0,
    "Input.Time": 1.0, "Input.Toggle": 1.0, "Input.ChoiceSet": 1.0,
}  # fmt: skip
ACTIONS = {
    "Action.OpenUrl": 1.0, "Action.Submit": 1.0, "Action.ShowCard": 1.0,
    "Action.ToggleVisibility": 1.2, "Action.Execute": 1.4,
}  # fmt: skip
TEXTBLOCK_ENUMS = {
    "weight": {"Default", "Lighter", "Bolder"},
    "size": {"Default", "Small", "Medium", "Large", "ExtraLarge"},
    "spacing": {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"},
}
TEAMS_MAX_ROOT_ACTIONS = 6
LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"


def problems_in(card: dict[str, Any], version: float = 1.5) -> list[str]:
    found: list[str] = []
    if card.get("type") != "AdaptiveCard" or float(card.get("version", "0")) > version:
        found.append(f"not an AdaptiveCard {version}: {card.get('type')} {card.get('version')}")

    def action(a: dict[str, Any]) -> None:
        if ACTIONS.get(a.get("type", ""), 99) > version:
            found.append(f"unknown action {a.get('type')}")
        if not a.get("title"):
            found.append(f"{a.get('type')} without title")
        if a.get("type") == "Action.OpenUrl" and not str(a.get("url", "")).startswith("https://"):
            found.append("Action.OpenUrl without an https url")
        if a.get("type") == "Action.Submit" and not isinstance(a.get("data"), dict):
            found.append("Action.Submit without object data")

    def element(e: dict[str, Any]) -> None:
        if ELEMENTS.get(e.get("type", ""), 99) > version:
            found.append(f"unknown element {e.get('type')}")
        if e.get("type") == "TextBlock":
            if not isinstance(e.get("text"), str) or not e["text"]:
                found.append("TextBlock without text")
            for field, allowed in TEXTBLOCK_ENUMS.items():
                if field in e and e[field] not in allowed:
                    found.append(f"TextBlock {field}={e[field]}")
        for child in [*e.get("items", []), *e.get("columns", [])]:
            element(child)
        for a in e.get("actions", []):
            action(a)
        if "selectAction" in e:
            action(e["selectAction"])

    for e in card.get("body", []):
        element(e)
    for a in card.get("actions", []):
        action(a)
    if len(card.get("actions", [])) > TEAMS_MAX_ROOT_ACTIONS:
        found.append("more root actions than Teams shows")
    return found


def all_replies(kb: KnowledgeBase, catalog: Catalog) -> list[replies.Reply]:
    out: list[replies.Reply] = []
    for locale in kb.locales:
        strings = catalog.for_locale(locale)
        for passage in kb.notice_passages(locale, "operator-connect-privacy"):
            out.append(replies.compose_answer(kb, strings, passage))
            out.append(replies.compose_voted(kb, strings, passage))
            out.append(replies.compose_shared(kb, strings, passage))
        passages = kb.notice_passages(locale, "operator-connect-privacy")[:3]
        out.append(replies.compose_suggestions(kb, strings, locale, passages))
        out.append(replies.compose_not_covered(kb, strings, locale))
        out.append(replies.compose_help(kb, strings, locale))
        out.append(replies.compose_help(kb, strings, locale, welcome=True))
        notice = replies.compose_notice(kb, strings, locale, "operator-connect-privacy")
        assert notice is not None
        out.append(notice)
    return out


@pytest.mark.parametrize("channel", ["msteams", "emulator", "webchat"])
def test_every_card_is_valid_adaptive_card_1_5(kb: KnowledgeBase, channel: str) -> None:
    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        activity = render(reply, channel, catalog.for_locale(reply.locale))
        [attachment] = activity.attachments
        assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
        assert problems_in(attachment.content) == [], (reply.kind, reply.passage_id)


def test_the_checker_catches_what_1_5_does_not_know() -> None:
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "CodeBlock", "codeSnippet": "x"},
            {"type": "TextBlock", "text": "", "weight": "Heavy"},
        ],
        "actions": [
            {"type": "Action.Popover", "title": "x"},
            {"type": "Action.OpenUrl", "title": "t", "url": "ftp://x"},
        ],
    }
    assert problems_in(card) == [
        "unknown element CodeBlock",
        "TextBlock without text",
        "TextBlock weight=Heavy",
        "unknown action Action.Popover",
        "Action.OpenUrl without an https url",
    ]


def test_an_answer_card_has_title_passage_link_follow_ups_and_feedback(kb: KnowledgeBase) -> None:
    catalog = Catalog.load()
    strings = catalog.for_locale("it-IT")
    passage = kb.passage("it-IT/operator-connect-privacy#l2.3")
    assert passage is not None
    reply = replies.compose_answer(kb, strings, passage)
    card = adaptive_card(replace(reply, link_label="+ privacy"), "emulator", feedback=("+", "-"))
    blocks = [e["text"] for e in card["body"] if e["type"] == "TextBlock"]
    assert (
        blocks[0] == "Trasferimenti di dati tra corrieri e Microsoft per Connessione con operatore"
    )
    assert blocks[1] == f"{passage.context}\n\n- {passage.text}"
    assert blocks[2] == f"[+ privacy]({LINK})"
    actions = card_actions(card)
    assert all(a["type"] == "Action.Submit" for a in actions)
    follow_ups = [a["data"] for a in actions if a["data"]["action"] != "feedback"]
    assert [f.get("id") for f in follow_ups][:2] == [
        "it-IT/operator-connect-privacy#l2.1",
        "it-IT/operator-connect-privacy#l2.2",
    ]
    assert follow_ups[-1]["action"] == "notice"
    votes = [a for a in actions if a["data"]["action"] == "feedback"]
    assert [(v["title"], v["data"]["vote"]) for v in votes] == [("+", "up"), ("-", "down")]


def test_choices_are_full_width_rows_of_wrapping_text(kb: KnowledgeBase) -> None:
    """Teams cuts button labels in a row; a choice is a row whose text wraps."""
    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        card = adaptive_card(reply, "msteams", feedback=("+", "-"))
        assert "actions" not in card
        rows = [e for e in card["body"] if "selectAction" in e]
        assert [r["selectAction"]["title"] for r in rows] == [c.label for c in reply.choices]
        for row in rows:
            assert row["type"] == "Container"
            [label] = row["items"]
            assert label["type"] == "TextBlock" and label["wrap"] is True
            assert label["text"] == row["selectAction"]["title"]
        assert not [e for e in card["body"] if e["type"] == "ActionSet"]


def test_other_channels_get_markdown_and_suggested_actions(kb: KnowledgeBase) -> None:
    catalog = Catalog.load()
    strings = catalog.for_locale("en-US")
    passage = kb.passage("en-US/operator-connect-privacy#p2")
    assert passage is not None
    reply = replies.compose_answer(kb, strings, passage)
    activity = render(reply, "slack", strings)
    assert activity.attachments is None
    assert [a.value["action"] for a in activity.suggested_actions.actions] == ["notice"]
    assert activity.text == markdown(reply)
    assert (
        passage.text in activity.text
        and "(https://go.microsoft.com/fwlink/?LinkId=521839)" in activity.text
    )


def test_choice_labels_never_quote_notice_text(kb: KnowledgeBase) -> None:
    """Buttons are named by questions, so a reply never quotes a passage it is not about."""
    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        for choice in reply.choices:
            for passage in kb.passages.values():
                if passage.kind != "list":
                    assert passage.text not in choice.label


@pytest.mark.parametrize("channel", ["msteams", "emulator", "slack"])
def test_fast_serialization_is_msrests_json(kb: KnowledgeBase, channel: str) -> None:
    from bot.botframework.wire import activity_to_json as serialize_activity

    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        activity = render(reply, channel, catalog.for_locale(reply.locale))
        assert serialize_activity(activity) == activity.serialize()


CARD_CHANNELS = ["msteams", "emulator", "webchat", "directline"]


@pytest.mark.parametrize("channel", CARD_CHANNELS)
def test_card_channels_get_the_card_alone_with_a_one_line_summary(
    kb: KnowledgeBase, channel: str
) -> None:
    """Text next to a card shows the reply twice (Teams splits it into two messages)."""
    catalog = Catalog.load()
    for reply in all_replies(kb, catalog):
        activity = render(reply, channel, catalog.for_locale(reply.locale))
        assert activity.text is None and activity.suggested_actions is None, reply.kind
        assert len(activity.attachments) == 1
        summary = activity.summary
        assert summary and len(summary) <= replies.SUMMARY_MAX and "\n" not in summary
        assert activity.locale == reply.locale
    # A sentence (small talk, the thanks for a vote where the card cannot be
    # updated) is text, even where cards show.
    strings = catalog.for_locale("es-ES")
    for sentence in (
        replies.compose_small_talk(strings, "es-ES", "greeting"),
        replies.compose_feedback_thanks(strings, "es-ES"),
    ):
        activity = render(sentence, channel, strings)
        assert activity.attachments is None and activity.text == sentence.intro


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("short", "Short"),
        ("- an item\n  on two lines", "An item on two lines"),
        ("word " * 30, "Word" + " word" * 18 + "…"),
        ("x" * 120, "X" + "x" * 98 + "…"),
    ],
)
def test_summaries_are_one_line_cut_on_a_word(text: str, summary: str) -> None:
    assert replies.shorten(text) == summary
    assert len(replies.shorten(text)) <= replies.SUMMARY_MAX


def test_summaries_say_what_the_card_says(kb: KnowledgeBase) -> None:
    catalog = Catalog.load()
    strings = catalog.for_locale("de-DE")
    passages = kb.notice_passages("de-DE", "operator-connect-privacy")[:2]
    suggest = replies.compose_suggestions(kb, strings, "de-DE", passages)
    assert suggest.summary.startswith(strings.did_you_mean + " ")
    assert replies.passage_label(kb, passages[0])[:20] in suggest.summary
    welcome = replies.compose_help(kb, strings, "de-DE", welcome=True)
    assert welcome.summary == replies.shorten(strings.welcome)
    notice = replies.compose_notice(kb, strings, "de-DE", "operator-connect-privacy")
    assert notice is not None and notice.summary == kb.notice_of(passages[0]).title


def feedback_submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for a in card_actions(card) if a.get("data", {}).get("action") == "feedback"]


def test_each_answer_card_has_its_own_id_in_its_votes(kb: KnowledgeBase) -> None:
    strings = Catalog.load().for_locale("en-US")
    passage = kb.passage("en-US/operator-connect-privacy#p2")
    assert passage is not None
    cards = [
        adaptive_card(replies.compose_answer(kb, strings, passage), "webchat", feedback=("+", "-"))
        for _ in range(2)
    ]
    ids = [{a["data"]["card"] for a in feedback_submits(card)} for card in cards]
    assert all(len(one) == 1 for one in ids) and ids[0] != ids[1]


def test_voted_and_shared_cards_have_no_vote_buttons(kb: KnowledgeBase) -> None:
    strings = Catalog.load().for_locale("ja-JP")
    passage = kb.notice_passages("ja-JP", "operator-connect-privacy")[3]
    voted = adaptive_card(
        replies.compose_voted(kb, strings, passage), "msteams", feedback=("+", "-")
    )
    assert feedback_submits(voted) == []
    assert strings.feedback_thanks in [e.get("text") for e in voted["body"]]
    shared = replies.compose_shared(kb, strings, passage)
    card = adaptive_card(shared, "msteams", feedback=("+", "-"))
    assert card_actions(card) == []  # posted where the bot may not be: no bot buttons
    assert f"]({LINK})" in str(card)
    assert passage.text in str(card)


def test_a_partly_covered_message_says_what_the_notice_leaves_out_before_the_answer(
    kb: KnowledgeBase,
) -> None:
    """The uncovered question is quoted back as plain text (the bot may answer in a
    group chat: no link or emphasis of the user's own makes it into the card)."""
    catalog = Catalog.load()
    strings = catalog.for_locale("en-US")
    outcome = kb.ask(
        "Can the carrier download my data? And can they **sell** it to [advertisers](#top)?",
        "en-US",
    )
    reply = replies.for_outcome(kb, strings, outcome)
    assert reply.kind == replies.ReplyKind.ANSWER
    assert reply.intro == (
        "The notice says nothing about “Can they sell it to advertisers top”. "
        "To the rest of your message it answers:"
    )
    card = adaptive_card(reply, "msteams", feedback=("+", "-"))
    blocks = [e["text"] for e in card["body"] if e["type"] == "TextBlock"]
    assert blocks[1] == reply.intro and blocks[2] == reply.body
    assert markdown(reply).startswith(reply.intro + "\n\n" + reply.body)


def test_several_uncovered_questions_are_quoted_in_one_sentence(kb: KnowledgeBase) -> None:
    strings = Catalog.load().for_locale("es-ES")
    outcome = kb.ask(
        "¿El operador puede descargar mis datos? ¿Y los vende? ¿Y cuánto tiempo los guarda?",
        "es-ES",
    )
    reply = replies.for_outcome(kb, strings, outcome)
    assert reply.intro == (
        "El aviso no dice nada sobre «Los vende / Cuánto tiempo los guarda». "
        "Sobre el resto de tu mensaje, dice:"
    )
