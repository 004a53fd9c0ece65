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
