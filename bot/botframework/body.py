"""Reading a request's body: whole, within a limit, as one JSON object with a type.

Every refusal raises ``Problem``: the middleware in ``bot.web`` renders it as a
4xx with a one-line JSON reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp import web

from bot import jsonio

JSON = jsonio.JSON


class Problem(Exception):
    """A request the bot refuses: rendered as ``{"error": reason}`` with this status."""

    def __init__(self, status: int, reason: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status, reason)
        self.status = status
        self.reason = reason
        self.headers = dict(headers or {})

    def with_headers(self, headers: Mapping[str, str]) -> Problem:
        return Problem(self.status, self.reason, {**self.headers, **headers})

    def response(self) -> web.Response:
        return jsonio.response({"error": self.reason}, self.status, self.headers)


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body; Problem 413 past ``limit`` bytes.

    ``content.read(n)`` returns what has arrived so far, not n bytes: a body
    that comes in several TCP segments (any few-KB activity over the internet)
    is read until the end of the stream.
    """
    if request.content_length is not None and request.content_length > limit:
        raise Problem(413, f"body larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            chunk = await request.content.read(limit + 1 - size)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise Problem(413, f"body larger than {limit} bytes")
    except (OSError, ValueError, aiohttp.ClientPayloadError) as exc:
        raise Problem(400, "the body could not be read") from exc


async def read_json_object(request: web.Request, limit: int) -> dict[str, Any]:
    """The request's JSON object with a type; Problem says what is wrong otherwise."""
    if request.content_type != JSON:
        raise Problem(415, "Content-Type must be application/json")
    raw = await read_body(request, limit)
    try:
        data = jsonio.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise Problem(400, "body is not valid JSON") from None
    except RecursionError:
        raise Problem(400, "body is nested too deeply") from None
    if not isinstance(data, dict):
        raise Problem(400, "body must be a JSON object (an activity)")
    if not isinstance(data.get("type"), str) or not data["type"].strip():
        raise Problem(400, "activity has no type")
    return data
