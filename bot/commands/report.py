"""`srm report misses|feedback`: what the knowledge base is missing, and which answers did not help."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

# The store (SQLAlchemy, Alembic) is imported only when a report runs: `srm ask` must not pay for it.
REPORTS = {
    # action: (help, Store method name, column titles (count, extra), what an empty report says)
    "misses": ("the most frequent unanswered questions", "top_misses", ("count", "teams"),
               "No unanswered questions recorded"),
    "feedback": ("the entries most often voted not helpful (one vote per person), with the questions asked",
                 "top_unhelpful", ("not helpful", "helpful"), "No answer was marked not helpful"),
}
NO_ENTRY = "(no answer)"
"""The feedback report's name for votes on refusals ("I don't have an answer", "Did you mean")."""


def register(subparsers: Any) -> None:
    """Add `srm report misses|feedback` to the command line."""
    parser = subparsers.add_parser("report", help="unanswered questions and unhelpful answers, for KB maintainers")
    actions = parser.add_subparsers(dest="report_command", metavar="ACTION", required=True)
    for name, (text, *_) in REPORTS.items():
        action = actions.add_parser(name, help=text)
        action.add_argument("--since", type=positive_int, metavar="DAYS", help="only the last DAYS days")
        action.add_argument("--limit", type=positive_int, default=20, help="at most this many lines (default 20)")
        action.set_defaults(handler=run_report)


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def run_report(args: argparse.Namespace) -> int:
    """Print the report as `count  extra  last seen  key` lines, largest count first; under each entry of the
    feedback report, its questions as `not helpful  helpful  question` lines."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.db import sqlite_path
    from bot.store.store import Store

    _, method, (count_title, extra_title), empty = REPORTS[args.report_command]
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=args.since) if args.since else None
    if (path := sqlite_path()) is not None and not path.exists():  # a report reads; it must not create a database
        print(f"{empty}: there is no database at {path} yet (the bot creates it; DATABASE_URL or SRM_DATA_DIR "
              "point elsewhere).")
        return 0
    try:
        rows = getattr(Store(), method)(since=since, limit=args.limit)
    except SQLAlchemyError as exc:
        print(f"srm report: the database did not answer ({type(exc).__name__}); check DATABASE_URL", file=sys.stderr)
        return 1
    if not rows:
        print(empty + (f" in the last {args.since} days." if args.since else "."))
        return 0
    width = (max(len(count_title), 6), max(len(extra_title), 5))
    print(f"{count_title:>{width[0]}}  {extra_title:>{width[1]}}  {'last seen':<16}  "
          f"{'question' if args.report_command == 'misses' else 'entry'}")
    for row in rows:
        print(f"{row.count:>{width[0]}}  {row.extra:>{width[1]}}  {row.last_seen:%Y-%m-%d %H:%M}  "
              f"{row.key or NO_ENTRY}")
        for asked in row.questions:
            print(f"{asked.not_helpful:>{width[0]}}  {asked.helpful:>{width[1]}}  {'':<16}    {asked.question}")
    return 0
