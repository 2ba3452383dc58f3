"""The matcher's thresholds (knowledge/thresholds.yaml) are validated with file:line problems and drive the matcher."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bot.core import THRESHOLDS, KnowledgeError, load_knowledge
from bot.core.paths import knowledge_file, shipped_knowledge_dir
from bot.core.thresholds import Thresholds, ThresholdsError, parse_thresholds

SHIPPED = shipped_knowledge_dir() / "thresholds.yaml"


def line_of(text: str, start: str) -> int:
    return next(n for n, t in enumerate(text.splitlines(), start=1) if t.startswith(start))


def test_the_shipped_file_gives_every_threshold_and_the_matcher_uses_it() -> None:
    read = parse_thresholds(SHIPPED)
    assert read == THRESHOLDS
    assert set(SHIPPED.read_text(encoding="utf-8").split()) >= {f"{f.name}:" for f in dataclasses.fields(Thresholds)}


@pytest.mark.parametrize(("line", "replacement", "message"), [
    ("answer: ", "answer: high", "'answer' must be a number from 0 to 1 (got 'high')"),
    ("clarify: ", "clarify: 1.5", "'clarify' must be a number from 0 to 1 (got 1.5)"),
    ("typo_similarity: ", "typo_similarity: 180", "'typo_similarity' must be a number from 0 to 100 (got 180)"),
    ("max_candidates: ", "max_candidates: 2.5", "'max_candidates' must be a whole number of at least 1 (got 2.5)"),
    ("suggest: ", "sugest: 0.35", "unknown threshold 'sugest'"),
])
def test_a_bad_threshold_is_named_with_its_line(tmp_path: Path, line: str, replacement: str, message: str) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    number = line_of(text, line)
    lines = text.splitlines()
    lines[number - 1] = replacement
    broken = tmp_path / "thresholds.yaml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ThresholdsError) as info:
        parse_thresholds(broken)
    assert any(n == number and m.startswith(message) for n, m in info.value.problems), info.value.problems


def test_a_missing_threshold_is_named(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    broken = tmp_path / "thresholds.yaml"
    broken.write_text("\n".join(t for t in text.splitlines() if not t.startswith("lexical_margin:")) + "\n",
                      encoding="utf-8")
    with pytest.raises(ThresholdsError) as info:
        parse_thresholds(broken)
    assert info.value.problems == [(1, "missing threshold 'lexical_margin'")]


def test_a_broken_thresholds_file_makes_the_base_invalid(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(shipped_knowledge_dir(), root)
    (root / "thresholds.yaml").write_text(SHIPPED.read_text(encoding="utf-8").replace("answer: 0.70", "answer: -1"),
                                          encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    assert any(p.file == "thresholds.yaml" and "'answer' must be a number" in p.message for p in info.value.problems)


def test_a_base_uses_its_own_thresholds_file_else_the_shipped_one(tmp_path: Path) -> None:
    assert knowledge_file(tmp_path, "thresholds.yaml") == SHIPPED
    own = tmp_path / "thresholds.yaml"
    own.write_text(SHIPPED.read_text(encoding="utf-8").replace("answer: 0.70", "answer: 0.75"), encoding="utf-8")
    assert knowledge_file(tmp_path, "thresholds.yaml") == own and parse_thresholds(own).answer == 0.75
