"""What the bot says, built from knowledge-base outcomes, whatever the channel.

``compose_*`` build a channel-neutral Reply; ``bot.render`` turns it into an
Activity. Button data carries everything a click needs (the passage id), so the
bot keeps no conversation state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.strings import Strings
from knowledge import KnowledgeBase, Link, Outcome, Passage, PassageKind, Verdict

# What a button's data asks for.
SHOW = "show"  # one passage, by id
NONE = "none"  # "none of these": the not-covered reply
NOTICE = "notice"  # the whole notice
ASK = "ask"  # an example question, asked as if typed
FEEDBACK = "feedback"  # thumbs up or down on an answer
# What a feedback button may say, in the order the card shows them.
VOTES = ("up", "down")
LABEL_MAX = 80
# A notification or chat-list preview shows about one line: longer summaries are cut.
SUMMARY_MAX = 100
# A question of the user's quoted back ("the notice says nothing about …") is cut here.
QUOTE_MAX = 120
# Bytes of randomness naming one answer card, so that its votes count once.
CARD_ID_BYTES = 9


class ReplyKind(StrEnum):
    """What a reply is; render() decides from it how each channel shows it.

    A new kind is a member here with its ``compose_*`` function (and its verdict
    in ``for_outcome`` if the knowledge base decides it), and, in render.py, its
    place among the text-only or listed kinds if it is one.
    """

    ANSWER = "answer"  # one passage, its follow-ups and the vote buttons
    NOTICE = "notice"  # the whole notice
    SUGGEST = "suggest"  # "did you mean" and a list of passages
    NOT_COVERED = "not_covered"
    HELP = "help"
    WELCOME = "welcome"
    SMALL_TALK = "small_talk"  # a sentence, never a card
    VOTED = "voted"  # the answer card after a vote: the thanks instead of the vote buttons
    THANKS = "thanks"  # the thanks for a vote as a message of its own, never a card
    SHARED = "shared"  # a passage inserted by the message extension: no buttons but the link


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    data: dict[str, str]


@dataclass(frozen=True, slots=True)
class Reply:
    kind: ReplyKind
    locale: str
    intro: str = ""
    body: str = ""
    source: str = ""
    link: Link | None = None
    link_label: str = ""
    choices_title: str = ""
    choices: tuple[Choice, ...] = ()
    passage_id: str = ""
    # The answers to further questions of the same message, shown after the first.
    more_ids: tuple[str, ...] = ()
    # One line for Teams' notification and chat-list preview of a card.
    summary: str = ""
    # Names this answer card in its vote buttons' data (see bot.votes).
    card_id: str = ""


# What new_card_id gives: CARD_ID_BYTES random bytes in URL-safe base64, unpadded.
CARD_ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{(CARD_ID_BYTES * 4 + 2) // 3}}}")
# Bytes of HMAC-SHA256 a signed card id carries after a dot (VOTE_SIGNING_KEY).
SIGNATURE_BYTES = 12


def new_card_id() -> str:
    return secrets.token_urlsafe(CARD_ID_BYTES)


def sign_card_id(key: str, card: str, passage_id: str) -> str:
    """The card id with a signature binding it to its passage: ``<card>.<signature>``."""
    mac = hmac.new(key.encode(), f"{card}\0{passage_id}".encode(), hashlib.sha256)
    signature = base64.urlsafe_b64encode(mac.digest()[:SIGNATURE_BYTES]).decode().rstrip("=")
    return f"{card}.{signature}"


def is_card_id(value: object, passage_id: str = "", key: str = "") -> bool:
    """Whether a vote's card id is one the bot could have issued for this passage.

    Without a key, only its shape is checked (any id of that shape passes);
    with one, its signature (``sign_card_id``), so only the bot's own cards pass.
    """
    if not isinstance(value, str):
        return False
    if not key:
        return CARD_ID_PATTERN.fullmatch(value) is not None
    card, _, _ = value.partition(".")
    if CARD_ID_PATTERN.fullmatch(card) is None:
        return False
    return hmac.compare_digest(sign_card_id(key, card, passage_id), value)


def shorten(text: str, limit: int = SUMMARY_MAX) -> str:
    """The text on one line, capitalised, cut on a word boundary with an ellipsis if too long.

    A list item starts in lower case in the notice; alone on a line it reads as a sentence.
    """
    line = " ".join(text.replace("- ", " ").split())
    line = line[:1].upper() + line[1:]
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(",;:") + "…"


# What could make a quoted question markup in a card or markdown text: a link, emphasis, a
# heading. The bot may answer in a group chat, so the user's words go back as plain text.
_MARKUP = re.compile(r"[\[\]()*_`~#<>|\\]")


def quote(question: str) -> str:
    """A question of the user's as the bot quotes it back: plain text (markup characters
    blanked), one line, capitalised, cut, without its opening "¿" and closing "?"."""
    return shorten(_MARKUP.sub(" ", question).lstrip(" ¿¡"), QUOTE_MAX).rstrip(" ?？")


def passage_label(kb: KnowledgeBase, passage: Passage) -> str:
    """A short question naming the passage: its first alternative question.

    Notice text is never cut into a label; a passage without alternative
    questions is labelled by its first words.
    """
    questions = kb.alternatives.get(passage.id)
    if questions:
        return questions[0]
    first = passage.text.split("\n", 1)[0]
    return first if len(first) <= LABEL_MAX else first[: LABEL_MAX - 1].rstrip() + "…"


def show(kb: KnowledgeBase, passage: Passage) -> Choice:
    return Choice(passage_label(kb, passage), {"action": SHOW, "id": passage.id})


def display_text(passage: Passage) -> str:
    """The passage as the notice shows it: an item comes under its list's lead-in."""
    if passage.kind == PassageKind.ITEM and passage.context:
        return f"{passage.context}\n\n- {passage.text}"
    return passage.text


