"""The words of stack and compare replies, the same on every platform (each renderer escapes and styles them)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.matrix import Row, StackSummary
from bot.core.model import Service
from bot.core.ownership import Decision
from bot.core.presentation import OWNER_EMOJI, owner_label
from bot.core.service_names import unknown_message

CHECKLIST_BOX = "\u2610"
CHECKLIST_HEADING = "Your checklist, by layer:"


def names(services: Sequence[Service]) -> str:
    """"Amazon EC2, Amazon RDS"."""
    return ", ".join(s.name for s in services)


def ids(services: Sequence[Service]) -> str:
    """"ec2,rds": what an Export button carries."""
    return ",".join(s.id for s in services)


def counts(summary: StackSummary) -> str:
    """"156 responsibilities: 🟠 83 yours · 🟢 34 shared · 🔵 39 AWS's"."""
    c = summary.counts
    return (f"{sum(c.values())} responsibilities: {OWNER_EMOJI['customer']} {c['customer']} yours \u00b7 "
            f"{OWNER_EMOJI['shared']} {c['shared']} shared \u00b7 {OWNER_EMOJI['aws']} {c['aws']} AWS's")


def fallback(summary: StackSummary) -> str:
    """The notification text of a stack reply."""
    c = summary.counts
    return f"Stack {names(summary.services)}: {c['customer']} yours, {c['shared']} shared, {c['aws']} AWS's"


def duty(row: Row) -> tuple[str, str]:
    """(whose: "Amazon EC2 (shared with AWS)", what the customer does) for one line of the checklist."""
    shared = " (shared with AWS)" if row.owner == "shared" else ""
    return f"{row.service.name}{shared}", row.customer_does if row.entry is None else row.topic


def more_duties(left: int) -> str:
    """Said when the checklist is longer than one message holds."""
    return f"\u2026and {left} more of your duties: Export has them all."


def export_hint(services: Sequence[Service]) -> str:
    """Where the full matrix is."""
    return (f"The full matrix, with AWS's side, its evidence and sources: Export, or srm matrix --services "
            f"{ids(services)} --format csv in a terminal.")


def side(service: Service, decision: Decision) -> str:
    """One service's side of a differing layer: "Shared. <its statement>" or "Customer (the default on ...)"."""
    owner = owner_label(decision.owner).split(":")[0]
    if decision.statement:
        return f"{owner}. {decision.statement.note}"
    return f"{owner} (the default on {service.category} services)"


def compare_summary(first: Service, second: Service, differing: int) -> str:
    """"Amazon EC2 vs AWS Lambda: 6 layers with a different owner" (or that every layer has the same owner)."""
    if not differing:
        return f"{first.name} vs {second.name}: every layer has the same owner."
    return f"{first.name} vs {second.name}: {differing} layer{'s' if differing != 1 else ''} with a different owner"


def unknown_lines(suggestions: Sequence[tuple[str, Sequence[Service]]]) -> list[str]:
    """One line per name that is no service, with "did you mean" (the terminal's wording)."""
    return [unknown_message(name, tuple(found)) for name, found in suggestions]


SERVICES_HINT = "lists the services I know."
"""Said after the `services` command, in each platform's way of writing it."""
