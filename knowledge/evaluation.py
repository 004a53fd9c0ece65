"""Answer quality on a question set, per client locale and per kind of question.

A question set is YAML: client locale -> list of ``[question, expected]`` or
``[question, expected, kind]``. The client locale ``none`` means the client
sent no locale. ``expected`` is a passage key (``l2.3``), ``<locale>:<key>``
when the answer must come in another language than the client's
(``it-IT:l2.3``), or ``null`` when the notice does not cover the question.
``kind`` is a free label (verbose, paraphrase, typo, oos-near...) that gets
its own line in the per-kind table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.base import KnowledgeBase, Verdict
from knowledge.yamlfile import load_yaml

DEFAULT_LOCALE = "en-US"
# The top-level key of questions sent without a client locale.
NO_LOCALE = "none"
UNTAGGED = "-"


@dataclass(frozen=True, slots=True)
class Question:
    client_locale: str | None  # None: the client sent no locale
    text: str
    answer_locale: str | None  # None: not covered
    key: str | None
    kind: str = UNTAGGED

    @property
    def group(self) -> str:
        return self.client_locale or NO_LOCALE


@dataclass(slots=True)
class Row:
    answerable: int = 0
    correct: int = 0
    suggested: int = 0
    wrong: int = 0
    out_of_scope: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Row) -> None:
        self.answerable += other.answerable
        self.correct += other.correct
        self.suggested += other.suggested
        self.wrong += other.wrong
        self.out_of_scope += other.out_of_scope
        self.refused += other.refused


@dataclass(slots=True)
class Report:
    by_locale: dict[str, Row] = field(default_factory=dict)
    by_kind: dict[str, Row] = field(default_factory=dict)


def load_questions(path: Path) -> list[Question]:
    data = load_yaml(path)
    if not isinstance(data, dict):
        raise ValueError("expected a mapping of locale -> [question, expected(, kind)] lists")
    questions: list[Question] = []
    for group, entries in data.items():
        locale = None if str(group).lower() == NO_LOCALE else str(group)
        if not isinstance(entries, list):
            raise ValueError(f"{group}: expected a list of [question, expected(, kind)]")
        for entry in entries:
            if not (
                isinstance(entry, list)
                and len(entry) in (2, 3)
                and isinstance(entry[0], str)
                and (len(entry) == 2 or isinstance(entry[2], str))
            ):
                raise ValueError(f"{group}: expected [question, expected(, kind)], got {entry!r}")
            text, expected = entry[0], entry[1]
            kind = entry[2] if len(entry) == 3 else UNTAGGED
            if expected is None:
                questions.append(Question(locale, text, None, None, kind))
                continue
            answer_locale, _, key = str(expected).rpartition(":")
            if not answer_locale and locale is None:
                raise ValueError(f"{group}: {text!r}: say the answer's locale (<locale>:<key>)")
            questions.append(Question(locale, text, answer_locale or locale, key, kind))
    return questions


def evaluate(kb: KnowledgeBase, questions: list[Question]) -> Report:
    report = Report()
    for q in questions:
        by_locale = report.by_locale.setdefault(q.group, Row())
        by_kind = report.by_kind.setdefault(q.kind, Row())
        one = _judge(kb, q)
        by_locale.add(one)
        by_kind.add(one)
        by_locale.failures.extend(one.failures)
    return report


def _judge(kb: KnowledgeBase, q: Question) -> Row:
    row = Row()
    locale = kb.choose_locale(q.text, q.client_locale, DEFAULT_LOCALE)
    outcome = kb.ask(q.text, locale)
    answered = [f"{p.locale}:{p.key}" for p in outcome.answers]
    got = ", ".join(answered) or (f"{locale}:{outcome.best.key}" if outcome.best else "-")
    where = f"[{q.group}{'' if q.kind == UNTAGGED else ' ' + q.kind}]"
    if q.key is None:
        row.out_of_scope += 1
        if outcome.verdict != Verdict.ANSWER:
            row.refused += 1
        else:
            row.failures.append(f"{where} {q.text!r}: answered {got}, expected a refusal")
        return row
    row.answerable += 1
    # A regional client locale (fr-BE) expects its language's notice (fr-FR).
    expected = f"{kb.resolve_locale(q.answer_locale, DEFAULT_LOCALE)}:{q.key}"
    if outcome.verdict == Verdict.ANSWER and expected in answered:
        row.correct += 1
        return row
    if outcome.verdict == Verdict.SUGGEST:
        row.suggested += 1
    elif outcome.verdict == Verdict.ANSWER:
        row.wrong += 1
    row.failures.append(f"{where} {q.text!r}: {outcome.verdict} {got}, expected {expected}")
    return row


def format_report(report: Report, *, show_failures: bool = False) -> str:
    lines = _table("locale", report.by_locale)
    if set(report.by_kind) != {UNTAGGED}:
        lines += ["", *_table("kind", report.by_kind)]
    if show_failures:
        lines.append("")
        lines.extend(f for row in report.by_locale.values() for f in row.failures)
    return "\n".join(lines)


def _table(title: str, rows: dict[str, Row]) -> list[str]:
    header = (
        f"| {title} | answerable | top-1 accuracy | did you mean | wrong answer "
        "| out of scope | correct refusals | overall |"
    )
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total = Row()
    for name, row in sorted(rows.items()):
        lines.append(_line(name, row))
        total.add(row)
    lines.append(_line("**all**", total))
    return lines


def _line(name: str, row: Row) -> str:
    def share(part: int, whole: int) -> str:
        return f"{part / whole:.2f}" if whole else "-"

    return (
        f"| {name} | {row.answerable} | {share(row.correct, row.answerable)} "
        f"| {share(row.suggested, row.answerable)} | {share(row.wrong, row.answerable)} "
        f"| {row.out_of_scope} | {share(row.refused, row.out_of_scope)} "
        f"| {share(row.correct + row.refused, row.answerable + row.out_of_scope)} |"
    )
