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
    """A documentation link backing an entry, and the day what the entry says was last checked against it."""

    title: str
    url: str
    verified: dt.date | None = None
    """Always set on an entry's links (the loader requires it); None only on a link the bot adds itself (a named
    service's security page under an answer)."""


@dataclass(frozen=True)
class Override:
    """How an entry's answer changes on one service: who owns it there, in our words, and the AWS page that says so."""

    service: str
    owner: Owner
    note: str
    source: str
    """The AWS page that states it."""
    verified: dt.date
    """The day the claim was last checked against `source`."""
    since: dt.date | None = None
    """When AWS changed the default this override describes, if it did."""
    sides: tuple[Side, ...] = ()
    """Each party's part of the topic on this service, and the words that name it, as a statement's parts: a
    question naming one part alone gets it (Macie's discovery is yours to scope, but Macie deletes the samples it
    extracts by itself)."""

    def side(self, owner: str) -> Side | None:
        """This record's part for `owner` ("aws", "customer"), if it names one."""
        return side_of(self.sides, owner)


@dataclass(frozen=True)
class Source:
    """Where a claim comes from, and the day it was last checked there."""

    title: str
    url: str
    verified: dt.date


@dataclass(frozen=True)
class Layer:
    """One layer of the stack (facilities, hardware, guest OS, data, identity ...) and who owns it by default."""

    id: str
    name: str
    explanation: str
    defaults: tuple[tuple[str, Owner], ...]
    """(service category, owner) for every category."""
    words: tuple[str, ...]
    """What people call this layer; a question naming one of these is about the layer."""
    sources: tuple[Source, ...]
    entry: str | None = None
    """The entry that answers a question about the layer as a whole."""
    loose_words: tuple[str, ...] = ()
    """Words that name this layer only in a question naming no layer by its `words` ("who encrypts the index?" is
    about encryption at rest, "who encrypts data in transit?" is not)."""
    narrows: str | None = None
    """A layer whose loose words name this one instead when the question also has one of `narrowing_words`:
    "is the traffic between them encrypted?" is about encryption in transit, not at rest."""
    narrowing_words: tuple[str, ...] = ()
    of_choices: bool = False
    """A layer named by the verbs of a choice ("decides", "sets up"), which say only that something is chosen: a
    layer naming what is chosen comes first, it replaces a refusal but never a topic, and it needs a service."""
    said_of_anything: bool = False
    """Loose words that name this layer whatever they are said of: "who encrypts the events on an event bus?" asks
    about encryption (which the service's statement answers), not about the events, where "who patches the
    nodes?" asks about the nodes."""
    stated_with: str | None = None
    """The layer whose statement answers a question about this layer as a whole (its own entry) on a service that
    states nothing of this layer on its own: a service's keys are stated with its encryption at rest ("encrypted
    with an AWS owned key unless you choose one")."""
    sides: tuple[Side, ...] = ()
    """Where a service's statement calls this layer shared, each party's part and the words that name it: "can
    I turn encryption off?" asks about the encryption AWS applies by default, "can we bring our own key?" about
    the key you choose."""

    def side(self, owner: str) -> Side | None:
        """This layer's side for `owner` ("aws", "customer"), if it has one."""
        return side_of(self.sides, owner)

    def default_for(self, category: str) -> Owner:
        """The layer's default owner on a service of `category`."""
        return dict(self.defaults)[category]

    @property
    def aws_everywhere(self) -> bool:
        """Whether AWS owns this layer by default in every service category (facilities, hardware, the host OS ...)."""
        return {owner for _, owner in self.defaults} == {"aws"}

    @property
    def varies_by_category(self) -> bool:
        """Whether the default owner depends on the service category (only then does it override an entry)."""
        return len({owner for _, owner in self.defaults}) > 1


@dataclass(frozen=True)
class Side:
    """One party's part of a shared control: the layers and words that name it, and what that party does."""

    owner: Owner
    layers: tuple[str, ...]
    words: tuple[str, ...]
    text: str
    openings: tuple[str, ...] = ()
    """Words a question opening with them asks about this side ("is it encrypted?" asks what the service does
    by itself); only a layer's sides have them."""
    source: str | None = None
    """The AWS page stating this part, where a service statement's side rests on a page of its own."""



def side_of(sides: tuple[Side, ...], owner: str) -> Side | None:
    """The side among `sides` that `owner` ("aws", "customer") holds, or None."""
    return next((side for side in sides if side.owner == owner), None)


