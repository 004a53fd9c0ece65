"""The bot as deployed: two gunicorn workers behaving as one (no per-conversation
state in memory). Graceful shutdown, with one worker and with two, is in test_workers.py."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cards import card_actions
from tests.conftest import shown

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_listening(port: int, process: subprocess.Popen[Any], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listening on {port}")


def message(text: str, **fields: Any) -> dict[str, Any]:
    body = {
        "type": "message", "channelId": "emulator", "from": {"id": "u"}, "recipient": {"id": "b"},
        "conversation": {"id": "conv"}, "id": "m1", "text": text, "locale": "en-US",
        "serviceUrl": "http://127.0.0.1:9/", "deliveryMode": "expectReplies",
    }  # fmt: skip
    body.update(fields)
    return body


@pytest.fixture
def gunicorn_two_workers() -> Iterator[int]:
    """The production command: ``WORKERS=2 python app.py`` (gunicorn's aiohttp workers)."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "WORKERS": "2"}
    env["SHUTDOWN_TIMEOUT_SECONDS"] = "5"
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    try:
        wait_listening(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def connections_per_worker(
    port: int, want: int = 2, seconds: float = 20
) -> dict[int, http.client.HTTPConnection]:
    """One open connection per worker, told apart by the pid /healthz gives.

    Connections are held open together, so that each worker accepts some
    (one at a time, an idle worker tends to accept them all).
    """
    found: dict[int, http.client.HTTPConnection] = {}
    deadline = time.monotonic() + seconds
    while len(found) < want and time.monotonic() < deadline:
        batch = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(8)]
        for connection in batch:
            connection.connect()
        for connection in batch:
            connection.request("GET", "/healthz")
            pid = json.loads(connection.getresponse().read())["pid"]
            if pid in found:
                connection.close()
            else:
                found[pid] = connection
    return found


def ask(connection: http.client.HTTPConnection, body: dict[str, Any]) -> dict[str, Any]:
    connection.request(
        "POST", "/api/messages", json.dumps(body), {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    assert response.status == 200
    [reply] = json.loads(response.read())["activities"]
    return reply


def test_two_gunicorn_workers_answer_alike_and_follow_ups_cross_workers(
    gunicorn_two_workers: int,
) -> None:
    workers = connections_per_worker(gunicorn_two_workers)
    try:
        assert len(workers) == 2, "two workers should serve"
        (first_pid, first), (second_pid, second) = workers.items()
        replies = [
            ask(connection, message("Is my IP address shared?")) for connection in (first, second)
        ]
        assert shown(replies[0]) == shown(replies[1])  # the same answer whichever worker serves
        # A button of the card the first worker sent, clicked on the second worker.
        card = replies[0]["attachments"][0]["content"]
        buttons = [a["data"] for a in card_actions(card)]
        [follow_up] = [b for b in buttons if b.get("id", "").endswith("#l2.3")]
        reply = ask(second, message("", value=follow_up))
        assert "emergency calling location information." in shown(reply)
        assert first_pid != second_pid
    finally:
        for connection in workers.values():
            connection.close()
