"""Pathological-input benchmark: the worst cost of one request, per kind of hostile body.

    python bench/pathological.py [--repeat 3] [--kinds mentions,html-comment,...]

Starts the bot (create_app as shipped, one process on 127.0.0.1), POSTs each
body (each just under the default 256 KB limit) ``--repeat`` times, one at a
time, and prints per kind: the HTTP status, the worst wall time, the worst CPU
time the server process spent on it (from /proc), and its RSS at the end.
While one of these requests runs, every other request waits: the goal is that
none costs more than 50 ms of CPU. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import cpu_seconds, free_port, wait_up

HERE = Path(__file__).resolve().parent
# Just under the default MAX_BODY_BYTES (256 KB), leaving room for the envelope.
BUDGET = 250 * 1024
BOT_ID = "28:bot"


def envelope(**fields: Any) -> dict[str, Any]:
    body = {
        "type": "message",
        "id": "patho-1",
        "channelId": "msteams",
        "serviceUrl": "http://127.0.0.1:9/unused",
        "from": {"id": "29:user"},
        "recipient": {"id": BOT_ID, "name": "Bot"},
        "conversation": {"id": "a:personal"},
        "locale": "en-US",
        "deliveryMode": "expectReplies",
    }
    body.update(fields)
    return body


def fill(unit: str) -> str:
    """``unit`` repeated to about BUDGET bytes of UTF-8."""
    return unit * (BUDGET // len(unit.encode()))


def new_words(seed: int) -> str:
    """Words never seen before: each feeds the stemmer and whatever it caches."""
    rng = random.Random(seed)
    words: list[str] = []
    size = 0
    while size < BUDGET:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(6, 14)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)


MENTION = {"type": "mention", "mentioned": {"id": BOT_ID, "name": "Bot"}, "text": "<at>Bot</at>"}
KINDS: dict[str, Callable[[int], dict[str, Any]]] = {
    "mentions (<at> repeated)": lambda _: envelope(text=fill("<at>"), entities=[MENTION]),
    "unclosed <at x": lambda _: envelope(text=fill("<at x"), entities=[MENTION]),
    "html comment (<!-- repeated)": lambda _: envelope(
        text="", attachments=[{"contentType": "text/html", "content": fill("<!--")}]
    ),
    "html tags (<a  repeated)": lambda _: envelope(
        text="", attachments=[{"contentType": "text/html", "content": fill("<a ")}]
    ),
    "japanese text": lambda _: envelope(text=fill("個人データは転送されますか。"), locale="ja-JP"),
    "value.text (japanese)": lambda _: envelope(
        text="", value={"text": fill("個人データは転送されますか。")}
    ),
    "one long word": lambda _: envelope(text=fill("a")),
    "new words": lambda seed: envelope(text=new_words(seed)),
    "many mention entities": lambda _: envelope(
        text="<at>Bot</at> is my IP shared?", entities=[MENTION] * (BUDGET // 110)
    ),
    "messageBack value string": lambda _: envelope(text="", value="[" * (BUDGET // 2)),
}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def post(url: str, body: bytes, timeout: float) -> int:
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class Server:
    """The bot in a process of its own; restarted when a request outlasts the timeout."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
        command = [sys.executable, str(HERE / "http_servers.py"), "project", str(port)]
        self.process = subprocess.Popen(command, env=env)
        self.url = f"http://127.0.0.1:{port}/api/messages"
        wait_up(self.url, json.dumps(envelope(text="hello", channelId="emulator")).encode())

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per request")
    parser.add_argument("--kinds", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()
    chosen = [k for k in KINDS if not args.kinds or k in args.kinds.split(",")]
    server = Server()
    rows = []
    try:
        server.start()
        for kind in chosen:
            worst_wall = worst_cpu = 0.0
            statuses = set()
            rss = float("nan")
            for attempt in range(args.repeat):
                body = json.dumps(KINDS[kind](attempt), ensure_ascii=False).encode()
                cpu = cpu_seconds(server.pid)
                started = time.perf_counter()
                try:
                    statuses.add(str(post(server.url, body, args.timeout)))
                except TimeoutError:
                    # The server is still at it: every other request would wait.
                    statuses.add(f"none in {args.timeout:g} s")
                    # Still running: what it has cost so far (a lower bound), negated as a mark.
                    worst_wall = float("inf")
                    worst_cpu = -(cpu_seconds(server.pid) - cpu)
                    rss = rss_mb(server.pid)
                    server.stop()
                    server.start()
                    break
                worst_wall = max(worst_wall, time.perf_counter() - started)
                worst_cpu = max(worst_cpu, cpu_seconds(server.pid) - cpu)
                rss = rss_mb(server.pid)
            status = "/".join(sorted(statuses))
            rows.append((kind, len(body), status, worst_wall, worst_cpu, rss))
    finally:
        server.stop()
    print(f"one request at a time, each body about {BUDGET // 1024} KB, worst of {args.repeat}\n")
    print("| input | bytes | status | wall ms | server CPU ms | RSS MB after |")
    print("| --- | ---: | :---: | ---: | ---: | ---: |")
    for kind, size, status, wall, cpu, rss in rows:
        shown = [
            f"> {args.timeout * 1000:,.0f}" if wall == float("inf") else f"{wall * 1000:,.0f}",
            f"> {-cpu * 1000:,.0f}" if cpu < 0 else f"{cpu * 1000:,.0f}",
        ]
        print(f"| {kind} | {size:,} | {status} | {shown[0]} | {shown[1]} | {rss:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
