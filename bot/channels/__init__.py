"""One room per channel: each channel's quirks in its own module, and the turn read once.

``read(activity)`` turns an incoming activity into an ``Inbound``: the typed
text (mentions and markup removed), the clicked button's data, the client's
locale, whether the bot is addressed, and the channel (what it can show). The
rest of the bot decides from that value and never looks at the activity's
channel-specific fields. A new channel is a module like ``webchat.py`` and a
line in ``CHANNELS`` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from bot.channels import teams, text, webchat
from bot.channels.base import MAX_QUESTION_CHARS, Capabilities, Channel, client_locale

__all__ = [
    "CHANNELS",
    "MAX_QUESTION_CHARS",
    "Capabilities",
    "Channel",
    "Inbound",
    "client_locale",
    "of",
    "read",
]

CHANNELS: dict[str, Channel] = {
    teams.TEAMS: teams.CHANNEL,
    "emulator": webchat.CHANNEL,
    "webchat": webchat.CHANNEL,
    "directline": webchat.CHANNEL,
}
# Any other channel (Slack, Telegram, botbuilder's test adapter...) gets text.
DEFAULT = text.CHANNEL


def of(channel_id: str | None) -> Channel:
    return CHANNELS.get(channel_id or "", DEFAULT)


@dataclass(frozen=True, slots=True)
class Inbound:
    """An incoming message or conversation update, as the bot needs it."""

    channel: Channel
    text: str  # what was typed, without markup or the bot's mention, bounded
    button: dict[str, Any] | None  # the data of a clicked button
    client_locale: str | None
    addressed: bool  # False: a message in a channel or group chat for someone else
    conversation: str | None
    replied_to: str | None  # the bot's message a click came from, when the channel says

    @property
    def question(self) -> str:
        """The typed text, or the example question a clicked button asks."""
        asked = self.button.get("text") if self.button else None
        if isinstance(asked, str) and asked.strip():
            return asked[:MAX_QUESTION_CHARS].strip()
        return self.text


def read(activity: Activity) -> Inbound:
    channel = of(activity.channel_id)
    button = channel.button(activity.value) if activity.value is not None else None
    conversation = activity.conversation.id if activity.conversation else None
    return Inbound(
        channel=channel,
        text=channel.text(activity),
        button=button,
        client_locale=client_locale(activity),
        addressed=channel.addressed(activity, button),
        conversation=conversation if isinstance(conversation, str) else None,
        replied_to=activity.reply_to_id if isinstance(activity.reply_to_id, str) else None,
    )
