"""What the bot says, built from knowledge-base outcomes, whatever the channel.

``compose_*`` build a channel-neutral Reply; ``bot.render`` turns it into an
Activity. Button data carries everything a click needs (the passage id), so the
bot keeps no conversation state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.strings import Strings
from knowledge import KnowledgeBase, Link, Passage, PassageKind

# What a button's data asks for.
SHOW = "show"  # one passage, by id
NONE = "none"  # "none of these": the not-covered reply
NOTICE = "notice"  # the whole notice
ASK = "ask"  # an example question, asked as if typed
FEEDBACK = "feedback"  # thumbs up or down on an answer
LABEL_MAX = 80


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    data: dict[str, str]


@dataclass(frozen=True, slots=True)
class Reply:
    kind: str
    locale: str
    intro: str = ""
    body: str = ""
    source: str = ""
    link: Link | None = None
    link_label: str = ""
    choices_title: str = ""
    choices: tuple[Choice, ...] = ()
    passage_id: str = ""


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
    kb: KnowledgeBase, strings: Strings, passage: Passage, more: Sequence[Passage] = ()
) -> Reply:
    """The passage as the answer; ``more`` are the answers to further questions of the message."""
    notice = kb.notice_of(passage)
    related = [show(kb, p) for p in kb.related(passage)]
    whole = Choice(
        strings.whole_notice, {"action": NOTICE, "locale": notice.locale, "notice": notice.slug}
    )
    return Reply(
        kind="answer",
        locale=passage.locale,
        body="\n\n".join(display_text(p) for p in (passage, *more)),
        source=notice.title,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        choices_title=strings.related,
        choices=(*related, whole),
        passage_id=passage.id,
    )


def compose_notice(kb: KnowledgeBase, strings: Strings, locale: str, slug: str) -> Reply | None:
    notice = kb.notices.get((locale, slug))
    if notice is None:
        return None
    return Reply(
        kind="notice",
        locale=locale,
        body=notice.body.split("\n", 1)[1].strip() if notice.body.startswith("#") else notice.body,
        source=notice.title,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
    )


def compose_suggestions(
    kb: KnowledgeBase, strings: Strings, locale: str, passages: list[Passage]
) -> Reply:
    return Reply(
        kind="suggest",
        locale=locale,
        intro=strings.did_you_mean,
        choices=(*(show(kb, p) for p in passages), Choice(strings.none_of_these, {"action": NONE})),
    )


def _examples(strings: Strings) -> tuple[Choice, ...]:
    # Example questions are typed text: clicking one asks it like a user would.
    return tuple(Choice(q, {"action": ASK, "text": q}) for q in strings.examples)


def compose_not_covered(kb: KnowledgeBase, strings: Strings, locale: str) -> Reply:
    notice = kb.first_notice(locale)
    return Reply(
        kind="not_covered",
        locale=locale,
        intro=strings.not_covered,
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
        kind="welcome" if welcome else "help",
        locale=locale,
        intro=intro,
        link=notice.privacy_link,
        link_label=strings.privacy_link,
        choices=_examples(strings),
    )


def compose_small_talk(strings: Strings, locale: str, kind: str) -> Reply:
    return Reply(kind="small_talk", locale=locale, intro=strings.small_talk(kind))


def compose_feedback_thanks(strings: Strings, locale: str) -> Reply:
    return Reply(kind="feedback", locale=locale, intro=strings.feedback_thanks)
