"""How a tip reaches a platform: the `TipSender` protocol, its error, and the registry the clock picks from.

Slack's sender (`bot.tips.slack_sender`) is always available. The Teams sender (`bot.teams.tip_sender`,
`TeamsTipSender()`) is loaded only when Teams is configured (`CLIENT_ID` or `DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS`
set) and the module imports.
"""

from __future__ import annotations

import importlib
import logging
import os
from typing import Protocol

from sqlalchemy import Engine

from bot.core.model import Entry, Tip
from bot.store.models import TipSubscription

log = logging.getLogger("srm.tips")


class DeliveryError(Exception):
    """A tip could not be posted.

    `permanent`: the channel can never receive it (the bot was removed, the channel archived...): the subscription
    is deactivated. Otherwise the clock retries, after `retry_after` seconds when the platform said so.
    """

    def __init__(self, reason: str, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


class TipSender(Protocol):
    """Posts one tip to one subscribed channel on one platform."""

    platform: str

    def send(self, subscription: TipSubscription, tip: Tip, entry: Entry) -> str:
        """Post the tip; return the platform's message id (Slack `ts`); raise DeliveryError on failure."""
        ...


def teams_configured() -> bool:
    """True when the environment sets up the Teams bot."""
    return bool(os.environ.get("CLIENT_ID") or os.environ.get("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS"))


def load_senders(engine: Engine) -> dict[str, TipSender]:
    """The senders by platform: Slack always, Teams when configured and importable."""
    from bot.tips.slack_sender import SlackTipSender

    senders: dict[str, TipSender] = {"slack": SlackTipSender.from_env(engine)}
    if teams_configured():
        try:
            module = importlib.import_module("bot.teams.tip_sender")
            senders["teams"] = module.TeamsTipSender()
        except ImportError as exc:
            log.warning("tips: Teams is configured but its tip sender cannot be loaded (%s); Teams channels wait",
                        exc)
    return senders
