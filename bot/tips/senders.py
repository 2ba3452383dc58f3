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
from bot.tips.quiz import QuizCard

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
    timeout: float
    """Seconds one send may take at most (the clock's claim lease must outlast it)."""

    def send(self, subscription: TipSubscription, tip: Tip, entry: Entry, *, quiz: QuizCard | None = None) -> str:
        """Post the tip (or, for a quiz subscription, `quiz`); return the platform's message id (Slack `ts`); raise
        DeliveryError on failure."""
        ...


def teams_configured() -> bool:
    """True when the environment sets up the Teams bot (credentials, or the development flag set to true)."""
    from bot.teams.settings import _TRUE, UNAUTHENTICATED_ENV

    return bool(os.environ.get("CLIENT_ID")) or os.environ.get(UNAUTHENTICATED_ENV, "").strip().lower() in _TRUE


def load_senders(engine: Engine) -> dict[str, TipSender]:
    """The senders by platform: Slack when its settings are complete, Teams when configured and importable.
    A platform left out is logged; its channels wait (the clock says so for each)."""
    from bot.slack.settings import SettingsError, SlackSettings
    from bot.tips.slack_sender import SlackTipSender

    senders: dict[str, TipSender] = {}
    try:
        senders["slack"] = SlackTipSender.from_settings(SlackSettings.from_env("clock"), engine)
    except SettingsError as exc:
        log.warning("tips: Slack is not configured (%s); Slack channels wait", exc)
    if teams_configured():
        try:
            module = importlib.import_module("bot.teams.tip_sender")
            senders["teams"] = module.TeamsTipSender()
        except ImportError as exc:
            log.warning("tips: Teams is configured but its tip sender cannot be loaded (%s); Teams channels wait",
                        exc)
    return senders
