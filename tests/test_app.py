"""``python app.py`` as a user runs it: it serves, or it says clearly why it cannot."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_app(env: dict[str, str], timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_broken_notice_stops_start_up_with_a_message_naming_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "fr-FR" / "broken.md"
    broken.parent.mkdir()
    broken.write_text("---\ntitle: [oops\n---\nbody\n", encoding="utf-8")
    result = run_app({"NOTICES_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert f"{broken}: invalid YAML front matter" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "abc"}, "PORT must be a whole number"),
        ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL must be one of"),
    ],
)
def test_a_bad_setting_stops_start_up_with_its_name(environ: dict[str, str], message: str) -> None:
    result = run_app(environ)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_default_locale_stops_start_up() -> None:
    result = run_app({"DEFAULT_LOCALE": "pt-BR"})
    assert result.returncode == 1
    assert "DEFAULT_LOCALE: no notice in 'pt-BR'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_stops_start_up_with_a_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_app({"PORT": str(port), "HOST": "127.0.0.1"})
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_app_py_serves_healthz() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1"}
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz", timeout=1
                ) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the bot did not come up"
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
