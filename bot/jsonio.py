"""JSON in and out of HTTP: orjson, with the standard library where orjson refuses.

orjson parses and serialises several times faster than ``json`` (encoding an
answer card was 6 % of a turn; see the README's HTTP section). It is stricter
than the standard library: it refuses lone surrogates (``"\\ud800"``), NaN and
Infinity. A body orjson refuses is read again by ``json``, so what the
standard library accepts still gets the same answer as before (a lone
surrogate in an activity id gets the 400 that names the field, not "not
valid JSON"); only a body both refuse is not JSON. Replies go out the same way:
whatever orjson cannot encode is encoded by ``json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

JSON = "application/json"


def loads(raw: bytes) -> Any:
    """The JSON value of a body; ValueError (or RecursionError) if it is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        # Lone surrogates, NaN, Infinity, nesting past orjson's limit: the
        # standard library decides, and raises ValueError if it is not JSON either.
        return json.loads(raw)


def dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # lone surrogates in a string, integers past 64 bits
        return json.dumps(value).encode("utf-8")


def response(
    value: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """``web.json_response`` with orjson: the same content type and charset."""
    return web.Response(
        body=dumps(value), status=status, headers=headers, content_type=JSON, charset="utf-8"
    )
