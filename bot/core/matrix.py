"""The customer responsibility matrix of a stack of services, its short form, and two services compared.

For each service: one row per layer of the catalog (its owner from the service's statement for the layer, else
the category's default: `ownership.decide_layer`) and one row per entry that has an override for the service
(its owner from `ownership.decide`). Each row says what the customer does, what AWS does, the audit artifacts that
evidence AWS's side, the source and the day it was verified, and the checks that verify the customer's part.
The customer's duties come first (customer, then shared, then AWS), grouped by layer in the catalog's order.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.checks import ChecksIndex
from bot.core.model import OWNERS, Artifact, Check, Entry, KnowledgeBase, Layer, Owner, Service, Side
from bot.core.ownership import Decision, decide, decide_layer

_OWNER_RANK = {"customer": 0, "shared": 1, "aws": 2}


@dataclass(frozen=True)
class Row:
    """One (service, layer) or (service, entry) line of the matrix."""

    service: Service
    layer: Layer
    """The layer of a layer row; for an entry row, the layer that decides the entry (its group in the matrix)."""
    entry: Entry | None
    """None for a layer row."""
    decision: Decision
    customer_does: str
    aws_does: str
    artifacts: tuple[Artifact, ...]
    """The audit artifacts that evidence AWS's side (none when the customer owns the row)."""
    source: str
    verified: dt.date
    checks: tuple[Check, ...]
    """What verifies the customer's part (none when AWS owns the row)."""

    @property
    def owner(self) -> Owner:
        """Who owns this row on this service."""
        return self.decision.owner

    @property
    def topic(self) -> str:
        """The entry's title, or the layer's name for a layer row."""
        return self.entry.title if self.entry else self.layer.name


@dataclass(frozen=True)
class StackSummary:
    """The short form of a stack's matrix: rows per owner, and the customer's duties as a checklist by layer."""

    services: tuple[Service, ...]
    counts: dict[str, int]
    """Rows per owner, every owner present (0 when none)."""
    checklist: tuple[tuple[Layer, tuple[Row, ...]], ...]
    """The rows the customer owns or shares, grouped by layer in the catalog's order."""


@dataclass(frozen=True)
class Difference:
    """A layer whose owner differs between two services."""

    layer: Layer
    first: Decision
    second: Decision


def matrix(kb: KnowledgeBase, services: Sequence[Service]) -> tuple[Row, ...]:
    """The customer responsibility matrix of `services`: customer duties first, grouped by layer."""
    attesting, checks = _attesting_artifacts(kb), ChecksIndex(kb.checks)
    rows = [_layer_row(kb, service, layer, attesting, checks) for service in services for layer in kb.layers]
    rows += [_entry_row(kb, service, entry, checks) for service in services for entry in kb.entries
             if entry.override_for(service.id) is not None and entry.layers and kb.layer(entry.layers[0])]
    layer_order = {layer.id: index for index, layer in enumerate(kb.layers)}
    service_order = {service.id: index for index, service in enumerate(services)}
    entry_order = {entry.id: index for index, entry in enumerate(kb.entries)}
    return tuple(sorted(rows, key=lambda r: (
        _OWNER_RANK[r.owner], layer_order[r.layer.id], service_order[r.service.id],
        -1 if r.entry is None else entry_order[r.entry.id])))


def stack_summary(kb: KnowledgeBase, services: Sequence[Service],
                  rows: Sequence[Row] | None = None) -> StackSummary:
    """Counts per owner and the customer's checklist for `services` (from `rows` when already built)."""
    rows = matrix(kb, services) if rows is None else rows
    counted = Counter(row.owner for row in rows)
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        if row.owner != "aws":
            grouped.setdefault(row.layer.id, []).append(row)
    checklist = tuple((layer, tuple(grouped[layer.id])) for layer in kb.layers if layer.id in grouped)
    return StackSummary(tuple(services), {owner: counted[owner] for owner in OWNERS}, checklist)


def compare(kb: KnowledgeBase, first: Service, second: Service) -> tuple[Difference, ...]:
    """The layers whose owner on `first` differs from the owner on `second`, in the catalog's order."""
    pairs = ((layer, decide_layer(kb, first, layer), decide_layer(kb, second, layer)) for layer in kb.layers)
    return tuple(Difference(layer, a, b) for layer, a, b in pairs if a.owner != b.owner)


def _layer_row(kb: KnowledgeBase, service: Service, layer: Layer, attesting: dict[str, tuple[Artifact, ...]],
               checks: ChecksIndex) -> Row:
    decision = decide_layer(kb, service, layer)
    statement = decision.statement
    layer_entry = kb.entry(layer.entry) if layer.entry else None
    sides = () if statement or layer_entry is None else layer_entry.sides
    customer_does, aws_does = _parts(decision.owner, statement.note if statement else layer.explanation, sides)
    source, verified = ((statement.source, statement.verified) if statement
                        else (layer.sources[0].url, layer.sources[0].verified))
    return Row(service, layer, None, decision, customer_does, aws_does,
               attesting.get(layer.id, ()) if decision.owner != "customer" else (), source, verified,
               checks.lookup(service.id, layer=layer.id) if decision.owner != "aws" else ())


def _entry_row(kb: KnowledgeBase, service: Service, entry: Entry, checks: ChecksIndex) -> Row:
    decision = decide(kb, entry, service)
    override = entry.override_for(service.id)
    text = override.note if override else entry.summary
    customer_does, aws_does = _parts(decision.owner, text, ())
    layer = kb.layer(entry.layers[0])
    assert layer is not None  # matrix() keeps only entries whose deciding layer is in the catalog
    artifacts = tuple(a for a in (kb.artifact(i) for i in entry.artifacts) if a is not None
                      ) if decision.owner != "customer" else ()
    if override is not None:
        source, verified = override.source, override.verified
    else:
        source, verified = (entry.links[0].url if entry.links else service.security_url), entry.verified
    assert verified is not None  # the loader dates every link of an entry
    return Row(service, layer, entry, decision, customer_does, aws_does, artifacts, source, verified,
               checks.lookup(service.id, entry=entry.id) if decision.owner != "aws" else ())


def _parts(owner: str, text: str, sides: Sequence[Side]) -> tuple[str, str]:
    """(what the customer does, what AWS does): all of `text` for the owner; for a shared row each side's own
    text when the control has sides, else `text` for both."""
    if owner == "customer":
        return text, ""
    if owner == "aws":
        return "", text
    by_owner = {side.owner: side.text for side in sides}
    return by_owner.get("customer", text), by_owner.get("aws", text)


def _attesting_artifacts(kb: KnowledgeBase) -> dict[str, tuple[Artifact, ...]]:
    """For each layer, the artifacts cited by the AWS-owned and shared entries of that layer, most cited first."""
    cited: dict[str, Counter[str]] = {}
    for entry in kb.entries:
        if entry.owner == "customer":
            continue
        for layer_id in entry.layers:
            cited.setdefault(layer_id, Counter()).update(entry.artifacts)
    catalog = {artifact.id: index for index, artifact in enumerate(kb.artifacts)}
    result = {}
    for layer_id, counts in cited.items():
        ids = sorted((i for i in counts if i in catalog), key=lambda i: (-counts[i], catalog[i]))
        result[layer_id] = tuple(a for a in (kb.artifact(i) for i in ids) if a is not None)
    return result
