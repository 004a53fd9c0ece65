"""python -m knowledge: check, passages, ask, eval."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge import KnowledgeBase
from knowledge.cli import main
from knowledge.meaning import VECTORS_FILE, VectorStore, digest

EVAL = Path(__file__).resolve().parent / "eval"


def test_check_passes_on_the_shipped_knowledge_base(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "ok: 6 notices, 60 passages, 6 lexicons" in capsys.readouterr().out


def test_check_names_every_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for locale in ("fr-FR", "it-IT"):
        (tmp_path / locale).mkdir()
        (tmp_path / locale / "bad.md").write_text("---\ntitle: [x\n---\nbody\n", encoding="utf-8")
    assert main(["--notices", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert "fr-FR/bad.md: invalid YAML" in err and "it-IT/bad.md: invalid YAML" in err


def test_ask_shows_matches_with_scores_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "ma localisation", "--locale", "fr-FR", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "verdict answer" in out and "slot 'localisation': ~location" in out
    assert "l2.3" in out and "matched ['localisation']" in out


def test_passages_lists_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["passages", "--locale", "de-DE"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10 and lines[0].startswith("de-DE/operator-connect-privacy#p1")


def test_eval_prints_a_per_locale_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        'fr-FR:\n  - ["ma localisation", l2.3]\n  - ["Bonjour", ~]\n  - ["IP", p1]\n'
        'en-US:\n  - ["Quelle est la durée de l\'appel ?", "fr-FR:l2.2"]\n',
        encoding="utf-8",
    )
    assert main(["eval", str(questions), "--show-failures"]) == 0
    out = capsys.readouterr().out
    assert "| fr-FR | 2 | 0.50 | 0.00 | 0.50 | 1 | 1.00 | 0.67 |" in out
    assert "| en-US | 1 | 1.00 | 0.00 | 0.00 | 0 | - | 1.00 |" in out
    assert "[fr-FR] 'IP': answer fr-FR:l2.2, expected fr-FR:p1" in out
    assert "| kind |" not in out  # no kinds given: no per-kind table


def test_eval_prints_a_per_kind_table_and_reads_no_locale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        'fr-BE:\n  - ["ma localisation", l2.3, keyword]\n  - ["Bonjour", ~, smalltalk]\n'
        'none:\n  - ["where does my location go when I call 911", "en-US:l2.3", no-locale]\n'
        '  - ["IP", "en-US:p1", keyword]\n',
        encoding="utf-8",
    )
    assert main(["eval", str(questions), "--show-failures"]) == 0
    out = capsys.readouterr().out
    assert "| fr-BE | 1 | 1.00 | 0.00 | 0.00 | 1 | 1.00 | 1.00 |" in out
    assert "| none | 2 | 0.50 |" in out
    assert "| keyword | 2 | 0.50 |" in out
    assert "| no-locale | 1 | 1.00 |" in out
    assert "| smalltalk | 0 | - | - | - | 1 | 1.00 | 1.00 |" in out
    assert "[none keyword] 'IP': answer en-US:l2.2, expected en-US:p1" in out


def test_eval_rejects_an_entry_of_the_wrong_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text('fr-FR:\n  - ["a", l2.3, kind, extra]\n', encoding="utf-8")
    assert main(["eval", str(questions)]) == 1
    assert "expected [question, expected(, kind)]" in capsys.readouterr().err


def test_the_shipped_evaluation_sets_load() -> None:
    from knowledge.evaluation import load_questions

    assert len(load_questions(EVAL / "questions.yaml")) > 150
    assert len(load_questions(EVAL / "holdout.yaml")) > 50
    probe = load_questions(EVAL / "probe-11.yaml")
    assert {q.kind for q in probe} >= {"verbose", "oos-near", "no-locale"}
    assert any(q.client_locale is None for q in probe)


SHIPPED = Path(__file__).resolve().parent.parent / "knowledge" / "notices"


def _copy_notices(tmp_path: Path, *locales: str) -> Path:
    """The shipped notices of ``locales`` (all when none is named), vectors included."""
    for path in SHIPPED.glob("*/*"):
        if locales and path.parent.name not in locales:
            continue
        target = tmp_path / path.parent.name / path.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(path.read_bytes())
    (tmp_path / VECTORS_FILE).write_bytes((SHIPPED / VECTORS_FILE).read_bytes())
    return tmp_path


def test_check_names_a_broken_examples_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notices = _copy_notices(tmp_path, "it-IT")
    (notices / "it-IT" / "operator-connect-privacy.examples.yaml").write_text(
        "l7:\n  - che cosa?\n", encoding="utf-8"
    )
    assert main(["--notices", str(notices), "check"]) == 1
    assert (
        "it-IT/operator-connect-privacy.examples.yaml: no passage 'l7'" in capsys.readouterr().err
    )


def test_vectors_stores_exactly_the_current_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notices = _copy_notices(tmp_path, "en-US")
    examples = notices / "en-US" / "operator-connect-privacy.examples.yaml"
    removed = yaml.safe_load(examples.read_text(encoding="utf-8"))["l2.3"][0]
    examples.write_text("l2.3:\n  - where am I when I dial 911?\n", encoding="utf-8")
    assert main(["--notices", str(notices), "check"]) == 0
    assert "no vector for 1 examples" in capsys.readouterr().out

    assert main(["--notices", str(notices), "vectors"]) == 0
    stored = VectorStore.read(notices / VECTORS_FILE).vectors
    kb = KnowledgeBase.load(notices)
    assert kb.meaning is not None and kb.meaning.encoded_at_start == 0
    name = kb.meaning.encoder.name
    assert set(stored) == {digest(name, e.text) for e in kb.meaning.examples}
    assert digest(name, "where am I when I dial 911?") in stored
    assert digest(name, removed) not in stored
    assert f"{len(stored)} vectors" in capsys.readouterr().out
    assert main(["--notices", str(notices), "check"]) == 0
    assert "no vector" not in capsys.readouterr().out


def test_a_broken_vectors_file_is_named_by_check_and_replaced_by_vectors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notices = _copy_notices(tmp_path, "de-DE")
    (notices / VECTORS_FILE).write_bytes(b"garbage")
    assert main(["--notices", str(notices), "check"]) == 1
    assert f"{VECTORS_FILE}: not a vectors file" in capsys.readouterr().err
    assert main(["--notices", str(notices), "vectors"]) == 0
    assert main(["--notices", str(notices), "check"]) == 0
    assert KnowledgeBase.load(notices).meaning.encoded_at_start == 0  # type: ignore[union-attr]


def test_ask_shows_the_meaning_readers_opinion_unless_words_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "Can the telco pull a copy of my call records?", "--top", "2"]) == 0
    assert "  meaning: p2 " in capsys.readouterr().out
    assert main(["--words-only", "ask", "Can the telco pull a copy of my call records?"]) == 0
    assert "meaning:" not in capsys.readouterr().out
