"""Bounded soak: ``python app.py`` under wrk load for a fixed time on 127.0.0.1,
with questions rotating through tests/eval/questions.yaml; prints requests,
errors and the server's RSS over time (from /proc). Asserts nothing.

    python bench/soak.py [--seconds 60] [--connections 8]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import free_port, wait_up  # noqa: E402
from knowledge.evaluation import load_questions  # noqa: E402


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    port = free_port()
    bodies = []
    for q in load_questions(ROOT / "tests" / "eval" / "questions.yaml"):
        bodies.append(json.dumps({
            "type": "message", "channelId": "emulator", "serviceUrl": "http://127.0.0.1:9/",
            "from": {"id": "soak"}, "recipient": {"id": "bot"}, "conversation": {"id": "soak"},
            "text": q.text, "locale": q.client_locale, "deliveryMode": "expectReplies",
        }))  # fmt: skip
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env)
    try:
        wait_up(f"http://127.0.0.1:{port}/api/messages", bodies[0].encode())
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "soak.lua"
            lua_bodies = ",\n".join(json.dumps(b) for b in bodies)
            script.write_text(
                'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f"local bodies = {{\n{lua_bodies}\n}}\nlocal n = 0\n"
                "request = function()\n  n = n + 1\n"
                "  return wrk.format(nil, nil, nil, bodies[(n % #bodies) + 1])\nend\n",
                encoding="utf-8",
            )
            samples = [(0.0, rss_mb(server.pid))]
            load = subprocess.Popen(
                ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "-s", str(script),
                 f"http://127.0.0.1:{port}/api/messages"],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            started = time.monotonic()
            while load.poll() is None:
                time.sleep(5)
                samples.append((time.monotonic() - started, rss_mb(server.pid)))
            out = load.stdout.read() if load.stdout else ""
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    print(f"soak: {args.seconds} s, wrk -t1 -c{args.connections}, {len(bodies)} rotating questions")
    errors = socket_errors.group(1) if socket_errors else "none"
    print(f"requests {total:,}, non-2xx {bad.group(1) if bad else 0}, socket errors {errors}")
    print("RSS MB over time: " + ", ".join(f"{t:.0f}s {m:.1f}" for t, m in samples))
    peak = max(m for _, m in samples)
    print(f"RSS start {samples[0][1]:.1f} MB, end {samples[-1][1]:.1f} MB, max {peak:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
