"""Slack retries an event it thinks we missed (`X-Slack-Retry-Num`, same `event_id`): answer each event once.

Two checks: this process's memory first (free, and enough with one web process), then, when a store is
configured, the database every web process shares (`Store.first_time_event`), so a retry that lands on another
gunicorn worker or dyno is recognised too. When the database does not answer, the memory's answer stands (the event
is answered, at worst twice across processes, never dropped), the outage is logged, and the database is asked again
after SHARED_RETRY_S.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from logging import Logger
from typing import Any, Protocol

from slack_bolt import BoltRequest, BoltResponse

DEFAULT_TTL_SECONDS = 3600.0
"""Slack's last retry comes about 5 minutes after the event; an hour is a wide margin."""
DEFAULT_MAX_EVENTS = 10000
SHARED_DEADLINE_S = 1.0
"""The shared check may take this long at most: Slack wants its 200 within 3 s, so a slow database must not delay
the acknowledgement (past the deadline the memory decides, as when the database is down)."""
SHARED_RETRY_S = 30.0
"""After the shared database failed, events are checked in memory only for this long (no request waits on it)."""

LOGGER = logging.getLogger("srm.slack.dedupe")


class EventLedger(Protocol):
    """Where every process records the event ids it took (the store)."""

    def first_time_event(self, event_id: str) -> bool:
        """True when no process recorded `event_id` before; raises when the ledger cannot be reached."""
        ...


class SeenEvents:
    """A bounded, thread-safe TTL set of event ids, optionally backed by a ledger shared by every process.

    `first_time(key)` is True once per key within the TTL in this process; `first_time_anywhere(key)` also asks
    the shared ledger (when there is one) about keys this process has not seen.
    """

    def __init__(self, ttl_seconds: float = DEFAULT_TTL_SECONDS, max_size: int = DEFAULT_MAX_EVENTS,
                 clock: Callable[[], float] = time.monotonic, *, shared: EventLedger | None = None,
                 shared_retry_s: float = SHARED_RETRY_S) -> None:
        self._shared = shared
        self._shared_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="srm-dedupe") if shared else None
        self._shared_retry_s = shared_retry_s
        self._shared_down_until: float | None = None
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

    def first_time_anywhere(self, key: str) -> bool:
        """True when neither this process nor (if configured and reachable) the shared ledger has seen `key`."""
        if not self.first_time(key):
            return False
        if self._shared is None:
            return True
        down_until = self._shared_down_until
        if down_until is not None and self._clock() < down_until:
            return True
        assert self._shared_pool is not None
        try:
            first = self._shared_pool.submit(self._shared.first_time_event, key).result(SHARED_DEADLINE_S)
        except Exception as exc:
            # Any failure, or no answer within the deadline (the check then finishes in the background and still
            # records the id): the memory's answer stands, never a drop.
            self._shared_down_until = self._clock() + self._shared_retry_s
            LOGGER.warning("event %s checked in memory only: the shared event store failed (%s); asking it again "
                           "in %.0f s", key, type(exc).__name__, self._shared_retry_s)
            return True
        if down_until is not None:
            self._shared_down_until = None
            LOGGER.info("the shared event store answers again")
        return first


def dedupe_middleware(seen: SeenEvents) -> Callable[..., BoltResponse | None]:
    """A Bolt listener middleware (on event listeners) that acknowledges a repeated `event_id` with 200 and does
    nothing else."""

    def middleware(body: dict[str, Any], request: BoltRequest, logger: Logger,
                   next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not request.lazy_only and not seen.first_time_anywhere(str(event_id)):
            retry = request.headers.get("x-slack-retry-num", ["-"])[0]
            logger.info("duplicate event %s (retry %s) acknowledged without a reply", event_id, retry)
            return BoltResponse(status=200, body="")
        return next()

    return middleware
