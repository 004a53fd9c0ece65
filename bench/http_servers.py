"""Servers for bench/http_load.py, one per process: ``python bench/http_servers.py KIND PORT``.

KIND: ``project`` (create_app as shipped), ``stock`` (the same app with botbuilder's
stock per-turn client creation, as in the BotBuilder samples), ``bare`` (a plain
aiohttp JSON handler: the floor).
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botbuilder.integration.aiohttp import CloudAdapter

from bot.settings import Settings
from bot.web import ADAPTER, AUTHENTICATION, create_app


def bare_app() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        activity = await request.json()
        return web.json_response(
            {"activities": [{"type": "message", "text": activity.get("text", "")}]}
        )

    app = web.Application()
    app.router.add_post("/api/messages", handler)
    return app


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "bare":
        app = bare_app()
    else:
        app = create_app(Settings.from_env({}))
        if kind == "stock":
            inner = app[AUTHENTICATION].inner  # drop the client cache
            adapter = CloudAdapter(inner)
            adapter.on_turn_error = app[ADAPTER].on_turn_error
            app[AUTHENTICATION], app[ADAPTER] = inner, adapter
    # Access logs off for every row alike: the benchmark measures request handling.
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
