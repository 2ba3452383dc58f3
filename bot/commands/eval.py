"""`srm eval`: accuracy of the matcher on a question set, by kind of question."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.core import Matcher, load_knowledge
from bot.core.evaluation import evaluate, load_questions

DEFAULT_QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "questions"


def register(subparsers: Any) -> None:
    """Add `srm eval` to the command line."""
    parser = subparsers.add_parser("eval", help="accuracy on a question set, by kind of question")
    parser.add_argument("file", nargs="?", default=str(DEFAULT_QUESTIONS),
                        help="question set: a YAML list of {q, expect, owner, kind}, a JSONL file of {q, owner, kind} "
                        "lines, or a directory of them (default tests/questions/)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question answered wrongly")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print accuracy by kind; exit 0 (figures are information, not a verdict)."""
    if not Path(args.file).exists():
        print(f"srm eval: no question set at {args.file}; give one: srm eval FILE", file=sys.stderr)
        return 64
    scores = evaluate(Matcher(load_knowledge()), load_questions(args.file))
    print(f"{'kind':<16}{'questions':>10}{'correct':>9}{'accuracy':>10}{'ambiguous':>11}")
    for kind in [*sorted(k for k in scores if k != "all"), "all"]:
        row = scores[kind]
        print(f"{kind:<16}{row.total:>10}{row.correct:>9}{row.accuracy:>10.1%}{row.ambiguous:>11}")
    if args.verbose:
        for kind, row in sorted(scores.items()):
            for question, outcome in row.failures:
                print(f"[{kind}] {question.q!r}: expected {question.expected}; {outcome}")
    return 0
