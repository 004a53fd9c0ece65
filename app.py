"""Entry point: ``python app.py`` serves the bot on $HOST:$PORT (default 0.0.0.0:3978)."""

from __future__ import annotations

import logging
import os
import sys

from aiohttp import web

from bot.settings import Settings, SettingsError
from bot.web import create_app
from knowledge import KnowledgeError

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
        app = create_app(settings)
    except KnowledgeError as exc:
        log.error("cannot start: the knowledge base has a problem: %s", exc)
        return 1
    mode = (
        "authenticated"
        if settings.authenticated
        else "development (no MicrosoftAppId: no authentication)"
    )
    log.info("serving on http://%s:%d/api/messages, %s", settings.host, settings.port, mode)
    # On SIGTERM/SIGINT aiohttp stops listening at once (new connections are
    # refused) and lets in-flight requests finish for up to the timeout.
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        shutdown_timeout=settings.shutdown_timeout_seconds,
    )
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
