"""Prometheus metrics, one registry per application (no module globals).

Counts only: questions per locale and outcome, feedback votes, request
latency. Nothing a user typed is ever a label.

With several worker processes (WORKERS > 1) prometheus-client's multiprocess
mode is used: each worker writes its values to files in one folder and a scrape,
whichever worker answers it, sums the files of every worker, the dead ones
included, so counters never go down. The folder is wiped when the server
starts (``prepare_multiprocess_dir``), and prometheus-client must find it in
PROMETHEUS_MULTIPROC_DIR before it is first imported: it chooses how values are
stored at import time.
"""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

CONTENT_TYPE = CONTENT_TYPE_LATEST
# The files prometheus-client writes in the multiprocess folder; nothing else
# there is removed at start (the operator may have pointed it at a shared folder).
METRIC_FILES = "*.db"


def prepare_multiprocess_dir(folder: Path) -> None:
    """Create the folder, or empty it of a previous run's files (their pids may be reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(METRIC_FILES):
        old.unlink()


def worker_exited(folder: Path, pid: int) -> None:
    """Bookkeeping for a worker that is gone: its live gauges stop counting.

    Its counters and histograms stay in the sum, so totals never go down.
    """
    mark_process_dead(pid, str(folder))  # type: ignore[no-untyped-call]


class Metrics:
    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        if multiprocess_dir is not None and not getattr(values.ValueClass, "_multiprocess", False):
            raise RuntimeError(
                "multiprocess metrics need PROMETHEUS_MULTIPROC_DIR set before "
                "prometheus_client is imported"
            )
        self.multiprocess_dir = multiprocess_dir
        self.registry = CollectorRegistry()
        self.questions = Counter(
            "bot_questions",
            "Questions by locale and reply kind (answer, suggest, not_covered, small_talk, help).",
            ["locale", "outcome"],
            registry=self.registry,
        )
        self.feedback = Counter(
            "bot_feedback",
            "Feedback votes on answers (up or down).",
            ["vote"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "bot_request_seconds",
            "Time to handle a POST to a messages endpoint.",
            ["endpoint"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        # A fresh registry each scrape, as prometheus-client's documentation does:
        # the collector reads every worker's files when collected.
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(registry)
