"""``POST /api/messages``: the activity protocol's endpoint.

Order matters: the whole body is read within the limit, the token is checked
(on the JSON, before any activity parsing), then the activity is parsed and
its reply route decided once: in the response (expectReplies) or to its
serviceUrl. Every refusal is a ``Problem`` (4xx with a one-line reason).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.schema import Activity
from yarl import URL

from bot import channels, jsonio
from bot.botframework.auth import Authenticator
from bot.botframework.body import Problem, read_json_object
from bot.botframework.delivery import DeliveryError, UnsafeServiceUrl, service_url
from bot.botframework.turns import Route, TurnRunner
from bot.botframework.wire import WireError, activity_from_json
from bot.privacy import printable
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.handler import NoticeBot

log = logging.getLogger(__name__)

EXPECT_REPLIES = "expectReplies"


class MessagesEndpoint:
    def __init__(
        self,
        settings: Settings,
        bot: NoticeBot,
        authenticator: Authenticator,
        runner: TurnRunner,
    ) -> None:
        self.settings = settings
        self.bot = bot
        self.authenticator = authenticator
        self.runner = runner

    async def handle(self, request: web.Request) -> web.Response:
        with self.bot.metrics.latency.labels("messages").time():
            return await self._answer(request)

    async def _answer(self, request: web.Request) -> web.Response:
        settings = self.settings
        data = await read_json_object(request, settings.max_body_bytes)
        # Before anything else reads the activity: unauthenticated bodies cost nothing more.
        result = await self.authenticator.authenticate(request.headers.get("Authorization"), data)
        activity = parse_activity(data)
        # Decided here, once: replies in the response, or POSTed to serviceUrl.
        expect_replies = data.get("deliveryMode") == EXPECT_REPLIES
        route = None
        if not expect_replies:
            url = reply_service_url(activity, settings)
            try:
                token = await self.authenticator.token(result, activity.service_url)
            except Exception as exc:  # MSAL: network errors, refusals, timeouts
                log.warning("no token to send the reply: %s", type(exc).__name__)
                raise Problem(502, "the reply could not be delivered to serviceUrl") from None
            route = Route(url, token)
        activity.caller_id = result.caller_id
        try:
            outcome = await self.runner.run(
                activity, self.bot.on_turn, route, result.claims_identity
            )
        except DeliveryError:
            raise Problem(502, "the reply could not be delivered to serviceUrl") from None
        if outcome.status == HTTPStatus.NOT_IMPLEMENTED and outcome.body is None:
            # An invoke no handler answered: say which, like every other refusal.
            raise Problem(501, f"invoke {printable(str(activity.name))!r} is not handled")
        if outcome.body is not None:
            return jsonio.response(outcome.body, outcome.status)
        return web.Response(status=outcome.status)


def parse_activity(data: dict[str, Any]) -> Activity:
    try:
        activity = activity_from_json(data)
    except WireError as exc:
        raise Problem(400, f"not a valid activity ({exc})") from None
    for name, value in (("id", activity.id), ("replyToId", activity.reply_to_id)):
        if value is not None and not is_clean_text(value):
            raise Problem(400, f"activity {name} is not valid text")
    conversation = activity.conversation
    if (
        conversation is not None
        and conversation.id is not None
        and not is_clean_text(conversation.id)
    ):
        raise Problem(400, "activity conversation id is not valid text")
    return activity


def is_clean_text(value: str) -> bool:
    """Encodable (no lone surrogates) and without control characters: fit for a URL path."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return value.isprintable()


def reply_service_url(activity: Activity, settings: Settings) -> URL:
    """The serviceUrl replies go to, judged as the sending client parses it."""
    if not isinstance(activity.service_url, str) or not activity.service_url:
        raise Problem(400, "activity has no serviceUrl to send the reply to")
    conversation = activity.conversation
    if conversation is None or not isinstance(conversation.id, str) or not conversation.id:
        raise Problem(400, "activity has no conversation id to reply to")
    # Unauthenticated (development) mode: replies go to the Emulator on this
    # machine only, so nobody can make the bot send requests to other hosts.
    loopback_only = not (settings.authenticated or settings.allow_any_service_url)
    try:
        return service_url(activity.service_url, loopback_only=loopback_only)
    except UnsafeServiceUrl as exc:
        log.warning("refused a serviceUrl (%s): %s", exc, printable(activity.service_url))
        raise Problem(exc.status, str(exc)) from None


def on_turn_error(bot: NoticeBot) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """Says sorry in the user's language; a reply that cannot be delivered stays a DeliveryError."""

    async def handle(context: TurnContext, error: Exception) -> None:
        # Imported here: bot.handler imports the renderer, which imports this package.
        from bot.handler import LOCALE

        if isinstance(error, DeliveryError):
            raise error  # logged once, where it happened
        log.error("turn failed: %s", type(error).__name__, exc_info=error)
        # The locale the turn chose, else the client's (the error may come before the choice).
        locale = context.turn_state.get(LOCALE) or bot.kb.resolve_locale(
            channels.client_locale(context.activity), bot.settings.default_locale
        )
        await context.send_activity(bot.catalog.for_locale(locale).error)

    return handle
