"""`srm ask`: answer a question in the terminal, as JSON, or a batch of questions one per line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.core import Matcher, load_knowledge, result_to_dict
from bot.render.text import render_text


def register(subparsers: Any) -> None:
    """Add `srm ask` to the command line."""
    parser = subparsers.add_parser("ask", help="answer a question", description="Answer who is responsible "
                                   "for something under the AWS Shared Responsibility Model.")
    parser.add_argument("question", nargs="*", help="the question, e.g. \"who patches the OS on RDS?\"")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--batch", metavar="FILE", type=argparse.FileType("r", encoding="utf-8"),
                        help="read one question per line from FILE ('-' for stdin); one JSON line out each")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Answer the question(s) in `args`; exit 0 (answered or not), 64 on bad usage."""
    if args.batch is None and not args.question:
        print('srm ask: give a question, e.g. srm ask "security groups", or --batch FILE', file=sys.stderr)
        return 64
    if args.batch is not None and args.question:
        print("srm ask: give either a question or --batch FILE, not both", file=sys.stderr)
        return 64
    matcher = Matcher(load_knowledge())
    if args.batch is not None:
        for line in args.batch:
            question = line.rstrip("\n")
            print(json.dumps(result_to_dict(matcher.match(question)), ensure_ascii=False), flush=False)
        sys.stdout.flush()
        return 0
    result = matcher.match(" ".join(args.question))
    if args.json:
        print(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0
