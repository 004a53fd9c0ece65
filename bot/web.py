"""The aiohttp application: ``create_app()``, the app keys, the middleware, the small routes.

``POST /api/messages`` and everything that knows botbuilder are set up by
``bot.botframework.setup``; the widget's routes by ``bot.widget.setup``. Every
refusal is a ``Problem`` rendered here as a 4xx with a one-line JSON reason,
and nothing a client sends can make the server stop serving.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from threadpoolctl import threadpool_limits

from bot import botframework, widget
from bot.botframework import Problem
from bot.handler import NoticeBot
from bot.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.metrics import Metrics
from bot.privacy import printable
from bot.redis_link import REDIS, RedisLink
from bot.settings import Settings
from bot.strings import Catalog
from bot.votes import VoteLedger
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
KNOWLEDGE = web.AppKey("knowledge", KnowledgeBase)
METRICS = web.AppKey("metrics", Metrics)
BOT = web.AppKey("bot", NoticeBot)


def freeze_start_up_heap() -> None:
    """Put what start-up allocated (modules, knowledge base, app) out of the collector's way.

    Called once the app is built, before serving (and in a parent before it
    forks workers). Otherwise each full collection walks those objects again:
    about 50 ms of CPU charged to whichever request triggers it, the worst
    case of bench/pathological.py. Frozen objects are also not written to by
    the collector, so forked workers keep sharing their pages.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None, knowledge_base: KnowledgeBase | None = None
) -> web.Application:
    """Build the application; with no settings, they come from ``Settings.from_env(os.environ)``."""
    settings = settings or Settings.from_env(os.environ)
    if knowledge_base is None:
        knowledge_base = KnowledgeBase.load(settings.notices_dir, meaning=settings.meaning_reader)
    knowledge_base.require_locale(settings.default_locale)  # an unknown one stops the start
    metrics = Metrics(settings.metrics_dir if settings.workers > 1 else None)
    # The worker's one Redis client (REDIS_URL), for the widget's limit and the votes.
    redis = RedisLink(settings.redis_url)
    # One vote per answer card: shared by the workers through Redis when REDIS_URL is set.
    votes = VoteLedger(redis)
    bot = NoticeBot(knowledge_base, Catalog.load(), settings, metrics, votes)

    # The body limit is enforced by the handlers (413 with a reason); aiohttp's
    # own limit sits just above it so that the handler is the one to answer.
    app = web.Application(
        client_max_size=settings.max_body_bytes + 1,
        middlewares=[_errors],
        # A connection that has not sent a whole request within this time is
        # closed: idle keep-alive ones, and clients that send headers slowly.
        handler_args={"keepalive_timeout": settings.idle_timeout_seconds},
    )
    app.on_response_prepare.append(_security_headers)
    app[SETTINGS] = settings
    app[KNOWLEDGE] = knowledge_base
    app[METRICS] = metrics
    app[REDIS] = redis
    app.cleanup_ctx.append(redis.lifespan)
    app.cleanup_ctx.append(one_blas_thread)
    app[BOT] = bot
    botframework.setup(app, settings, bot)
    widget.setup(app, settings, bot)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_endpoint)
    return app


async def one_blas_thread(app: web.Application) -> AsyncIterator[None]:
    """numpy's BLAS keeps to one thread while the app serves (set back after).

    A worker is one asyncio loop per core; the meaning reader's matrix products
    spread over both cores made two workers' encodings 4 times slower, and
    with the limit set only around each encoding (knowledge.meaning) the idle
    BLAS thread, woken each time it is set back, spun for as much CPU again as
    the work (2.1 ms of wall time, 4.1 ms of CPU). Set once here, it stays set.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


async def healthz(request: web.Request) -> web.Response:
    kb = request.app[KNOWLEDGE]
    # The process id tells workers apart behind a load balancer or under gunicorn.
    return web.json_response({"status": "ok", "locales": list(kb.locales), "pid": os.getpid()})


async def readyz(request: web.Request) -> web.Response:
    """Ready once the knowledge base is loaded and indexed: passages per locale.

    create_app loads it before the server listens, so a listening server is
    ready; a knowledge base with no passages is not. It also says where the
    widget's rate limit (``rate_limit``) and the votes (``votes``) are kept:
    "memory" (no REDIS_URL), "redis", or "local-fallback" while Redis cannot be
    reached. That does not make the bot unready (both then decide per
    process); it is reported.
    """
    kb = request.app[KNOWLEDGE]
    passages = kb.passage_counts()
    ready = bool(passages) and all(passages.values())
    shared = await request.app[REDIS].check()  # one Redis link keeps both
    body = {"ready": ready, "passages": passages, "rate_limit": shared, "votes": shared}
    return web.json_response(body, status=200 if ready else 503)


async def metrics_endpoint(request: web.Request) -> web.Response:
    body = request.app[METRICS].exposition()
    return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})


# Names the product, not the versions of Python and aiohttp it runs on.
SERVER = "carrier-privacy-bot"
SECURITY_HEADERS = {
    # Every response says what it is; browsers must not guess (JSON as HTML...).
    "X-Content-Type-Options": "nosniff",
    # Links in the demo page and the widget leak no URL to the sites they open.
    "Referrer-Policy": "no-referrer",
}


async def _security_headers(_: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER


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
        log.exception("unexpected error on %s %s", request.method, printable(request.path))
        return Problem(500, "internal error").response()
