"""Plain text for the terminal: a stack's short form (`srm stack`) and two services compared (`srm compare`)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bot.core.matrix import Difference, Row, StackSummary
from bot.core.model import Service
from bot.core.ownership import Decision
from bot.core.presentation import checks_line

WIDTH = 100
_OWNER_WORDS = {"aws": "AWS", "customer": "Customer", "shared": "Shared"}


def _wrap(text: str, initial: str, subsequent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=initial, subsequent_indent=subsequent,
                         break_long_words=False, break_on_hyphens=False)


def checked_by(row: Row) -> str | None:
    """The "Checked by: ..." line of a matrix row, or None when nothing checks it."""
    return checks_line(row.checks)


def render_stack(summary: StackSummary) -> str:
    """Counts per owner, then the customer's duties as a checklist grouped by layer."""
    names = ", ".join(s.name for s in summary.services)
    counts = summary.counts
    total = sum(counts.values())
    lines = [f"Stack: {names}",
             f"{total} responsibilities: {counts['customer']} yours, {counts['shared']} shared, "
             f"{counts['aws']} AWS's", "", "Your checklist, by layer:"]
    for layer, rows in summary.checklist:
        lines += ["", layer.name]
        for row in rows:
            shared = " (shared with AWS)" if row.owner == "shared" else ""
            what = row.customer_does if row.entry is None else row.topic
            lines += _wrap(f"{row.service.name}{shared}: {what}", "  [ ] ", "      ")
            if (checks := checked_by(row)) is not None:
                lines += _wrap(checks, "      ", "        ")
    ids = ",".join(s.id for s in summary.services)
    lines += ["", f"The full matrix, with AWS's side and its evidence: srm matrix --services {ids} --format csv"]
    return "\n".join(lines)


def render_compare(first: Service, second: Service, differences: Sequence[Difference]) -> str:
    """The layers whose owner differs between two services, side by side."""
    if not differences:
        return f"{first.name} and {second.name}: every layer has the same owner."
    plural = "s" if len(differences) != 1 else ""
    lines = [f"{first.name} vs {second.name}: {len(differences)} layer{plural} with a different owner"]
    for difference in differences:
        lines += ["", difference.layer.name]
        lines += _side(first, difference.first) + _side(second, difference.second)
    return "\n".join(lines)


def _side(service: Service, decision: Decision) -> list[str]:
    owner = _OWNER_WORDS[decision.owner]
    text = (f"{service.name}: {owner}. {decision.statement.note}" if decision.statement
            else f"{service.name}: {owner} (the default on {service.category} services)")
    return _wrap(text, "  ", "    ")
