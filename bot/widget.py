"""The embedded help widget: its script and styles, a demo page, and its endpoint.

``POST /api/widget/messages`` takes a message activity from the widget, builds
a trusted one from it (channel ``webchat``, no client-given serviceUrl,
``deliveryMode: expectReplies``) and runs the same ActivityHandler in process
(botframework.inline_runner): the replies come back in the response and nothing is sent
anywhere. Browsers may call it from the bot's own origin and from the origins
in WIDGET_ORIGINS (CORS); each client gets a rate limit (429 + Retry-After),
in memory or in Redis (bot/ratelimit.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ChannelAccount,
    ConversationAccount,
    DeliveryModes,
)

from bot import jsonio, ratelimit
from bot.botframework import Problem, inline_runner, read_json_object
from bot.channels import MAX_QUESTION_CHARS
from bot.handler import NoticeBot
from bot.redis_link import REDIS, RedisLink
from bot.settings import Settings
from bot.strings import FALLBACK_LANGUAGE, Catalog

STATIC = Path(__file__).resolve().parent / "static"
CHANNEL_ID = "webchat"
# Never contacted: expectReplies turns buffer their replies.
SERVICE_URL = "https://widget.invalid/"
BOT_ID = "carrier-privacy-bot"
# The widget's words, built from the string catalogue (bot/strings/*.json) at
# start-up: the widget fetches them, so a language added there needs no code.
STRINGS_ASSET = "widget-strings.json"
ASSET_TYPES = {
    "widget.js": "application/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
    STRINGS_ASSET: "application/json; charset=utf-8",
}
CACHE_CONTROL = "public, max-age=3600"
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
MAX_ID = 64


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    content_type: str
    etag: str


def load_assets(folder: Path = STATIC, catalog: Catalog | None = None) -> dict[str, Asset]:
    assets = {}
    for name, content_type in ASSET_TYPES.items():
        if name == STRINGS_ASSET:
            body = widget_strings(catalog or Catalog.load())
        else:
            body = (folder / name).read_bytes()
        assets[name] = Asset(body, content_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return assets


def widget_strings(catalog: Catalog) -> bytes:
    """The widget's languages (named in their own words) and its words in each, as JSON."""
    languages = sorted(catalog.by_language)
    payload = {
        "defaultLocale": FALLBACK_LANGUAGE,
        "locales": [
            {"locale": lang, "name": catalog.by_language[lang].widget["language_name"]}
            for lang in languages
        ],
        "strings": {lang: catalog.by_language[lang].widget for lang in languages},
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")


def asset_response(request: web.Request, asset: Asset) -> web.Response:
    headers = {
        "ETag": asset.etag,
        "Cache-Control": CACHE_CONTROL,
        # The script is meant to run on other sites' pages.
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if asset.content_type.startswith("application/json"):
        # The widget reads its strings from those pages (public, never with credentials).
        headers["Access-Control-Allow-Origin"] = "*"
    if asset.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=asset.body, headers={**headers, "Content-Type": asset.content_type})


def trusted_activity(data: dict[str, Any]) -> Activity:
    """The activity the bot sees: only the fields a widget may set, checked and bounded."""
    sender = _mapping(data.get("from"))
    conversation = _mapping(data.get("conversation"))
    text = data.get("text")
    value = data.get("value")
    locale = data.get("locale")
    return Activity(
        type=ActivityTypes.message,
        id=str(uuid.uuid4()),
        timestamp=datetime.now(UTC),
        channel_id=CHANNEL_ID,
        service_url=SERVICE_URL,
        from_property=ChannelAccount(id=_short_id(sender.get("id"), "widget-user"), role="user"),
        recipient=ChannelAccount(id=BOT_ID, role="bot"),
        conversation=ConversationAccount(id=_short_id(conversation.get("id"), str(uuid.uuid4()))),
        text=text[:MAX_QUESTION_CHARS] if isinstance(text, str) else "",
        value=value if isinstance(value, dict) else None,
        locale=locale[:20] if isinstance(locale, str) else None,
        delivery_mode=DeliveryModes.expect_replies,
    )


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _short_id(value: Any, default: str) -> str:
    return value[:MAX_ID] if isinstance(value, str) and value.strip() else default


def allowed_origin(request: web.Request, allowed: tuple[str, ...]) -> tuple[bool, str | None]:
    """(may the request go ahead, the origin to name in CORS headers).

    Requests without Origin (not from a browser page) and same-origin ones need
    no CORS; other origins must be listed in WIDGET_ORIGINS (or it holds "*").
    The host is compared, not the scheme, so a TLS-terminating proxy does not matter.
    """
    origin = request.headers.get("Origin")
    if not origin:
        return True, None
    try:
        origin_host = urlsplit(origin).netloc.lower()
    except ValueError:
        return False, None
    if origin_host and origin_host == request.host.lower():
        return True, None
    if origin in allowed or "*" in allowed:
        return True, origin
    return False, None


def cors_headers(origin: str | None) -> dict[str, str]:
    if origin is None:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def setup(app: web.Application, settings: Settings, bot: NoticeBot) -> None:
    """The widget's routes: its endpoint (and CORS preflight), the demo page, the assets."""
    endpoints = Endpoints(settings, bot, app[REDIS])
    app.router.add_post("/api/widget/messages", endpoints.messages)
    app.router.add_route("OPTIONS", "/api/widget/messages", endpoints.preflight)
    app.router.add_get("/", endpoints.demo_page)
    for name in ASSET_TYPES:
        app.router.add_get(f"/{name}", endpoints.static_asset)


class Endpoints:
    """The widget's request handlers and what they share."""

    def __init__(self, settings: Settings, bot: NoticeBot, redis: RedisLink) -> None:
        self.settings = settings
        self.bot = bot
        self.assets = load_assets(catalog=bot.catalog)
        self.demo = (STATIC / "demo.html").read_text(encoding="utf-8")
        self.runner = inline_runner(bot)
        self.limiter = ratelimit.RateLimiter(
            settings.widget_rate_per_minute, settings.widget_burst, redis
        )

    async def static_asset(self, request: web.Request) -> web.Response:
        return asset_response(request, self.assets[request.path.lstrip("/")])

    async def demo_page(self, request: web.Request) -> web.Response:
        """A page showing the widget; ``?locale=fr-FR`` sets its data-locale."""
        locale = self.bot.kb.resolve_locale(
            request.query.get("locale"), self.settings.default_locale
        )
        # The locale is one of the knowledge base's own, so it is safe in the attribute.
        html = self.demo.replace("{locale}", locale)
        headers = {
            "Content-Security-Policy": DEMO_CSP,
            "Cache-Control": "no-cache",
        }
        return web.Response(text=html, content_type="text/html", headers=headers)

    async def preflight(self, request: web.Request) -> web.Response:
        ok, origin = allowed_origin(request, self.settings.widget_origins)
        if not ok:
            raise Problem(403, "origin not allowed (see WIDGET_ORIGINS)")
        headers = {
            **cors_headers(origin),
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        }
        return web.Response(status=204, headers=headers)

    async def messages(self, request: web.Request) -> web.Response:
        with self.bot.metrics.latency.labels("widget").time():
            ok, origin = allowed_origin(request, self.settings.widget_origins)
            if not ok:
                raise Problem(403, "origin not allowed (see WIDGET_ORIGINS)")
            cors = cors_headers(origin)
            try:
                return await self._answer(request, cors)
            except Problem as problem:
                raise problem.with_headers(cors) from None

    async def _answer(self, request: web.Request, cors: dict[str, str]) -> web.Response:
        client = ratelimit.client_address(request, self.settings.widget_trusted_proxies)
        wait = await self.limiter.wait(client)
        if wait > 0:
            retry = {"Retry-After": str(math.ceil(wait))}
            raise Problem(429, "too many requests; try again later", retry)
        data = await read_json_object(request, self.settings.widget_max_body_bytes)
        if data["type"] != "message":
            raise Problem(400, "the widget endpoint takes message activities only")
        result = await self.runner.run(trusted_activity(data), self.bot.on_turn, route=None)
        return jsonio.response(result.body, result.status, cors)
