"""Reuse of botbuilder's outbound clients across turns.

``CloudAdapter.process_activity`` asks for a new connector client and a new
user-token client on every turn. Building one costs about 5 ms of CPU in
msrest (``ClientRetryPolicy.__init__`` scans ``range(999)`` against a list of
safe status codes), so two per turn were most of the bot's CPU time. This
wrapper keeps botbuilder's authentication as it is (every request is validated
by the inner BotFrameworkAuthentication) and caches the clients it hands out,
keyed by everything that makes them differ: the bot's app id (which picks the
credentials), the service URL and the audience. A bounded LRU keeps memory flat.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth._built_in_bot_framework_authentication import (
    _BuiltinBotFrameworkAuthentication,
)

MAX_CLIENTS = 256


class _Lru:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        self.created = 0

    def get(self, key: tuple[str, ...]) -> Any:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: tuple[str, ...], value: Any) -> Any:
        self.items[key] = value
        self.created += 1
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value

    async def obtain(self, key: tuple[str, ...], make: Callable[[], Awaitable[Any]]) -> Any:
        """The cached value for key, made (and cached) on first use."""
        value = self.get(key)
        if value is None:
            value = self.put(key, await make())
        return value


class CachingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(self, inner: ConnectorFactory, app_id: str, cache: _Lru) -> None:
        self.inner = inner
        self.app_id = app_id
        self.cache = cache

    async def create(self, service_url: str, audience: str) -> Any:
        key = ("connector", self.app_id, service_url or "", audience or "")
        return await self.cache.obtain(key, lambda: self.inner.create(service_url, audience))


class CachingBotFrameworkAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    """Delegates everything to ``inner``; caches the outbound clients it creates."""

    def __init__(self, inner: BotFrameworkAuthentication, size: int = MAX_CLIENTS) -> None:
        self.inner = inner
        self.cache = _Lru(size)

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result: AuthenticateRequestResult = await self.inner.authenticate_request(
            activity, auth_header
        )
        if result.connector_factory is not None:
            app_id = _BuiltinBotFrameworkAuthentication.get_app_id(result.claims_identity) or ""
            result.connector_factory = CachingConnectorFactory(
                result.connector_factory, app_id, self.cache
            )
        return result

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _BuiltinBotFrameworkAuthentication.get_app_id(claims_identity) or ""
        return await self.cache.obtain(
            ("user-token", app_id), lambda: self.inner.create_user_token_client(claims_identity)
        )

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> Any:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        app_id = _BuiltinBotFrameworkAuthentication.get_app_id(claims_identity) or ""
        return CachingConnectorFactory(
            self.inner.create_connector_factory(claims_identity), app_id, self.cache
        )

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self.inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)