def compose_answer(
    kb: KnowledgeBase,
    strings: Strings,
    passage: Passage,
    more: Sequence[Passage] = (),
    *,
    card_id: str | None = None,
    uncovered_questions: Sequence[str] = (),
) -> Reply:
    """The passage as the answer; ``more`` are the answers to further questions of the
    message, ``uncovered_questions`` its questions the notice does not cover (said first)."""
    notice = kb.notice_of(passage)
    related = [show(kb, p) for p in kb.related(passage)]
    whole = Choice(
        strings.whole_notice, {"action": NOTICE, "locale": notice.locale, "notice": notice.slug}
    )
    return Reply(
        kind=ReplyKind.ANSWER,
        locale=passage.locale,
        # Several uncovered questions are quoted in one sentence, not one each.
        intro=strings.partly_covered.format(question=" / ".join(map(quote, uncovered_questions)))
        if uncovered_questions
        else "",
        body="\n\n".join(display_text(p) for p in (passage, *more)),
        source=notice.title,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        choices_title=strings.related,
        choices=(*related, whole),
        passage_id=passage.id,
        more_ids=tuple(p.id for p in more),
        summary=shorten(passage.text),
        card_id=card_id or new_card_id(),
    )


def compose_voted(
    kb: KnowledgeBase, strings: Strings, passage: Passage, more: Sequence[Passage] = ()
) -> Reply:
    """The answer card once voted on: the thanks where the vote buttons were, the passage kept.

    The passage stays so that the chat keeps the answer it was about; only the
    votes go, so that the card cannot be voted on again.
    """
    answer = compose_answer(kb, strings, passage, more)
    return Reply(
        kind=ReplyKind.VOTED,
        locale=answer.locale,
        intro=strings.feedback_thanks,
        body=answer.body,
        source=answer.source,
        link=answer.link,
        link_label=answer.link_label,
        choices_title=answer.choices_title,
        choices=answer.choices,
        summary=answer.summary,
    )


