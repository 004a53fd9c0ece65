"""Reading the bot's Adaptive Cards in tests: their actions in reading order."""

from __future__ import annotations

from typing import Any


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action of a card in reading order: select actions, action sets, the card's own."""
    found: list[dict[str, Any]] = []

    def walk(element: dict[str, Any]) -> None:
        if isinstance(element.get("selectAction"), dict):
            found.append(element["selectAction"])
        for key in ("body", "items", "columns"):
            for child in element.get(key, []):
                walk(child)
        found.extend(element.get("actions", []))

    walk(card)
    return found
