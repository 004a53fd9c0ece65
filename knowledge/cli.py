"""Command line for knowledge-base maintainers: ``python -m knowledge COMMAND``.

check                        validate every notice and data file
passages [--locale L]        list the passages with their keys
ask "question" [--locale L]  top matches with scores and why they matched
eval FILE                    per-locale and per-kind quality tables on a question set
frequencies                  regenerate lexicon/frequency/*.tsv from wordfreq
vectors                      store the meaning reader's example vectors (meaning-vectors.npz)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.base import DEFAULT_LEXICON, DEFAULT_NOTICES, KnowledgeBase, load_alternatives
from knowledge.chunking import chunk
from knowledge.errors import KnowledgeError
from knowledge.evaluation import evaluate, format_report, load_questions
from knowledge.frequency import write_list
from knowledge.lexicon import Analyzer, load_analyzers
from knowledge.loader import load_notice, notice_paths
from knowledge.meaning import VECTORS_FILE, VectorStore, build_examples, digest, encoder_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--notices", type=Path, default=DEFAULT_NOTICES, help="notices folder")
    parser.add_argument(
        "--words-only",
        action="store_true",
        help="without the meaning reader's second opinion (to see what it changes)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate every notice and data file")
    passages = sub.add_parser("passages", help="list passages and their keys")
    passages.add_argument("--locale")
    ask = sub.add_parser("ask", help="show the top matches for a question")
    ask.add_argument("question")
    ask.add_argument("--locale", default=None, help="client locale (default: detect, then en-US)")
    ask.add_argument("--top", type=int, default=5)
    ev = sub.add_parser("eval", help="answer quality on a question set")
    ev.add_argument("file", type=Path)
    ev.add_argument("--show-failures", action="store_true")
    sub.add_parser("frequencies", help="regenerate the word frequency lists (needs wordfreq)")
    sub.add_parser("vectors", help="store the vectors of the meaning reader's examples")
    args = parser.parse_args(argv)

    if args.command == "frequencies":
        return write_frequencies()

    if args.command == "check":
        return check(args.notices)
    try:
        kb = KnowledgeBase.load(
            args.notices,
            meaning=not args.words_only,
            # Refreshing the vectors must not need the file it replaces.
            stored_vectors=args.command != "vectors",
        )
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.command == "passages":
        for passage in kb.passages.values():
            if args.locale in (None, passage.locale):
                first = passage.text.splitlines()[0]
                print(f"{passage.id:42s} {passage.kind:9s} {first[:70]}")
        return 0
    if args.command == "ask":
        return show_matches(kb, args.question, args.locale, args.top)
    if args.command == "vectors":
        return write_vectors(kb, args.notices / VECTORS_FILE)
    try:
        questions = load_questions(args.file)
    except KnowledgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    report = evaluate(kb, questions)
    print(format_report(report, show_failures=args.show_failures))
    return 0


def write_vectors(kb: KnowledgeBase, path: Path) -> int:
    """Exactly the current examples' vectors: none of removed examples stays behind."""
    if kb.meaning is None:
        print("error: the meaning reader is off", file=sys.stderr)
        return 1
    name = kb.meaning.encoder.name
    store = VectorStore(
        {
            digest(name, example.text): vector
            for example, vector in zip(kb.meaning.examples, kb.meaning.vectors, strict=True)
        }
    )
    store.write(path)
    print(f"{path}: {len(store.vectors)} vectors ({name})")
    return 0


def write_frequencies() -> int:
    try:
        for language in sorted(load_analyzers(DEFAULT_LEXICON)):
            print(f"wrote {write_list(language)}")
    except ImportError:
        print("error: wordfreq is not installed (pip install wordfreq)", file=sys.stderr)
        return 1
    return 0


def check(notices: Path) -> int:
    """Every file on its own, so that one broken file does not hide the others."""
    problems: list[str] = []
    analyzers: dict[str, Analyzer] = {}
    try:
        analyzers = load_analyzers(DEFAULT_LEXICON)
    except KnowledgeError as exc:
        problems.append(str(exc))
    paths = notice_paths(notices)
    if not paths:
        problems.append(f"{notices}: no notices found (expected <locale>/<slug>.md files)")
    count = 0
    examples: list[str] = []
    for path in paths:
        try:
            notice = load_notice(path)
            passages = chunk(notice)
            count += len(passages)
            alternatives = load_alternatives(notice)
            examples += [
                e.text
                for e in build_examples(
                    [notice], {(notice.locale, notice.slug): passages}, alternatives
                )
            ]
            if analyzers and notice.locale.split("-")[0] not in analyzers:
                print(f"warning: {path}: no lexicon for {notice.locale}; matching on plain words")
        except KnowledgeError as exc:
            problems.append(str(exc))
    try:
        stored = VectorStore.read(notices / VECTORS_FILE).vectors
        name = encoder_name()
        missing = {text for text in examples if digest(name, text) not in stored}
        if missing:
            print(
                f"warning: {notices / VECTORS_FILE}: no vector for {len(missing)} examples, "
                "which start-up will encode; run `python -m knowledge vectors`"
            )
    except KnowledgeError as exc:
        problems.append(str(exc))
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"ok: {len(paths)} notices, {count} passages, {len(analyzers)} lexicons")
    return 0


def show_matches(kb: KnowledgeBase, question: str, client_locale: str | None, top: int) -> int:
    locale = kb.choose_locale(question, client_locale, "en-US")
    outcome = kb.ask(question, locale)
    index = kb.indexes[locale]
    answers = ", ".join(p.key for p in outcome.answers)
    print(f"locale {locale}; verdict {outcome.verdict}" + (f" ({answers})" if answers else ""))
    for term in index.read(question):
        slot = term.slot
        mended = f" (typo, {term.similarity:.2f})" if term.similarity < 1 else ""
        context = "" if term.asked else f", emphasis {term.emphasis:.2f}"
        keys = " ".join(sorted(slot.keys))
        print(f"  slot {slot.surface!r}: {keys}, weight {index.weight(slot):.2f}{context}{mended}")
    for match in kb.search(question, locale, top):
        first = match.passage.text.splitlines()[0]
        print(f"{match.score:.3f} cov {match.coverage:.2f} {match.passage.key:5s} {first[:60]}")
        print(f"      matched {list(match.matched)} missing {list(match.missing)}")
    if kb.meaning is not None:
        opinion = kb.meaning.opinion(question)
        ranked = ", ".join(
            f"{label.split('#')[-1]} {score:.3f}" for label, score in opinion.ranked[:top]
        )
        print(f"  meaning: {ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
