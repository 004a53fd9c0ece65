"""``WORKERS=2 python app.py`` as deployed: real worker processes on one port, whole
metrics across them, the widget's limit shared through a real Redis, graceful SIGTERM.

Workers are told apart by the pid ``/healthz`` gives: connections are opened in
batches and kept open, so that each worker holds some and a request can be sent
to a chosen worker. Readiness is polled on ``/healthz``; nothing waits a fixed time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from bot.settings import Settings
from bot.workers import WorkerProcesses
from knowledge import KnowledgeBase
from tests.conftest import shown

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    ("Is my IP address shared?", "en-US"),
    ("Est-ce que mon adresse IP est transmise ?", "fr-FR"),
    ("Wird meine Telefonnummer weitergegeben?", "de-DE"),
    ("Chi è il titolare del trattamento?", "it-IT"),
]


@dataclass
class Bot:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    held: list[HTTPConnection] = field(default_factory=list)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz_pid(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return int(json.loads(response.read())["pid"])
    except OSError:
        return None


@pytest.fixture
def start_bot(tmp_path: Path) -> Iterator[Callable[..., Bot]]:
    """``python app.py`` with the given environment, once /healthz answers."""
    bots: list[Bot] = []

    def start(**env: str) -> Bot:
        port = free_port()
        log = tmp_path / f"bot-{port}.log"
        environ = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", **env}
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "app.py"], cwd=ROOT, env=environ, stderr=sink, stdout=sink
            )
        bot = Bot(port, process, log)
        bots.append(bot)
        deadline = time.monotonic() + 60
        while healthz_pid(port) is None:
            assert process.poll() is None, f"the bot exited:\n{bot.log_text()}"
            assert time.monotonic() < deadline, "the bot did not come up"
            time.sleep(0.1)
        return bot

    yield start
    for bot in bots:
        for connection in bot.held:
            connection.close()
        if bot.process.poll() is None:
            bot.process.terminate()
        try:
            bot.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bot.process.kill()
            bot.process.wait()


def connections_by_worker(
    bot: Bot, per_worker: int, workers: int = 2, seconds: float = 60
) -> dict[int, list[HTTPConnection]]:
    """``per_worker`` open keep-alive connections to each of ``workers`` pids."""
    found: dict[int, list[HTTPConnection]] = {}
    deadline = time.monotonic() + seconds
    while len(found) < workers or any(len(c) < per_worker for c in found.values()):
        assert time.monotonic() < deadline, f"could not reach {workers} workers: {found.keys()}"
        batch = [HTTPConnection("127.0.0.1", bot.port, timeout=30) for _ in range(8)]
        for connection in batch:
            connection.connect()
        for connection in batch:
            connection.request("GET", "/healthz")
            pid = json.loads(connection.getresponse().read())["pid"]
            mine = found.setdefault(pid, [])
            if len(mine) < per_worker:
                mine.append(connection)
                bot.held.append(connection)
            else:
                connection.close()
    return found


def request(
    connection: HTTPConnection, method: str, path: str, body: dict[str, Any] | None = None
) -> tuple[int, bytes]:
    payload = json.dumps(body) if body is not None else None
    connection.request(method, path, payload, {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, response.read()


def activity(text: str, locale: str, **fields: Any) -> dict[str, Any]:
    body = {
        "type": "message", "channelId": "emulator", "from": {"id": "u"}, "recipient": {"id": "b"},
        "conversation": {"id": "conv"}, "id": "m1", "text": text, "locale": locale,
        "serviceUrl": "http://127.0.0.1:9/", "deliveryMode": "expectReplies",
    }  # fmt: skip
    body.update(fields)
    return body


def is_dead(pid: int) -> bool:
    """Gone, or a zombie its parent has not reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def feedback_buttons(node: Any) -> list[dict[str, Any]]:
    """The data of the 👍/👎 buttons anywhere in a reply (its card, however laid out)."""
    if isinstance(node, list):
        return [found for item in node for found in feedback_buttons(item)]
    if not isinstance(node, dict):
        return []
    if node.get("action") == "feedback":
        return [node]
    return [found for value in node.values() for found in feedback_buttons(value)]


def totals(exposition: str) -> tuple[float, float]:
    """(questions, votes) summed over their labels."""
    sums = {"bot_questions": 0.0, "bot_feedback": 0.0}
    for family in text_string_to_metric_families(exposition):
        if family.name in sums:
            sums[family.name] += sum(s.value for s in family.samples if s.name.endswith("_total"))
    return sums["bot_questions"], sums["bot_feedback"]


