"""The words of an answer's three views, built once for every platform: the short answer shown by default, the
trust signals every view carries (when the facts were last verified, and a warning when that is long ago), and the
Why view (what was matched, the service and layer found, and the rule that decided the owner). Slack
(`bot.slack.blocks`) and Teams (`bot.teams.cards`) only style and escape these lines.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.core.answers import Answer
from bot.core.presentation import owner_label
from bot.numbers import whole_number

SHORT_LIMIT = 700
"""Characters of text a short answer may take on any platform (its title, lines and badge)."""
SHORT_MARGIN = 60
"""Characters of the limit kept for each platform's markup and escaping, and a "Shared by" credit."""
TITLE_CHARS = 100
STALE_DAYS_DEFAULT = 180
STALE_DAYS_ENV = "SRM_STALE_DAYS"
STALE_DAYS_MAX = 3650

VIEWS = ("short", "details", "why")
"""An answer's views: the short answer (the default), today's full answer, and why this answer."""

RULE_LABELS = {
    "service-entry": "the named service's own record for this topic",
    "service-layer": "the named service's own statement for this layer",
    "category-default": "the default for the service's category",
    "side": "one side of a shared control",
    "entry": "the topic's own owner",
    "parts": "the two things the question asks, each decided on its own",
}


@dataclass(frozen=True)
class Trust:
    """When an answer's facts were last verified, by what, and whether that is older than the allowed age."""

    verified: dt.date | None
    """None only for an answer none of whose claims is dated."""
    by: str
    """"the Amazon RDS record for this topic", "the Amazon RDS statement" or "the topic's sources"."""
    stale: bool
    max_days: int

    @property
    def line(self) -> str:
        """"Facts verified 2026-05-01 (the topic's sources)"."""
        if self.verified is None:
            return f"Facts not dated ({self.by})"
        return f"Facts verified {self.verified.isoformat()} ({self.by})"

    @property
    def warning(self) -> str | None:
        """The stale warning, or None when the facts are recent enough."""
        if not self.stale:
            return None
        age = "Not dated" if self.verified is None else f"Older than {self.max_days} days"
        return f"\u26a0\ufe0f {age}: check the sources before acting on it."


@dataclass(frozen=True)
class ShortAnswer:
    """The short form of an answer: title, owner, the one-line answer, why this owner, the evidence, trust."""

    title: str
    owner: str
    summary: str
    why: str
    evidence: str
    trust: Trust

    @property
    def lines(self) -> tuple[str, ...]:
        """The text lines under the title and the owner badge, in order."""
        warning = (self.trust.warning,) if self.trust.warning else ()
        return (self.summary, f"Why: {self.why}", f"{self.evidence} \u00b7 {self.trust.line}", *warning)

    @property
    def size(self) -> int:
        """Characters of text, as counted against SHORT_LIMIT (before any platform's escaping)."""
        return len(self.title) + len(owner_label(self.owner)) + sum(len(line) for line in self.lines)


def stale_days(env: Mapping[str, str] | None = None) -> int:
    """The age in days after which facts are flagged (SRM_STALE_DAYS, default 180): a whole number from 1 to 3650,
    else ValueError naming the variable and the value."""
    return whole_number(os.environ if env is None else env, STALE_DAYS_ENV, STALE_DAYS_DEFAULT, 1, STALE_DAYS_MAX,
                        "days")


def trust(answer: Answer, today: dt.date | None = None, max_days: int | None = None) -> Trust:
    """When the claims the answer rests on were verified (`Answer.verified`): the named service's record for the
    topic or its statement for the layer when that decided the owner, else the oldest of the topic's sources;
    stale when older than `max_days` (default `stale_days()`) or not dated at all."""
    limit = stale_days() if max_days is None else max_days
    verified, basis = answer.verified
    name = answer.service.name if answer.service else ""
    by = {"record": f"the {name} record for this topic", "statement": f"the {name} statement",
          "sources": "the topic's sources"}[basis]
    stale = verified is None or ((today or dt.date.today()) - verified).days > limit
    return Trust(verified, by, stale, limit)


def why_owner(answer: Answer) -> str:
    """Why this owner, in one line: the decision's reason, or that the topic's own owner stands."""
    if answer.decision.reason:
        return answer.decision.reason
    if answer.service is not None:
        return f"The topic's own owner: nothing about {answer.service.name} changes it."
    return "The topic's own owner, on every service."


def evidence(answer: Answer) -> str:
    """How much evidence there is: "3 sources, 2 audit reports"."""
    urls = {link.url for link in answer.links}
    decision = answer.decision
    urls.update(source for source in (decision.statement and decision.statement.source,
                                      decision.side and decision.side.source,
                                      decision.override and decision.override.source) if source)
    sources, reports = len(urls), len(answer.artifacts)
    text = f"{sources} source{'s' if sources != 1 else ''}"
    if reports:
        text += f", {reports} audit report{'s' if reports != 1 else ''}"
    return text


def cut(text: str, limit: int) -> str:
    """`text` cut at a word boundary to `limit` characters, with "…"."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head[: head.rindex(" ")] if " " in head else head) + "\u2026"


def short_answer(answer: Answer, info: Trust | None = None) -> ShortAnswer:
    """The short form of `answer` (with `info`, default `trust(answer)`), within SHORT_LIMIT characters of text
    less SHORT_MARGIN: the summary and the reason share what the title, badge, evidence and trust lines leave, the
    summary taking at most half of it when both are long."""
    base = ShortAnswer(title=cut(answer.entry.title, TITLE_CHARS), owner=answer.owner, summary="", why="",
                       evidence=evidence(answer), trust=info or trust(answer))
    room = SHORT_LIMIT - SHORT_MARGIN - base.size
    summary, why = answer.entry.summary, why_owner(answer)
    summary = cut(summary, max(room // 2, room - len(why)))
    return replace(base, summary=summary, why=cut(why, room - len(summary)))


def why_lines(answer: Answer, info: Trust | None = None) -> tuple[str, ...]:
    """The Why view: what was matched (entry and score), the question, the service and layer found, the rule that
    decided the owner with its reason, and when the facts were verified (`info`, default `trust(answer)`)."""
    entry, decision = answer.entry, answer.decision
    layer = decision.layer.name if decision.layer is not None else (", ".join(entry.layers[:1]) or "none")
    service = f"{answer.service.name} ({answer.service.category})" if answer.service else "none named"
    info = info or trust(answer)
    lines = [
        f"Matched: {entry.title} ({entry.id}), score {answer.confidence:.2f}",
        f"You asked: {cut(answer.question, 300)}",
        f"Service: {service}",
        f"Layer: {layer}",
        f"Owner: {owner_label(answer.owner)}, decided by {RULE_LABELS[decision.rule]} ({decision.rule})",
        f"Reason: {cut(why_owner(answer), 600)}",
        info.line,
    ]
    return (*lines, info.warning) if info.warning else tuple(lines)


stale_days()  # a bad SRM_STALE_DAYS stops the process as it starts, not at its first answer
