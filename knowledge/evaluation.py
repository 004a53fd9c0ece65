"""Answer quality on a question set, per client locale.

A question set is YAML: client locale -> list of ``[question, expected]`` where
expected is a passage key (``l2.3``), ``<locale>:<key>`` when the answer must
come in another language than the client's (``it-IT:l2.3``), or ``null`` when
the notice does not cover the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.base import KnowledgeBase, Verdict
from knowledge.yamlfile import load_yaml

DEFAULT_LOCALE = "en-US"


@dataclass(frozen=True, slots=True)
class Question:
    client_locale: str
    text: str
    answer_locale: str | None  # None: not covered
    key: str | None


@dataclass(slots=True)
class Row:
    answerable: int = 0
    correct: int = 0
    suggested: int = 0
    wrong: int = 0
    out_of_scope: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)


def load_questions(path: Path) -> list[Question]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ValueError("expected a mapping of locale -> [question, expected] pairs")
    questions: list[Question] = []
    for locale, entries in data.items():
        for entry in entries:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
                raise ValueError(f"{locale}: expected [question, expected], got {entry!r}")
            text, expected = entry
            if expected is None:
                questions.append(Question(locale, text, None, None))
                continue
            answer_locale, _, key = str(expected).rpartition(":")
            questions.append(Question(locale, text, answer_locale or locale, key))
    return questions


def evaluate(kb: KnowledgeBase, questions: list[Question]) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for q in questions:
        row = rows.setdefault(q.client_locale, Row())
        locale = kb.choose_locale(q.text, q.client_locale, DEFAULT_LOCALE)
        outcome = kb.ask(q.text, locale)
        got = f"{locale}:{outcome.best.key}" if outcome.best else "-"
        if q.key is None:
            row.out_of_scope += 1
            if outcome.verdict != Verdict.ANSWER:
                row.refused += 1
            else:
                row.failures.append(
                    f"[{q.client_locale}] {q.text!r}: answered {got}, expected a refusal"
                )
            continue
        row.answerable += 1
        expected = f"{q.answer_locale}:{q.key}"
        if outcome.verdict == Verdict.ANSWER and got == expected:
            row.correct += 1
            continue
        if outcome.verdict == Verdict.SUGGEST:
            row.suggested += 1
        elif outcome.verdict == Verdict.ANSWER:
            row.wrong += 1
        row.failures.append(
            f"[{q.client_locale}] {q.text!r}: {outcome.verdict} {got}, expected {expected}"
        )
    return rows


def format_report(rows: dict[str, Row], *, show_failures: bool = False) -> str:
    header = (
        "| locale | answerable | top-1 accuracy | did you mean | wrong answer "
        "| out of scope | correct refusals |"
    )
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total = Row()
    for locale, row in sorted(rows.items()):
        lines.append(_line(locale, row))
        total.answerable += row.answerable
        total.correct += row.correct
        total.suggested += row.suggested
        total.wrong += row.wrong
        total.out_of_scope += row.out_of_scope
        total.refused += row.refused
    lines.append(_line("**all**", total))
    if show_failures:
        lines.append("")
        lines.extend(f for row in rows.values() for f in row.failures)
    return "\n".join(lines)


def _line(locale: str, row: Row) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.2f}" if whole else "-"

    return (
        f"| {locale} | {row.answerable} | {share(row.correct, row.answerable)} "
        f"| {share(row.suggested, row.answerable)} | {share(row.wrong, row.answerable)} "
        f"| {row.out_of_scope} | {share(row.refused, row.out_of_scope)} |"
    )
