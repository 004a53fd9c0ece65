"""Replies to serviceUrl, the token before the activity, and the protocol's small quirks.

A real bot server and a real stand-in channel on 127.0.0.1; waits between
attempts are recorded instead of slept, so nothing here depends on time.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import pytest
from aiohttp import web

from bot.botframework import DELIVERY
from bot.botframework.delivery import retry_after
from bot.settings import Settings
from bot.web import create_app
from knowledge import KnowledgeBase
from tests.conftest import shown
from tests.test_web import activity, post

APP_ID = "11111111-1111-1111-1111-111111111111"


class Channel:
    """A channel that answers each reply with the next of ``answers`` (then 200)."""

    def __init__(self, *answers: web.Response) -> None:
        self.answers = list(answers)
        self.received: list[tuple[str, dict[str, Any]]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.received.append((request.path, await request.json()))
        if self.answers:
            return self.answers.pop(0)
        return web.json_response({"id": "reply-1"})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app


@pytest.fixture
async def bot(serve: Any, kb: KnowledgeBase) -> tuple[str, list[float]]:
    """The bot's URL and the waits it asked for between attempts (recorded, not slept)."""
    app = create_app(Settings.from_env({}), kb)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    app[DELIVERY].sleep = record
    return await serve(app), waits


def to(channel_url: str, **fields: Any) -> dict[str, Any]:
    body = activity(serviceUrl=channel_url, **fields)
    del body["deliveryMode"]
    return body


async def test_throttled_replies_are_retried_honouring_retry_after(
    serve: Any, bot: tuple[str, list[float]]
) -> None:
    url, waits = bot
    channel = Channel(
        web.json_response({}, status=429, headers={"Retry-After": "2"}),
        web.json_response({}, status=503),
    )
    status, _ = await post(url, to(await serve(channel.app())))
    assert status == 200
    assert len(channel.received) == 3
    assert waits == [2.0, 1.0]  # the channel's 2 s, then the backoff's second step


