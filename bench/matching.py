"""Matching benchmark: per-query latency of the project's search against a naive
rapidfuzz ``process.extractOne`` over the same passages, plus start-up time.

    python bench/matching.py [--repeat 20] [--dev ../shared/eval/dev-v2.json]

Prints a table; it asserts nothing. The questions are those of
tests/eval/questions.yaml, each asked in its client locale, plus with --dev
those of a shared question set (long messages, two questions...). Besides p50
and p99 over every run, "p99 of best" takes each question's fastest run first:
on a shared, loaded machine it shows the matching's own cost without the
scheduler's pauses.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge import KnowledgeBase  # noqa: E402
from knowledge.evaluation import load_questions  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def naive_key(kb: KnowledgeBase, texts: dict[str, list[str]], locale: str, question: str) -> str:
    """The key of the passage a plain extractOne picks."""
    best = process.extractOne(
        question, texts[locale], scorer=fuzz.WRatio, processor=utils.default_process
    )
    return next(p.key for p in kb.passages.values() if p.locale == locale and p.text == best[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--dev", type=Path, help="also ask a ../shared/eval question set")
    args = parser.parse_args()

    started = time.perf_counter()
    kb = KnowledgeBase.load()
    load_ms = (time.perf_counter() - started) * 1000
    # The baseline in the same run: the words alone, without the meaning reader.
    started = time.perf_counter()
    words = KnowledgeBase.load(meaning=False)
    words_load_ms = (time.perf_counter() - started) * 1000
    assert kb.meaning is not None
    opinion = kb.meaning.opinion
    consulted: set[int] = set()
    questions = load_questions(ROOT / "tests" / "eval" / "questions.yaml")
    texts = {loc: [p.text for p in kb.passages.values() if p.locale == loc] for loc in kb.locales}

    asked = [(q.text, q.client_locale) for q in questions]
    if args.dev:
        shared = json.loads(args.dev.read_text(encoding="utf-8"))["questions"]
        asked += [(q["question"], q["locale"]) for q in shared]
    ours: list[float] = []
    alone: list[float] = []
    naive: list[float] = []
    best_ours = [float("inf")] * len(asked)
    best_alone = [float("inf")] * len(asked)
    best_naive = [float("inf")] * len(asked)
    for _ in range(args.repeat):
        for i, (text, client) in enumerate(asked):
            kb.meaning.opinion = lambda message, i=i: (consulted.add(i), opinion(message))[1]  # type: ignore[method-assign]
            t0 = time.perf_counter()
            locale = kb.choose_locale(text, client, "en-US")
            kb.ask(text, locale)
            t1 = time.perf_counter()
            ours.append((t1 - t0) * 1000)
            best_ours[i] = min(best_ours[i], ours[-1])
            words.ask(text, words.choose_locale(text, client, "en-US"))
            alone.append((time.perf_counter() - t1) * 1000)
            best_alone[i] = min(best_alone[i], alone[-1])
            t1 = time.perf_counter()
            resolved = kb.resolve_locale(client, "en-US")
            process.extractOne(
                text, texts[resolved], scorer=fuzz.WRatio, processor=utils.default_process
            )
            naive.append((time.perf_counter() - t1) * 1000)
            best_naive[i] = min(best_naive[i], naive[-1])
    same_locale = [q for q in questions if q.key and q.answer_locale == q.client_locale]
    naive_right = sum(naive_key(kb, texts, q.client_locale, q.text) == q.key for q in same_locale)
    passages = len(kb.passages)
    print(
        f"knowledge base: {passages} passages, {len(kb.locales)} locales, "
        f"{len(kb.meaning.examples)} meaning examples; load {load_ms:.0f} ms "
        f"({words_load_ms:.0f} ms words only)"
    )
    print(
        f"{len(asked)} questions x {args.repeat} runs; the meaning reader read {len(consulted)}\n"
    )
    print("| matcher | p50 ms | p99 ms | p99 of best ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, values, best in (
        ("project (locale choice + ask)", ours, best_ours),
        ("project, words only (no meaning reader)", alone, best_alone),
        ("naive extractOne (WRatio)", naive, best_naive),
    ):
        print(
            f"| {name} | {statistics.median(values):.3f} | {percentile(values, 0.99):.3f} "
            f"| {percentile(best, 0.99):.3f} |"
        )
    print(f"\nnaive extractOne top-1, same-locale answerable: {naive_right}/{len(same_locale)}")
    print("(it always answers, so it refuses none of the out-of-scope questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
