"""The turn's own send_activities addresses replies exactly as botbuilder's TurnContext does."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, DeliveryModes

from bot.botframework.turns import _TurnContext
from bot.botframework.wire import activity_from_json, activity_to_json

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WEBCHAT = {
    "type": "message",
    "id": "webchat-1",
    "channelId": "webchat",
    "serviceUrl": "https://webchat.botframework.com/",
    "from": {"id": "dl_user", "name": "Visitor"},
    "recipient": {"id": "bot@abc", "name": "bot"},
    "conversation": {"id": "conv-1"},
    "text": "IP ?",
    "locale": "fr-FR",
}


class Capture(BotAdapter):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Activity] = []

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[Any]:
        self.sent.extend(activities)
        return [None] * len(activities)

    async def update_activity(self, context: TurnContext, activity: Activity) -> None:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError


def incoming_activities() -> list[dict[str, Any]]:
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.json"))]
    return [*out, WEBCHAT, {**WEBCHAT, "type": "conversationUpdate", "channelId": "directline"}]


def replies() -> list[Activity]:
    card = Attachment(content_type="application/vnd.microsoft.card.adaptive", content={"a": 1})
    return [
        Activity(type="message", text="hello", locale="it-IT", attachments=[card]),
        Activity(text="no type, no input hint"),
        Activity(type=ActivityTypes.trace, name="trace", value={"x": 1}),
        Activity(type=ActivityTypes.typing, id="caller-set-id", input_hint="ignoringInput"),
    ]


async def sent_by(
    context_class: type[TurnContext], data: dict[str, Any], expect_replies: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    adapter = Capture()
    incoming = activity_from_json(data)
    if expect_replies:
        incoming.delivery_mode = DeliveryModes.expect_replies
    context = context_class(adapter, incoming)
    originals = replies()
    before = [activity_to_json(a) for a in originals]
    await context.send_activities(copy.deepcopy(originals))
    await context.send_activity(originals[0])
    out = adapter.sent + context.buffered_reply_activities
    # What the caller passed is left as it was.
    assert [activity_to_json(a) for a in originals] == before
    return [activity_to_json(a) for a in out], [activity_to_json(incoming)], context.responded


@pytest.mark.parametrize("expect_replies", [False, True])
@pytest.mark.parametrize("index", range(len(incoming_activities())))
async def test_replies_are_addressed_as_botbuilder_addresses_them(
    index: int, expect_replies: bool
) -> None:
    data = incoming_activities()[index]
    ours = await sent_by(_TurnContext, data, expect_replies)
    theirs = await sent_by(TurnContext, data, expect_replies)
    assert ours == theirs
    replies_json, _, responded = ours
    assert responded and len(replies_json) == 5
    # Each reply goes back where the message came from, from the bot to the user.
    assert all(r["conversation"]["id"] == data["conversation"]["id"] for r in replies_json)
    assert all(r["recipient"]["id"] == data["from"]["id"] for r in replies_json)


async def test_a_trace_alone_is_no_response() -> None:
    context = _TurnContext(Capture(), activity_from_json(WEBCHAT))
    await context.send_activity(Activity(type=ActivityTypes.trace, name="t"))
    assert not context.responded


async def test_send_handlers_see_the_addressed_replies() -> None:
    adapter = Capture()
    context = _TurnContext(adapter, activity_from_json(WEBCHAT))
    seen: list[str] = []

    async def handler(_: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        seen.extend(a.recipient.id for a in activities)
        return await next_send()

    context.on_send_activities(handler)
    await context.send_activity("hi")
    assert seen == ["dl_user"] and [a.text for a in adapter.sent] == ["hi"]


async def test_a_turn_leaves_nothing_for_the_garbage_collector() -> None:
    """Every object of an answered turn is freed as soon as it ends, none kept for the GC.

    botbuilder's TurnContext._emit builds a closure that refers to itself:
    every turn's context, activities and card used to wait for a collection.
    """
    import gc

    from bot.botframework import inline_runner
    from bot.settings import Settings
    from bot.web import BOT, create_app

    bot = create_app(Settings.from_env({}))[BOT]
    runner = inline_runner(bot)

    async def one_turn() -> None:
        result = await runner.run(activity_from_json(WEBCHAT), bot.on_turn, route=None)
        assert result.status == 200 and result.body["activities"]

    await one_turn()  # lazy caches filled
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(5):
            await one_turn()
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []


async def test_what_a_send_handler_changes_stays_out_of_the_callers_activity() -> None:
    context = _TurnContext(Capture(), activity_from_json(WEBCHAT))

    async def handler(_: TurnContext, activities: list[Activity], next_send: Any) -> Any:
        for activity in activities:
            activity.channel_data["notification"] = {"alert": True}
            activity.attachments[0].content["changed"] = True
        return await next_send()

    context.on_send_activities(handler)
    card = Attachment(content_type="application/vnd.microsoft.card.adaptive", content={"a": 1})
    mine = Activity(type="message", channel_data={}, attachments=[card])
    await context.send_activity(mine)
    assert mine.channel_data == {} and card.content == {"a": 1}


async def test_an_invoke_response_is_kept_for_the_turn_as_botbuilder_keeps_it() -> None:
    for context_class in (_TurnContext, TurnContext):
        incoming = activity_from_json({**WEBCHAT, "type": "invoke", "name": "x"})
        incoming.delivery_mode = DeliveryModes.expect_replies
        context = context_class(Capture(), incoming)
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value={"s": 1}))
        kept = context.turn_state[TurnContext._INVOKE_RESPONSE_KEY]
        assert kept.type == ActivityTypes.invoke_response and kept.value == {"s": 1}
