"""`srm ask`: answer a question in the terminal, as JSON, or a batch of questions one per line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from bot.cli import UsageError
from bot.core import Matcher, load_knowledge, result_to_dict
from bot.render.text import render_text

EX_DATAERR = 65
"""A batch file that is not UTF-8 text (sysexits.h EX_DATAERR)."""


def register(subparsers: Any) -> None:
    """Add `srm ask` to the command line."""
    parser = subparsers.add_parser("ask", help="answer a question", description="Answer who is responsible "
                                   "for something under the AWS Shared Responsibility Model.")
    parser.add_argument("question", nargs="*", help="the question, e.g. \"who patches the OS on RDS?\"")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--batch", metavar="FILE",
                        help="read one question per line from FILE ('-' for stdin), UTF-8; one JSON line out each")
    parser.set_defaults(handler=run)


class BatchDecodeError(Exception):
    """A line of a batch file that is not UTF-8; the message names the file, the line and the byte."""


def batch_lines(stream: BinaryIO, name: str) -> Iterator[str]:
    """The questions of a batch, one per line, decoded as UTF-8 (a leading byte-order mark is dropped)."""
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise BatchDecodeError(f"{name}: line {number} is not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                                   f"{exc.start + 1}); save the file as UTF-8") from None
        yield line.rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    """Answer the question(s) in `args`; exit 0 (answered or not), 64 on bad usage, 65 on a batch not in UTF-8."""
    if args.batch is None and not args.question:
        raise UsageError('give a question, e.g. srm ask "security groups", or --batch FILE')
    if args.batch is not None and args.question:
        raise UsageError("give either a question or --batch FILE, not both")
    if args.batch is not None:
        return _run_batch(args.batch)
    result = Matcher(load_knowledge()).match(" ".join(args.question))
    if args.json:
        print(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))
    else:
        print(render_text(result))
    return 0


def _run_batch(name: str) -> int:
    """One JSON line per line of the file `name` ('-': stdin)."""
    try:
        stream = sys.stdin.buffer if name == "-" else open(name, "rb")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise UsageError(f"argument --batch: cannot open {name!r}: {exc.strerror or exc}") from None
    matcher = Matcher(load_knowledge())
    try:
        for question in batch_lines(stream, "stdin" if name == "-" else name):
            print(json.dumps(result_to_dict(matcher.match(question)), ensure_ascii=False), flush=False)
    except BatchDecodeError as exc:
        sys.stdout.flush()
        print(f"srm ask: {exc}", file=sys.stderr)
        return EX_DATAERR
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    sys.stdout.flush()
    return 0
