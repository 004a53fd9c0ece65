"""The ActivityHandler: one question in, one reply out, no conversation state.

Each turn is read once into a ``bot.channels.Inbound`` (what was typed or
clicked, the client's locale, whether the bot is addressed, what the channel
can show); the locale is chosen once from it; the knowledge base's outcome is
mapped to a reply by ``replies.for_outcome``; ``render`` shows the reply the
way the channel can. Channel quirks live in ``bot.channels``, not here.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import ChannelAccount

from bot import channels, message_extension, replies
from bot.metrics import Metrics
from bot.privacy import redact
from bot.render import render
from bot.settings import Settings
from bot.strings import Catalog
from bot.votes import VoteLedger
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)

# Where the turn's locale is kept (TurnContext.turn_state), for the error reply.
LOCALE = "carrier_privacy.locale"
# Further answers a vote's data may name (a message asks two or three things at most).
MAX_MORE = 3


class NoticeBot(ActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        kb: KnowledgeBase,
        catalog: Catalog,
        settings: Settings,
        metrics: Metrics | None = None,
        votes: VoteLedger | None = None,
    ) -> None:
        super().__init__()
        self.kb = kb
        self.catalog = catalog
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.votes = votes or VoteLedger()

    def locale_for(
        self, turn_context: TurnContext, inbound: channels.Inbound, text: str | None = None
    ) -> str:
        """The turn's locale, chosen once: the text's language, the client's, the default.

        The text is the question, or what a message-extension search typed.
        Kept in the turn state, so that an error reply speaks the same language.
        """
        question = inbound.question if text is None else text
        locale = self.kb.choose_locale(
            question, inbound.client_locale, self.settings.default_locale
        )
        turn_context.turn_state[LOCALE] = locale
        return locale

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        inbound = channels.read(turn_context.activity)
        added = [m.id for m in members_added or []]
        if inbound.channel.welcomes(turn_context.activity, added):
            locale = self.locale_for(turn_context, inbound)
            strings = self.catalog.for_locale(locale)
            await self.send(
                turn_context, replies.compose_help(self.kb, strings, locale, welcome=True)
            )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        inbound = channels.read(turn_context.activity)
        if not inbound.addressed:
            return  # a channel or group-chat message for someone else
        locale = self.locale_for(turn_context, inbound)
        button = inbound.button or {}
        if button.get("action") == replies.FEEDBACK and button.get("vote") in replies.VOTES:
            await self.vote(turn_context, inbound, locale)
            return
        await self.send(turn_context, self.reply_to(inbound, locale))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Teams' message extension searches; other invokes as botbuilder answers them (501)."""
        activity = turn_context.activity
        if activity.name != message_extension.QUERY:
            response: InvokeResponse = await super().on_invoke_activity(turn_context)
            return response
        try:
            query = message_extension.parse_query(activity.value)
        except message_extension.BadQuery as exc:
            return InvokeResponse(status=400, body={"error": str(exc)})
        locale = self.locale_for(turn_context, channels.read(activity), query.text)
        if self.settings.log_questions:
            log.info("search [%s]: %s", locale, redact(query.text))
        strings = self.catalog.for_locale(locale)
        return InvokeResponse(
            status=200, body=message_extension.respond(self.kb, strings, query, locale)
        )

    def reply_to(self, inbound: channels.Inbound, locale: str) -> replies.Reply:
        """The reply to a message: the data of a clicked button, else the question."""
        if inbound.button is not None:
            clicked = self._clicked(inbound.button, locale)
            if clicked is not None:
                return clicked
        question = inbound.question
        strings = self.catalog.for_locale(locale)
        if not question or self.catalog.is_help(question):
            return self._count(replies.compose_help(self.kb, strings, locale))
        if self.settings.log_questions:
            log.info("question [%s]: %s", locale, redact(question))
        outcome = self.kb.ask(question, locale)
        log.debug("outcome %s in %s", outcome.verdict, locale)
        return self._count(replies.for_outcome(self.kb, strings, outcome))

    def _count(self, reply: replies.Reply) -> replies.Reply:
        self.metrics.questions.labels(reply.locale, reply.kind).inc()
        return reply

    def _clicked(self, value: dict[str, Any], locale: str) -> replies.Reply | None:
        """The reply a button asks for; None for a button that asks a question (or is unknown)."""
        action = value.get("action")
        if action == replies.SHOW and isinstance(value.get("id"), str):
            passage = self.kb.passage(value["id"])
            if passage is not None:
                strings = self.catalog.for_locale(passage.locale)
                return self._count(replies.compose_answer(self.kb, strings, passage))
        if action == replies.NOTICE:
            notice_locale = self.kb.resolve_locale(str(value.get("locale") or locale), locale)
            strings = self.catalog.for_locale(notice_locale)
            slug = str(value.get("notice"))
            notice = replies.compose_notice(self.kb, strings, notice_locale, slug)
            if notice is not None:
                return notice
        if action == replies.NONE:
            strings = self.catalog.for_locale(locale)
            return self._count(replies.compose_not_covered(self.kb, strings, locale))
        return None

    async def vote(self, turn_context: TurnContext, inbound: channels.Inbound, locale: str) -> None:
        """Count a vote once per answer card, then replace the card or say thanks.

        Only a vote that could come from one of the bot's answer cards counts:
        its passage exists and its card id has the shape the bot gives, and,
        with VOTE_SIGNING_KEY, the signature it gave for that passage (see
        ``replies.is_card_id``); anything else is thanked and not counted.
        Where the channel can update the card (Teams), the card is replaced by
        the same answer with the thanks instead of the vote buttons; elsewhere
        the thanks is a short message of its own.
        """
        button = inbound.button or {}
        passage = self.kb.passage(str(button.get("id")))
        locale = passage.locale if passage else locale
        strings = self.catalog.for_locale(locale)
        card = button.get("card")
        if (
            passage is not None
            and replies.is_card_id(card, passage.id, self.settings.vote_signing_key)
            and inbound.conversation
            and await self.votes.first(inbound.conversation, str(card))
        ):
            self.metrics.feedback.labels(button["vote"]).inc()
        if passage and inbound.replied_to and inbound.channel.capabilities.updates_messages:
            more = [self.kb.passage(i) for i in str(button.get("more", "")).split()[:MAX_MORE]]
            voted = replies.compose_voted(
                self.kb, strings, passage, [p for p in more if p is not None]
            )
            update = render(voted, turn_context.activity.channel_id, strings)
            update.id = inbound.replied_to
            try:
                with addressed_in(turn_context, voted.locale):
                    await turn_context.update_activity(update)
                return
            except Exception as exc:  # the card may be gone or too old to edit
                log.warning("could not update the voted card: %s", type(exc).__name__)
        await self.send(turn_context, replies.compose_feedback_thanks(strings, locale))

    async def send(self, turn_context: TurnContext, reply: replies.Reply) -> None:
        """Send a reply, rendered for the channel, in its own locale."""
        key = self.settings.vote_signing_key
        if key and reply.card_id:
            signed = replies.sign_card_id(key, reply.card_id, reply.passage_id)
            reply = dataclasses.replace(reply, card_id=signed)
        strings = self.catalog.for_locale(reply.locale)
        with addressed_in(turn_context, reply.locale):
            await turn_context.send_activity(
                render(reply, turn_context.activity.channel_id, strings)
            )


@contextmanager
def addressed_in(turn_context: TurnContext, locale: str) -> Iterator[None]:
    """Replies sent or updated within say ``locale``: an Italian answer to a French client, it-IT.

    TurnContext addresses every outgoing activity from the incoming one
    (``apply_conversation_reference``), locale included, overwriting the
    reply's own. So the reply's locale is put where TurnContext takes it,
    the incoming activity, for the time of the send, and the client's put
    back after: no hook is left on the turn, and what the client sent is
    what the rest of the turn (the error reply) sees.
    """
    incoming = turn_context.activity
    client_locale = incoming.locale
    incoming.locale = locale
    try:
        yield
    finally:
        incoming.locale = client_locale
