"""Logs and headers: no forged log lines, redaction of what identifies people,
response headers that tell browsers what they get, slow clients timed out."""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.privacy import printable, redact
from bot.settings import Settings
from bot.web import create_app
from knowledge import KnowledgeBase
from tests.test_web import activity, post


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("IBAN FR76 3000 6000 0112 3456 7890 189 please", "<iban>", "3000 6000"),
        ("iban DE89370400440532013000", "<iban>", "370400"),
        ("card 4111 1111 1111 1111 ok", "<card>", "1111"),
        ("card 4111-1111-1111-1111", "<card>", "1111"),
        ("appelez le 06.12.34.56.78", "<phone>", "34.56"),
        ("loopback ::1 seen", "<ip>", "::1"),
        ("link-local fe80::1%eth0 seen", "<ip>", "eth0"),
        ("full 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "<ip>", "8a2e"),
    ],
)
def test_redaction_misses_none_of_these(text: str, kept: str, gone: str) -> None:
    redacted = redact(text)
    assert kept in redacted and gone not in redacted


@pytest.mark.parametrize(
    "text",
    ["line\r\nINFO forged entry", "\x1b[2J\x1b[31mred", "a\u2028b", "bidi \u202eevil", "\x00"],
)
def test_control_characters_are_escaped(text: str) -> None:
    safe = printable(text)
    assert safe.isprintable() and ("\\x" in safe or "\\u" in safe)
    assert "\r" not in redact(text) and "\n" not in redact(text)


async def test_a_service_url_cannot_forge_a_log_line(
    bot_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = activity(serviceUrl="https://evil.example/\r\nCRITICAL forged: \x1b[31m")
    del body["deliveryMode"]
    status, _ = await post(bot_url, body)
    assert status in (400, 403)
    text = "".join(r.getMessage() for r in caplog.records)
    assert "\r" not in text and "\n" not in text and "\x1b" not in text
    assert "\\x0d\\x0aCRITICAL forged" in text


async def test_logged_questions_cannot_forge_a_log_line(
    serve: Any, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    url = await serve(create_app(Settings.from_env({"LOG_QUESTIONS": "true"}), kb))
    caplog.set_level(logging.INFO)
    status, _ = await post(url, activity("Is my IP shared?\nERROR forged line \x1b[0m"))
    assert status == 200
    [line] = [r.getMessage() for r in caplog.records if "question" in r.getMessage()]
    assert "\n" not in line and "\x1b" not in line and "\\x0aERROR forged" in line


@pytest.mark.parametrize("path", ["/api/messages", "/healthz", "/", "/widget.js", "/nope"])
async def test_every_response_says_nosniff_and_no_referrer_and_no_versions(
    bot_url: str, path: str
) -> None:
    method = "POST" if path == "/api/messages" else "GET"
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, bot_url + path, json=activity()) as r,
    ):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["Server"] == "carrier-privacy-bot"


async def test_a_client_sending_headers_slowly_is_disconnected(
    serve: Any, kb: KnowledgeBase
) -> None:
    url = await serve(create_app(Settings.from_env({"IDLE_TIMEOUT_SECONDS": "1"}), kb))
    address = urlsplit(url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(b"POST /api/messages HTTP/1.1\r\nHost: x\r\n")  # and never the rest
    await writer.drain()
    # The server closes the connection: reading ends (the bound only stops a hang).
    assert await asyncio.wait_for(reader.read(), timeout=30) == b""
    writer.close()