def compose_shared(kb: KnowledgeBase, strings: Strings, passage: Passage) -> Reply:
    """A passage as the message extension inserts it into someone's message.

    The card is posted by a person into a chat the bot may not be part of, so
    it carries no button that would need the bot: the title, the passage and
    the privacy link only.
    """
    notice = kb.notice_of(passage)
    return Reply(
        kind=ReplyKind.SHARED,
        locale=passage.locale,
        body=display_text(passage),
        source=notice.title,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        summary=shorten(passage.text),
    )


def compose_notice(kb: KnowledgeBase, strings: Strings, locale: str, slug: str) -> Reply | None:
    notice = kb.notices.get((locale, slug))
    if notice is None:
        return None
    return Reply(
        kind=ReplyKind.NOTICE,
        locale=locale,
        body=notice.body.split("\n", 1)[1].strip() if notice.body.startswith("#") else notice.body,
        source=notice.title,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        summary=shorten(notice.title),
    )


def compose_suggestions(
    kb: KnowledgeBase, strings: Strings, locale: str, passages: list[Passage]
) -> Reply:
    shown = tuple(show(kb, p) for p in passages)
    return Reply(
        kind=ReplyKind.SUGGEST,
        locale=locale,
        intro=strings.did_you_mean,
        choices=(*shown, Choice(strings.none_of_these, {"action": NONE})),
        summary=shorten(f"{strings.did_you_mean} {' · '.join(c.label for c in shown)}"),
    )


def _examples(strings: Strings) -> tuple[Choice, ...]:
    # Example questions are typed text: clicking one asks it like a user would.
    return tuple(Choice(q, {"action": ASK, "text": q}) for q in strings.examples)


def compose_not_covered(kb: KnowledgeBase, strings: Strings, locale: str) -> Reply:
    notice = kb.first_notice(locale)
    return Reply(
        kind=ReplyKind.NOT_COVERED,
        locale=locale,
        intro=strings.not_covered,
        summary=shorten(strings.not_covered),
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        choices=_examples(strings),
    )


def compose_help(
    kb: KnowledgeBase, strings: Strings, locale: str, *, welcome: bool = False
) -> Reply:
    notice = kb.first_notice(locale)
    intro = strings.welcome if welcome else strings.help.format(title=notice.title)
    return Reply(
        kind=ReplyKind.WELCOME if welcome else ReplyKind.HELP,
        locale=locale,
        intro=intro,
        summary=shorten(intro),
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        choices=_examples(strings),
    )


def compose_small_talk(strings: Strings, locale: str, kind: str) -> Reply:
    return Reply(kind=ReplyKind.SMALL_TALK, locale=locale, intro=strings.small_talk(kind))


def compose_feedback_thanks(strings: Strings, locale: str) -> Reply:
    return Reply(kind=ReplyKind.THANKS, locale=locale, intro=strings.feedback_thanks)


def for_outcome(kb: KnowledgeBase, strings: Strings, outcome: Outcome) -> Reply:
    """The reply to a question, by the knowledge base's verdict: the one place that maps them."""
    locale = outcome.locale
    match outcome.verdict:
        case Verdict.ANSWER if outcome.best is not None:
            # A message with two questions gets both answers in one card.
            return compose_answer(
                kb,
                strings,
                outcome.best,
                outcome.answers[1:],
                uncovered_questions=outcome.uncovered_questions,
            )
        case Verdict.SUGGEST if outcome.matches:
            return compose_suggestions(kb, strings, locale, [m.passage for m in outcome.matches])
        case Verdict.SMALL_TALK if outcome.small_talk:
            return compose_small_talk(strings, locale, outcome.small_talk)
        case Verdict.EMPTY:
            return compose_help(kb, strings, locale)
        case _:
            return compose_not_covered(kb, strings, locale)