async def test_retries_stop_after_the_attempts_allowed_with_one_log_line(
    serve: Any, bot: tuple[str, list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    url, waits = bot
    channel = Channel(*[web.json_response({}, status=502) for _ in range(10)])
    status, problem = await post(url, to(await serve(channel.app())))
    assert status == 502 and "could not be delivered" in problem["error"]
    assert len(channel.received) == 3 and waits == [0.5, 1.0]
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "HTTP 502 after 3 attempt(s)" in line.getMessage() and line.exc_info is None


async def test_a_retry_after_past_the_time_allowed_is_not_waited_for(
    serve: Any, bot: tuple[str, list[float]]
) -> None:
    url, waits = bot
    channel = Channel(web.json_response({}, status=429, headers={"Retry-After": "3600"}))
    status, _ = await post(url, to(await serve(channel.app())))
    assert status == 502 and len(channel.received) == 1 and waits == []


async def test_a_client_error_is_not_retried(serve: Any, bot: tuple[str, list[float]]) -> None:
    url, waits = bot
    channel = Channel(web.json_response({}, status=403))
    status, _ = await post(url, to(await serve(channel.app())))
    assert status == 502 and len(channel.received) == 1 and waits == []


async def test_redirects_are_never_followed(serve: Any, bot: tuple[str, list[float]]) -> None:
    url, _ = bot
    elsewhere = Channel()
    target = await serve(elsewhere.app())
    channel = Channel(web.Response(status=307, headers={"Location": f"{target}/stolen"}))
    status, _ = await post(url, to(await serve(channel.app())))
    assert status == 502
    assert len(channel.received) == 1 and elsewhere.received == []


async def test_a_closed_port_is_one_warning_line_and_no_traceback(
    bot: tuple[str, list[float]], caplog: pytest.LogCaptureFixture
) -> None:
    url, waits = bot
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status, _ = await post(url, to(f"http://127.0.0.1:{port}/"))
    assert status == 502 and waits == []
    [line] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.levelno == logging.WARNING and line.exc_info is None
    assert "reply not delivered to http://127.0.0.1" in line.getMessage()


@pytest.mark.parametrize(
    ("service_url", "status"),
    [
        ("http://user@127.0.0.1:{port}/", 400),
        ("http://OTHER\\@127.0.0.1:{port}/", 400),
        ("http://127.0.0.1:{port}@example.com/", 400),
        ("http://example.com/", 403),
    ],
)
async def test_tricky_service_urls_are_refused_and_nothing_is_sent(
    serve: Any, bot: tuple[str, list[float]], service_url: str, status: int
) -> None:
    url, _ = bot
    channel = Channel()
    port = (await serve(channel.app())).rsplit(":", 1)[1]
    got, problem = await post(url, to(service_url.format(port=port)))
    assert got == status and "serviceUrl" in problem["error"]
    assert channel.received == []


async def test_the_reply_path_quotes_ids_as_msrest_did(
    serve: Any, bot: tuple[str, list[float]]
) -> None:
    url, _ = bot
    channel = Channel()
    base = await serve(channel.app())
    body = to(base + "/emea/", id="1763;x", conversation={"id": "19:a@thread.tacv2;messageid=1"})
    status, _ = await post(url, body)
    assert status == 200
    [(path, reply)] = channel.received
    assert path == "/emea/v3/conversations/19:a@thread.tacv2;messageid=1/activities/1763;x"
    assert reply["replyToId"] == "1763;x" and reply["conversation"]["id"].startswith("19:a@")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("3", 3.0), ("0", 0.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
def test_retry_after_values(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


async def test_the_token_is_checked_before_the_activity_is_read(
    serve: Any, kb: KnowledgeBase
) -> None:
    settings = Settings.from_env({"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"})
    url = await serve(create_app(settings, kb))
    # Not an activity msrest could read: without a token it is never read at all.
    status, problem = await post(url, activity(entities="oops", membersAdded=5))
    assert status == 401 and "unauthorized" in problem["error"]


@pytest.mark.parametrize(
    "fields",
    [{"id": "\ud800"}, {"conversation": {"id": "c\udfff"}}, {"replyToId": "a\nb"}],
)
async def test_ids_that_cannot_go_in_a_url_are_a_400(bot_url: str, fields: dict[str, Any]) -> None:
    body = activity(**fields)
    del body["deliveryMode"]
    status, problem = await post(bot_url, body)
    assert status == 400 and "not valid text" in problem["error"]


async def test_a_token_exchange_invoke_is_501_without_a_traceback(
    bot_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = activity(type="invoke", name="signin/tokenExchange", value={"id": "x", "token": "t"})
    del body["deliveryMode"]
    status, problem = await post(bot_url, body)
    assert status == 501
    assert problem == {"error": "invoke 'signin/tokenExchange' is not handled"}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_replies_stuck_on_a_silent_channel_hold_up_no_other_request(
    serve: Any, kb: KnowledgeBase
) -> None:
    held: list[asyncio.StreamWriter] = []
    all_held = asyncio.Event()

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # accepts the connection, never answers
        if len(held) == 8:
            all_held.set()

    silent = await asyncio.start_server(hold, "127.0.0.1", 0)
    silent_url = f"http://127.0.0.1:{silent.sockets[0].getsockname()[1]}/"
    url = await serve(create_app(Settings.from_env({"DELIVERY_TIMEOUT_SECONDS": "5"}), kb))
    stuck = [asyncio.ensure_future(post(url, to(silent_url))) for _ in range(8)]
    await asyncio.wait_for(all_held.wait(), timeout=30)  # every stuck reply is on its way
    status, body = await post(url, activity())
    assert status == 200 and "IP addresses" in shown(body["activities"][0])
    assert not any(request.done() for request in stuck)  # answered while they wait
    assert [(await request)[0] for request in stuck] == [502] * 8
    for writer in held:
        writer.close()
    silent.close()
    await silent.wait_closed()
