"""Teams replies, sent after `/api/messages` has been answered and retried like Slack's: a connector 429 (after its
`Retry-After`), 5xx or dropped connection is tried again, up to MAX_ATTEMPTS; a reply that finally fails is logged
at ERROR with team and conversation. The request itself never fails for it (the SDK would answer 500)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from microsoft_teams.api import MessageActivityInput
from microsoft_teams.apps import ActivityContext
from microsoft_teams.cards import AdaptiveCard

from bot.numbers import ascii_seconds

logger = logging.getLogger("srm.teams.sending")
MAX_ATTEMPTS = 3
BACKOFF_S = (0.5, 2.0)
"""Waits before the second and third attempt after a 5xx or a dropped connection."""
DEFAULT_RETRY_AFTER_S = 1.0
MAX_RETRY_AFTER_S = 60.0


def retry_after(response: httpx.Response) -> float:
    """A 429's `Retry-After` in seconds (ASCII digits; DEFAULT_RETRY_AFTER_S when absent or unreadable)."""
    value = ascii_seconds(response.headers.get("retry-after"))
    return value if value is not None else DEFAULT_RETRY_AFTER_S


def _wait_before_retry(exc: Exception, attempt: int) -> float | None:
    """Seconds to wait before trying again after `exc`, or None when another attempt cannot help."""
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        if status == 429:
            return min(retry_after(exc.response), MAX_RETRY_AFTER_S)
        return BACKOFF_S[attempt - 1] if status >= 500 else None
    if isinstance(exc, httpx.ReadTimeout):
        return None  # the connector may have posted it: never post twice
    return BACKOFF_S[attempt - 1] if isinstance(exc, httpx.TransportError | OSError) else None


def _reason(exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        return f"http_{exc.response.status_code}"
    return type(exc).__name__


async def deliver(ctx: ActivityContext[Any], message: Any, *, what: str, team: str | None,
                  channel: str | None, send: Callable[[], Awaitable[Any]] | None = None) -> bool:
    """Send `message` into the activity's conversation (or, with `send`, call that: a post to another
    conversation), with retries; True once it was delivered."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            await (send() if send is not None else ctx.send(message))
            return True
        except Exception as exc:
            wait = _wait_before_retry(exc, attempt) if attempt < MAX_ATTEMPTS else None
            if wait is None:
                logger.error("could not deliver %s team=%s channel=%s after %d attempt(s): %s", what, team or "-",
                             channel or "-", attempt, _reason(exc))
                return False
            logger.warning("retrying %s team=%s channel=%s: %s (attempt %d of %d)", what, team or "-",
                           channel or "-", _reason(exc), attempt, MAX_ATTEMPTS)
            await asyncio.sleep(wait)
    return False


async def replace_or_post(ctx: ActivityContext[Any], card: AdaptiveCard, activity_id: str, *, what: str,
                          team: str | None, channel: str | None) -> bool:
    """Update the bot's activity `activity_id` to show `card` (the connector's updateActivity: PUT
    /v3/conversations/{id}/activities/{activityId}), with retries; when the update is refused (the message was
    deleted, the connector said no), `card` is posted as a new message instead, so the click is still answered."""
    if await deliver(ctx, MessageActivityInput(id=activity_id).add_card(card), what=f"{what} (update)", team=team,
                     channel=channel):
        return True
    logger.warning("posting %s as a new card instead team=%s channel=%s", what, team or "-", channel or "-")
    return await deliver(ctx, card, what=what, team=team, channel=channel)


class Replies:
    """Runs `deliver` as background tasks, so the HTTP answer to Teams never waits for a retry."""

    def __init__(self) -> None:
        self._running: set[asyncio.Task[bool]] = set()

    def send(self, ctx: ActivityContext[Any], message: Any, *, what: str, team: str | None,
             channel: str | None, replace: str | None = None) -> None:
        """Deliver `message` in the background (on the running event loop); with `replace`, the id of the bot's
        activity a click came from, that activity is updated to show `message` (a card) instead."""
        sending = (replace_or_post(ctx, message, replace, what=what, team=team, channel=channel) if replace
                   else deliver(ctx, message, what=what, team=team, channel=channel))
        task = asyncio.get_running_loop().create_task(sending)
        self._running.add(task)
        task.add_done_callback(self._running.discard)
