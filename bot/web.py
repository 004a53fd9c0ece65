"""The aiohttp application: ``create_app()`` and the endpoints.

The project owns its ``/api/messages`` handler around ``adapter.process_activity``
instead of ``CloudAdapter.process``: in botbuilder-integration-aiohttp 4.17.1 the
stock one answers 500 on ``deliveryMode: expectReplies`` and raises KeyError on
a request without Content-Type. Every bad request gets a 4xx with a one-line
reason, and nothing a client sends can make the server stop serving.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import os
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, DeliveryModes
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication

from bot import auth, channels, widget
from bot.auth import MetadataUnavailable
from bot.botframework import Problem, read_json_object
from bot.clients import CachingBotFrameworkAuthentication
from bot.handler import LOCALE, NoticeBot
from bot.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.metrics import Metrics
from bot.render import serialize_activity
from bot.settings import Settings
from bot.strings import Catalog
from bot.votes import VoteLedger
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
KNOWLEDGE = web.AppKey("knowledge", KnowledgeBase)
AUTHENTICATION = web.AppKey("authentication", BotFrameworkAuthentication)
ADAPTER = web.AppKey("adapter", CloudAdapter)
METRICS = web.AppKey("metrics", Metrics)
VOTES = web.AppKey("votes", VoteLedger)
BOT = web.AppKey("bot", NoticeBot)


def create_app(
    settings: Settings | None = None, knowledge_base: KnowledgeBase | None = None
) -> web.Application:
    """Build the application; with no settings, they come from ``Settings.from_env(os.environ)``."""
    settings = settings or Settings.from_env(os.environ)
    if knowledge_base is None:
        knowledge_base = (
            KnowledgeBase.load(settings.notices_dir)
            if settings.notices_dir
            else KnowledgeBase.load()
        )
    knowledge_base.require_locale(settings.default_locale)  # an unknown one stops the start
    catalog = Catalog.load()
    metrics = Metrics(settings.metrics_dir if settings.workers > 1 else None)
    auth.install(auth.metadata_urls(settings.openid_metadata_url), settings.auth_timeout_seconds)
    authentication = CachingBotFrameworkAuthentication(
        ConfigurationBotFrameworkAuthentication(settings.botbuilder_configuration())
    )
    adapter = InlineRepliesAdapter(authentication)
    adapter.on_turn_error = _on_turn_error(catalog, knowledge_base, settings)

    # The body limit is enforced by the handler (413 with a reason); aiohttp's
    # own limit sits just above it so that the handler is the one to answer.
    app = web.Application(client_max_size=settings.max_body_bytes + 1, middlewares=[_errors])
    app[SETTINGS] = settings
    app[KNOWLEDGE] = knowledge_base
    app[AUTHENTICATION] = authentication
    app[ADAPTER] = adapter
    app[METRICS] = metrics
    # One vote per answer card: shared by the workers through Redis when REDIS_URL is set.
    app[VOTES] = VoteLedger(settings.redis_url)
    app.cleanup_ctx.append(app[VOTES].lifespan)
    app[BOT] = NoticeBot(knowledge_base, catalog, settings, metrics, app[VOTES])
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    widget.setup(app, settings, app[BOT])
    return app


async def healthz(request: web.Request) -> web.Response:
    kb = request.app[KNOWLEDGE]
    # The process id tells workers apart behind a load balancer or under gunicorn.
    return web.json_response({"status": "ok", "locales": list(kb.locales), "pid": os.getpid()})


async def readyz(request: web.Request) -> web.Response:
    """Ready once the knowledge base is loaded and indexed: passages per locale.

    create_app loads it before the server listens, so a listening server is
    ready; a knowledge base with no passages is not. It also says where the
    widget's rate limit is kept; Redis being unreachable does not make the bot
    unready (the widget answers on a local limit), it is reported.
    """
    kb = request.app[KNOWLEDGE]
    passages = {locale: len(index.entries) for locale, index in kb.indexes.items()}
    ready = bool(passages) and all(passages.values())
    rate_limit = await request.app[widget.LIMITER].check()
    body = {"ready": ready, "passages": passages, "rate_limit": rate_limit}
    return web.json_response(body, status=200 if ready else 503)


async def metrics_endpoint(request: web.Request) -> web.Response:
    body = request.app[METRICS].exposition()
    return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})


async def read_activity(request: web.Request, limit: int) -> Activity:
    """The request's Activity; Problem says what is wrong with it."""
    data = await read_json_object(request, limit)
    try:
        activity = Activity().deserialize(data)
    except Exception as exc:  # msrest raises its own DeserializationError and plain TypeErrors
        raise Problem(400, f"not a valid activity ({type(exc).__name__})") from None
    if activity.delivery_mode != DeliveryModes.expect_replies:
        # Replies are POSTed to serviceUrl/v3/conversations/{id}/activities/...
        if not isinstance(activity.service_url, str):
            raise Problem(400, "activity has no serviceUrl to send the reply to")
        conversation = activity.conversation
        if conversation is None or not isinstance(conversation.id, str) or not conversation.id:
            raise Problem(400, "activity has no conversation id to reply to")
    return activity


