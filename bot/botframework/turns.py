"""Running one turn with botbuilder's TurnContext and ActivityHandler, and where its replies go.

The project's own BotAdapter instead of CloudAdapter: CloudAdapter builds a
connector client (msrest, ``requests``) and a user-token client on every turn
and sends replies through them. Here the replies are either buffered and
returned in the response (expectReplies, the widget) or POSTed by
``Delivery``; which of the two is decided once, by the caller, as a ``Route``.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationReference,
    DeliveryModes,
    ResourceResponse,
)
from botframework.connector import Channels
from botframework.connector.auth import ClaimsIdentity
from yarl import URL

from bot.botframework.delivery import Delivery, DeliveryError, reply_url
from bot.botframework.wire import activity_to_json

log = logging.getLogger(__name__)

Logic = Callable[[TurnContext], Awaitable[Any]]
ROUTE = "bot.botframework.route"
# botbuilder 4.17's ActivityHandler calls this method for signin/tokenExchange
# invokes, but does not define it (AttributeError); a bot without sign-in has none.
TOKEN_EXCHANGE_HANDLER = "on_teams_signin_token_exchange"
TOKEN_EXCHANGE = "signin/tokenExchange"


@dataclass(frozen=True, slots=True)
class Route:
    """Replies go to ``service_url`` with this bearer token (None: no app id)."""

    service_url: URL
    token: str | None


@dataclass(frozen=True, slots=True)
class TurnResult:
    status: int
    body: Any = None


def _copy(model: Any) -> Any:
    """``copy.copy`` of an msrest model (a new object with the same ``__dict__``), without
    the pickle protocol's round trip that ``copy`` takes for classes with no ``__copy__``."""
    if model is None:
        return None
    copied = model.__class__.__new__(model.__class__)
    copied.__dict__.update(model.__dict__)
    return copied


class _TurnContext(TurnContext):  # type: ignore[misc]
    """botbuilder's TurnContext, with ``send_activities`` addressed without its copies.

    botbuilder 4.17 builds a ConversationReference of the incoming activity for
    each send (copying its three accounts through ``copy.copy``'s pickle round
    trip), deep-copies every reply, then addresses each copy from the reference.
    Here each reply is a shallow copy of the caller's (addressing only sets its
    top-level fields) and is addressed from the incoming activity directly, with
    the same fields and values, the same defaults, the same ``on_send_activities``
    handlers and the same buffering for expectReplies. Together they were about
    a tenth of a turn. When send handlers are registered (the bot registers
    none), replies are deep-copied as botbuilder does, since a handler may
    change anything in them.
    """

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        incoming = self.activity
        # What TurnContext.get_conversation_reference keeps of the incoming activity.
        reply_to_id = (
            incoming.id
            if incoming.type != ActivityTypes.conversation_update
            and incoming.channel_id not in (Channels.direct_line, Channels.webchat)
            else None
        )
        user, bot = _copy(incoming.from_property), _copy(incoming.recipient)
        conversation = _copy(incoming.conversation)
        handlers = self._on_send_activities
        output: list[Activity] = []
        for activity in activities:
            if handlers:
                reply = copy.deepcopy(activity)
            else:
                reply = _copy(activity)
                if isinstance(reply.attachments, list):  # the caller's list stays as it was
                    reply.attachments = list(reply.attachments)
            # TurnContext.apply_conversation_reference, outgoing.
            reply.channel_id = incoming.channel_id
            reply.locale = incoming.locale
            reply.service_url = incoming.service_url
            reply.conversation = conversation
            reply.from_property = bot
            reply.recipient = user
            if reply_to_id:
                reply.reply_to_id = reply_to_id
            # TurnContext's validator.
            if not getattr(reply, "type", None):
                reply.type = ActivityTypes.message
            if not reply.input_hint:
                reply.input_hint = "acceptingInput"
            reply.id = None
            output.append(reply)
        sent_non_trace = any(a.type != ActivityTypes.trace for a in output)

        async def logic() -> list[ResourceResponse]:
            if incoming.delivery_mode == DeliveryModes.expect_replies:
                responses = []
                for reply in output:
                    self.buffered_reply_activities.append(reply)
                    if reply.type == ActivityTypes.invoke_response:
                        self.turn_state[TurnContext._INVOKE_RESPONSE_KEY] = reply
                    responses.append(ResourceResponse())
            else:
                responses = await self.adapter.send_activities(self, output)
            if sent_non_trace:
                self.responded = True
            return responses

        if not handlers:
            # What _emit does without handlers, without building its recursive
            # closure: that closure refers to itself, so every turn's context,
            # activities and card were left in a reference cycle for the
            # garbage collector (about 60 objects a turn).
            return await logic()
        sent: list[ResourceResponse] = await self._emit(handlers, output, logic())
        return sent