@dataclass(frozen=True)
class Statement:
    """What one service's own documentation says about one layer: who does it there, and the source."""

    layer: str
    owner: Owner
    note: str
    source: str
    verified: dt.date
    since: dt.date | None = None
    """When AWS changed the default this statement describes, if it did."""
    sides: tuple[Side, ...] = ()
    """Where the statement calls its layer shared, each party's part on this service and the words that name it
    ("the managed threat signature rule groups" of Network Firewall are AWS's, your own rule groups yours); a
    question naming one part by these words gets it, before the layer's general sides. A statement one party owns
    may name the part the other does within it (S3 access is yours, though new buckets block public access by
    default); only a question naming that part alone gets it."""


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
    keywords: tuple[str, ...] = ()
    customer_actions: tuple[str, ...] = ()
    aws_features: tuple[str, ...] = ()
    control: str | None = None
    artifacts: tuple[str, ...] = ()
    see_also: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    source: str = ""
    layers: tuple[str, ...] = ()
    """The layers this topic belongs to, the one that decides it first."""
    sides: tuple[Side, ...] = ()
    """For a shared control: AWS's part and the customer's part. On a topic one party owns: the part the other
    party does within it, and the owner's own, each named by its words only (what that party does); a question
    naming one part alone gets that part's owner, any other keeps the topic's ("AWS publishes the base images" a
    container-image Lambda function is built on, though rebuilding and redeploying it is yours)."""
    overview: bool = False
    """The entry answering a question about security as a whole, asked in generic words only ("who is
    responsible for security?"); at most one entry is."""

    @property
    def verified(self) -> dt.date | None:
        """When the entry's own claims were last checked: the oldest `verified` of its links (None when no link is
        dated, which only a synthesized entry can be)."""
        return min((link.verified for link in self.links if link.verified is not None), default=None)

    def __hash__(self) -> int:
        # Ids are unique in a knowledge base; hashing every field instead walks all the nested tuples, and entries
        # and services key dicts and sets on every question.
        return hash(self.id)

    def side(self, owner: str) -> Side | None:
        """The side of this shared control that `owner` holds, or None."""
        return side_of(self.sides, owner)

    @property
    def side_layers(self) -> tuple[str, ...]:
        """The layers that name the parties' parts of this control, in order, each once."""
        return tuple(dict.fromkeys(lid for side in self.sides for lid in side.layers))

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
    statements: tuple[Statement, ...] = ()
    """Where this service differs from (or confirms) its category's default, layer by layer."""
    building_block: bool = False
    """A service others keep their data, keys or logs in (S3, KMS, EBS, CloudWatch ...): named beside another
    service, the question is about the other one ("the KMS key that encrypts Comprehend models")."""
    runs_on: tuple[str, ...] = ()
    """Services whose resources this one runs and manages for you (ECS Managed Instances runs EC2 instances):
    named beside it, they are its building blocks ("the EC2 capacity behind an ECS Managed Instances provider")."""
    proper_names: tuple[str, ...] = ()
    """Names that stand for this service only written with their capitals and not as a question's first word:
    "when Auto Scaling replaces an instance" is EC2 Auto Scaling, "who handles auto scaling?" is the capacity layer."""
    stands_for: str | None = None
    """The layer a building block's name stands for on another service ("IAM for Amazon MQ" is MQ's identity)."""

    def __hash__(self) -> int:
        return hash(self.id)  # as Entry's: ids are unique, and the statements are many

    def statement_for(self, layer_id: str) -> Statement | None:
        """This service's statement about `layer_id`, or None."""
        return next((s for s in self.statements if s.layer == layer_id), None)


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
class Check:
    """A check that verifies a customer duty: a Security Hub control, an AWS Config managed rule, or both.

    It applies to the duties it names (layers and entries), on the services it names (every service when none)."""

    title: str
    verified: dt.date
    layers: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    security_hub: str | None = None
    """The Security Hub control id (EC2.8)."""
    security_hub_url: str | None = None
    config_rule: str | None = None
    """The AWS Config managed rule (ec2-imdsv2-check)."""
    config_url: str | None = None
    nist: tuple[str, ...] = ()
    """The NIST SP 800-53 rev 5 controls Security Hub's reference lists for the control."""

    def applies_to(self, service_id: str, *, layer: str | None = None, entry: str | None = None) -> bool:
        """Whether this check verifies the customer's part of `layer` or `entry` on `service_id`."""
        if self.services and service_id not in self.services:
            return False
        return (layer is not None and layer in self.layers) or (entry is not None and entry in self.entries)

    @property
    def labels(self) -> tuple[str, ...]:
        """How answers name it: "Security Hub EC2.8", "Config rule ec2-imdsv2-check"."""
        return tuple(label for label in (self.security_hub and f"Security Hub {self.security_hub}",
                                         self.config_rule and f"Config rule {self.config_rule}") if label)


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
    layers: tuple[Layer, ...] = ()
    checks: tuple[Check, ...] = ()
    """The Security Hub controls and Config rules that verify customer duties (`checks.yaml`)."""
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)
    _services: dict[str, Service] = field(default_factory=dict, repr=False, compare=False)
    _artifacts: dict[str, Artifact] = field(default_factory=dict, repr=False, compare=False)
    _layers: dict[str, Layer] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.entries})
        self._services.update({s.id: s for s in self.services})
        self._artifacts.update({a.id: a for a in self.artifacts})
        self._layers.update({layer.id: layer for layer in self.layers})

    def layer(self, layer_id: str) -> Layer | None:
        """The layer with this id, or None."""
        return self._layers.get(layer_id)

    def entry(self, entry_id: str) -> Entry | None:
        """The entry with this id, or None."""
        return self._by_id.get(entry_id)

    @property
    def overview(self) -> Entry | None:
        """The entry answering questions about security as a whole, if one is marked `overview`."""
        return next((e for e in self.entries if e.overview), None)

    def service(self, service_id: str) -> Service | None:
        """The service with this id, or None."""
        return self._services.get(service_id)

    def artifact(self, artifact_id: str) -> Artifact | None:
        """The audit artifact with this id, or None."""
        return self._artifacts.get(artifact_id)