def is_loopback_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    if parts.scheme not in ("http", "https"):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


Handler = Callable[[web.Request], Awaitable[web.Response]]


def timed(endpoint: str) -> Callable[[Handler], Handler]:
    """Record a handler's duration in the request-latency histogram."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def timed_handler(request: web.Request) -> web.Response:
            started = time.perf_counter()
            try:
                return await handler(request)
            finally:
                elapsed = time.perf_counter() - started
                request.app[METRICS].latency.labels(endpoint).observe(elapsed)

        return timed_handler

    return decorate


@timed("messages")
async def messages(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    activity = await read_activity(request, settings.max_body_bytes)
    expect_replies = activity.delivery_mode == DeliveryModes.expect_replies
    # Unauthenticated (development) mode: replies go to the Emulator on this
    # machine only, so nobody can make the bot send requests to other hosts.
    guarded = not (expect_replies or settings.authenticated or settings.allow_any_service_url)
    if guarded and not is_loopback_url(activity.service_url):
        log.warning(
            "refused a non-loopback serviceUrl without MicrosoftAppId: %s", activity.service_url
        )
        raise Problem(403, "serviceUrl must be a loopback address when MicrosoftAppId is not set")
    authenticated = await authenticate(request, activity)
    try:
        response = await request.app[ADAPTER].process_activity(
            authenticated, activity, request.app[BOT].on_turn
        )
    except DeliveryError:
        raise Problem(502, "the reply could not be delivered to serviceUrl") from None
    if response is not None:
        return web.json_response(response.body, status=int(response.status))
    return web.Response(status=200)


async def authenticate(request: web.Request, activity: Activity) -> AuthenticateRequestResult:
    """botbuilder's validation of the bearer token, bounded in time.

    Done before the turn so that a token problem is a 401, and an identity
    metadata endpoint that cannot be reached a 503 within AUTH_TIMEOUT_SECONDS,
    never a hang or a 500. Without MicrosoftAppId botbuilder lets anonymous
    requests in.
    """
    settings = request.app[SETTINGS]
    # botbuilder treats only None as "no header" (then anonymous if no app id).
    header = request.headers.get("Authorization") or None
    unavailable = "cannot validate the token now (identity metadata unreachable)"
    try:
        async with asyncio.timeout(settings.auth_timeout_seconds):
            result: AuthenticateRequestResult = await request.app[
                AUTHENTICATION
            ].authenticate_request(activity, header)
            return result
    except (MetadataUnavailable, TimeoutError) as exc:
        log.warning("token validation impossible: %s", exc or type(exc).__name__)
        raise Problem(503, unavailable) from None
    except Exception as exc:
        # botbuilder rejects tokens with PermissionError, PyJWT errors and bare
        # Exceptions ("Could not validate endorsement key"): all are a denial.
        log.info("token rejected: %s: %s", type(exc).__name__, exc)
        raise Problem(401, "unauthorized: missing or invalid bearer token") from None


class InlineRepliesAdapter(CloudAdapter):  # type: ignore[misc]
    """CloudAdapter whose expectReplies responses are serialized with render.serialize_activity.

    Same JSON as botbuilder's ``ExpectedReplies(...).serialize()``, without
    walking the cards through msrest; everything else is CloudAdapter's.
    """

    def _process_turn_results(self, context: TurnContext) -> InvokeResponse:
        if context.activity.delivery_mode == DeliveryModes.expect_replies:
            replies = [serialize_activity(a) for a in context.buffered_reply_activities]
            return InvokeResponse(status=HTTPStatus.OK, body={"activities": replies})
        return super()._process_turn_results(context)


class DeliveryError(Exception):
    """The reply could not be sent to the channel's serviceUrl."""


def _on_turn_error(catalog: Catalog, kb: KnowledgeBase, settings: Settings) -> Any:
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        log.error("turn failed: %s", type(error).__name__, exc_info=error)
        # The locale the turn chose, else the client's (the error may come before the choice).
        locale = context.turn_state.get(LOCALE) or kb.resolve_locale(
            channels.client_locale(context.activity), settings.default_locale
        )
        try:
            await context.send_activity(catalog.for_locale(locale).error)
        except Exception as exc:
            raise DeliveryError() from exc

    return on_turn_error


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except Problem as problem:
        return problem.response()
    except web.HTTPException as exc:
        if exc.status >= 400 and exc.content_type != "application/json":
            return Problem(exc.status, exc.reason).response()
        raise
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return Problem(500, "internal error").response()
