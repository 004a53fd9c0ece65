"""A Reply as a Bot Framework Activity, per channel.

Channels that show cards (Teams, the Emulator, Web Chat, Direct Line) get the
Adaptive Card alone (schema 1.5, laid out by ``adaptive_card``) and a one-line ``summary``
for Teams' notification and chat-list preview; no ``text``, because Teams
splits an activity with text and a card into two messages and Web Chat shows
a text bubble above the card: the answer would show twice. Other channels get
the reply as markdown ``text`` with the choices as suggested actions.

A clicked choice shows in the chat as if the user had said it; how an
Action.Submit's data must look for that is the channel's quirk
(``bot.channels``: Teams' ``msteams`` messageBack, Web Chat's wrapped card action).
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment, CardAction, SuggestedActions

from bot import channels
from bot.replies import FEEDBACK, VOTES, Choice, Reply, ReplyKind
from bot.strings import Strings

# Replies that are one sentence: a card would add nothing but a frame.
TEXT_ONLY_KINDS = frozenset({ReplyKind.SMALL_TALK, ReplyKind.THANKS})
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
LISTED_KINDS = (ReplyKind.SUGGEST, ReplyKind.HELP, ReplyKind.WELCOME, ReplyKind.NOT_COVERED)


def markdown(reply: Reply) -> str:
    """The whole reply as markdown."""
    parts = [p for p in (reply.intro, reply.body) if p]
    if reply.source:
        parts.append(f"*{reply.source}*")
    if reply.link:
        parts.append(f"[{reply.link_label}]({reply.link.url})")
    if reply.choices and reply.kind in LISTED_KINDS:
        parts.append("\n".join(f"- {c.label}" for c in reply.choices))
    return "\n\n".join(parts)


def render(reply: Reply, channel_id: str | None, strings: Strings) -> Activity:
    if channels.of(channel_id).capabilities.cards and reply.kind not in TEXT_ONLY_KINDS:
        card = adaptive_card(
            reply, channel_id, feedback=(strings.feedback_up, strings.feedback_down)
        )
        return Activity(
            type=ActivityTypes.message,
            summary=reply.summary,
            locale=reply.locale,
            attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=card)],
        )
    activity = Activity(
        type=ActivityTypes.message,
        text=markdown(reply),
        text_format="markdown",
        locale=reply.locale,
    )
    if reply.choices:
        activity.suggested_actions = SuggestedActions(
            actions=[_card_action(c) for c in reply.choices]
        )
    return activity


def _card_action(choice: Choice) -> CardAction:
    return CardAction(
        type="messageBack",
        title=choice.label,
        text=choice.data.get("text", choice.label),
        display_text=choice.label,
        value=choice.data,
    )


def _submit(choice: Choice, channel_id: str | None) -> dict[str, Any]:
    """An Action.Submit whose click shows its label in the chat, as the user's message."""
    data = channels.of(channel_id).submit_data(choice.label, choice.data)
    return {"type": "Action.Submit", "title": choice.label, "data": data}


def adaptive_card(
    reply: Reply, channel_id: str | None, *, feedback: tuple[str, str]
) -> dict[str, Any]:
    """The reply as an Adaptive Card whose every word can be read in a narrow chat.

    Teams lays an ActionSet (and a card's own actions) out in one row and cuts
    each button's label to fit, so choices are not buttons here: each is a
    full-width row of wrapping text that acts on a click (``selectAction``),
    the privacy link is a link in the text, and the two votes share a row of
    two wrapping halves. Rendered with Teams' host config at 400 px, nothing is
    cut (tests/test_cards_browser.py).
    """
    body: list[dict[str, Any]] = []
    if reply.source:
        body.append({"type": "TextBlock", "text": reply.source, "weight": "Bolder", "wrap": True})
    for text in (reply.intro, reply.body):
        if text:
            body.append({"type": "TextBlock", "text": text, "wrap": True})
    link = (
        {"type": "TextBlock", "text": f"[{reply.link_label}]({reply.link.url})", "wrap": True}
        if reply.link
        else None
    )
    # The link cites a passage: it follows it. An intro ends with "for example:",
    # so its example questions come first and the link after them.
    if link and reply.body:
        body.append(link)
    if reply.choices:
        if reply.choices_title:
            body.append(
                {"type": "TextBlock", "text": reply.choices_title, "isSubtle": True, "wrap": True}
            )
        body.extend(_choice_row(c, channel_id) for c in reply.choices)
    if link and not reply.body:
        body.append(link)
    if reply.passage_id:
        # Counted, never stored with anything the user typed.
        votes = [
            Choice(
                title,
                {"action": FEEDBACK, "vote": vote, "id": reply.passage_id, "card": reply.card_id}
                | ({"more": " ".join(reply.more_ids)} if reply.more_ids else {}),
            )
            for vote, title in zip(VOTES, feedback, strict=True)
        ]
        body.append(
            {
                "type": "ColumnSet",
                "spacing": "Medium",
                "columns": [_vote_column(v, channel_id) for v in votes],
            }
        )
    return {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "lang": reply.locale.split("-")[0],
        "body": body,
    }


def _choice_row(choice: Choice, channel_id: str | None) -> dict[str, Any]:
    """A choice as a tinted full-width row: its label wraps instead of being cut."""
    return {
        "type": "Container",
        "style": "emphasis",
        "spacing": "Small",
        "selectAction": _submit(choice, channel_id),
        "items": [{"type": "TextBlock", "text": choice.label, "wrap": True, "color": "Accent"}],
    }


def _vote_column(choice: Choice, channel_id: str | None) -> dict[str, Any]:
    return {
        "type": "Column",
        "width": "stretch",
        "style": "emphasis",
        "selectAction": _submit(choice, channel_id),
        "items": [
            {
                "type": "TextBlock",
                "text": choice.label,
                "wrap": True,
                "color": "Accent",
                "horizontalAlignment": "Center",
            }
        ],
    }
