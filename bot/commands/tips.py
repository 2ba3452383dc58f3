"""`srm tips run|preview`: the clock process that posts daily tips, and the order they come in."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys
import threading
from typing import Any

from bot.cli import UsageError
from bot.core import load_knowledge
from bot.logs import configure_logging

log = logging.getLogger("srm.tips")


def register(subparsers: Any) -> None:
    """Add `srm tips run|preview` to the command line."""
    parser = subparsers.add_parser("tips", help="post the daily tips (clock process) or preview their order")
    actions = parser.add_subparsers(dest="tips_command", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="post each due tip; runs until stopped (Procfile clock: line)")
    run.add_argument("--once", action="store_true", help="do one pass and exit (for cron and tests)")
    run.add_argument("--at", type=parse_moment, metavar="ISO-8601-TIME",
                     help="with --once: do the pass as if it were this time (UTC unless an offset is given)")
    run.add_argument("--interval", type=float, default=30.0, metavar="SECONDS", help="time between passes")
    run.set_defaults(handler=run_clock)
    preview = actions.add_parser("preview", help="print the next N tips in the order a channel gets them")
    preview.add_argument("count", nargs="?", type=int, default=5, metavar="N")
    preview.add_argument("--channel", help="a subscribed channel id: continue from its history")
    preview.add_argument("--team", help="the workspace of --channel (default: its only subscription)")
    preview.add_argument("--platform", default="slack", choices=("slack", "teams"))
    preview.set_defaults(handler=run_preview)


def parse_moment(text: str) -> dt.datetime:
    """An ISO-8601 time; naive means UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {text!r} (e.g. 2026-11-30T09:00:00Z)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def run_clock(args: argparse.Namespace) -> int:
    """One pass (`--once`), or passes until SIGTERM/SIGINT."""
    from bot.store.store import Store  # imported here, not at the top: `srm ask` must not pay for the store
    from bot.tips.clock import TipClock, pass_clock
    from bot.tips.senders import load_senders

    configure_logging()
    if args.at and not args.once:
        raise UsageError("--at needs --once")
    store = Store()
    clock = TipClock(store, load_knowledge(), load_senders(store.engine))
    if args.once:
        try:
            result = clock.run_pass(pass_clock(args.at))
        except Exception as exc:
            log.exception("tips: pass failed")
            print(f"srm tips run: the pass failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        print(f"tips: {result.summary()}")
        return 1 if result.errors else 0
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    log.info("tips: clock started, a pass every %.0fs", args.interval)
    clock.run_forever(args.interval, stop)
    return 0


def run_preview(args: argparse.Namespace) -> int:
    """Print the next N tips, continuing from a channel's history when --channel is given."""
    from bot.store.store import Store
    from bot.tips.rotation import upcoming

    if args.count < 1:
        raise UsageError("N must be at least 1")
    kb = load_knowledge()
    seen: dict[str, int] = {}
    if args.channel:
        store = Store()
        subs = [s for s in store.active_subscriptions()
                if s.platform == args.platform and s.channel_id == args.channel and args.team in (None, s.team_id)]
        if len(subs) != 1:
            print(f"srm tips preview: {len(subs)} active subscriptions match channel {args.channel}"
                  + ("; add --team" if subs else ""), file=sys.stderr)
            return 1
        seen = dict(store.delivered_tip_counts(subs[0].id))
    for number, tip in enumerate(upcoming(kb.tips, seen, args.count), 1):
        print(f"{number}. [{tip.id} -> {tip.entry}] {tip.text}")
    return 0
