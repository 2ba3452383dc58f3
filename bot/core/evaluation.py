"""Score the matcher against a question set with expected answers (`srm eval`, and the accuracy test).

A question set is a YAML list of `{q, expect, owner, kind}`: `expect` is the entry id (or `service-<id>` for a
question about a whole service, or null when the bot must NOT answer), `owner` the expected effective owner.
A question counts as correct when the bot answers that entry with that owner, or, for `expect: null`, gives no
answer at all (an ambiguous reply is not "no answer").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.answers import Ambiguous, Answer, Result
from bot.core.matcher import Matcher


@dataclass(frozen=True)
class Question:
    """One question with its expected outcome."""

    q: str
    expect: str | None
    owner: str | None
    kind: str


@dataclass
class KindScore:
    """Counts for one kind of question."""

    total: int = 0
    correct: int = 0
    ambiguous: int = 0
    failures: list[tuple[Question, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def load_questions(path: str | Path) -> list[Question]:
    """Read a question set file, or every `*.yaml` in a directory; raises ValueError naming a malformed item."""
    path = Path(path)
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    questions = []
    for file in files:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "kind" not in item:
                raise ValueError(f"{file}: item {number} needs at least 'q' and 'kind'")
            questions.append(Question(item["q"], item.get("expect"), item.get("owner"), str(item["kind"])))
    return questions


def describe(result: Result) -> str:
    """A short description of what the bot did, for failure listings."""
    if isinstance(result, Answer):
        return f"answered {result.entry.id} ({result.owner}, {result.confidence:.2f})"
    if isinstance(result, Ambiguous):
        return "ambiguous: " + ", ".join(f"{c.entry.id} {c.score:.2f}" for c in result.candidates)
    return f"no match ({result.reason})"


def is_correct(question: Question, result: Result) -> bool:
    """Did the bot do what the question set expects?"""
    if question.expect is None:
        return not isinstance(result, Answer | Ambiguous)
    if not isinstance(result, Answer) or result.entry.id != question.expect:
        return False
    return question.owner is None or result.owner == question.owner


def evaluate(matcher: Matcher, questions: list[Question]) -> dict[str, KindScore]:
    """Scores by kind, plus an `all` row."""
    scores: dict[str, KindScore] = defaultdict(KindScore)
    for question in questions:
        result = matcher.match(question.q)
        for key in (question.kind, "all"):
            row = scores[key]
            row.total += 1
            if is_correct(question, result):
                row.correct += 1
            else:
                if isinstance(result, Ambiguous):
                    row.ambiguous += 1
                if key != "all":
                    row.failures.append((question, describe(result)))
    return dict(scores)
