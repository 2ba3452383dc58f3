"""`srm kb`: validate, export and count the knowledge base."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from typing import Any

from bot.core import KnowledgeBase, KnowledgeError, load_knowledge


def register(subparsers: Any) -> None:
    """Add `srm kb validate|export|stats` to the command line."""
    parser = subparsers.add_parser("kb", help="validate, export or count the knowledge base")
    actions = parser.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    validate = actions.add_parser("validate", help="check every file; exit non-zero listing file:line: problem")
    validate.add_argument("path", nargs="?", help="knowledge directory (default: SRM_KNOWLEDGE_DIR or the shipped one)")
    validate.set_defaults(handler=run_validate)
    export = actions.add_parser("export", help="print the whole knowledge base")
    export.add_argument("--json", action="store_true", required=True, help="as one JSON object")
    export.set_defaults(handler=run_export)
    stats = actions.add_parser("stats", help="counts by owner, by service and by artifact")
    stats.set_defaults(handler=run_stats)


def run_validate(args: argparse.Namespace) -> int:
    """Exit 0 when valid; otherwise 1 with every problem as `file:line: message`."""
    try:
        kb = load_knowledge(args.path)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {len(kb.entries)} entries, {len(kb.services)} services, {len(kb.artifacts)} artifacts, "
          f"{len(kb.tips)} tips in {kb.root}")
    return 0


def export_dict(kb: KnowledgeBase) -> dict[str, Any]:
    """The knowledge base as plain JSON-ready data."""

    def plain(obj: Any) -> dict[str, Any]:
        data = asdict(obj)
        data.pop("_by_id", None)
        return data

    entries = []
    for entry in kb.entries:
        data = plain(entry)
        data["reviewed"] = entry.reviewed.isoformat()
        data["services"] = {o.service: {"owner": o.owner, "note": o.note} for o in entry.overrides}
        del data["overrides"]
        entries.append(data)
    return {
        "entries": entries,
        "services": [plain(s) for s in kb.services],
        "artifacts": [plain(a) for a in kb.artifacts],
        "tips": [plain(t) for t in kb.tips],
    }


def run_export(args: argparse.Namespace) -> int:
    """Print the knowledge base as JSON."""
    print(json.dumps(export_dict(load_knowledge()), ensure_ascii=False, indent=2))
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
    print("\nby service (entries with an override):")
    for service in kb.services:
        print(f"  {service.id:<20} {by_service[service.id]:>3}  {service.category}")
    print("\nby artifact (entries citing it):")
    for artifact in kb.artifacts:
        print(f"  {artifact.id:<20} {by_artifact[artifact.id]:>3}  {artifact.name}")
    return 0
