from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
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


REDIS_SERVER = Path("/usr/bin/redis-server")  # Debian package redis-server


class RedisServer:
    """A real redis-server on a free 127.0.0.1 port, no persistence, in a temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.folder), "--loglevel", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while not self.answers():
            assert self.process.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not come up"
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """Started by the test, killed at teardown; skips where Debian's redis-server is missing."""
    if not REDIS_SERVER.exists():
        pytest.skip("needs Debian's redis-server (apt-get install redis-server, or make test)")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.kill()
