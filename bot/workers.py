"""Several worker processes on one port: gunicorn's arbiter with aiohttp's worker.

``python app.py`` with WORKERS > 1 calls ``serve``. The arbiter binds the port
and forks the workers; each builds its own application (connections, metrics)
around the knowledge base the parent loaded once before forking, so a broken
notice stops start-up before any worker exists and the workers share its
memory. A worker that dies is replaced. On SIGTERM the arbiter closes the
listening socket, sends SIGTERM to every worker, and each lets its in-flight
requests finish for up to SHUTDOWN_TIMEOUT_SECONDS.

Metrics: every worker writes to one folder (prometheus-client's multiprocess
mode, see bot/metrics.py), wiped at start; a temporary one unless
PROMETHEUS_MULTIPROC_DIR names it. prometheus-client reads that variable when
first imported, so this module sets it before importing anything that
imports prometheus-client, and ``app.py`` imports this module only then.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.settings import Settings
from knowledge import KnowledgeBase

log = logging.getLogger(__name__)

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"  # the name prometheus-client reads


def serve(settings: Settings, knowledge_base: KnowledgeBase) -> None:
    """Serve with ``settings.workers`` processes until SIGTERM or SIGINT; exits the process."""
    temporary = settings.metrics_dir is None
    folder = settings.metrics_dir or Path(tempfile.mkdtemp(prefix="bot-metrics-"))
    os.environ[METRICS_ENV] = str(folder)
    # First import of prometheus-client: after the variable is set. bot.web is
    # imported here, in the parent, so that the workers share its modules'
    # memory and boot without importing botbuilder each.
    from bot import metrics, web

    metrics.prepare_multiprocess_dir(folder)
    settings = dataclasses.replace(settings, metrics_dir=folder)
    parent = os.getpid()
    web.freeze_start_up_heap()
    try:
        WorkerProcesses(settings, knowledge_base).run()
    finally:
        # Workers leave through here too (gunicorn forks inside run()): only the
        # parent removes the folder.
        if temporary and os.getpid() == parent:
            shutil.rmtree(folder, ignore_errors=True)


class WorkerProcesses(BaseApplication):  # type: ignore[misc]
    """gunicorn configured from Settings alone (no command line, no config file)."""

    def __init__(self, settings: Settings, knowledge_base: KnowledgeBase) -> None:
        self.settings = settings
        self.knowledge_base = knowledge_base
        super().__init__()

    def load_config(self) -> None:
        settings = self.settings
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        options: dict[str, Any] = {
            "bind": [f"{host}:{settings.port}"],
            "workers": settings.workers,
            "worker_class": "aiohttp.GunicornWebWorker",
            # aiohttp's worker gives in-flight requests 95 % of this on SIGTERM.
            "graceful_timeout": settings.shutdown_timeout_seconds,
            # IDLE_TIMEOUT_SECONDS, as with one worker: create_app's handler_args
            # decide it (aiohttp lets them override the worker's keepalive); said
            # here too so that gunicorn's 2 s default shows nowhere.
            "keepalive": settings.idle_timeout_seconds,
            "loglevel": settings.log_level.lower(),
            "proc_name": "carrier-privacy-bot",
            "child_exit": self.child_exit,
        }
        if "control_socket_disable" in self.cfg.settings:
            # Recent gunicorn opens a control socket at one fixed path per user by
            # default: two bots on a machine would share it. Nothing here uses it.
            options["control_socket_disable"] = True
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> Any:
        """Called in each worker after the fork: its own application."""
        from bot.web import create_app, freeze_start_up_heap

        app = create_app(self.settings, self.knowledge_base)
        freeze_start_up_heap()
        return app

    def child_exit(self, arbiter: Any, worker: Any) -> None:
        """In the parent, when a worker is gone (stopped, crashed or killed)."""
        from bot import metrics

        if self.settings.metrics_dir is not None:
            metrics.worker_exited(self.settings.metrics_dir, worker.pid)
        log.info("worker %d exited; its counts stay in /metrics", worker.pid)
