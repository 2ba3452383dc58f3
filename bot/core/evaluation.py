"""Score the matcher against a question set with expected answers (`srm eval`, and the accuracy test).

Two formats:

- YAML (`*.yaml`), a list of `{q, expect, owner, kind}`: `expect` is the entry id (or `service-<id>` for a
  question about a whole service, or null when the bot must NOT answer), `owner` the expected effective owner.
  Correct when the bot answers that entry with that owner, or, for `expect: null`, gives no answer at all (an
  ambiguous reply is not "no answer").
- JSONL (`*.jsonl`), one `{"q", "owner", "kind", "source"}` object a line, keyed by owner only (sets written
  outside the project know the owner, not our entry ids): `owner` lists the acceptable owners, `["none"]` when
  the right reply is no answer. Correct when the bot answers with one of those owners (any entry), or, for
  `["none"]`, gives no answer at all.
"""

from __future__ import annotations

import json
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
    owners: tuple[str, ...] = ()
    """Acceptable owners of an owner-keyed (JSONL) item; ("none",) when the right reply is no answer."""

    @property
    def wants_no_answer(self) -> bool:
        """Whether the right reply is no answer at all."""
        return self.owners == ("none",) if self.owners else self.expect is None

    @property
    def expected(self) -> str:
        """What the set expects, for failure listings."""
        return "/".join(self.owners) if self.owners else f"{self.expect} ({self.owner})"


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
    """Read a question set file (YAML or JSONL), or every such file in a directory; raises ValueError naming the
    file and item of a malformed one."""
    path = Path(path)
    files = sorted([*path.glob("*.yaml"), *path.glob("*.jsonl")]) if path.is_dir() else [path]
    questions: list[Question] = []
    for file in files:
        questions += _jsonl_questions(file) if file.suffix == ".jsonl" else _yaml_questions(file)
    return questions


def _yaml_questions(file: Path) -> list[Question]:
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or []
    questions = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str) or "kind" not in item:
            raise ValueError(f"{file}: item {number} needs at least 'q' and 'kind'")
        questions.append(Question(item["q"], item.get("expect"), item.get("owner"), str(item["kind"])))
    return questions


_OWNER_KEYS = frozenset(("aws", "customer", "shared", "none"))


def _jsonl_questions(file: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{file}:{number}: not a JSON object ({error.msg})") from None
        owners = item.get("owner") if isinstance(item, dict) else None
        if (not isinstance(item, dict) or not isinstance(item.get("q"), str) or "kind" not in item
                or not isinstance(owners, list) or not owners or not set(owners) <= _OWNER_KEYS
                or ("none" in owners and len(owners) > 1)):
            raise ValueError(f"{file}:{number}: needs 'q', 'kind' and 'owner', a list of aws, customer, shared "
                             "(or just none)")
        questions.append(Question(item["q"], None, None, str(item["kind"]), tuple(owners)))
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
    if question.wants_no_answer:
        return not isinstance(result, Answer | Ambiguous)
    if question.owners:
        return isinstance(result, Answer) and result.owner in question.owners
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
