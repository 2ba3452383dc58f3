"""`srm eval`: accuracy of the matcher on a question set, by kind of question."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli import UsageError
from bot.core import Matcher, load_knowledge
from bot.core.evaluation import evaluate, load_questions

EX_DATAERR = 65
"""A question set that does not read (sysexits.h EX_DATAERR)."""
SOURCE_QUESTIONS = "tests/questions/ in the srm-bot source"


def default_questions() -> Path:
    """The question sets shipped inside the package (a `pip install .`), else the checkout's `tests/questions/`."""
    package_dir = Path(__file__).resolve().parents[1]
    shipped = package_dir / "_questions"
    return shipped if shipped.is_dir() else package_dir.parent / "tests" / "questions"


def register(subparsers: Any) -> None:
    """Add `srm eval` to the command line."""
    parser = subparsers.add_parser("eval", help="accuracy on a question set, by kind of question")
    parser.add_argument("file", nargs="?",
                        help="question set: a YAML list of {q, expect, owner, kind}, a JSONL file of {q, owner, kind} "
                        "lines, or a directory of them (default: the sets shipped with the package, which are "
                        f"{SOURCE_QUESTIONS})")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question answered wrongly")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print accuracy by kind; exit 0 (figures are information, not a verdict), 64 without a question set, 65 when
    one does not read."""
    path = Path(args.file) if args.file else default_questions()
    if not path.exists():
        if args.file:
            raise UsageError(f"no question set at {path} (the project's own sets are {SOURCE_QUESTIONS})")
        raise UsageError(f"the default question sets are not installed ({path}); they are {SOURCE_QUESTIONS}: "
                         "srm eval PATH")
    try:
        questions = load_questions(path)
    except (ValueError, OSError) as exc:
        print(f"srm eval: {exc}", file=sys.stderr)
        return EX_DATAERR
    scores = evaluate(Matcher(load_knowledge()), questions)
    print(f"{'kind':<16}{'questions':>10}{'correct':>9}{'accuracy':>10}{'ambiguous':>11}")
    for kind in [*sorted(k for k in scores if k != "all"), "all"]:
        row = scores[kind]
        print(f"{kind:<16}{row.total:>10}{row.correct:>9}{row.accuracy:>10.1%}{row.ambiguous:>11}")
    if args.verbose:
        for kind, row in sorted(scores.items()):
            for question, outcome in row.failures:
                print(f"[{kind}] {question.q!r}: expected {question.expected}; {outcome}")
    return 0
