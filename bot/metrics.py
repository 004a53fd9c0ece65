"""Prometheus metrics, one registry per application (no module globals).

Counts only: questions per locale and outcome, feedback votes, request
latency. Nothing a user typed is ever a label.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
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
        return generate_latest(self.registry)
