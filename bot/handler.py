"""The ActivityHandler: one question in, one reply out, no conversation state."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import ChannelAccount

from bot import replies
from bot.privacy import redact
from bot.settings import Settings
from bot.strings import Catalog
from knowledge import KnowledgeBase, Verdict

log = logging.getLogger(__name__)


class NoticeBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, kb: KnowledgeBase, catalog: Catalog, settings: Settings) -> None:
        super().__init__()
        self.kb = kb
        self.catalog = catalog
        self.settings = settings

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        # Welcome once per update, however many people joined with it.
        if any(member.id != bot_id for member in members_added or []):
            locale = self.kb.resolve_locale(
                turn_context.activity.locale, self.settings.default_locale
            )
            strings = self.catalog.for_locale(locale)
            await send(turn_context, replies.compose_help(self.kb, strings, locale, welcome=True))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await send(turn_context, self.reply_to(activity.text, activity.value, activity.locale))

    def reply_to(self, text: Any, value: Any, client_locale: str | None) -> replies.Reply:
        """The reply to a message: its text, or the data of a clicked button."""
        default = self.settings.default_locale
        question = text.strip() if isinstance(text, str) else ""
        if isinstance(value, dict):
            clicked = self._clicked(value, client_locale)
            if clicked is not None:
                return clicked
            if isinstance(value.get("text"), str):
                question = value["text"].strip()
        locale = self.kb.choose_locale(question, client_locale, default)
        strings = self.catalog.for_locale(locale)
        if not question or self.catalog.is_help(question):
            return replies.compose_help(self.kb, strings, locale)
        if self.settings.log_questions:
            log.info("question [%s]: %s", locale, redact(question))
        outcome = self.kb.ask(question, locale)
        log.info("outcome %s in %s", outcome.verdict, locale)
        if outcome.verdict == Verdict.ANSWER and outcome.best is not None:
            return replies.compose_answer(self.kb, strings, outcome.best)
        if outcome.verdict == Verdict.SUGGEST:
            return replies.compose_suggestions(
                self.kb, strings, locale, [m.passage for m in outcome.matches]
            )
        if outcome.verdict == Verdict.SMALL_TALK and outcome.small_talk:
            return replies.compose_small_talk(strings, locale, outcome.small_talk)
        if outcome.verdict == Verdict.EMPTY:
            return replies.compose_help(self.kb, strings, locale)
        return replies.compose_not_covered(self.kb, strings, locale)

    def _clicked(self, value: dict[str, Any], client_locale: str | None) -> replies.Reply | None:
        action = value.get("action")
        if action == replies.SHOW and isinstance(value.get("id"), str):
            passage = self.kb.passage(value["id"])
            if passage is not None:
                return replies.compose_answer(
                    self.kb, self.catalog.for_locale(passage.locale), passage
                )
        if action == replies.NOTICE:
            locale = self.kb.resolve_locale(
                str(value.get("locale") or client_locale or ""), self.settings.default_locale
            )
            reply = replies.compose_notice(
                self.kb, self.catalog.for_locale(locale), locale, str(value.get("notice"))
            )
            if reply is not None:
                return reply
        if action == replies.NONE:
            locale = self.kb.resolve_locale(client_locale, self.settings.default_locale)
            return replies.compose_not_covered(self.kb, self.catalog.for_locale(locale), locale)
        return None


async def send(turn_context: TurnContext, reply: replies.Reply) -> None:
    """Send a reply in its own locale.

    TurnContext copies the incoming activity's locale onto every reply; an
    Italian answer to a French client must still say it-IT.
    """

    async def keep_locale(_: TurnContext, activities: list[Any], next_send: Any) -> Any:
        for outgoing in activities:
            outgoing.locale = reply.locale
        return await next_send()

    turn_context.on_send_activities(keep_locale)
    await turn_context.send_activity(replies.render(reply))
