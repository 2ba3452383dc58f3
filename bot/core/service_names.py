"""Service names as people type them ("ec2", "Amazon RDS", "elastic block store") resolved to services.

A name that is no service is an error carrying "did you mean" suggestions (rapidfuzz over every service's id, name
and aliases), never silently dropped: a responsibility matrix missing a service the auditor asked about is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

from bot.core.model import KnowledgeBase, Service
from bot.core.normalize import alias_key

MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 50.0
"""rapidfuzz `ratio` (0..100) a service label must reach to be suggested for an unknown name."""
SUGGESTION_SPREAD = 15.0
"""Suggestions after the first must score within this much of it: "lamda" gets lambda, not iam as well."""


class UnknownServices(ValueError):
    """Some names are no service; `suggestions` maps each to the nearest services (maybe none)."""

    def __init__(self, suggestions: dict[str, tuple[Service, ...]]) -> None:
        self.suggestions = suggestions
        super().__init__("; ".join(unknown_message(name, found) for name, found in suggestions.items()))


def unknown_message(name: str, suggestions: tuple[Service, ...]) -> str:
    """One line for an unknown service name: "unknown service 'ec3'; did you mean ec2 (Amazon EC2)?"."""
    message = f"unknown service {name!r}"
    if suggestions:
        message += "; did you mean " + " or ".join(f"{s.id} ({s.name})" for s in suggestions) + "?"
    return message


def _labels(kb: KnowledgeBase) -> list[tuple[str, Service]]:
    return [(label, service) for service in kb.services for label in (service.id, service.name, *service.aliases)]


def resolve_services(kb: KnowledgeBase, names: Iterable[str]) -> tuple[Service, ...]:
    """The services `names` name, in order, each once; blank names are ignored.

    Raises `UnknownServices` naming every name that is no service, with suggestions for each."""
    labels = _labels(kb)
    exact = {alias_key(label): service for label, service in reversed(labels)}
    exact.update({service.id: service for service in kb.services})
    found: list[Service] = []
    unknown: dict[str, tuple[Service, ...]] = {}
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        service = exact.get(name.lower()) or exact.get(alias_key(name))
        if service is None:
            unknown[name] = _suggest(labels, name)
        elif service not in found:
            found.append(service)
    if unknown:
        raise UnknownServices(unknown)
    return tuple(found)


def _suggest(labels: list[tuple[str, Service]], name: str) -> tuple[Service, ...]:
    """The services whose id, name or an alias is nearest to `name`, best first."""
    hits = process.extract(name, [label for label, _ in labels], scorer=fuzz.ratio, processor=utils.default_process,
                           limit=MAX_SUGGESTIONS * 6, score_cutoff=SUGGESTION_CUTOFF)
    result: list[Service] = []
    for _, score, index in hits:
        service = labels[index][1]
        if score >= hits[0][1] - SUGGESTION_SPREAD and service not in result:
            result.append(service)
    return tuple(result[:MAX_SUGGESTIONS])