def scrape(connection: HTTPConnection) -> tuple[float, float]:
    status, body = request(connection, "GET", "/metrics")
    assert status == 200
    return totals(body.decode())


def test_two_workers_answer_on_one_port_and_metrics_count_every_worker(
    start_bot: Callable[..., Bot],
) -> None:
    bot = start_bot(WORKERS="2")
    workers = connections_by_worker(bot, per_worker=4)
    assert len(workers) == 2 and bot.process.pid not in workers  # two workers, not the parent
    connections = [c for held in workers.values() for c in held]  # 8, four per worker

    # One answer counts one vote (bot/votes.py): ten votes, on ten answers.
    votes = []
    for i in range(10):
        status, body = request(connections[0], "POST", "/api/messages", activity(*QUESTIONS[i % 4]))
        assert status == 200
        buttons = sorted(feedback_buttons(json.loads(body)), key=lambda data: data["vote"])
        assert [v["vote"] for v in buttons] == ["down", "up"]
        votes.append(buttons[i % 2])
    # 90 more questions and the 10 votes, 8 at a time: one sender per connection.
    bodies = [activity(*QUESTIONS[i % len(QUESTIONS)]) for i in range(10, 100)]
    bodies += [activity("", "en-US", value=vote) for vote in votes]

    def send(lane: int) -> list[int]:
        return [request(connections[lane], "POST", "/api/messages", b)[0] for b in bodies[lane::8]]

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for lane in pool.map(send, range(8)) for s in lane]
    assert statuses == [200] * len(bodies)

    # Every scrape, whichever worker answers it, counts every worker's share.
    scrapes = [scrape(c) for c in connections]
    for _ in range(10):
        fresh = HTTPConnection("127.0.0.1", bot.port, timeout=30)
        scrapes.append(scrape(fresh))
        fresh.close()
    assert scrapes == [(100.0, 10.0)] * len(scrapes)

    # A worker killed outright is replaced; its counts stay: counters never go down.
    dead = next(iter(workers))
    for connection in workers[dead]:
        connection.close()
    os.kill(dead, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while not is_dead(dead):  # no new connection may reach it while it dies
        assert time.monotonic() < deadline, "the killed worker is still running"
        time.sleep(0.05)
    now = connections_by_worker(bot, per_worker=2)  # waits for the replacement to serve
    [new] = set(now) - set(workers)
    after = [scrape(c) for c in now[new]]
    after += [scrape(c) for c in workers[next(p for p in workers if p != dead)]]
    assert after == [(100.0, 10.0)] * len(after)
    assert f"worker {dead} exited" in bot.log_text()


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_sigterm_lets_in_flight_requests_finish_refuses_new_ones_and_stops_every_worker(
    serve: Any, start_bot: Callable[..., Bot], workers: str
) -> None:
    """``python app.py`` alone (aiohttp) and with gunicorn's workers shut down alike."""
    received: list[dict[str, Any]] = []
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_channel(request: web.Request) -> web.Response:
        started.set()
        await release.wait()  # the bot's turn stays in flight until the test says
        received.append(await request.json())
        return web.json_response({"id": "r1"})

    channel = web.Application()
    channel.router.add_post("/v3/conversations/{c}/activities/{a}", slow_channel)
    channel_url = await serve(channel)

    bot = await asyncio.to_thread(start_bot, WORKERS=workers, SHUTDOWN_TIMEOUT_SECONDS="30")
    pids = await asyncio.to_thread(connections_by_worker, bot, 1, int(workers))
    body = activity("Is my IP address shared?", "en-US", serviceUrl=channel_url)
    del body["deliveryMode"]
    async with aiohttp.ClientSession() as session:
        in_flight = asyncio.ensure_future(
            session.post(f"http://127.0.0.1:{bot.port}/api/messages", json=body)
        )
        await started.wait()  # the reply is being delivered now
        bot.process.send_signal(signal.SIGTERM)
        # New connections are refused while the request is still in flight.
        deadline = time.monotonic() + 30
        while not await asyncio.to_thread(refused, bot.port):
            assert time.monotonic() < deadline, "still accepting connections after SIGTERM"
        assert not in_flight.done() and received == []
        release.set()
        response = await in_flight
        assert response.status == 200
        response.release()
    assert len(received) == 1 and "IP addresses" in shown(received[0])
    assert await asyncio.to_thread(bot.process.wait, 30) == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # every worker is gone (reaped by its parent)


def simultaneous_widget_requests(connections: list[HTTPConnection]) -> list[int]:
    """One widget question per connection, all released at once."""
    barrier = threading.Barrier(len(connections))
    question = {"type": "message", "text": "Is my IP address shared?", "locale": "en-US"}

    def send(connection: HTTPConnection) -> int:
        barrier.wait()
        return request(connection, "POST", "/api/widget/messages", question)[0]

    with ThreadPoolExecutor(len(connections)) as pool:
        return list(pool.map(send, connections))


BURST = 10
# One token a minute: nothing comes back while the test runs.
SLOW_REFILL = {"WIDGET_BURST": str(BURST), "WIDGET_RATE_PER_MINUTE": "1"}


def test_with_redis_the_widget_limit_holds_across_workers(
    start_bot: Callable[..., Bot], redis_server: Any
) -> None:
    bot = start_bot(WORKERS="2", REDIS_URL=redis_server.url, **SLOW_REFILL)
    workers = connections_by_worker(bot, per_worker=20)
    statuses = simultaneous_widget_requests([c for held in workers.values() for c in held])
    answered = len([s for s in statuses if s != 429])
    assert 1 <= answered <= BURST and set(statuses) == {200, 429}
    for held in workers.values():
        status, body = request(held[0], "GET", "/readyz")
        assert status == 200 and json.loads(body)["rate_limit"] == "redis"


def test_without_redis_each_worker_keeps_its_own_limit(start_bot: Callable[..., Bot]) -> None:
    """The in-memory default, as documented: the limit is per worker process."""
    bot = start_bot(WORKERS="2", **SLOW_REFILL)
    workers = connections_by_worker(bot, per_worker=20)
    statuses = simultaneous_widget_requests([c for held in workers.values() for c in held])
    assert len([s for s in statuses if s != 429]) == 2 * BURST
    status, body = request(next(iter(workers.values()))[0], "GET", "/readyz")
    assert status == 200 and json.loads(body)["rate_limit"] == "memory"


def test_redis_unreachable_the_widget_answers_on_local_limits_and_readyz_says_so(
    start_bot: Callable[..., Bot],
) -> None:
    nothing_there = f"redis://127.0.0.1:{free_port()}/0"
    bot = start_bot(
        WORKERS="2", REDIS_URL=nothing_there, WIDGET_BURST="3", WIDGET_RATE_PER_MINUTE="1"
    )
    workers = connections_by_worker(bot, per_worker=4)
    for held in workers.values():
        statuses = [
            request(c, "POST", "/api/widget/messages", {"type": "message", "text": "hi"})[0]
            for c in held
        ]
        assert statuses == [200, 200, 200, 429]  # each worker's own burst of 3
        status, body = request(held[0], "GET", "/readyz")
        assert status == 200 and json.loads(body)["rate_limit"] == "local-fallback"
    # Said once by each worker, however many requests went to the local limit.
    assert bot.log_text().count("is unreachable") == 2


def test_a_restart_on_the_same_metrics_folder_starts_counting_from_zero(
    start_bot: Callable[..., Bot], tmp_path: Path
) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "notes.txt").write_text("not prometheus-client's: kept")
    first = start_bot(WORKERS="2", PROMETHEUS_MULTIPROC_DIR=str(folder))
    connection = HTTPConnection("127.0.0.1", first.port, timeout=30)
    first.held.append(connection)
    for _ in range(3):
        assert request(connection, "POST", "/api/messages", activity(*QUESTIONS[0]))[0] == 200
    assert scrape(connection) == (3.0, 0.0)
    connection.close()
    first.process.terminate()
    assert first.process.wait(timeout=30) == 0
    assert list(folder.glob("*.db"))  # the first run's counts are still on disk

    second = start_bot(WORKERS="2", PROMETHEUS_MULTIPROC_DIR=str(folder))
    fresh = HTTPConnection("127.0.0.1", second.port, timeout=30)
    second.held.append(fresh)
    assert scrape(fresh) == (0.0, 0.0)  # the previous run's files were removed at start
    assert (folder / "notes.txt").exists()


def test_a_broken_notice_stops_start_up_before_any_worker_is_forked(tmp_path: Path) -> None:
    broken = tmp_path / "fr-FR" / "broken.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    environ = {**os.environ, "NOTICES_DIR": str(tmp_path), "WORKERS": "2", "PORT": str(free_port())}
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=environ, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"{broken}: invalid YAML front matter" in result.stderr
    assert "Traceback" not in result.stderr and "Booting worker" not in result.stderr


def test_the_workers_keep_idle_connections_for_idle_timeout_seconds(kb: KnowledgeBase) -> None:
    """gunicorn's keep-alive is IDLE_TIMEOUT_SECONDS, the value create_app's server uses."""
    settings = Settings(workers=2, idle_timeout_seconds=33)
    assert WorkerProcesses(settings, kb).cfg.keepalive == 33
