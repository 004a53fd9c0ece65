"""bot.jsonio: orjson where it can, the standard library where orjson refuses."""

from __future__ import annotations

import json

import pytest

from bot import jsonio


@pytest.mark.parametrize(
    "raw",
    [
        b'{"type": "message", "text": "caf\\u00e9 \\u2019"}',
        b'{"id": "\\ud800"}',  # a lone surrogate: orjson refuses, json reads it
        b'{"n": NaN}',  # orjson refuses NaN
        b'{"big": 123456789012345678901234567890}',  # orjson would read a float
        b'{"small": -123456789012345678901234567890}',
        b'{"edge": 9223372036854775808, "e": 1e400}',
    ],
)
def test_reads_what_the_standard_library_reads(raw: bytes) -> None:
    expected = json.loads(raw)
    got = jsonio.loads(raw)
    assert json.dumps(got) == json.dumps(expected)
    assert [type(v) for v in got.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("raw", [b"", b"{", b'{"a": 1,}', b"\xff\xfe"])
def test_what_neither_reads_is_a_value_error(raw: bytes) -> None:
    with pytest.raises(ValueError):
        jsonio.loads(raw)


def test_nesting_past_both_limits_is_a_recursion_error() -> None:
    # bot.botframework.body turns it into "body is nested too deeply".
    with pytest.raises(RecursionError):
        jsonio.loads(b"[" * 100_000 + b"]" * 100_000)


@pytest.mark.parametrize(
    "value",
    [
        {"activities": [{"type": "message", "text": "Données « transmises » 📞"}]},
        {"text": "lone \ud800 surrogate"},
        {"big": 2**70},
    ],
)
def test_writes_the_same_json_value(value: object) -> None:
    assert json.loads(jsonio.dumps(value)) == value


def test_a_response_is_json_in_utf_8() -> None:
    response = jsonio.response({"error": "é"}, 400, {"X-Test": "1"})
    assert response.status == 400
    assert response.content_type == "application/json" and response.charset == "utf-8"
    assert response.headers["X-Test"] == "1"
    assert response.body == '{"error":"é"}'.encode()
