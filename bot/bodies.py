"""Request bodies from outside, for both chat processes: a size limit, a deadline for slow clients, and JSON read
with a nesting limit (the standard parser raises RecursionError on deep nesting, and so do deep copies later).
Failures are `BodyError`s carrying the HTTP status to answer with."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.numbers import ascii_int

MAX_BODY_BYTES = 2 * 1024 * 1024
"""Slack's and Teams' requests are a few kilobytes; anything past this is refused with 413 before it is read."""
MAX_JSON_DEPTH = 64
"""Their payloads nest a dozen levels (a message's rich-text blocks, a card); deeper is an attack on the parsers."""
BODY_DEADLINE_S = 10.0
"""Slack and Teams send a request in well under a second; a body still arriving after this is a slow client."""


class BodyError(Exception):
    """A request refused with HTTP `status` and a one-line `reason` (said to the client and logged)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Disconnected(Exception):
    """The client went away before its body was complete."""


def too_large() -> BodyError:
    """The 413 for a body past MAX_BODY_BYTES."""
    return BodyError(413, f"requests are limited to {MAX_BODY_BYTES} bytes")


def depth(value: Any) -> int:
    """How deep lists and objects nest in a parsed JSON value (iteratively: no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def load_json(text: str | bytes) -> Any:
    """Parse JSON; BodyError (400) when it is not JSON or nests deeper than MAX_JSON_DEPTH."""
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise BodyError(400, "JSON nested too deep") from None
    except ValueError as exc:  # JSONDecodeError, and UnicodeDecodeError for bytes that are not UTF-8
        raise BodyError(400, f"not JSON ({type(exc).__name__})") from None
    if depth(parsed) > MAX_JSON_DEPTH:
        raise BodyError(400, f"JSON nested deeper than {MAX_JSON_DEPTH}")
    return parsed


async def read_body(receive: Callable[[], Awaitable[dict[str, Any]]], limit: int = MAX_BODY_BYTES) -> bytes:
    """An ASGI request's whole body; BodyError (413) as soon as it passes `limit`, Disconnected if the client
    leaves. The caller bounds the time (BODY_DEADLINE_S)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        body += message.get("body", b"")
        if len(body) > limit:
            raise too_large()
        if not message.get("more_body"):
            return bytes(body)


def declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    """An ASGI request's Content-Length, None when absent; BodyError (400 not ASCII digits, 413 too large)."""
    raw = next((value for name, value in headers if name.lower() == b"content-length"), None)
    if raw is None:
        return None
    length = ascii_int(raw.decode("latin-1"))
    if length is None:
        raise BodyError(400, "a Content-Length of ASCII digits is required")
    if length > MAX_BODY_BYTES:
        raise too_large()
    return length
