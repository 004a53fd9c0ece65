"""HTTP benchmark: throughput and latency of POST /api/messages (expectReplies, a
real question) for the project, the same bot behind botbuilder's CloudAdapter,
and a bare aiohttp JSON handler, in the same run, with the same load generator
(wrk); then the ratio of the project's rate to the bare handler's.

    python bench/http_load.py [--seconds 10] [--connections 8]

Needs wrk (Debian package ``wrk``). Each server is one process on 127.0.0.1,
started and stopped by this script. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACTIVITY = {
    "type": "message",
    "channelId": "emulator",
    "serviceUrl": "http://127.0.0.1:9/unused",
    "from": {"id": "user-1"},
    "recipient": {"id": "bot-1"},
    "conversation": {"id": "bench"},
    "text": "Est-ce que mon adresse IP est transmise ?",
    "locale": "fr-FR",
    "deliveryMode": "expectReplies",
}
ROWS = [
    ("bare aiohttp JSON handler", "bare"),
    ("bot behind botbuilder's CloudAdapter (msrest both ways)", "stock"),
    ("bot as shipped (bot/botframework)", "project"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, body: bytes) -> None:
    for _ in range(100):
        try:
            request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server at {url} did not come up")


def run_wrk(
    url: str, body_file: Path, seconds: int, connections: int
) -> tuple[float, str, str, int]:
    """req/s, p50, p99 and the number of requests answered."""
    script = body_file.with_suffix(".lua")
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = io.open({json.dumps(str(body_file))}, 'r'):read('*a')\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rps, latency.get("50", "?"), latency.get("99", "?"), count


def cpu_seconds(pid: int) -> float:
    """On-CPU time of every thread of a process (Linux schedstat, nanoseconds)."""
    tasks = Path(f"/proc/{pid}/task").iterdir()
    return sum(int((task / "schedstat").read_text().split()[0]) for task in tasks) / 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per server and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    body = json.dumps(ACTIVITY).encode()
    # Every round loads each server in turn, and each row keeps its median round:
    # on a shared machine the load drifts, and rows measured minutes apart would
    # not be compared fairly.
    rounds: dict[str, list[tuple[float, str, str, float]]] = {kind: [] for _, kind in ROWS}
    servers: list[tuple[str, str, subprocess.Popen[bytes]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        body_file = Path(tmp) / "activity.json"
        body_file.write_bytes(body)
        try:
            env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
            for _, kind in ROWS:
                port = free_port()
                command = [sys.executable, str(HERE / "http_servers.py"), kind, str(port)]
                url = f"http://127.0.0.1:{port}/api/messages"
                servers.append((kind, url, subprocess.Popen(command, env=env)))
                wait_up(url, body)
                run_wrk(url, body_file, 2, args.connections)  # warm-up
            for _ in range(args.rounds):
                for kind, url, process in servers:
                    cpu = cpu_seconds(process.pid)
                    rps, p50, p99, count = run_wrk(url, body_file, args.seconds, args.connections)
                    per_request = (cpu_seconds(process.pid) - cpu) / max(count, 1)
                    rounds[kind].append((rps, p50, p99, per_request))
        finally:
            for _kind, _url, process in servers:
                process.terminate()
                process.wait(timeout=10)
    medians = {kind: sorted(runs)[len(runs) // 2] for kind, runs in rounds.items()}
    costs = {kind: sorted(run[3] for run in runs)[len(runs) // 2] for kind, runs in rounds.items()}
    load = f"wrk -t1 -c{args.connections} -d{args.seconds}s"
    print(f"POST /api/messages, expectReplies, one server process each, {load},")
    print(f"median of {args.rounds} rounds (each round loads every server in turn)\n")
    print("| server | req/s | p50 | p99 | server CPU per request |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, kind in ROWS:
        rps, p50, p99, _ = medians[kind]
        print(f"| {label} | {rps:,.0f} | {p50} | {p99} | {costs[kind] * 1e6:,.0f} µs |")
    ratio = medians["project"][0] / medians["bare"][0]
    print(f"\nratio bot as shipped / bare handler: {ratio:.3f} (req/s),", end=" ")
    print(f"{costs['bare'] / costs['project']:.3f} (CPU per request)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
