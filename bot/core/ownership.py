"""Who owns a topic on a service: the one function that decides, and says which rule decided.

The order, most specific first:

1. the named service's record for the entry (an entry's `services:` override);
2. the named service's statement for the layer in question (`layers:` in the services catalog);
3. the default of the service's category for that layer, when the layer's default depends on the category
   (a guest OS is the customer's on EC2 and AWS's on Athena; the data is the customer's everywhere, so a layer
   like that never overrides what an entry says);
4. the entry's own owner.

A shared control has an AWS side and a customer side. A question that names one side (by the side's words, or a
layer that belongs to it) is answered with that side's owner, refined by rules 2 and 3 for the side's layers; a
question naming both sides or neither gets the control's owner, Shared.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Literal

from bot.core.model import Entry, KnowledgeBase, Layer, Override, Owner, Service, Side, Statement

Rule = Literal["service-entry", "service-layer", "category-default", "side", "entry", "parts"]

_CATEGORY_WORDS = {"infrastructure": "an infrastructure service", "managed": "a managed service",
                   "abstracted": "an abstracted service"}


@dataclass(frozen=True)
class Decision:
    """The owner of one answer, the rule that decided it, and the record behind that rule."""

    owner: Owner
    rule: Rule
    reason: str
    """One line saying why, for the answer and the Why view."""
    layer: Layer | None = None
    side: Side | None = None
    statement: Statement | None = None
    override: Override | None = None


def decide(kb: KnowledgeBase, entry: Entry, service: Service | None,
           asked_layers: Collection[str] = (), named_sides: Collection[str] = (),
           layer_sides: Mapping[str, Collection[str]] | None = None,
           worded_sides: Mapping[str, Collection[str]] | None = None,
           stated_sides: Mapping[str, Collection[str]] | None = None,
           recorded_sides: Collection[str] = ()) -> Decision:
    """The owner of `entry` for a question naming `service` (or none), the layers `asked_layers`, the shared
    control's sides `named_sides` ("aws", "customer"), and by layer the sides of that layer it names
    (`layer_sides`: a service's statement calling the layer shared is then that side's; `worded_sides`: those
    named by their own words, not only by how the question opens, which also split a service's shared record;
    `stated_sides`: those named by the words of the parts the service's own statement gives the layer), and the
    parts of the service's record for the entry named by their words (`recorded_sides`)."""
    layer_sides = layer_sides or {}
    decision = _decide(kb, entry, service, asked_layers, named_sides, layer_sides)
    override, recorded = decision.override, set(recorded_sides)
    if override is not None and len(recorded) == 1 and (side := override.side(recorded.pop())):
        # The part of the service's record the question names by that part's words: Macie's discovery is yours
        # to scope, the samples it extracts Macie deletes by itself.
        return replace(decision, owner=side.owner, side=side,
                       reason=f"{decision.reason} This is {_party(side.owner)} part of it: {side.text}")
    if decision.side is not None and entry.owner != "shared":
        # A part of a topic one party owns is named by what that party does ("ships the patched AMI"), more
        # precisely than a part of a layer named by what it is said of ("managed node groups").
        return decision
    if service is not None and stated_sides:
        # The part of a statement the question names by that part's own words is the most precise thing known
        # about the question on this service, more than a one-party record for the whole topic: Athena's record
        # makes query-result encryption yours, its statement makes managed query results AWS's.
        for lid in dict.fromkeys((*entry.layers, *asked_layers)):
            statement, layer = service.statement_for(lid), kb.layer(lid)
            if statement is not None and layer is not None and (
                    part := _one_part(_from_statement(kb, service, statement), layer, stated_sides.get(lid, ()))):
                return part
    if decision.override is not None and decision.owner == "shared" and len(entry.layers) == 1 and (
            layer := kb.layer(entry.layers[0])) is not None:
        # A service's record calling a one-layer topic shared, asked about one part of that layer by the part's
        # own words ("the retention period of RDS backups"): that part, as for a shared statement, the parts the
        # service's statement gives that layer first ("ECS tasks on Fargate").
        statement = service.statement_for(layer.id) if service is not None else None
        return _one_part(decision, layer, (worded_sides or {}).get(layer.id, ()),
                         statement.sides if statement is not None else ()) or decision
    return _layer_side(decision, layer_sides)


def _layer_side(decision: Decision, layer_sides: Mapping[str, Collection[str]]) -> Decision:
    """A statement that calls its layer shared, asked about one side of that layer ("can I turn off encryption at
    rest in DataZone?" is the encryption AWS always applies there): that side's owner."""
    layer, statement = decision.layer, decision.statement
    if statement is None or layer is None or statement.owner != "shared" or decision.side is not None:
        # A decision already on one side of the statement (the service's layer resolved inside `_decide`) stays
        # as it is: taking the side again would say it twice.
        return decision
    return _one_part(decision, layer, layer_sides.get(layer.id, ())) or decision


def _one_part(decision: Decision, layer: Layer, owners: Collection[str],
              sides: tuple[Side, ...] = ()) -> Decision | None:
    """`decision` turned into the one side of `layer` that `owners` name, or None unless exactly one is named: the
    side the service's statement states (`sides`, else the deciding statement's) where there is one, else the
    layer's."""
    sides = sides or (decision.statement.sides if decision.statement else ())
    stated = {side.owner: side for side in sides}
    named = [side for owner in owners if (side := stated.get(owner) or layer.side(owner))]
    if len(named) != 1:
        return None
    side = named[0]
    return replace(decision, owner=side.owner, side=side, layer=layer,
                   reason=f"{decision.reason} This is {_party(side.owner)} side of it: {side.text}")


def _decide(kb: KnowledgeBase, entry: Entry, service: Service | None, asked_layers: Collection[str],
            named_sides: Collection[str], layer_sides: Mapping[str, Collection[str]]) -> Decision:
    override = entry.override_for(service.id) if service else None
    side = _side_asked(entry, asked_layers, named_sides)
    if (side is not None and side.owner not in named_sides and service is not None
            and any(lid in asked_layers and service.statement_for(lid) for lid in entry.layers)):
        # A side reached only through another layer asked beside the topic's own, which the service states
        # ("fault tolerance for our Managed Flink application"): the service's statement speaks for the topic.
        side = None
    if service is not None and override is not None and override.owner == "shared" and side is None:
        # A topic shared on this service, asked about a layer AWS owns on every service ("the physical security
        # of CloudFront's edge locations"): the question is about AWS's part of it.
        aws_layers = [layer for lid in asked_layers if (layer := kb.layer(lid)) and layer.aws_everywhere]
        if aws_layers:
            return decide_layer(kb, service, aws_layers[0])
    if override is not None and not (side and override.owner in ("shared", entry.owner)):
        name = service.name if service else ""
        return Decision(override.owner, "service-entry", f"On {name}: {override.note}", override=override)
    if side is not None:
        # A side asked about by its layer ("who patches the guest OS on MQ?") resolves that layer on the service; a
        # side named by its own words only ("the software we upload") is that party's, whatever the service.
        layers = [lid for lid in side.layers if lid in asked_layers]
        found = _by_layers(kb, service, layers, asked_layers, entry) if service and layers else None
        if found is not None:
            return found
        control = "a shared control" if entry.owner == "shared" else "it"
        return Decision(side.owner, "side", f"This is {_party(side.owner)} side of {control}: {side.text}",
                        side=side)
    if service is not None:
        found = _both_sides(kb, entry, service, layer_sides) if entry.sides else None
        # The layers of its sides are the topic's too: naming both parts' layers names both parts.
        asked = [lid for lid in dict.fromkeys((*entry.layers, *entry.side_layers)) if lid in asked_layers]
        # A shared topic speaks for both parties: the service's statement, else its category's default, replaces
        # that only for the layer the question names ("high availability on RDS Custom for Oracle" is the
        # customer's; "licensing on Lambda" is AWS's, as on every abstracted service).
        if found is None and (asked or entry.owner != "shared"):
            found = _by_layers(kb, service, asked or list(entry.layers[:1]), asked_layers, entry)
        if found is not None:
            return found
    return Decision(entry.owner, "entry", "")


def _side_asked(entry: Entry, asked_layers: Collection[str], named_sides: Collection[str]) -> Side | None:
    """The one side of a shared control the question names, or None (both, neither, or not a shared control)."""
    if not entry.sides:
        return None
    hits = [s for s in entry.sides if s.owner in named_sides or any(lid in asked_layers for lid in s.layers)]
    return hits[0] if len(hits) == 1 else None


def _both_sides(kb: KnowledgeBase, entry: Entry, service: Service,
                layer_sides: Mapping[str, Collection[str]]) -> Decision | None:
    """A shared control on a service where both sides fall to one party, or whose question names one part of
    a layer the service calls shared. Each side's layers resolve on the service (its statement, else its
    category's default, a shared statement taking the part of its layer the question names); a side whose layers
    agree takes that owner, else keeps its own. On Amazon MQ the customer's side of patching (the guest OS) is
    AWS's too, so AWS patches all there is; configuration on AWS Data Pipeline stays shared, because your
    pipelines' settings are still yours."""
    if len(entry.sides) < 2:
        return None
    moved: list[Decision] = []
    owners = set()
    by_layer_side: list[Decision] = []
    for side in entry.sides:
        decisions = [_layer_side(decide_layer(kb, service, layer), layer_sides)
                     for lid in side.layers if (layer := kb.layer(lid))]
        by_layer_side += [d for d in decisions if d.side is not None][:1]
        agreed = {d.owner for d in decisions}
        owner = agreed.pop() if len(agreed) == 1 else side.owner
        owners.add(owner)
        if owner != side.owner:
            moved += decisions
    if len(by_layer_side) == 1:
        # The question names one part of a layer the service calls shared, and that layer is one side's: that
        # part answers ("the render workers in a customer-managed fleet" on Deadline Cloud are yours to patch).
        return by_layer_side[0]
    return moved[0] if len(owners) == 1 and moved else None


def _by_layers(kb: KnowledgeBase, service: Service | None, layer_ids: list[str], asked_layers: Collection[str],
               entry: Entry) -> Decision | None:
    """Rules 2 and 3 over `layer_ids`: a decision when they agree on one owner, else None.

    A service's statement about a layer whose owner does not depend on the category (data, identity, encryption)
    speaks for the entry only when the question names that layer: "who encrypts DynamoDB at rest?" takes
    DynamoDB's statement on encryption at rest, "who secures the landing zone?" keeps its entry's owner."""
    if service is None:
        return None
    decisions = []
    # A layer AWS owns on every service, asked beside one that is not ("patching both the virtualization layer and
    # our images"), speaks too: the topic stays shared where the other is the customer's.
    beside = any((layer := kb.layer(lid)) is not None and not layer.aws_everywhere for lid in layer_ids)
    for layer_id in layer_ids:
        layer = kb.layer(layer_id)
        statement = service.statement_for(layer_id)
        if statement is None and layer is not None and layer.stated_with and layer.entry == entry.id:
            # The layer it is stated with speaks for the layer as a whole, not for a topic within it ("SSE-C").
            statement = service.statement_for(layer.stated_with)
        varies = layer is not None and layer.varies_by_category
        if statement is not None and (varies or layer_id in asked_layers):
            decisions.append(_from_statement(kb, service, statement))
        elif layer is not None and (varies or (beside and layer.aws_everywhere and layer_id in asked_layers)):
            decisions.append(_category_default(service, layer) if varies else decide_layer(kb, service, layer))
    owners = {d.owner for d in decisions}
    return decisions[0] if len(owners) == 1 else None


def decide_layer(kb: KnowledgeBase, service: Service, layer: Layer) -> Decision:
    """The owner of a whole layer on `service` (a row of the responsibility matrix): the service's statement for
    the layer (rule 2), else its category's default for the layer (rule 3), whether or not that default varies."""
    statement = service.statement_for(layer.id)
    if statement is not None:
        return _from_statement(kb, service, statement)
    return _category_default(service, layer)


def _category_default(service: Service, layer: Layer) -> Decision:
    reason = f"{service.name} is {_CATEGORY_WORDS[service.category]}. {layer.explanation}"
    return Decision(layer.default_for(service.category), "category-default", reason, layer=layer)


def _from_statement(kb: KnowledgeBase, service: Service, statement: Statement) -> Decision:
    return Decision(statement.owner, "service-layer", f"On {service.name}: {statement.note}",
                    layer=kb.layer(statement.layer), statement=statement)


def _party(owner: str) -> str:
    return "AWS's" if owner == "aws" else "the customer's"
