"""The activity protocol's plumbing: every use of msrest and of botbuilder's auth and adapter.

botbuilder-python is archived upstream (support ended 2025-12-31); moving to
another SDK is mostly this package (the rest of ``bot`` uses only botbuilder's
schema classes, ``ActivityHandler`` and ``TurnContext``). ``setup(app, settings, bot)`` adds
``POST /api/messages`` and what it holds open (the reply client session, the
OpenID fetcher patched into botbuilder) as cleanup contexts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from bot.botframework.auth import Authenticator
from bot.botframework.body import Problem, read_json_object
from bot.botframework.delivery import Delivery
from bot.botframework.endpoint import MessagesEndpoint, on_turn_error
from bot.botframework.openid import patch
from bot.botframework.turns import TurnRunner
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.handler import NoticeBot

__all__ = ["DELIVERY", "Problem", "inline_runner", "read_json_object", "setup"]

DELIVERY = web.AppKey("botframework_delivery", Delivery)


def setup(app: web.Application, settings: Settings, bot: NoticeBot) -> None:
    delivery = Delivery(settings)
    runner = TurnRunner(delivery, on_turn_error(bot))
    endpoint = MessagesEndpoint(settings, bot, Authenticator(settings), runner)
    app[DELIVERY] = delivery
    app.cleanup_ctx.append(patch(settings))
    app.cleanup_ctx.append(delivery.cleanup_ctx())
    app.router.add_post("/api/messages", endpoint.handle)


def inline_runner(bot: NoticeBot) -> TurnRunner:
    """Runs turns whose replies are returned, never sent (the widget)."""
    return TurnRunner(None, on_turn_error(bot))
