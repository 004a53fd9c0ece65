"""Entry point: ``python app.py`` serves the bot on $HOST:$PORT (default 0.0.0.0:3978),
with $WORKERS processes (default 1)."""

from __future__ import annotations

import logging
import os
import sys

from bot.settings import Settings, SettingsError
from knowledge import KnowledgeBase, KnowledgeError

log = logging.getLogger("app")


def main() -> int:
    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")
        log.error("cannot start: %s", exc)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        # Loaded once, before any worker is forked: the workers share it.
        knowledge_base = KnowledgeBase.load(settings.notices_dir, meaning=settings.meaning_reader)
        # Checked here too (create_app does), so that it stops the start before any fork.
        knowledge_base.require_locale(settings.default_locale)
    except KnowledgeError as exc:
        log.error("cannot start: the knowledge base has a problem: %s", exc)
        return 1
    mode = (
        "authenticated"
        if settings.authenticated
        else "development (no MicrosoftAppId: no authentication)"
    )
    log.info(
        "serving on http://%s:%d/api/messages with %d worker process(es), %s",
        settings.host, settings.port, settings.workers, mode,
    )  # fmt: skip
    # bot.workers and bot.web are imported here, not above: with several workers
    # the metrics folder must be in the environment before prometheus-client is
    # first imported (bot.workers sees to it).
    if settings.workers > 1:
        from bot import workers

        workers.serve(settings, knowledge_base)
    else:
        from aiohttp import web

        from bot.web import create_app, freeze_start_up_heap

        # On SIGTERM/SIGINT aiohttp stops listening at once (new connections are
        # refused) and lets in-flight requests finish for up to the timeout.
        app = create_app(settings, knowledge_base)
        freeze_start_up_heap()
        try:
            web.run_app(
                app,
                host=settings.host,
                port=settings.port,
                print=None,
                shutdown_timeout=settings.shutdown_timeout_seconds,
            )
        except OSError as exc:  # the port is taken, or the address is not this machine's
            log.error("cannot listen on %s:%d: %s", settings.host, settings.port, exc.strerror)
            return 1
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
