"""The ActivityHandler: one question in, one reply out, no conversation state.

Teams specifics: in channels and group chats the bot answers only when it is
@mentioned (or when one of its own buttons is clicked), with the mention
stripped before matching; a message whose text is empty is read from its
text/html attachment; the locale comes from ``activity.locale`` or the
clientInfo entity; it welcomes once when it is installed (personal chat or team),
not each time someone joins a team.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from html.parser import HTMLParser
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from bot import message_extension, replies
from bot.metrics import Metrics
from bot.privacy import redact
from bot.render import render
from bot.settings import Settings
from bot.strings import Catalog
from bot.votes import VoteLedger
from knowledge import KnowledgeBase, Verdict

log = logging.getLogger(__name__)

TEAMS = "msteams"
# Channels whose messages the bot can replace (updateActivity); Web Chat and
# Direct Line answer "This channel does not support this operation".
UPDATABLE_CHANNELS = frozenset({TEAMS})
VOTES = ("up", "down")
# Longest card id a vote may name (ours are 12 characters; Teams activity ids ~20).
MAX_CARD_REF = 64
_AT_TAG = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


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

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m.id for m in members_added or []]
        if activity.channel_id == TEAMS:
            welcome = bot_id in added  # the bot was just installed
        else:
            welcome = any(member != bot_id for member in added)  # someone opened a chat with it
        if welcome:
            locale = self.kb.resolve_locale(client_locale(activity), self.settings.default_locale)
            reply = replies.compose_help(
                self.kb, self.catalog.for_locale(locale), locale, welcome=True
            )
            await self.send(turn_context, reply)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = button_data(activity.value)
        if value is None and in_group_conversation(activity) and not mentions_bot(activity):
            return  # a channel or group-chat message for someone else
        if (
            value is not None
            and value.get("action") == replies.FEEDBACK
            and value.get("vote") in VOTES
        ):
            await self.vote(turn_context, value, client_locale(activity))
            return
        reply = self.reply_to(message_text(activity), value, client_locale(activity))
        await self.send(turn_context, reply)

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
        locale = self.kb.choose_locale(
            query.text, client_locale(activity), self.settings.default_locale
        )
        if self.settings.log_questions:
            log.info("search [%s]: %s", locale, redact(query.text))
        strings = self.catalog.for_locale(locale)
        return InvokeResponse(
            status=200, body=message_extension.respond(self.kb, strings, query, locale)
        )

    def reply_to(
        self, text: str, value: dict[str, Any] | None, client: str | None
    ) -> replies.Reply:
        """The reply to a message: its text, or the data of a clicked button."""
        default = self.settings.default_locale
        question = text.strip()
        if value is not None:
            clicked = self._clicked(value, client)
            if clicked is not None:
                return clicked
            if isinstance(value.get("text"), str):
                question = value["text"].strip()
        locale = self.kb.choose_locale(question, client, default)
        strings = self.catalog.for_locale(locale)
        if not question or self.catalog.is_help(question):
            return self._count(replies.compose_help(self.kb, strings, locale))
        if self.settings.log_questions:
            log.info("question [%s]: %s", locale, redact(question))
        outcome = self.kb.ask(question, locale)
        log.debug("outcome %s in %s", outcome.verdict, locale)
        if outcome.verdict == Verdict.ANSWER and outcome.best is not None:
            reply = replies.compose_answer(self.kb, strings, outcome.best)
        elif outcome.verdict == Verdict.SUGGEST:
            passages = [m.passage for m in outcome.matches]
            reply = replies.compose_suggestions(self.kb, strings, locale, passages)
        elif outcome.verdict == Verdict.SMALL_TALK and outcome.small_talk:
            reply = replies.compose_small_talk(strings, locale, outcome.small_talk)
        elif outcome.verdict == Verdict.EMPTY:
            reply = replies.compose_help(self.kb, strings, locale)
        else:
            reply = replies.compose_not_covered(self.kb, strings, locale)
        return self._count(reply)

    def _count(self, reply: replies.Reply) -> replies.Reply:
        self.metrics.questions.labels(reply.locale, reply.kind).inc()
        return reply

    def _clicked(self, value: dict[str, Any], client: str | None) -> replies.Reply | None:
        action = value.get("action")
        default = self.settings.default_locale
        if action == replies.SHOW and isinstance(value.get("id"), str):
            passage = self.kb.passage(value["id"])
            if passage is not None:
                strings = self.catalog.for_locale(passage.locale)
                return self._count(replies.compose_answer(self.kb, strings, passage))
        if action == replies.NOTICE:
            locale = self.kb.resolve_locale(str(value.get("locale") or client or ""), default)
            strings = self.catalog.for_locale(locale)
            notice = replies.compose_notice(self.kb, strings, locale, str(value.get("notice")))
            if notice is not None:
                return notice
        if action == replies.NONE:
            locale = self.kb.resolve_locale(client, default)
            strings = self.catalog.for_locale(locale)
            return self._count(replies.compose_not_covered(self.kb, strings, locale))
        return None

    async def vote(
        self, turn_context: TurnContext, value: dict[str, Any], client: str | None
    ) -> None:
        """Count a vote once per answer card, then replace the card or say thanks.

        Where the channel can update the card (Teams), the card is replaced by
        the same answer with the thanks instead of the vote buttons; elsewhere
        the thanks is a short message of its own.
        """
        activity = turn_context.activity
        passage = self.kb.passage(str(value.get("id")))
        locale = (
            passage.locale
            if passage
            else self.kb.resolve_locale(client, self.settings.default_locale)
        )
        strings = self.catalog.for_locale(locale)
        card = vote_card(value, activity)
        conversation = activity.conversation.id if activity.conversation else None
        # A vote that names no card cannot be held to one per answer: not counted.
        if card and isinstance(conversation, str) and self.votes.first(conversation, card):
            self.metrics.feedback.labels(value["vote"]).inc()
        if passage and activity.reply_to_id and activity.channel_id in UPDATABLE_CHANNELS:
            voted = replies.compose_voted(self.kb, strings, passage)
            update = render(voted, activity.channel_id, strings)
            update.id = activity.reply_to_id

            async def keep_locale(_: TurnContext, outgoing: Activity, next_update: Any) -> Any:
                outgoing.locale = voted.locale
                return await next_update()

            turn_context.on_update_activity(keep_locale)
            try:
                await turn_context.update_activity(update)
                return
            except Exception as exc:  # the card may be gone or too old to edit
                log.warning("could not update the voted card: %s", type(exc).__name__)
        await self.send(turn_context, replies.compose_feedback_thanks(strings, locale))

    async def send(self, turn_context: TurnContext, reply: replies.Reply) -> None:
        """Send a reply, rendered for the channel, in its own locale.

        TurnContext copies the incoming activity's locale onto every reply; an
        Italian answer to a French client must still say it-IT.
        """

        async def keep_locale(_: TurnContext, activities: list[Any], next_send: Any) -> Any:
            for outgoing in activities:
                outgoing.locale = reply.locale
            return await next_send()

        turn_context.on_send_activities(keep_locale)
        strings = self.catalog.for_locale(reply.locale)
        await turn_context.send_activity(render(reply, turn_context.activity.channel_id, strings))


def button_data(value: Any) -> dict[str, Any] | None:
    """What a clicked button carries: a dict, or a JSON object in a string (Teams messageBack)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict):
        return None
    nested = value.get("msteams")
    if isinstance(nested, dict) and "action" not in value:
        return button_data(nested.get("value"))
    return value


