"""What the matcher returns: an answer, an ambiguous question, or no match.

These objects are the one thing every chat adapter renders (Block Kit, Adaptive Cards, the terminal, JSON), so
the answer logic lives here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from bot.core.model import Artifact, Check, Entry, Link, Override, Owner, Service
from bot.core.ownership import Decision


@dataclass(frozen=True)
class Candidate:
    """An entry and how well it matched (0..1)."""

    entry: Entry
    score: float
    words: int = 0
    """How many of the question's words the best phrase used (service names included): breaks ties."""


Basis = Literal["record", "statement", "sources"]
"""What an answer's date rests on: the service's record for the topic, its statement for the layer, or the topic's
sources."""


@dataclass(frozen=True)
class Answer:
    """A confident answer: the entry, its effective owner for the service asked about, and the evidence."""

    question: str
    entry: Entry
    owner: Owner
    service: Service | None
    decision: Decision
    """Which rule decided the owner (the service's record, its category's default, one side of a shared control,
    or the entry itself), and why."""
    confidence: float
    alternatives: tuple[Candidate, ...]
    artifacts: tuple[Artifact, ...]
    differences: tuple[tuple[Service, Override], ...]
    """How the answer changes on other services (every override except the one applied)."""
    checks: tuple[Check, ...] = ()
    """The Security Hub controls and Config rules that verify the customer's part on the service named (none when
    no service is named or the part is AWS's alone)."""

    @property
    def override(self) -> Override | None:
        """The named service's record for this entry, when it decided the owner."""
        return self.decision.override

    @property
    def verified(self) -> tuple[dt.date | None, Basis]:
        """When the claims this answer rests on were last checked, and which claims they are: the named service's
        record for the topic (`record`) or its statement for the layer (`statement`) when that decided the owner,
        else the topic's own sources (`sources`: the oldest `verified` of its links)."""
        override, statement = self.decision.override, self.decision.statement
        if override is not None:
            return override.verified, "record"
        if statement is not None:
            return statement.verified, "statement"
        return self.entry.verified, "sources"

    @property
    def links(self) -> tuple[Link, ...]:
        """The entry's documentation links, then the AWS pages of the service's claims that decided the owner (its
        record, its statement, the statement's part), then the service's security page when a service was named."""
        links = list(self.entry.links)
        if self.service is None:
            return tuple(links)
        decision, name = self.decision, self.service.name
        claims = [Link(f"{name} documentation", claim.source, claim.verified)
                  for claim in (decision.override, decision.statement) if claim is not None]
        claim = decision.statement or decision.override
        if decision.side is not None and decision.side.source and claim is not None:
            claims.append(Link(f"{name} documentation", decision.side.source, claim.verified))
        for link in (*claims, Link(f"Security in {name}", self.service.security_url)):
            if all(known.url != link.url for known in links):
                links.append(link)
        return tuple(links)


@dataclass(frozen=True)
class Ambiguous:
    """Several entries fit about equally well: the user should pick one."""

    question: str
    candidates: tuple[Candidate, ...]
    service: Service | None


@dataclass(frozen=True)
class NoMatch:
    """Nothing fits. `reason` is one of: empty, off-topic, pricing, how-to, limits, status, general, definition,
    other-cloud (a question about another cloud provider's model)."""

    question: str
    suggestions: tuple[Candidate, ...]
    reason: str

    @property
    def worth_recording(self) -> bool:
        """Whether the knowledge-base maintainers should see this question (an empty message is not one)."""
        return self.reason != "empty"


Result = Answer | Ambiguous | NoMatch


def outcome_of(result: Result) -> tuple[str | None, float | None, str]:
    """(entry id, score, outcome) of a result, as every platform's request log line reports them."""
    if isinstance(result, Answer):
        return result.entry.id, result.confidence, "answer"
    if isinstance(result, Ambiguous):
        return result.candidates[0].entry.id, result.candidates[0].score, "ambiguous"
    return None, None, f"no-match:{result.reason}"


def _candidates(candidates: tuple[Candidate, ...]) -> list[dict[str, Any]]:
    return [{"id": c.entry.id, "title": c.entry.title, "score": round(c.score, 3)} for c in candidates]


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON contract of `srm ask --json` (documented in the README)."""
    if isinstance(result, Answer):
        entry = result.entry
        return {
            "question": result.question,
            "matched": True,
            "id": entry.id,
            "title": entry.title,
            "owner": result.owner,
            "default_owner": entry.owner,
            "service": result.service.id if result.service else None,
            "service_note": result.override.note if result.override else None,
            "service_source": result.override.source if result.override else None,
            "decided_by": result.decision.rule,
            "owner_reason": result.decision.reason or None,
            "layers": list(entry.layers),
            "summary": entry.summary,
            "explanation": entry.explanation,
            "customer_actions": list(entry.customer_actions),
            "aws_features": list(entry.aws_features),
            "control": entry.control,
            "confidence": round(result.confidence, 3),
            "alternatives": _candidates(result.alternatives),
            "links": [{"title": link.title, "url": link.url} for link in result.links],
            "artifacts": [{"id": a.id, "name": a.name, "url": a.url, "access": a.access, "how": a.how}
                          for a in result.artifacts],
            "differences": [
                {"service": s.id, "owner": o.owner, "note": o.note} for s, o in result.differences
            ],
            "checks": [{"security_hub": c.security_hub, "config_rule": c.config_rule, "title": c.title,
                        "nist": list(c.nist), "url": c.security_hub_url or c.config_url} for c in result.checks],
            "see_also": list(entry.see_also),
            "verified": date.isoformat() if (date := result.verified[0]) else None,
        }
    if isinstance(result, Ambiguous):
        return {
            "question": result.question,
            "matched": False,
            "ambiguous": True,
            "service": result.service.id if result.service else None,
            "candidates": _candidates(result.candidates),
            "suggestions": _candidates(result.candidates),
        }
    return {
        "question": result.question,
        "matched": False,
        "ambiguous": False,
        "reason": result.reason,
        "suggestions": _candidates(result.suggestions),
    }
