"""Logging: one line per request, never a token or a secret."""

from __future__ import annotations

import logging
import os

REQUEST_LOGGER = logging.getLogger("srm.request")


def configure_logging(level: str | None = None) -> None:
    """Plain one-line logs on stderr; level from `level`, else `SRM_LOG_LEVEL`, else INFO.

    The format uses neither the caller's file and line nor its thread, so records skip finding them (the logging
    HOWTO's "Optimization" settings; the caller's frame is most of that cost). The process id is still collected:
    gunicorn's own format prints it (`%(process)d`), and without it every gunicorn line became a logging error.
    """
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = logging.logMultiprocessing = False
    logging.basicConfig(
        level=(level or os.environ.get("SRM_LOG_LEVEL", "INFO")).upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def log_request(*, platform: str, team: str | None, channel: str | None, command: str, entry: str | None,
                score: float | None, ms: float, outcome: str) -> None:
    """The one log line every answered request gets (team, channel, command, matched entry, score, ms)."""
    REQUEST_LOGGER.info(
        "platform=%s team=%s channel=%s command=%s outcome=%s entry=%s score=%s ms=%.1f",
        platform, team or "-", channel or "-", command, outcome, entry or "-",
        f"{score:.3f}" if score is not None else "-", ms,
    )
