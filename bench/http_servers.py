"""Servers for bench/http_load.py, one per process: ``python bench/http_servers.py KIND PORT``.

KIND: ``project`` (create_app as shipped), ``stock`` (the same bot behind
botbuilder's own CloudAdapter, msrest both ways, as in the BotBuilder samples
but with the expectReplies body returned), ``bare`` (a plain aiohttp JSON
handler: the floor).
"""

from __future__ import annotations

import sys
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

from bot.botframework.auth import botbuilder_configuration
from bot.settings import Settings
from bot.web import BOT, create_app, freeze_start_up_heap


def bare_app() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        activity = await request.json()
        return web.json_response(
            {"activities": [{"type": "message", "text": activity.get("text", "")}]}
        )

    app = web.Application()
    app.router.add_post("/api/messages", handler)
    return app


def stock_app() -> web.Application:
    settings = Settings.from_env({})
    bot = create_app(settings)[BOT]
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(botbuilder_configuration(settings))
    )

    async def handler(request: web.Request) -> web.Response:
        activity = Activity().deserialize(await request.json())
        auth = request.headers.get("Authorization", "")
        response = await adapter.process_activity(auth, activity, bot.on_turn)
        return web.json_response(response.body, status=int(response.status))

    app = web.Application()
    app.router.add_post("/api/messages", handler)
    return app


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "bare":
        app = bare_app()
    elif kind == "stock":
        app = stock_app()
    else:
        app = create_app(Settings.from_env({}))
    freeze_start_up_heap()  # as app.py does, for every row alike
    # Access logs off for every row alike: the benchmark measures request handling.
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
