"""Which tip a channel gets next: every tip once before any repeats, in knowledge-base order.

The memory is the delivery rows in the database (how often each tip id went to the channel), so the order survives
restarts, and a tip added to the knowledge base later is simply the least-seen one and comes up next.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from bot.core.model import Tip


def next_tip(tips: Sequence[Tip], seen: Mapping[str, int]) -> Tip:
    """The least-seen tip, ties broken by file order."""
    if not tips:
        raise ValueError("the knowledge base has no tips")
    return min(tips, key=lambda tip: seen.get(tip.id, 0))


def upcoming(tips: Sequence[Tip], seen: Mapping[str, int], count: int) -> list[Tip]:
    """The next `count` tips a channel with history `seen` will get, in order."""
    counts = Counter(seen)
    order = []
    for _ in range(count):
        tip = next_tip(tips, counts)
        counts[tip.id] += 1
        order.append(tip)
    return order
