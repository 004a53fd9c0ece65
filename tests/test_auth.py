"""Real token validation with no internet: a local OpenID metadata document and
JWKS with a test RSA key, tokens signed here, botbuilder validating them."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.settings import Settings
from bot.web import create_app
from knowledge import KnowledgeBase
from tests.conftest import shown

APP_ID = "9c1a5f53-57a4-4b0a-9e63-2d6c9a0e7d11"
ISSUER = "https://api.botframework.com"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
KID = "test-key"
SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
FORGED_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(key: Any = SIGNING_KEY, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "iss": ISSUER,
        "aud": APP_ID,
        "serviceurl": SERVICE_URL,
        "nbf": now - 60,
        "exp": now + 600,
    }
    payload.update(claims)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": KID})


def teams_activity() -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1",
        "channelId": "msteams",
        "serviceUrl": SERVICE_URL,
        "from": {"id": "29:user"},
        "recipient": {"id": f"28:{APP_ID}"},
        "conversation": {"id": "a:personal", "conversationType": "personal"},
        "text": "Is my IP address shared?",
        "locale": "en-US",
        "deliveryMode": "expectReplies",
    }


@pytest.fixture
async def identity(serve: Callable[[web.Application], Any]) -> str:
    """A local identity provider; returns its OpenID metadata URL."""
    jwk = json.loads(RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
    jwk.update({"kid": KID, "use": "sig", "endorsements": ["msteams", "emulator", "webchat"]})
    base = ""

    async def metadata(_: web.Request) -> web.Response:
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{base}/keys"})

    async def keys(_: web.Request) -> web.Response:
        return web.json_response({"keys": [jwk]})

    app = web.Application()
    app.router.add_get("/v1/.well-known/openidconfiguration", metadata)
    app.router.add_get("/keys", keys)
    base = await serve(app)
    return f"{base}/v1/.well-known/openidconfiguration"


def bot_settings(metadata_url: str, timeout: str = "5") -> Settings:
    return Settings.from_env(
        {
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "not-used-for-incoming",
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": metadata_url,
            "AUTH_TIMEOUT_SECONDS": timeout,
        }
    )


async def post(url: str, authorization: str | None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{url}/api/messages", json=teams_activity(), headers=headers) as r,
    ):
        return r.status, await r.json()


@pytest.fixture
async def bot(serve: Callable[[web.Application], Any], identity: str, kb: KnowledgeBase) -> str:
    return await serve(create_app(bot_settings(identity), kb))


async def test_a_valid_token_is_let_in(bot: str) -> None:
    status, body = await post(bot, f"Bearer {token()}")
    assert status == 200
    assert "IP addresses" in shown(body["activities"][0])


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Bearer", id="empty-bearer"),
        pytest.param("Basic dXNlcjpwYXNz", id="not-bearer"),
        pytest.param("Bearer not.a.jwt", id="garbage"),
        pytest.param(f"Bearer {token(FORGED_KEY)}", id="forged-signature"),
        pytest.param(f"Bearer {token(exp=int(time.time()) - 3600)}", id="expired"),
        pytest.param(
            f"Bearer {token(aud='11111111-2222-3333-4444-555555555555')}", id="wrong-audience"
        ),
        pytest.param(f"Bearer {token(iss='https://evil.example.com')}", id="wrong-issuer"),
        pytest.param(
            f"Bearer {token(serviceurl='https://evil.example.com/')}", id="wrong-serviceurl"
        ),
    ],
)
async def test_a_bad_or_missing_token_is_401(bot: str, authorization: str | None) -> None:
    status, body = await post(bot, authorization)
    assert status == 401
    assert "unauthorized" in body["error"]


async def test_an_unreachable_metadata_endpoint_is_503_at_once(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase, unused_tcp_port: int
) -> None:
    url = await serve(create_app(bot_settings(f"http://127.0.0.1:{unused_tcp_port}/openid"), kb))
    status, body = await post(url, f"Bearer {token()}")
    assert status == 503 and "cannot validate" in body["error"]


@dataclass
class SilentServer:
    url: str
    connected: asyncio.Event


@pytest.fixture
async def silent_server() -> AsyncIterator[SilentServer]:
    """Accepts connections and never answers; ``connected`` is set at the first one."""
    held: list[asyncio.StreamWriter] = []
    connected = asyncio.Event()

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        connected.set()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield SilentServer(f"http://127.0.0.1:{port}/openid", connected)
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_metadata_endpoint_that_never_answers_is_503_after_the_timeout_and_blocks_nothing(
    serve: Callable[[web.Application], Any], kb: KnowledgeBase, silent_server: SilentServer
) -> None:
    url = await serve(create_app(bot_settings(silent_server.url, timeout="3"), kb))
    waiting = asyncio.ensure_future(post(url, f"Bearer {token()}"))
    await silent_server.connected.wait()  # the key fetch is stalled now
    # Meanwhile the server keeps serving: the key fetch does not block the event loop.
    async with aiohttp.ClientSession() as session, session.get(f"{url}/healthz") as r:
        assert r.status == 200
    assert not waiting.done()  # answered while the stalled request is still pending
    status, body = await waiting
    assert status == 503 and "cannot validate" in body["error"]
