from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from browsers import CHROMIUM, FLAGS

from bot.settings import Settings
from bot.web import create_app
from knowledge import KnowledgeBase

NOTICES = Path(__file__).resolve().parent.parent / "knowledge" / "notices"
CARD = "application/vnd.microsoft.card.adaptive"


def shown(reply: dict[str, Any]) -> str:
    """What a person reads in a serialized reply: its card's text blocks, else its text.

    Card channels get the card alone (no text); other channels get text.
    """
    cards = [a["content"] for a in reply.get("attachments") or [] if a["contentType"] == CARD]
    if not cards:
        return str(reply.get("text") or "")
    blocks: list[str] = []

    def walk(element: dict[str, Any]) -> None:
        if element.get("type") == "TextBlock":
            blocks.append(element["text"])
        for child in element.get("items", []) + element.get("columns", []):
            walk(child)

    for card in cards:
        for element in card.get("body", []):
            walk(element)
        blocks += [a["url"] for a in card.get("actions", []) if a.get("type") == "Action.OpenUrl"]
    return "\n".join(blocks)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env({})


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[web.Application], object]]:
    """Start an app on a real 127.0.0.1 port; returns its base URL."""
    servers: list[TestServer] = []

    async def start(app: web.Application) -> str:
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return str(server.make_url("")).rstrip("/")

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def bot_url(serve, settings, kb) -> str:  # type: ignore[no-untyped-def]
    return await serve(create_app(settings, kb))


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Debian's Chromium through Playwright; skips when either is missing."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:  # pragma: no cover - make test installs it
        pytest.skip("playwright is not installed; `make test` installs it")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium package")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        await browser.close()
