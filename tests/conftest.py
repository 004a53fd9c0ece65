from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

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
