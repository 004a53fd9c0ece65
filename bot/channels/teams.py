"""Microsoft Teams: mentions, HTML-only messages, clientInfo, messageBack, installs.

In channels and group chats the bot answers only when it is @mentioned (or
when one of its own buttons is clicked), with the mention removed before
matching; a message whose text is empty is read from its text/html
attachment; a click on a card's Action.Submit shows its label in the chat when
its data carries ``msteams: {type: messageBack, displayText}``; the bot
welcomes once when it is installed (personal chat or team), not each time
someone joins a team. Teams can replace a sent card (updateActivity).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape
from typing import Any

from botbuilder.schema import Activity

from bot.channels.base import MAX_QUESTION_CHARS, Capabilities, Channel, json_object

TEAMS = "msteams"


def button_data(value: Any) -> dict[str, Any] | None:
    """What a clicked button carries: a dict, or a JSON object in a string (Teams messageBack)."""
    data = json_object(value)
    if data is None:
        return None
    nested = data.get("msteams")
    if isinstance(nested, dict) and "action" not in data:
        return button_data(nested.get("value"))
    return data


def submit_data(label: str, data: dict[str, str]) -> dict[str, Any]:
    """Teams shows the choice in the chat as if the user had said it."""
    return {**data, "msteams": {"type": "messageBack", "displayText": label}}


def in_group_conversation(activity: Activity) -> bool:
    conversation = activity.conversation
    if conversation is None:
        return False
    return bool(conversation.is_group) or conversation.conversation_type in ("channel", "groupChat")


def addressed(activity: Activity, button: dict[str, Any] | None) -> bool:
    """In a channel or group chat, only a mention of the bot or a click on its buttons is for it."""
    return button is not None or not in_group_conversation(activity) or mentions_bot(activity)


def welcomes(activity: Activity, added: Sequence[str]) -> bool:
    """The bot itself was just added: installed in a personal chat or a team."""
    bot_id = activity.recipient.id if activity.recipient else None
    return bot_id in added


def mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        mentioned = (entity.additional_properties or {}).get("mentioned")
        if (entity.type or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        if mentioned.get("id") == bot_id:
            return True
    return False


def message_text(activity: Activity) -> str:
    """The question: the text without @mentions, else the text of its HTML attachment.

    Every step is linear in its input and the input is bounded first, so no
    message can hold the event loop (a 250 KB text of ``<at>`` used to take a minute).
    """
    text = activity.text[:MAX_MARKUP_CHARS] if isinstance(activity.text, str) else ""
    if text and mentions_bot(activity):
        for mention in _bot_mention_texts(activity):
            text = text.replace(mention, " ")
    text = strip_at_tags(text).strip()
    if text:
        return text[:MAX_QUESTION_CHARS]
    for attachment in (activity.attachments or [])[:MAX_ATTACHMENTS_READ]:
        # Attachments are msrest objects from the wire, plain dicts when built by hand.
        fields = attachment if isinstance(attachment, dict) else vars(attachment)
        content_type = fields.get("content_type", fields.get("contentType"))
        if content_type == "text/html" and isinstance(fields.get("content"), str):
            return html_text(fields["content"][:MAX_MARKUP_CHARS])[:MAX_QUESTION_CHARS]
    return ""


# Raw text or HTML read before markup and mentions are removed: tags take room,
# and no more than this is ever scanned.
MAX_MARKUP_CHARS = 4 * MAX_QUESTION_CHARS
# Teams sends one text/html attachment; the rest are files and cards.
MAX_ATTACHMENTS_READ = 8
# A mention's text is a name in <at> tags; longer ones are not names.
MAX_MENTION_CHARS = 256
# Mentions of the bot removed by their text; Teams sends one per message.
MAX_BOT_MENTIONS = 4
_AT_OPEN = re.compile(rf"<at(?:\s[^<>]{{0,{MAX_MENTION_CHARS}}})?>", re.IGNORECASE)
_AT_CLOSE = re.compile(r"</at\s*>", re.IGNORECASE)


def _bot_mention_texts(activity: Activity) -> list[str]:
    """The texts (``<at>Name</at>``) of the entities that mention the bot."""
    bot_id = activity.recipient.id if activity.recipient else None
    texts = []
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned, text = props.get("mentioned"), props.get("text")
        if (entity.type or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        if mentioned.get("id") == bot_id and isinstance(text, str) and text.strip():
            texts.append(text[:MAX_MENTION_CHARS])
            if len(texts) == MAX_BOT_MENTIONS:
                break
    return texts


def strip_at_tags(text: str) -> str:
    """``text`` without its ``<at>…</at>`` spans, in one forward pass.

    Each span runs from an opening tag to the first closing tag after it (as
    the non-greedy regex did, but that one rescanned the rest of the text from
    every ``<at``: quadratic).
    """
    parts: list[str] = []
    position = 0
    while True:
        opening = _AT_OPEN.search(text, position)
        if opening is None:
            break
        closing = _AT_CLOSE.search(text, opening.end())
        if closing is None:
            break  # no closing tag after this one: none after any later one either
        parts.append(text[position : opening.start()])
        parts.append(" ")
        position = closing.end()
    parts.append(text[position:])
    return "".join(parts)


_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})
_BREAKS = frozenset({"p", "div", "li"})
_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9:-]*)")


def html_text(html: str) -> str:
    """Text of an HTML fragment, without Teams mention spans or ``<at>`` tags.

    One forward pass with ``str.find`` (linear: ``html.parser`` took seconds on
    a few KB of ``<a `` or ``<!--``). Enough HTML for a chat message: tags,
    comments, character references; what is not a tag is text.
    """
    parts: list[str] = []
    skip = 0
    position, size = 0, len(html)
    while position < size:
        lt = html.find("<", position)
        if lt < 0:
            lt = size
        if not skip:
            parts.append(html[position:lt])
        if lt == size:
            break
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            position = size if end < 0 else end + 3  # an unclosed comment hides the rest
            continue
        name = _TAG_NAME.match(html, lt + 1)
        if name is None and not html.startswith(("<!", "<?"), lt):
            if not skip:
                parts.append("<")  # a lone "<" is text
            position = lt + 1
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:
            break  # an unfinished tag ends the fragment
        position = gt + 1
        if name is None:
            continue  # <!DOCTYPE …>, <?…?>
        tag = name.group(1).lower()
        if html.startswith("</", lt):
            if skip:
                skip -= 1
        elif tag in _VOID:
            parts.append(" ")
        elif skip or tag == "at" or "Mention" in html[lt:gt]:
            skip += 1
        elif tag in _BREAKS:
            parts.append(" ")
    return " ".join(unescape("".join(parts)).split())


CHANNEL = Channel(
    name=TEAMS,
    capabilities=Capabilities(cards=True, updates_messages=True),
    text=message_text,
    button=button_data,
    addressed=addressed,
    welcomes=welcomes,
    submit_data=submit_data,
)
