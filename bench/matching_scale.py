"""Matching at scale: p50/p99 per query of the project's search against a naive
``rapidfuzz.process.extractOne`` over the same passages, at 10^2..10^5 passages in
one locale, with the time to build the index and the peak RSS of the process.

    python bench/matching_scale.py [--sizes 100,1000,10000,100000] [--queries 200]

Synthetic passages are recombinations of the real French notice's words, added
to the real passages (and their alternative questions). Each size runs in a
process of its own, so that its peak RSS is its own. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def one_size(size: int, queries: int) -> dict[str, float]:
    from rapidfuzz import fuzz, process, utils

    from knowledge import KnowledgeBase
    from knowledge.evaluation import load_questions
    from knowledge.index import LocaleIndex
    from knowledge.model import Passage, PassageKind

    kb = KnowledgeBase.load()
    real = [p for p in kb.passages.values() if p.locale == "fr-FR"]
    vocabulary = " ".join(p.text for p in real).split()
    rng = random.Random(size)
    passages = list(real)
    for n in range(size - len(real)):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(12, 40)))
        passages.append(
            Passage(
                id=f"fr-FR/synthetic#{n}", key=f"s{n}", locale="fr-FR", notice="synthetic",
                section="synthetic", kind=PassageKind.PARAGRAPH, text=text, order=len(passages),
            )
        )  # fmt: skip
    started = time.perf_counter()
    index = LocaleIndex("fr-FR", kb.analyzers["fr"], passages, kb.alternatives)
    build = time.perf_counter() - started
    texts = [p.text for p in passages]
    asked = [
        q.text
        for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml")
        if q.client_locale == "fr-FR"
    ]
    ours, naive = [], []
    for n in range(queries):
        question = asked[n % len(asked)]
        t0 = time.perf_counter()
        index.search(question)
        t1 = time.perf_counter()
        if n < max(20, queries // 10) or size <= 10_000:  # extractOne is slow at 10^5: sample it
            process.extractOne(question, texts, scorer=fuzz.WRatio, processor=utils.default_process)
            naive.append((time.perf_counter() - t1) * 1000)
        ours.append((t1 - t0) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size, "build_s": build, "rss_mb": rss_mb,
        "p50": statistics.median(ours), "p99": percentile(ours, 0.99),
        "naive_p50": statistics.median(naive), "naive_p99": percentile(naive, 0.99),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.queries)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print(f"fr-FR, {args.queries} questions from tests/eval/questions.yaml per size\n")
    print(
        "| passages | index build s | peak RSS MB | project p50 ms | project p99 ms "
        "| extractOne p50 ms | extractOne p99 ms |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['build_s']:.2f} | {r['rss_mb']:.0f} | {r['p50']:.3f} "
            f"| {r['p99']:.3f} | {r['naive_p50']:.3f} | {r['naive_p99']:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
