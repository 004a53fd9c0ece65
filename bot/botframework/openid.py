"""Bounded, non-blocking fetching of the channel's OpenID signing keys.

botbuilder 4.17 validates tokens properly but fetches the OpenID metadata and
JWKS with synchronous ``requests.get`` and no timeout, inside async code: an
identity endpoint that accepts connections and never answers would freeze the
whole server. ``patch`` (a cleanup context) puts an aiohttp-based fetcher with a timeout in
botbuilder's metadata cache for the URLs this bot uses. It keeps botbuilder's
refresh policy (keys older than a day are refreshed; an unknown key id forces
a refresh at most once an hour) and its key format (JWK plus endorsements);
the validation itself (signature, issuer, audience, expiry, endorsements,
serviceurl) stays botbuilder's.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web
from botframework.connector.auth import AuthenticationConstants
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

from bot.settings import Settings

REFRESH_EVERY = timedelta(days=1)
RETRY_UNKNOWN_KEY_AFTER = timedelta(hours=1)


class MetadataUnavailable(Exception):
    """The OpenID metadata or its keys could not be fetched."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    public_key: Any
    endorsements: list[str]


class AsyncOpenIdMetadata:
    """Drop-in for botbuilder's ``_OpenIdMetadata`` (same ``get`` contract)."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self.keys: list[dict[str, Any]] = []
        self.last_updated = datetime.min

    async def get(self, key_id: str) -> SigningKey | None:
        if self.last_updated < datetime.now() - REFRESH_EVERY:
            await self._refresh()
        key = self._find(key_id)
        if key is None and self.last_updated < datetime.now() - RETRY_UNKNOWN_KEY_AFTER:
            await self._refresh()
            key = self._find(key_id)
        return key

    async def _refresh(self) -> None:
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(self.url) as response:
                    response.raise_for_status()
                    jwks_uri = (await response.json(content_type=None))["jwks_uri"]
                async with session.get(jwks_uri) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
        except (TimeoutError, aiohttp.ClientError, KeyError, TypeError, ValueError) as exc:
            raise MetadataUnavailable(f"{self.url}: {type(exc).__name__}") from exc
        if not isinstance(keys, list):
            raise MetadataUnavailable(f"{self.url}: the key set is not a list")
        self.keys = [k for k in keys if isinstance(k, dict)]
        self.last_updated = datetime.now()

    def _find(self, key_id: str) -> SigningKey | None:
        for key in self.keys:
            if key.get("kid") == key_id:
                endorsements = key.get("endorsements") or []
                return SigningKey(RSAAlgorithm.from_jwk(json.dumps(key)), list(endorsements))
        return None


def metadata_urls(channel_url: str) -> list[str]:
    return [
        channel_url or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL,
        AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
    ]


def install(urls: Iterable[str], timeout: float) -> Callable[[], None]:
    """Use AsyncOpenIdMetadata for these metadata URLs; returns what undoes it.

    botbuilder's cache is a class attribute (one per process): the undo puts
    back what was there, unless another application replaced it since.
    """
    cache = JwtTokenExtractor.metadataCache
    installed: dict[str, tuple[Any, AsyncOpenIdMetadata]] = {}
    for url in urls:
        ours = AsyncOpenIdMetadata(url, timeout)
        installed[url] = (cache.get(url), ours)
        cache[url] = ours

    def undo() -> None:
        for url, (previous, ours) in installed.items():
            if cache.get(url) is ours:
                if previous is None:
                    del cache[url]
                else:
                    cache[url] = previous

    return undo


def patch(settings: Settings) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context: the fetcher is in place while the application runs."""

    async def patched(_: web.Application) -> AsyncIterator[None]:
        undo = install(metadata_urls(settings.openid_metadata_url), settings.auth_timeout_seconds)
        try:
            yield
        finally:
            undo()

    return patched
