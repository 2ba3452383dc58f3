"""`srm kb`: validate, export and count the knowledge base, and check its links."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from bot.core import KnowledgeBase, KnowledgeError, load_knowledge
from bot.core.loader import coverage_gaps, located_lines
from bot.core.model import SERVICE_CATEGORIES
from bot.linkcheck import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_S, check_urls, http_fetch, link_uses, report_lines


def register(subparsers: Any) -> None:
    """Add `srm kb validate|export|stats|links` to the command line."""
    parser = subparsers.add_parser("kb", help="validate, export or count the knowledge base, or check its links")
    actions = parser.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check every file; exit non-zero listing file:line: problem")
    validate.add_argument("path", nargs="?", help="knowledge directory (default: SRM_KNOWLEDGE_DIR or the shipped one)")
    validate.set_defaults(handler=run_validate)
    export = actions.add_parser("export", help="print the whole knowledge base")
    export.add_argument("--json", action="store_true", required=True, help="as one JSON object")
    export.set_defaults(handler=run_export)
    stats = actions.add_parser("stats", help="counts by owner, by service and by artifact")
    stats.set_defaults(handler=run_stats)
    links = actions.add_parser("links", help="check every URL over the network; exit 1 when any is broken",
                               description="Ask every URL of the knowledge base (HEAD, GET when HEAD is refused), "
                                           "following redirects; print each broken or redirected one with the "
                                           "file:line holding it. Redirects are reported, not failures.")
    links.add_argument("--timeout", type=_positive(float), default=DEFAULT_TIMEOUT_S, metavar="S",
                       help=f"seconds each request may take (default {DEFAULT_TIMEOUT_S:g})")
    links.add_argument("--concurrency", type=_positive(int), default=DEFAULT_CONCURRENCY, metavar="N",
                       help=f"requests at a time (default {DEFAULT_CONCURRENCY})")
    links.set_defaults(handler=run_links)


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    """An argparse type: a number of `kind` above zero, else a clear message."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above zero, got {text!r}")
        return value

    return parse


def run_validate(args: argparse.Namespace) -> int:
    """Exit 0 when valid and complete; otherwise 1 with every problem as `file:line: message`: errors that stop
    the base loading (among them a per-service override without its `source` or `verified` date), and services
    missing a statement every service needs (patching, encryption at rest, access)."""
    try:
        kb = load_knowledge(args.path)
    except KnowledgeError as exc:
        problems = located_lines(exc.problems, exc.root)
    else:
        problems = located_lines(coverage_gaps(kb), kb.root)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {len(kb.layers)} layers, {len(kb.entries)} entries, {len(kb.services)} services, "
          f"{len(kb.artifacts)} artifacts, {len(kb.tips)} tips in {kb.root}")
    return 0


def _iso_date(value: Any) -> str:
    """Dates (when a claim was verified, when a default changed) as YYYY-MM-DD in the JSON export."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def export_dict(kb: KnowledgeBase) -> dict[str, Any]:
    """The knowledge base as plain JSON-ready data."""

    def plain(obj: Any) -> dict[str, Any]:
        data = asdict(obj)
        data.pop("_by_id", None)
        return data

    entries = []
    for entry in kb.entries:
        data = plain(entry)
        data["verified"] = entry.verified
        data["services"] = {o.service: {key: value for key, value in asdict(o).items()
                                        if key != "service" and value is not None} for o in entry.overrides}
        del data["overrides"]
        entries.append(data)
    return {
        "layers": [plain(layer) for layer in kb.layers],
        "entries": entries,
        "services": [plain(s) for s in kb.services],
        "artifacts": [plain(a) for a in kb.artifacts],
        "tips": [plain(t) for t in kb.tips],
    }


def run_export(args: argparse.Namespace) -> int:
    """Print the knowledge base as JSON."""
    print(json.dumps(export_dict(load_knowledge()), ensure_ascii=False, indent=2, default=_iso_date))
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print counts by owner, by service (overrides) and by artifact (entries citing it)."""
    kb = load_knowledge()
    by_owner = Counter(e.owner for e in kb.entries)
    by_service = Counter(o.service for e in kb.entries for o in e.overrides)
    by_artifact = Counter(a for e in kb.entries for a in e.artifacts)
    print(f"entries: {len(kb.entries)}  services: {len(kb.services)}  artifacts: {len(kb.artifacts)}  "
          f"tips: {len(kb.tips)}")
    print(f"entries with a link: {sum(1 for e in kb.entries if e.links)}")
    print("\nby owner:")
    for owner in ("aws", "customer", "shared"):
        print(f"  {owner:<10} {by_owner[owner]}")
    statements = [len(s.statements) for s in kb.services]
    print("\nservices by category:")
    for category in SERVICE_CATEGORIES:
        print(f"  {category:<15} {sum(1 for s in kb.services if s.category == category)}")
    print(f"\nlayer statements: {sum(statements)} over {len(kb.services)} services, "
          f"{sum(statements) / max(len(statements), 1):.1f} on average (fewest {min(statements, default=0)}), "
          f"{sum(1 for s in kb.services for st in s.statements if st.since)} with the date a default changed")
    print("\nby service (layer statements, entries with an override, category):")
    for service in kb.services:
        print(f"  {service.id:<28} {len(service.statements):>3} {by_service[service.id]:>3}  {service.category}")
    print("\nby artifact (entries citing it):")
    for artifact in kb.artifacts:
        print(f"  {artifact.id:<20} {by_artifact[artifact.id]:>3}  {artifact.name}")
    return 0


def run_links(args: argparse.Namespace) -> int:
    """Print every broken or redirected link with where it is; exit 1 when any is broken, else 0."""
    uses = link_uses(load_knowledge())
    statuses = check_urls((use.url for use in uses), http_fetch, args.timeout, args.concurrency)
    for line in report_lines(uses, statuses):
        print(line)
    broken = sum(1 for status in statuses.values() if status.broken)
    redirected = sum(1 for status in statuses.values() if status.redirects and not status.broken)
    print(f"{len(statuses)} URLs checked ({len(uses)} uses): {broken} broken, {redirected} redirected",
          file=sys.stderr)
    return 1 if broken else 0
