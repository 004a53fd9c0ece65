"""Several workers, measured: which pids answer, what /metrics reads, how many
simultaneous widget requests from one address get through.

    python bench/workers.py [--workers 2] [--burst 10]

Starts ``python app.py`` with WORKERS on a free 127.0.0.1 port, sends 100
questions and 10 votes 8 at a time (a new connection each, as through a load
balancer), scrapes /metrics 10 times, then sends 40 widget requests at once.
Then again with REDIS_URL, on a redis-server it starts on a free port (Debian's
/usr/bin/redis-server). Prints what it saw; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.http_load import free_port  # noqa: E402

REDIS_SERVER = "/usr/bin/redis-server"
QUESTION = {
    "type": "message", "channelId": "emulator", "from": {"id": "u"}, "recipient": {"id": "b"},
    "conversation": {"id": "bench"}, "text": "Is my IP address shared?", "locale": "en-US",
    "serviceUrl": "http://127.0.0.1:9/", "deliveryMode": "expectReplies",
}  # fmt: skip
VOTE = {**QUESTION, "text": "", "value": {"action": "feedback", "vote": "up", "id": "x"}}


def post(url: str, body: dict[str, Any]) -> int:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return bytes(response.read())


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    environ = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", **env}
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=HERE.parent, env=environ, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            get(base + "/healthz")
            return process, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the bot did not come up")


def totals(base: str) -> tuple[int, int]:
    sums = {"bot_questions": 0.0, "bot_feedback": 0.0}
    for family in text_string_to_metric_families(get(base + "/metrics").decode()):
        if family.name in sums:
            sums[family.name] += sum(s.value for s in family.samples if s.name.endswith("_total"))
    return int(sums["bot_questions"]), int(sums["bot_feedback"])


def widget_burst(base: str, count: int = 40) -> list[int]:
    barrier = threading.Barrier(count)
    body = {"type": "message", "text": "Is my IP address shared?", "locale": "en-US"}

    def send(_: int) -> int:
        barrier.wait()
        return post(base + "/api/widget/messages", body)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(send, range(count)))


def pids_seen(base: str, workers: int) -> list[int]:
    """Pids answering /healthz, 16 requests at a time, until every worker has answered."""
    seen: set[int] = set()
    with ThreadPoolExecutor(16) as pool:
        for _ in range(100):
            pages = pool.map(get, [base + "/healthz"] * 16)
            seen |= {json.loads(page)["pid"] for page in pages}
            if len(seen) >= workers:
                break
    return sorted(seen)


def run(label: str, env: dict[str, str]) -> None:
    process, base = start(env)
    try:
        pids = pids_seen(base, int(env["WORKERS"]))
        with ThreadPoolExecutor(8) as pool:
            bodies = [QUESTION] * 100 + [VOTE] * 10
            statuses = list(pool.map(lambda b: post(base + "/api/messages", b), bodies))
        scrapes = [totals(base) for _ in range(10)]
        widget = widget_burst(base)
        ready = json.loads(get(base + "/readyz"))["rate_limit"]
    finally:
        process.terminate()
        process.wait(timeout=60)
    print(f"\n{label}")
    print(f"  parent pid {process.pid}; /healthz answered from pids {pids}")
    print(f"  110 messages: {statuses.count(200)} answered 200")
    print(f"  /metrics (questions, votes) over 10 scrapes: {scrapes}")
    answered = len([s for s in widget if s != 429])
    print(f"  40 simultaneous widget requests: {answered} answered, {widget.count(429)} got 429")
    print(f"  /readyz rate_limit: {ready}")


def redis_up(port: int) -> None:
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not come up")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--burst", type=int, default=10)
    args = parser.parse_args()
    # One token a minute after the burst: nothing refills during the run.
    env = {"WORKERS": str(args.workers), "WIDGET_BURST": str(args.burst)}
    env["WIDGET_RATE_PER_MINUTE"] = "1"
    print(f"WORKERS={args.workers} WIDGET_BURST={args.burst}")
    run("in-memory rate limit", env)
    if not Path(REDIS_SERVER).exists():
        print("\n(no redis-server: the Redis run is skipped)")
        return
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        redis = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", folder],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            redis_up(port)
            url = f"redis://127.0.0.1:{port}/0"
            run(f"REDIS_URL={url}", {**env, "REDIS_URL": url})
        finally:
            redis.kill()
            redis.wait()


if __name__ == "__main__":
    main()
