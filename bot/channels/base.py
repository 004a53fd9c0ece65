"""What every channel module provides, and the parsing all channels share.

A channel module (``teams.py``, ``webchat.py``, ``text.py``) describes one
family of clients by a ``Channel``: what it can show (cards or text), whether
it can replace a sent message, how it sends typed text and button clicks, when
it means "someone new is here", and how a button must be built for its click
to show in the chat. ``bot.channels`` maps channel ids to these.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

# A question, not a document: the widget caps its text the same way.
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Capabilities:
    cards: bool  # shows Adaptive Cards; else markdown text and suggested actions
    updates_messages: bool  # can replace a message the bot sent (updateActivity)


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    capabilities: Capabilities
    # The typed question: markup and mentions removed, bounded.
    text: Callable[[Activity], str]
    # The data of a clicked button, or None.
    button: Callable[[Any], dict[str, Any] | None]
    # Whether a message (with this clicked button, if any) is for the bot.
    addressed: Callable[[Activity, dict[str, Any] | None], bool]
    # Whether members joining (their ids) should get the welcome.
    welcomes: Callable[[Activity, Sequence[str]], bool]
    # An Action.Submit's data such that a click shows ``label`` as the user's message.
    submit_data: Callable[[str, dict[str, str]], dict[str, Any]]


def plain_text(activity: Activity) -> str:
    """The activity's text, bounded; for channels that send text as typed."""
    text = activity.text if isinstance(activity.text, str) else ""
    return text[: 2 * MAX_QUESTION_CHARS].strip()[:MAX_QUESTION_CHARS]


def json_object(value: Any) -> dict[str, Any] | None:
    """A button's value: a dict, or a JSON object in a string."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None
    return value if isinstance(value, dict) else None


def always(activity: Activity, button: dict[str, Any] | None) -> bool:
    return True


def someone_else_joined(activity: Activity, added: Sequence[str]) -> bool:
    """Someone other than the bot opened a conversation with it (Emulator, Web Chat)."""
    bot_id = activity.recipient.id if activity.recipient else None
    return any(member != bot_id for member in added)


def client_locale(activity: Activity) -> str | None:
    """The client's locale: ``activity.locale``, else the ``clientInfo`` entity's."""
    if isinstance(activity.locale, str) and activity.locale.strip():
        return activity.locale
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        if (entity.type or "").lower() == "clientinfo" and isinstance(props.get("locale"), str):
            return str(props["locale"])
    return None
