"""JSON in and out of HTTP: orjson, with the standard library where they differ.

orjson parses and serialises several times faster than ``json`` (encoding an
answer card was 6 % of a turn; see the README's HTTP section). Where the two
would read a body differently, the standard library reads it, so every
request gets the answer it got before:

- orjson refuses lone surrogates (``"\\ud800"``), NaN and Infinity, and nesting
  past 1,024 levels: a body it refuses is read again by ``json`` (so a lone
  surrogate in an activity id still gets the 400 that names the field); only a
  body both refuse is not JSON;
- orjson reads an integer past 64 bits as a float, ``json`` exactly: a body
  with a run of 19 digits or more (which may be such a number) goes to ``json``.

Replies are written by orjson; whatever it cannot encode (lone surrogates,
integers past 64 bits) by ``json``. orjson writes a NaN as ``null``, where
``json`` wrote the invalid token ``NaN``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import orjson
from aiohttp import web

JSON = "application/json"
# 2**63 has 19 digits: a shorter run of digits is always within orjson's integers.
_MAYBE_PAST_64_BITS = re.compile(rb"\d{19,}")


def loads(raw: bytes) -> Any:
    """The JSON value of a body; ValueError (or RecursionError) if it is not JSON."""
    if _MAYBE_PAST_64_BITS.search(raw):
        return json.loads(raw)
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
