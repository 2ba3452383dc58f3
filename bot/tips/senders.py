"""How a tip reaches a platform: the `TipSender` protocol, its error, and the senders the platforms register.

This package imports no platform. Each platform registers a factory in the `srm.tip_senders` entry-point group
(pyproject.toml: `bot.slack.tip_sender:from_environment`, `bot.teams:tip_sender_from_environment`); the factory takes
the store's engine and returns the platform's sender, or None when the environment does not set the platform up (it
says why when that is worth saying). A plugin adds a platform the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
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


SENDER_GROUP = "srm.tip_senders"
"""The entry-point group where each platform registers its tip sender's factory."""

SenderFactory = Callable[[Engine], TipSender | None]


def registered_senders() -> list[EntryPoint]:
    """The tip senders the installed platforms register, by name."""
    return sorted(entry_points(group=SENDER_GROUP), key=lambda point: point.name)


def load_senders(engine: Engine) -> dict[str, TipSender]:
    """The senders by platform, from every registered factory that the environment sets up. A platform that
    cannot be loaded is logged and left out; its channels wait (the clock says so for each)."""
    registered = registered_senders()
    if not registered:
        log.error("tips: no platform registered a tip sender (entry points %r): is srm-bot installed? "
                  "(pip install -e . in a checkout)", SENDER_GROUP)
    senders: dict[str, TipSender] = {}
    for point in registered:
        try:
            factory: SenderFactory = point.load()
            sender = factory(engine)
        except ImportError as exc:
            log.warning("tips: the %s tip sender cannot be loaded (%s); %s channels wait", point.name, exc,
                        point.name)
            continue
        if sender is not None:
            senders[sender.platform] = sender
    return senders
