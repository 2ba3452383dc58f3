"""Choosing a tip without a subscription: the tip of the day shown in App Home, `/srm tip` and Teams."""

from __future__ import annotations

import datetime as dt

from bot.core.model import KnowledgeBase, Tip


def tip_of_the_day(kb: KnowledgeBase, day: dt.date | None = None) -> Tip:
    """The same tip for everyone on a given day, cycling through all tips in file order."""
    day = day or dt.date.today()
    return kb.tips[day.toordinal() % len(kb.tips)]
