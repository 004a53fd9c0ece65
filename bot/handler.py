"""The ActivityHandler: one question in, one reply out, no conversation state.

Teams specifics: in channels and group chats the bot answers only when it is
@mentioned (or when one of its own buttons is clicked), with the mention
stripped before matching; a message whose text is empty is read from its
text/html attachment; the locale comes from ``activity.locale`` or the
clientInfo entity; it welcomes once when it is installed (personal chat or team),
not each time someone joins a team.
"""

from __future__ import annotations

import json
import logging
import re
from html import unescape
from typing import Any

from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.schema import Activity, ChannelAccount

from bot import replies
from bot.metrics import Metrics
from bot.privacy import redact
from bot.render import render
from bot.settings import Settings
from bot.strings import Catalog
from knowledge import KnowledgeBase, Verdict

log = logging.getLogger(__name__)

TEAMS = "msteams"


class NoticeBot(ActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        kb: KnowledgeBase,
        catalog: Catalog,
        settings: Settings,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__()
        self.kb = kb
        self.catalog = catalog
        self.settings = settings
        self.metrics = metrics or Metrics()

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
        reply = self.reply_to(message_text(activity), value, client_locale(activity))
        await self.send(turn_context, reply)

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
                # Bounded like the message text: a button's data comes from the client too.
                question = value["text"][:MAX_QUESTION_CHARS].strip()
        locale = self.kb.choose_locale(question, client, default)
        strings = self.catalog.for_locale(locale)
        if not question or self.catalog.is_help(question):
            return self._count(replies.compose_help(self.kb, strings, locale))
        if self.settings.log_questions:
            log.info("question [%s]: %s", locale, redact(question))
        outcome = self.kb.ask(question, locale)
        log.debug("outcome %s in %s", outcome.verdict, locale)
        if outcome.verdict == Verdict.ANSWER and outcome.best is not None:
            reply = replies.compose_answer(self.kb, strings, outcome.best, outcome.answers[1:])
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
        if action == replies.FEEDBACK and value.get("vote") in ("up", "down"):
            self.metrics.feedback.labels(value["vote"]).inc()
            passage = self.kb.passage(str(value.get("id")))
            locale = passage.locale if passage else self.kb.resolve_locale(client, default)
            return replies.compose_feedback_thanks(self.catalog.for_locale(locale), locale)
        return None

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
        except (ValueError, RecursionError):
            return None
    if not isinstance(value, dict):
        return None
    nested = value.get("msteams")
    if isinstance(nested, dict) and "action" not in value:
        return button_data(nested.get("value"))
    return value


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
    """The question: the text without @mentions, else the text of its HTML attachment.

    Every step is linear in its input and the input is bounded first, so no
    message can hold the event loop (a 250 KB text of ``<at>`` used to take a minute).
    """
    text = activity.text[:MAX_MARKUP_CHARS] if isinstance(activity.text, str) else ""
    if text and mentions_bot(activity):
        for mention in _bot_mention_texts(activity):
            text = text.replace(mention, " ")
    text = strip_at_tags(text).strip()
    if text:
        return text[:MAX_QUESTION_CHARS]
    for attachment in (activity.attachments or [])[:MAX_ATTACHMENTS_READ]:
        # Attachments are msrest objects from the wire, plain dicts when built by hand.
        fields = attachment if isinstance(attachment, dict) else vars(attachment)
        content_type = fields.get("content_type", fields.get("contentType"))
        if content_type == "text/html" and isinstance(fields.get("content"), str):
            return html_text(fields["content"][:MAX_MARKUP_CHARS])[:MAX_QUESTION_CHARS]
    return ""


# A question, not a document: the widget caps its text the same way.
MAX_QUESTION_CHARS = 2000
# Raw text or HTML read before markup and mentions are removed: tags take room,
# and no more than this is ever scanned.
MAX_MARKUP_CHARS = 4 * MAX_QUESTION_CHARS
# Teams sends one text/html attachment; the rest are files and cards.
MAX_ATTACHMENTS_READ = 8
# A mention's text is a name in <at> tags; longer ones are not names.
MAX_MENTION_CHARS = 256
# Mentions of the bot removed by their text; Teams sends one per message.
MAX_BOT_MENTIONS = 4
_AT_OPEN = re.compile(rf"<at(?:\s[^<>]{{0,{MAX_MENTION_CHARS}}})?>", re.IGNORECASE)
_AT_CLOSE = re.compile(r"</at\s*>", re.IGNORECASE)


def _bot_mention_texts(activity: Activity) -> list[str]:
    """The texts (``<at>Name</at>``) of the entities that mention the bot."""
    bot_id = activity.recipient.id if activity.recipient else None
    texts = []
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        mentioned, text = props.get("mentioned"), props.get("text")
        if (entity.type or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        if mentioned.get("id") == bot_id and isinstance(text, str) and text.strip():
            texts.append(text[:MAX_MENTION_CHARS])
            if len(texts) == MAX_BOT_MENTIONS:
                break
    return texts


def strip_at_tags(text: str) -> str:
    """``text`` without its ``<at>…</at>`` spans, in one forward pass.

    Each span runs from an opening tag to the first closing tag after it (as
    the non-greedy regex did, but that one rescanned the rest of the text from
    every ``<at``: quadratic).
    """
    parts: list[str] = []
    position = 0
    while True:
        opening = _AT_OPEN.search(text, position)
        if opening is None:
            break
        closing = _AT_CLOSE.search(text, opening.end())
        if closing is None:
            break  # no closing tag after this one: none after any later one either
        parts.append(text[position : opening.start()])
        parts.append(" ")
        position = closing.end()
    parts.append(text[position:])
    return "".join(parts)


_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})
_BREAKS = frozenset({"p", "div", "li"})
_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9:-]*)")


def html_text(html: str) -> str:
    """Text of an HTML fragment, without Teams mention spans or ``<at>`` tags.

    One forward pass with ``str.find`` (linear: ``html.parser`` took seconds on
    a few KB of ``<a `` or ``<!--``). Enough HTML for a chat message: tags,
    comments, character references; what is not a tag is text.
    """
    parts: list[str] = []
    skip = 0
    position, size = 0, len(html)
    while position < size:
        lt = html.find("<", position)
        if lt < 0:
            lt = size
        if not skip:
            parts.append(html[position:lt])
        if lt == size:
            break
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            position = size if end < 0 else end + 3  # an unclosed comment hides the rest
            continue
        name = _TAG_NAME.match(html, lt + 1)
        if name is None and not html.startswith(("<!", "<?"), lt):
            if not skip:
                parts.append("<")  # a lone "<" is text
            position = lt + 1
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:
            break  # an unfinished tag ends the fragment
        position = gt + 1
        if name is None:
            continue  # <!DOCTYPE …>, <?…?>
        tag = name.group(1).lower()
        if html.startswith("</", lt):
            if skip:
                skip -= 1
        elif tag in _VOID:
            parts.append(" ")
        elif skip or tag == "at" or "Mention" in html[lt:gt]:
            skip += 1
        elif tag in _BREAKS:
            parts.append(" ")
    return " ".join(unescape("".join(parts)).split())
