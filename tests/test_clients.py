"""The outbound-client cache around botbuilder's authentication."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.clients import CachingBotFrameworkAuthentication
from bot.settings import Settings
from bot.web import AUTHENTICATION, create_app
from knowledge import KnowledgeBase


async def test_clients_are_built_once_and_reused_across_turns(
    serve: Any, kb: KnowledgeBase
) -> None:
    app = create_app(Settings.from_env({}), kb)
    authentication = app[AUTHENTICATION]
    assert isinstance(authentication, CachingBotFrameworkAuthentication)
    url = await serve(app)
    body = {
        "type": "message",
        "channelId": "emulator",
        "serviceUrl": "http://127.0.0.1:9/",
        "from": {"id": "u"},
        "recipient": {"id": "b"},
        "conversation": {"id": "c"},
        "text": "Are IP addresses shared?",
        "deliveryMode": "expectReplies",
    }
    async with aiohttp.ClientSession() as session:
        for _ in range(5):
            async with session.post(f"{url}/api/messages", json=body) as response:
                assert response.status == 200
    # One connector client and one user-token client, for five turns.
    assert authentication.cache.created == 2
    assert sorted(key[0] for key in authentication.cache.items) == ["connector", "user-token"]


async def test_each_service_url_and_app_id_gets_its_own_client() -> None:
    class Inner:
        def __init__(self) -> None:
            self.made = 0

        async def create(self, service_url: str, audience: str) -> object:
            self.made += 1
            return object()

    from bot.clients import CachingConnectorFactory, _Lru

    cache, inner = _Lru(2), Inner()
    first = CachingConnectorFactory(inner, "app-1", cache)
    other_app = CachingConnectorFactory(inner, "app-2", cache)
    a = await first.create("https://smba.example/emea/", "aud")
    assert await first.create("https://smba.example/emea/", "aud") is a
    assert await first.create("https://smba.example/amer/", "aud") is not a
    assert await other_app.create("https://smba.example/emea/", "aud") is not a
    assert inner.made == 3 and len(cache.items) == 2  # bounded: the oldest went