def vote_card(value: dict[str, Any], activity: Activity) -> str | None:
    """The answer card a vote is for: the id in its data, else the message it replies to."""
    for card in (value.get("card"), activity.reply_to_id):
        if isinstance(card, str) and 0 < len(card) <= MAX_CARD_REF:
            return card
    return None


def client_locale(activity: Activity) -> str | None:
    if isinstance(activity.locale, str) and activity.locale.strip():
        return activity.locale
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        if (entity.type or "").lower() == "clientinfo" and isinstance(props.get("locale"), str):
            return str(props["locale"])
    return None


def in_group_conversation(activity: Activity) -> bool:
    conversation = activity.conversation
    if activity.channel_id != TEAMS or conversation is None:
        return False
    return bool(conversation.is_group) or conversation.conversation_type in ("channel", "groupChat")


def mentions_bot(activity: Activity) -> bool:
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        mentioned = (entity.additional_properties or {}).get("mentioned")
        if (entity.type or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        if mentioned.get("id") == bot_id:
            return True
    return False


def message_text(activity: Activity) -> str:
    """The question: the text without the bot's @mention, else the text of its HTML attachment."""
    text = activity.text if isinstance(activity.text, str) else ""
    if text and mentions_bot(activity):
        # A malformed mention entity makes botbuilder raise; the tag strip below still applies.
        with contextlib.suppress(KeyError, TypeError, AttributeError, re.error):
            text = TurnContext.remove_recipient_mention(activity) or ""
    text = _AT_TAG.sub(" ", text).strip()
    if text:
        return text
    for attachment in activity.attachments or []:
        # Attachments are msrest objects from the wire, plain dicts when built by hand.
        fields = attachment if isinstance(attachment, dict) else vars(attachment)
        content_type = fields.get("content_type", fields.get("contentType"))
        if content_type == "text/html" and isinstance(fields.get("content"), str):
            return html_text(fields["content"])
    return ""


_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})


class _TextOnly(HTMLParser):
    """Text of an HTML fragment, without Teams mention spans or <at> tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.parts.append(" ")
            return
        itemtype = dict(attrs).get("itemtype") or ""
        if self._skip or tag == "at" or "Mention" in itemtype:
            self._skip += 1
        elif tag in ("p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())
