"""Logging: one line per request, never a token or a secret."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

REQUEST_LOGGER = logging.getLogger("srm.request")
PAYLOADS_ENV = "SRM_LOG_PAYLOADS"
PAYLOAD_LOGGERS = ("slack_sdk", "slack_bolt", "microsoft_teams", "httpx", "httpcore", "urllib3")
"""The loggers that print request and response bodies and URLs at DEBUG."""


def configure_logging(level: str | None = None) -> None:
    """Plain one-line logs on stderr; level from `level`, else `SRM_LOG_LEVEL`, else INFO.

    At DEBUG the Slack and Teams clients would print every request and response they send: message text and
    response URLs (which can post to the channel). They stay at INFO unless SRM_LOG_PAYLOADS=true asks for them.

    The format uses neither the caller's file and line nor its thread, so records skip finding them (the logging
    HOWTO's "Optimization" settings; the caller's frame is most of that cost). The process id is still collected:
    gunicorn's own format prints it (`%(process)d`), and without it every gunicorn line became a logging error.
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = logging.logMultiprocessing = False
    chosen = (level or os.environ.get("SRM_LOG_LEVEL", "INFO")).upper()
    logging.basicConfig(level=chosen, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if chosen == "DEBUG" and os.environ.get(PAYLOADS_ENV, "").strip().lower() not in ("1", "true", "yes"):
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)


@dataclass
class RequestLine:
    """The one line an HTTP request gets, written when its response is known: status, team, channel, what it was
    (command), and for a question answered within the request its outcome, matched entry and score."""

    platform: str
    team: str | None = None
    channel: str | None = None
    command: str = "-"
    outcome: str = "-"
    entry: str | None = None
    score: float | None = None
    started: float = field(default_factory=time.perf_counter)

    def write(self, status: int) -> None:
        """Log the line (ms since the line was opened)."""
        REQUEST_LOGGER.info(
            "platform=%s status=%d team=%s channel=%s command=%s outcome=%s entry=%s score=%s ms=%.1f",
            self.platform, status, self.team or "-", self.channel or "-", self.command, self.outcome,
            self.entry or "-", f"{self.score:.3f}" if self.score is not None else "-",
            (time.perf_counter() - self.started) * 1000)


_OPEN_LINE: ContextVar[RequestLine | None] = ContextVar("srm_request_line", default=None)


@contextmanager
def request_line(platform: str) -> Iterator[RequestLine]:
    """Open the request's line for the block (the caller fills it and `write`s it); `log_request` calls made
    inside the block fill it instead of writing a line of their own."""
    line = RequestLine(platform)
    token = _OPEN_LINE.set(line)
    try:
        yield line
    finally:
        _OPEN_LINE.reset(token)


def current_line() -> RequestLine | None:
    """The request line open in this context (thread or task), if any."""
    return _OPEN_LINE.get()


def log_request(*, platform: str, team: str | None, channel: str | None, command: str, entry: str | None,
                score: float | None, ms: float, outcome: str) -> None:
    """Report an answered question (team, channel, command, matched entry, score, ms): into the open request line
    when the question is answered within its request, else (a mention answered after the acknowledgement) as a
    line of its own."""
    line = _OPEN_LINE.get()
    if line is not None and line.platform == platform:
        line.team, line.channel = team or line.team, channel or line.channel
        line.command, line.outcome, line.entry, line.score = command, outcome, entry, score
        return
    REQUEST_LOGGER.info(
        "platform=%s team=%s channel=%s command=%s outcome=%s entry=%s score=%s ms=%.1f",
        platform, team or "-", channel or "-", command, outcome, entry or "-",
        f"{score:.3f}" if score is not None else "-", ms,
    )
