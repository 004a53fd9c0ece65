"""Replies POSTed to the channel's serviceUrl: bounded in time, retried when throttled.

One aiohttp client session per application (opened and closed in a cleanup
context), instead of msrest and ``requests`` in a thread pool with 100 s
timeouts. Connect and total time are bounded; 429, 502, 503 and 504 are
retried with exponential backoff that honours ``Retry-After`` (Teams throttles
bots this way) within the total time; redirects are never followed. The URL
is judged as this client parses it (yarl): no userinfo, no backslash, http(s)
only, and loopback only when the bot has no app id. A failure is one log line.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from yarl import URL

from bot.privacy import printable
from bot.settings import Settings

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# First wait between attempts when the channel gives no Retry-After; doubles each time.
FIRST_BACKOFF_SECONDS = 0.5
# Connecting is quick or not at all: an unreachable host must not hold a turn.
CONNECT_TIMEOUT_SECONDS = 3.0
USER_AGENT = "carrier-privacy-bot (aiohttp)"


class DeliveryError(Exception):
    """The reply could not be sent to the channel's serviceUrl."""


class UnsafeServiceUrl(ValueError):
    """A serviceUrl the bot will not send to; ``status`` is the HTTP answer it deserves."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def service_url(raw: str, *, loopback_only: bool) -> URL:
    """The serviceUrl as the sending client will use it, or UnsafeServiceUrl saying why.

    ``urlsplit`` and the HTTP client disagree on ``http://a\\@127.0.0.1/``
    (loopback to one, host ``a`` to the other): the URL is parsed by yarl, the
    client's own parser, and what parsers disagree on is refused outright.
    """
    if "\\" in raw or any(ord(c) < 0x21 or ord(c) == 0x7F for c in raw):
        raise UnsafeServiceUrl("serviceUrl has a backslash, a space or a control character")
    try:
        url = URL(raw)
    except (ValueError, TypeError):
        raise UnsafeServiceUrl("serviceUrl is not a URL") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise UnsafeServiceUrl("serviceUrl must be an http or https URL with a host")
    if url.user is not None or url.password is not None or "@" in url.raw_authority:
        raise UnsafeServiceUrl("serviceUrl must not carry a user name or password")
    if loopback_only and not is_loopback_host(url.host):
        # Well-formed but not allowed in development mode: forbidden, not malformed.
        raise UnsafeServiceUrl(
            "serviceUrl must be a loopback address when MicrosoftAppId is not set", status=403
        )
    return url


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def reply_url(base: URL, conversation_id: str, reply_to_id: str | None) -> URL:
    """``/v3/conversations/{id}/activities[/{replyToId}]`` under serviceUrl.

    The ids are quoted as msrest quotes them (nothing kept safe).
    """
    path = base.raw_path.rstrip("/") + "/v3/conversations/" + quote(conversation_id, safe="")
    path += "/activities"
    if reply_to_id:
        path += "/" + quote(reply_to_id, safe="")
    return base.with_path(path, encoded=True).with_query(None).with_fragment(None)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    body: dict[str, Any]


class Delivery:
    """Sends replies with one client session; ``session`` is set by the cleanup context."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None
        self.sleep: Callable[[float], Any] = asyncio.sleep

    def cleanup_ctx(self) -> Callable[[web.Application], AsyncIterator[None]]:
        async def session(_: web.Application) -> AsyncIterator[None]:
            timeout = aiohttp.ClientTimeout(
                total=self.settings.delivery_timeout_seconds,
                sock_connect=min(CONNECT_TIMEOUT_SECONDS, self.settings.delivery_timeout_seconds),
            )
            self.session = aiohttp.ClientSession(
                timeout=timeout, headers={"User-Agent": USER_AGENT}, auto_decompress=True
            )
            try:
                yield
            finally:
                await self.session.close()
                self.session = None

        return session

    async def send(
        self, url: URL, body: dict[str, Any], token: str | None, method: str = "POST"
    ) -> Outcome:
        """POST one activity (PUT: replace one); DeliveryError, already logged, if it cannot."""
        if self.session is None:
            raise DeliveryError("the application is not running")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        deadline = time.monotonic() + self.settings.delivery_timeout_seconds
        attempts = self.settings.delivery_attempts
        problem = "no attempt"
        for attempt in range(1, attempts + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                async with self.session.request(
                    method,
                    url,
                    json=body,
                    headers=headers,
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(
                        total=remaining, sock_connect=min(CONNECT_TIMEOUT_SECONDS, remaining)
                    ),
                ) as response:
                    if 200 <= response.status < 300:
                        data = (
                            await response.json(content_type=None)
                            if response.content_length != 0
                            else None
                        )
                        return Outcome(response.status, data if isinstance(data, dict) else {})
                    problem = f"HTTP {response.status}"
                    if response.status not in RETRY_STATUSES or attempt == attempts:
                        break
                    wait = retry_after(response.headers.get("Retry-After"))
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                problem = type(exc).__name__
                break  # unreachable or too slow: retrying would only hold the turn longer
            if wait is None:
                wait = FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1)
            if time.monotonic() + wait >= deadline:
                problem += f" (asked to wait {wait:g} s, past the time allowed)"
                break
            await self.sleep(wait)
        log.warning(
            "reply not delivered to %s: %s after %d attempt(s)",
            printable(f"{url.scheme}://{url.host}:{url.port}"),
            problem,
            attempt,
        )
        raise DeliveryError(problem)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
