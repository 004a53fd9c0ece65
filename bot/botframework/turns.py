"""Running one turn with botbuilder's TurnContext and ActivityHandler, and where its replies go.

The project's own BotAdapter instead of CloudAdapter: CloudAdapter builds a
connector client (msrest, ``requests``) and a user-token client on every turn
and sends replies through them. Here the replies are either buffered and
returned in the response (expectReplies, the widget) or POSTed by
``Delivery``; which of the two is decided once, by the caller, as a ``Route``.
"""

from __future__ import annotations

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


class _SharedActivity(Activity):  # type: ignore[misc]
    """An outgoing activity whose deep copy is a shallow one.

    TurnContext deep-copies every outgoing activity before addressing it, to
    leave the caller's object alone; it only assigns top-level fields of the
    copy (conversation, recipient, replyToId, locale...), so a copy of the
    top level does the same. Deep-copying a reply was 7 % of a turn.
    """

    @classmethod
    def of(cls, activity: Activity) -> _SharedActivity:
        shared: _SharedActivity = cls.__new__(cls)
        shared.__dict__.update(activity.__dict__)
        return shared

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedActivity:
        copied = self.of(self)
        if isinstance(self.attachments, list):
            copied.attachments = list(self.attachments)
        return copied


class _TurnContext(TurnContext):  # type: ignore[misc]
    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        shared = [_SharedActivity.of(a) if isinstance(a, Activity) else a for a in activities]
        responses: list[ResourceResponse] = await super().send_activities(shared)
        return responses


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
