"""Web Chat and the clients built on it: the Emulator, Direct Line pages, the help widget.

Web Chat renders an Action.Submit whose data is an object as a silent
``postBack`` (nothing shows in the transcript); data flagged
``__isBotFrameworkCardAction`` is performed as the Bot Framework card action
it carries, and a ``messageBack`` (with a ``text``: Web Chat 4.18 hides one
without) shows its ``displayText`` as the user's message and sends its
``value`` and ``text``. The Direct Line service cannot update a sent
activity ("This channel does not support this operation").
"""

from __future__ import annotations

from typing import Any

from bot.channels.base import (
    Capabilities,
    Channel,
    always,
    json_object,
    plain_text,
    someone_else_joined,
)

CARD_ACTION = "__isBotFrameworkCardAction"


def submit_data(label: str, data: dict[str, str]) -> dict[str, Any]:
    """The data itself (for clients that send it as is, like the widget) and the card action."""
    return {
        **data,
        CARD_ACTION: True,
        "cardAction": {
            "type": "messageBack",
            "title": label,
            # Web Chat hides a messageBack without text; the bot reads the value first.
            "text": label,
            "displayText": label,
            "value": dict(data),
        },
    }


def button_data(value: Any) -> dict[str, Any] | None:
    """A click's data; a card action sent back whole is unwrapped to its value."""
    data = json_object(value)
    if data is not None and "action" not in data and isinstance(data.get("cardAction"), dict):
        return json_object(data["cardAction"].get("value"))
    return data


CHANNEL = Channel(
    name="webchat",
    capabilities=Capabilities(cards=True, updates_messages=False),
    text=plain_text,
    button=button_data,
    addressed=always,
    welcomes=someone_else_joined,
    submit_data=submit_data,
)
