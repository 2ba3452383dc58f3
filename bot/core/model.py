"""The knowledge base as typed, immutable objects.

Everything here is plain data: the loader (`bot.core.loader`) builds it from YAML and validates it, the matcher
(`bot.core.matcher`) indexes it, and every chat adapter renders it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Owner = Literal["aws", "customer", "shared"]
OWNERS: tuple[Owner, ...] = ("aws", "customer", "shared")
CONTROL_TYPES = ("inherited", "shared", "customer-specific")
SERVICE_CATEGORIES = ("infrastructure", "managed", "abstracted")
ARTIFACT_ACCESS = ("public", "artifact")

OWNER_LABELS: dict[str, str] = {
    "aws": "AWS: security OF the cloud",
    "customer": "Customer: security IN the cloud",
    "shared": "Shared: AWS and the customer each own a part",
}


@dataclass(frozen=True)
class Link:
    """A documentation link."""

    title: str
    url: str


@dataclass(frozen=True)
class Override:
    """How an entry's answer changes on one service."""

    service: str
    owner: Owner
    note: str


@dataclass(frozen=True)
class Entry:
    """One responsibility topic: who owns it, why, and what the customer should do."""

    id: str
    title: str
    owner: Owner
    summary: str
    explanation: str
    aliases: tuple[str, ...]
    links: tuple[Link, ...]
    reviewed: dt.date
    keywords: tuple[str, ...] = ()
    customer_actions: tuple[str, ...] = ()
    aws_features: tuple[str, ...] = ()
    control: str | None = None
    artifacts: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    source: str = ""

    def override_for(self, service_id: str | None) -> Override | None:
        """The override for `service_id`, or None when the entry has none for it."""
        return next((o for o in self.overrides if o.service == service_id), None)


@dataclass(frozen=True)
class Service:
    """An AWS service the bot knows by name."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    summary: str
    security_url: str


@dataclass(frozen=True)
class Artifact:
    """An audit report, certificate or agreement that evidences AWS's side."""

    id: str
    name: str
    attests: str
    access: str
    how: str
    url: str


@dataclass(frozen=True)
class Tip:
    """A short daily tip tied to an entry."""

    id: str
    entry: str
    text: str


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole validated knowledge base, with lookups by id."""

    entries: tuple[Entry, ...]
    services: tuple[Service, ...]
    artifacts: tuple[Artifact, ...]
    tips: tuple[Tip, ...]
    root: str = ""
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    _services: dict[str, Service] = field(default_factory=dict, repr=False, compare=False)
    _artifacts: dict[str, Artifact] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.entries})
        self._services.update({s.id: s for s in self.services})
        self._artifacts.update({a.id: a for a in self.artifacts})

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return self._services.get(service_id)

    def artifact(self, artifact_id: str) -> Artifact | None:
        """The audit artifact with this id, or None."""
        return self._artifacts.get(artifact_id)
