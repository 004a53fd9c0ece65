"""Message-extension benchmark: time to answer Teams' ``composeExtension/query`` over HTTP.

    python bench/message_extension.py [--rounds 3]

Starts the bot in process on 127.0.0.1 (a free port) and posts search invokes
as Teams sends them while someone types: every passage's alternative
questions, in all six languages, cut after every 4th character, plus the
initial run of each language. Prints latency percentiles; Teams waits 5 s.
It asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.web import create_app  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402

PREFIX_STEP = 4


def invoke(text: str | None, locale: str) -> dict[str, Any]:
    parameter = (
        {"name": "initialRun", "value": "true"}
        if text is None
        else {"name": "query", "value": text}
    )
    return {
        "type": "invoke",
        "name": "composeExtension/query",
        "id": "f:1",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/",
        "from": {"id": "29:user"},
        "recipient": {"id": "28:bot"},
        "conversation": {"id": "19:conversation"},
        "locale": locale,
        "value": {
            "commandId": "searchNotice",
            "parameters": [parameter],
            "queryOptions": {"skip": 0, "count": 25},
        },
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def run(rounds: int) -> None:
    kb = KnowledgeBase.load()
    bodies = [invoke(None, locale) for locale in kb.locales]
    for passage_id, questions in sorted(kb.alternatives.items()):
        locale = passage_id.split("/", 1)[0]
        for question in questions:
            for end in range(PREFIX_STEP, len(question) + PREFIX_STEP, PREFIX_STEP):
                bodies.append(invoke(question[:end], locale))
    runner = web.AppRunner(create_app(Settings.from_env({}), kb))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    url = f"http://127.0.0.1:{port}/api/messages"
    timings: list[float] = []
    results: list[int] = []
    async with aiohttp.ClientSession() as session:
        for _ in range(rounds):
            for body in bodies:
                started = time.perf_counter()
                async with session.post(url, json=body) as response:
                    data = await response.json()
                timings.append((time.perf_counter() - started) * 1000)
                results.append(len(data["composeExtension"]["attachments"]))
    await runner.cleanup()
    print(f"{len(bodies)} searches x {rounds} rounds over HTTP on 127.0.0.1")
    print("| p50 ms | p90 ms | p99 ms | max ms | passages listed (mean) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {statistics.median(timings):.1f} | {percentile(timings, 0.9):.1f} "
        f"| {percentile(timings, 0.99):.1f} | {max(timings):.1f} "
        f"| {statistics.mean(results):.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
