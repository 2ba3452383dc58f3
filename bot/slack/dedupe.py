"""Slack retries an event it thinks we missed (`X-Slack-Retry-Num`, same `event_id`): answer each event once."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from logging import Logger
from typing import Any

from slack_bolt import BoltRequest, BoltResponse

DEFAULT_TTL_SECONDS = 3600.0
"""Slack's last retry comes about 5 minutes after the event; an hour is a wide margin."""
DEFAULT_MAX_EVENTS = 10000


class SeenEvents:
    """A bounded, thread-safe TTL set of event ids. `first_time(key)` is True once per key within the TTL."""

    def __init__(self, ttl_seconds: float = DEFAULT_TTL_SECONDS, max_size: int = DEFAULT_MAX_EVENTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._max = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """Remember `key`; True if it was not seen within the TTL."""
        now = self._clock()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) <= now - self._ttl or len(self._seen) >= self._max):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


def dedupe_middleware(seen: SeenEvents) -> Callable[..., BoltResponse | None]:
    """A Bolt listener middleware (on event listeners) that acknowledges a repeated `event_id` with 200 and does
    nothing else."""

    def middleware(body: dict[str, Any], request: BoltRequest, logger: Logger,
                   next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not request.lazy_only and not seen.first_time(str(event_id)):
            retry = request.headers.get("x-slack-retry-num", ["-"])[0]
            logger.info("duplicate event %s (retry %s) acknowledged without a reply", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    return middleware
