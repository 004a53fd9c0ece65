"""Channels without Adaptive Cards: markdown text, choices as suggested actions."""

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


def submit_data(label: str, data: dict[str, str]) -> dict[str, Any]:
    return dict(data)


CHANNEL = Channel(
    name="text",
    capabilities=Capabilities(cards=False, updates_messages=False),
    text=plain_text,
    button=json_object,
    addressed=always,
    welcomes=someone_else_joined,
    submit_data=submit_data,
)