class TurnRunner(BotAdapter):  # type: ignore[misc]
    """Runs turns; sends replies with ``delivery`` unless they are returned inline."""

    def __init__(
        self,
        delivery: Delivery | None,
        on_turn_error: Callable[[TurnContext, Exception], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(on_turn_error)
        self.delivery = delivery

    async def run(
        self,
        activity: Activity,
        logic: Logic,
        route: Route | None,
        claims: ClaimsIdentity | None = None,
    ) -> TurnResult:
        """One turn; ``route`` None means its replies come back in the result (expectReplies)."""
        # TurnContext buffers replies exactly when the activity says expectReplies.
        if route is None:
            activity.delivery_mode = DeliveryModes.expect_replies
        elif activity.delivery_mode == DeliveryModes.expect_replies:
            activity.delivery_mode = DeliveryModes.normal
        bot = getattr(logic, "__self__", None)
        if (
            activity.type == ActivityTypes.invoke
            and activity.name == TOKEN_EXCHANGE
            and not hasattr(bot, TOKEN_EXCHANGE_HANDLER)
        ):
            return TurnResult(501)
        context = _TurnContext(self, activity)
        if claims is not None:
            context.turn_state[self.BOT_IDENTITY_KEY] = claims
        context.turn_state[self.BOT_CALLBACK_HANDLER_KEY] = logic
        context.turn_state[ROUTE] = route
        await self.run_pipeline(context, logic)
        if route is None:
            replies = [activity_to_json(reply) for reply in context.buffered_reply_activities]
            return TurnResult(200, {"activities": replies})
        if activity.type == ActivityTypes.invoke:
            response = context.turn_state.get(self._INVOKE_RESPONSE_KEY)
            if response is None or response.value is None:
                return TurnResult(501)
            return TurnResult(int(response.value.status), response.value.body)
        return TurnResult(200)

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        route: Route | None = context.turn_state.get(ROUTE)
        responses = []
        for activity in activities:
            activity.id = None
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[self._INVOKE_RESPONSE_KEY] = activity
            elif activity.type == ActivityTypes.trace and activity.channel_id != Channels.emulator:
                pass  # traces are for the Emulator only
            elif route is None or self.delivery is None:
                raise DeliveryError("this turn's replies are returned, not sent")
            else:
                conversation = activity.conversation.id if activity.conversation else ""
                url = reply_url(route.service_url, conversation, activity.reply_to_id)
                outcome = await self.delivery.send(url, activity_to_json(activity), route.token)
                responses.append(ResourceResponse(id=outcome.body.get("id")))
                continue
            responses.append(ResourceResponse())
        return responses

    async def update_activity(
        self, context: TurnContext, activity: Activity
    ) -> ResourceResponse | None:
        """Replace a message the bot sent (Teams: the card someone voted on)."""
        route: Route | None = context.turn_state.get(ROUTE)
        if route is None or self.delivery is None:
            raise DeliveryError("this turn's replies are returned, not sent")
        if not activity.id:
            raise DeliveryError("an update names the activity it replaces")
        conversation = activity.conversation.id if activity.conversation else ""
        url = reply_url(route.service_url, conversation, activity.id)
        outcome = await self.delivery.send(url, activity_to_json(activity), route.token, "PUT")
        found = outcome.body.get("id")
        return ResourceResponse(id=found) if found else None

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        raise NotImplementedError("the bot never deletes its messages")
