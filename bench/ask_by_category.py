"""Answer quality over HTTP per question category, with the shared checker's own judge.

    python bench/ask_by_category.py ../shared/eval/dev-v2.json \
        [--url http://127.0.0.1:3978/api/messages] [--show-failures]

Asks every question of a set in ``../shared/eval`` format (each with a
``category``) to a running bot, judges each reply with ``ask_eval.judge`` (the
same rule as ``ask_eval.py``), and prints a per-category table. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent.parent / ".." / "shared" / "eval"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("questions", type=Path)
    parser.add_argument("--url", default="http://127.0.0.1:3978/api/messages")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(args.questions.resolve().parent))
    sys.path.insert(0, str(EVAL_DIR.resolve()))
    import ask_eval  # the shared checker, beside the question set

    questions = json.loads(args.questions.read_text(encoding="utf-8"))["questions"]
    rows: dict[str, list[int]] = {}
    for q in questions:
        replies, _ = ask_eval.ask(args.url, q["question"], q["locale"], 10.0)
        reason = ask_eval.judge(q, replies)
        row = rows.setdefault(q.get("category", "-"), [0, 0])
        row[0] += reason is None
        row[1] += 1
        if reason and args.show_failures:
            print(f"FAIL {q.get('category')} [{q['locale']}] {q['question']!r}: {reason}")
    print("| category | right | total | share |\n| --- | ---: | ---: | ---: |")
    for category, (right, total) in sorted(rows.items()):
        print(f"| {category} | {right} | {total} | {right / total:.2f} |")
    right = sum(r for r, _ in rows.values())
    total = sum(t for _, t in rows.values())
    print(f"| **all** | {right} | {total} | {right / total:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
