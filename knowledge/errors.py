"""Errors of the knowledge base. Each names the file it is about."""

from __future__ import annotations

from pathlib import Path


class KnowledgeError(Exception):
    """A knowledge-base file cannot be used."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
