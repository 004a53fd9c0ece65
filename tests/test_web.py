"""End to end over HTTP: a real server on 127.0.0.1, and a second one standing in for a channel."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from threadpoolctl import threadpool_info

from bot.botframework.delivery import UnsafeServiceUrl, service_url
from bot.settings import Settings
from bot.web import KNOWLEDGE, create_app
from knowledge import KnowledgeBase
from tests.conftest import shown

LINK = "https://go.microsoft.com/fwlink/?LinkId=521839"


def activity(text: str = "Are IP addresses shared?", **fields: Any) -> dict[str, Any]:
    body = {
        "type": "message",
        "id": "act-1",
        "channelId": "emulator",
        "serviceUrl": "http://127.0.0.1:9/unused",
        "from": {"id": "user-1", "name": "User"},
        "recipient": {"id": "bot-1", "name": "Bot"},
        "conversation": {"id": "conv-1"},
        "text": text,
        "locale": "en-US",
        "deliveryMode": "expectReplies",
    }
    body.update(fields)
    return body


async def post(
    url: str, body: Any = None, *, raw: bytes | None = None, headers: dict[str, str] | None = None
):  # type: ignore[no-untyped-def]
    headers = {"Content-Type": "application/json"} if headers is None else headers
    data = raw if raw is not None else json.dumps(body).encode()
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/api/messages", data=data, headers=headers) as r,
    ):
        text = await r.text()
        return r.status, (
            json.loads(text) if text and r.content_type == "application/json" else text
        )


async def test_healthz(bot_url: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{bot_url}/healthz") as r:
        assert r.status == 200
        assert (await r.json())["locales"] == ["de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP"]


async def test_expect_replies_returns_the_answer_in_the_response(bot_url: str) -> None:
    status, body = await post(bot_url, activity())
    assert status == 200
    [reply] = body["activities"]
    assert reply["type"] == "message" and reply["replyToId"] == "act-1"
    assert "IP addresses and operating systems of the caller" in shown(reply) and LINK in shown(
        reply
    )


async def test_an_italian_answer_to_a_french_client_says_it_it(bot_url: str) -> None:
    question = activity("La posizione delle chiamate di emergenza viene condivisa?", locale="fr-FR")
    status, body = await post(bot_url, question)
    assert status == 200
    [reply] = body["activities"]
    assert reply["locale"] == "it-IT" and reply["type"] == "message"


async def test_normal_delivery_posts_the_reply_to_service_url(serve, bot_url: str) -> None:  # type: ignore[no-untyped-def]
    received: list[tuple[str, dict[str, Any]]] = []

    async def channel(request: web.Request) -> web.Response:
        received.append((request.path, await request.json()))
        return web.json_response({"id": "reply-1"})

    channel_app = web.Application()
    channel_app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", channel)
    channel_url = await serve(channel_app)

    body = activity("Mon numéro est-il partagé ?", serviceUrl=channel_url, locale="fr-FR")
    del body["deliveryMode"]
    status, _ = await post(bot_url, body)
    assert status == 200
    [(path, reply)] = received
    assert path == "/v3/conversations/conv-1/activities/act-1"
    assert "l’URI SIP" in shown(reply) and reply["recipient"]["id"] == "user-1"


async def test_an_unreachable_service_url_is_a_502_not_a_hang(bot_url: str) -> None:
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    body = activity(serviceUrl=f"http://127.0.0.1:{port}")
    del body["deliveryMode"]
    status, problem = await asyncio.wait_for(post(bot_url, body), timeout=30)
    assert status == 502 and "could not be delivered" in problem["error"]


@pytest.mark.parametrize(
    ("kwargs", "status", "reason"),
    [
        ({"raw": b"{not json"}, 400, "not valid JSON"),
        ({"raw": b"\xff\xfe\x00"}, 400, "not valid JSON"),
        ({"body": [1, 2, 3]}, 400, "must be a JSON object"),
        ({"body": "a string"}, 400, "must be a JSON object"),
        ({"body": {"text": "no type"}}, 400, "has no type"),
        ({"body": {"type": 42}}, 400, "has no type"),
        ({"body": {"type": "message", "text": "hi"}}, 400, "no serviceUrl"),
        (
            {"body": {"type": "message", "deliveryMode": "expectReplies", "entities": "oops"}},
            400,
            "not a valid activity",
        ),
        (
            {"raw": b"{}", "headers": {"Content-Type": "text/plain"}},
            415,
            "Content-Type must be application/json",
        ),
        ({"raw": b"{}", "headers": {}}, 415, "Content-Type must be application/json"),
        ({"body": activity("x" * 300_000)}, 413, "body larger than"),
    ],
)
async def test_bad_requests_get_a_4xx_with_a_reason_and_the_server_keeps_serving(
    bot_url: str, caplog: pytest.LogCaptureFixture, kwargs: dict[str, Any], status: int, reason: str
) -> None:
    got, problem = await post(bot_url, **kwargs)
    assert got == status
    assert reason in problem["error"]
    assert "Traceback" not in caplog.text
    assert (await post(bot_url, activity()))[0] == 200


async def test_without_an_app_id_replies_only_go_to_loopback(
    bot_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = activity(serviceUrl="https://smba.trafficmanager.net/emea/")
    del body["deliveryMode"]
    status, problem = await post(bot_url, body)
    assert status == 403 and "loopback" in problem["error"]
    assert "refused a serviceUrl" in caplog.text


async def test_with_an_app_id_a_request_without_a_token_is_401(serve, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    settings = Settings.from_env(
        {"MicrosoftAppId": "11111111-1111-1111-1111-111111111111", "MicrosoftAppPassword": "x"}
    )
    url = await serve(create_app(settings, kb))
    status, problem = await post(url, activity())
    assert status == 401 and "unauthorized" in problem["error"]


async def test_unknown_routes_and_methods_answer_json_4xx(bot_url: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{bot_url}/api/messages") as r:
            assert r.status == 405 and "error" in await r.json()
        async with session.get(f"{bot_url}/nope") as r:
            assert r.status == 404 and "error" in await r.json()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:5000/", True),
        ("http://localhost:5000", True),
        ("http://[::1]:5000/x", True),
        ("http://127.9.9.9", True),
        ("https://smba.trafficmanager.net/", False),
        ("http://10.0.0.1/", False),
        ("file:///etc/passwd", False),
        ("http://[bad", False),
        # What urlsplit and the sending client parse differently is refused.
        ("http://OTHER\\@127.0.0.1:5000/", False),
        ("http://evil.example\\@127.0.0.1/", False),
        ("http://user:pw@127.0.0.1/", False),
        ("http://127.0.0.1@evil.example/", False),
        ("http://127.0.0.1:5000 /", False),
        ("http://127.0.0.1:5000/\r\nX: y", False),
    ],
)
def test_service_url_guard(url: str, loopback: bool) -> None:
    if loopback:
        assert service_url(url, loopback_only=True).host is not None
    else:
        with pytest.raises(UnsafeServiceUrl):
            service_url(url, loopback_only=True)


async def test_readyz_reports_passages_per_locale(bot_url: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{bot_url}/readyz") as r:
        assert r.status == 200
        body = await r.json()
    assert body["ready"] is True
    assert body["passages"] == dict.fromkeys(
        ["de-DE", "en-US", "es-ES", "fr-FR", "it-IT", "ja-JP"], 10
    )


def test_start_up_objects_are_frozen_out_of_the_collectors_reach() -> None:
    import gc

    from bot.web import freeze_start_up_heap

    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        freeze_start_up_heap()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


async def test_with_the_meaning_reader_off_the_bot_answers_with_the_words_alone(
    serve,  # type: ignore[no-untyped-def]
) -> None:
    app = create_app(Settings.from_env({"MEANING_READER": "off"}))
    assert app[KNOWLEDGE].meaning is None
    url = await serve(app)
    status, body = await post(str(url), activity("Can the phone company download my call records?"))
    assert status == 200
    assert "export and download" in shown(body["activities"][0])


def _blas_threads() -> set[int]:
    return {int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"}


async def test_blas_keeps_to_one_thread_while_the_app_serves(kb: KnowledgeBase) -> None:
    before = _blas_threads()
    server = TestServer(create_app(Settings.from_env({}), kb), host="127.0.0.1")
    await server.start_server()
    try:
        assert _blas_threads() == {1}
    finally:
        await server.close()
    assert _blas_threads() == before
