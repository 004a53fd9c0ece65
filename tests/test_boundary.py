"""The HTTP boundary as a hostile network sees it: raw sockets, bodies in segments."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import shown
from tests.test_web import activity

# Long enough that the server's read loop runs before the second half is sent:
# this separates the two TCP segments, it synchronises nothing.
SEGMENT_GAP_SECONDS = 0.05


async def post_in_segments(url: str, path: str, body: bytes, parts: int = 2) -> tuple[int, Any]:
    """POST ``body`` over a raw socket in ``parts`` writes, each flushed on its own."""
    address = urlsplit(url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    writer.write(head)
    step = -(-len(body) // parts)
    for start in range(0, len(body), step):
        writer.write(body[start : start + step])
        await writer.drain()
        await asyncio.sleep(SEGMENT_GAP_SECONDS)
    response = await reader.read()
    writer.close()
    await writer.wait_closed()
    head_bytes, _, payload = response.partition(b"\r\n\r\n")
    status = int(head_bytes.split()[1])
    return status, json.loads(payload) if payload else None


def teams_shaped(text: str = "Are IP addresses shared?") -> bytes:
    """A ~1.5 KB activity like the ones Teams sends."""
    body = activity(
        text,
        channelData={"tenant": {"id": "t" * 36}, "clientActivityId": "c" * 40, "pad": "p" * 900},
        entities=[{"type": "clientInfo", "locale": "en-US", "country": "US", "platform": "Web"}],
    )
    return json.dumps(body).encode()


@pytest.mark.parametrize("parts", [2, 5])
async def test_a_message_body_in_several_segments_is_read_whole(bot_url: str, parts: int) -> None:
    body = teams_shaped()
    assert len(body) > 1400
    status, reply = await post_in_segments(bot_url, "/api/messages", body, parts)
    assert status == 200, reply
    assert "IP addresses" in shown(reply["activities"][0])


async def test_a_widget_body_in_several_segments_is_read_whole(bot_url: str) -> None:
    body = json.dumps({"type": "message", "text": "Is my IP address shared?", "pad": "p" * 1500})
    status, reply = await post_in_segments(bot_url, "/api/widget/messages", body.encode())
    assert status == 200, reply
    assert "IP addresses" in shown(reply["activities"][0])


async def test_a_body_over_the_limit_in_segments_is_413(bot_url: str) -> None:
    body = json.dumps(activity("x" * 300_000)).encode()
    status, problem = await post_in_segments(bot_url, "/api/messages", body, 3)
    assert status == 413 and "larger than" in problem["error"]
