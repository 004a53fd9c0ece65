"""Hostile text: every step that reads what a client typed is bounded and linear.

A 250 KB text of ``<at>`` once took 65 s, an HTML attachment of ``<!--`` 31 s,
and the event loop waited meanwhile. bench/pathological.py prints the costs;
these tests hold the bounds and the behaviour.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import channels
from bot.channels import MAX_QUESTION_CHARS
from bot.channels.teams import button_data, html_text, message_text, strip_at_tags
from bot.handler import NoticeBot
from bot.settings import Settings
from bot.strings import Catalog
from knowledge import KnowledgeBase
from tests.test_boundary import post_in_segments

BOT = "28:bot"
BODY = 250 * 1024


def teams(text: str = "", **fields: Any) -> Activity:
    mention = Entity(type="mention")
    mention.additional_properties = {
        "mentioned": {"id": BOT, "name": "Bot"},
        "text": "<at>Bot</at>",
    }
    return Activity(
        type="message",
        channel_id="msteams",
        text=text,
        recipient=ChannelAccount(id=BOT, name="Bot"),
        conversation=ConversationAccount(id="19:x", is_group=True, conversation_type="channel"),
        entities=[mention],
        **fields,
    )


def html_attachment(content: str) -> dict[str, str]:
    return {"contentType": "text/html", "content": content}


@pytest.mark.parametrize(
    "activity",
    [
        teams("<at>" * (BODY // 4)),
        teams("<at>Bot</at> " + "x" * BODY),
        teams("個人データ" * (BODY // 15)),
        teams("", attachments=[html_attachment("<p>" + "y" * BODY + "</p>")]),
        teams("", attachments=[html_attachment("<a " * (BODY // 3))]),
    ],
    ids=["at-tags", "long-text", "japanese", "long-html", "html-tags"],
)
def test_the_question_is_bounded_whatever_the_text(activity: Activity) -> None:
    assert len(message_text(activity)) <= MAX_QUESTION_CHARS


def test_a_buttons_text_is_bounded_too(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    ask = kb.ask

    def spy(question: str, locale: str) -> Any:
        asked.append(question)
        return ask(question, locale)

    monkeypatch.setattr(kb, "ask", spy)
    bot = NoticeBot(kb, Catalog.load(), Settings.from_env({}))
    clicked = Activity(
        type="message", channel_id="msteams", value={"text": "Is my IP address shared? " * 10_000}
    )
    bot.reply_to(channels.read(clicked), "en-US")
    [question] = asked
    assert 0 < len(question) <= MAX_QUESTION_CHARS


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("<at>Bot</at> is my IP shared?", "  is my IP shared?"),
        ("<AT>Bot</At> a <at id='1'>Other</at> b", "  a   b"),
        ("<at>" * 1000 + "</at> q", "  q"),
        ("<at>Bot" + "<at>" * 1000, "<at>Bot" + "<at>" * 1000),
        ("no tags", "no tags"),
        ("<atlas> is a word</at>", "<atlas> is a word</at>"),
    ],
)
def test_at_tags_are_stripped_like_the_non_greedy_regex(text: str, stripped: str) -> None:
    assert strip_at_tags(text) == stripped


def test_the_bots_mention_text_is_removed_once_per_entity() -> None:
    activity = teams("@x <at>Bot</at> Are IP addresses shared?")
    assert message_text(activity) == "@x   Are IP addresses shared?"


class _Reference(HTMLParser):
    """The html.parser version html_text replaced, kept to compare behaviour."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "hr", "img", "input", "meta", "link", "wbr"}:
            self.parts.append(" ")
        elif self.skip or tag == "at" or "Mention" in (dict(attrs).get("itemtype") or ""):
            self.skip += 1
        elif tag in ("p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closed <br/> opens nothing (the old parser closed a mention with it).
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def reference_text(html: str) -> str:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


words = st.sampled_from(["Is", "my IP", "shared", "?", "&amp;", "&nbsp;", "é", "a &lt; b", " "])
MENTION_SPAN = '<span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">'


def fragments(depth: int = 3) -> st.SearchStrategy[str]:
    leaf = words | st.sampled_from(["<br>", "<br/>", "<img src='x.png'>", "<!-- note -->"])
    if depth == 0:
        return leaf
    inner = st.lists(fragments(depth - 1), max_size=4).map("".join)
    wrap = st.sampled_from(["p", "div", "li", "b", "at", "span", "mention"])
    return leaf | st.builds(
        lambda tag, body: (
            f"{MENTION_SPAN}{body}</span>" if tag == "mention" else f"<{tag}>{body}</{tag}>"
        ),
        wrap,
        inner,
    )


# No deadline: a timing is no verdict on a shared machine.
@settings(derandomize=True, database=None, max_examples=300, deadline=None)
@given(st.lists(fragments(), max_size=6).map("".join))
def test_html_text_reads_chat_html_like_html_parser(html: str) -> None:
    assert html_text(html) == reference_text(html)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<!--" * 60_000, ""),
        ("ok <!-- never closed", "ok"),
        ("<a " * 80_000, ""),
        ("<p>unfinished <b", "unfinished"),
        ("a < b and c > d", "a < b and c > d"),
        ("<!DOCTYPE html><p>x</p>", "x"),
    ],
)
def test_hostile_or_broken_html(html: str, text: str) -> None:
    assert html_text(html) == text


def test_a_deeply_nested_button_string_is_no_button() -> None:
    assert button_data("[" * 100_000) is None


KINDS = {
    "at-tags": {"text": "<at>" * (BODY // 4)},
    "html-comment": {"text": "", "attachments": [html_attachment("<!--" * (BODY // 4))]},
    "japanese": {"text": "個人データ" * (BODY // 30), "locale": "ja-JP"},
    "value-text": {"text": "", "value": {"text": "Is my IP shared? " * (BODY // 17)}},
    "value-string": {"text": "", "value": "[" * (BODY // 2)},
}


@pytest.mark.parametrize("fields", KINDS.values(), ids=KINDS.keys())
async def test_hostile_bodies_are_answered_and_the_server_keeps_serving(
    bot_url: str, fields: dict[str, Any]
) -> None:
    body = {
        "type": "message",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/",
        "from": {"id": "29:u"},
        "recipient": {"id": BOT},
        "conversation": {"id": "a:1"},
        "entities": [{"type": "mention", "mentioned": {"id": BOT}, "text": "<at>Bot</at>"}],
        "deliveryMode": "expectReplies",
        **fields,
    }
    status, reply = await post_in_segments(bot_url, "/api/messages", json.dumps(body).encode(), 1)
    assert status == 200 and reply["activities"][0]["type"] == "message"


def test_the_stem_cache_stays_bounded_however_many_new_words(kb: KnowledgeBase) -> None:
    from knowledge.lexicon import MAX_CACHED_STEMS

    def word(n: int) -> str:
        letters = ""
        while True:
            n, digit = divmod(n, 26)
            letters += chr(ord("a") + digit)
            if not n:
                return f"walk{letters}ing"

    analyzer = kb.analyzers["en"]
    assert analyzer.stem(word(0)) == "walkaing"[: -len("ing")]
    for n in range(MAX_CACHED_STEMS + 1000):
        analyzer.stem(word(n))
    assert len(analyzer._stems) <= MAX_CACHED_STEMS
    # Past the bound a word is still stemmed, only not kept.
    assert analyzer.stem(word(MAX_CACHED_STEMS + 999)) == word(MAX_CACHED_STEMS + 999)[:-3]
