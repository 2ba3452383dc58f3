"""`srm matrix`, `srm stack` and `srm compare`: a stack's responsibility matrix, its checklist, two services compared.

Usage errors (no services, an unknown service, a bad option) exit 64 with a line saying how to write the command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from bot.core import load_knowledge
from bot.core.matrix import compare, matrix, stack_summary
from bot.core.model import KnowledgeBase, Service
from bot.core.service_names import UnknownServices, resolve_services, unknown_message
from bot.render.matrix_export import FORMATS, csv_bytes, render
from bot.render.stack_text import render_compare, render_stack

EX_USAGE = 64
MATRIX_USAGE = "write it as: srm matrix --services ec2,rds,s3 [--format csv|markdown|json] [--output FILE]"
STACK_USAGE = "write it as: srm stack ec2 rds s3 lambda"
COMPARE_USAGE = "write it as: srm compare ec2 lambda"


class UsageError(Exception):
    """The command line is wrong; the message says what, and `how` says how to write it."""

    def __init__(self, message: str, how: str) -> None:
        super().__init__(message)
        self.how = how


def register(subparsers: Any) -> None:
    """Add `srm matrix`, `srm stack` and `srm compare` to the command line."""
    parser = subparsers.add_parser(
        "matrix", help="the customer responsibility matrix of a stack (CSV, Markdown or JSON)",
        description="One row per (service, layer) and per (service, topic) where the service differs: owner, what "
                    "you do, what AWS does, the evidence, the source, the date verified and the checks that "
                    "verify your part. Your duties come first, grouped by layer.")
    parser.add_argument("--services", nargs="+", metavar="IDS", help="services, comma- or space-separated")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="output format (default csv)")
    parser.add_argument("--output", metavar="FILE", type=Path, help="write to FILE instead of standard output")
    parser.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 byte-order mark Excel needs")
    parser.set_defaults(handler=_guarded(run_matrix, MATRIX_USAGE))
    _exit_64_on_usage_errors(parser, MATRIX_USAGE)

    stack = subparsers.add_parser("stack", help="what you own on a stack: counts per owner and your checklist",
                                  description="The short form of `srm matrix`: how many responsibilities are "
                                              "yours, shared and AWS's, and your duties as a checklist by layer.")
    stack.add_argument("services", nargs="*", metavar="SERVICE", help="service ids or names, e.g. ec2 rds s3")
    stack.set_defaults(handler=_guarded(run_stack, STACK_USAGE))
    _exit_64_on_usage_errors(stack, STACK_USAGE)

    comparison = subparsers.add_parser("compare", help="the layers whose owner differs between two services")
    comparison.add_argument("services", nargs="*", metavar="SERVICE", help="two service ids, e.g. ec2 lambda")
    comparison.set_defaults(handler=_guarded(run_compare, COMPARE_USAGE))
    _exit_64_on_usage_errors(comparison, COMPARE_USAGE)


def _exit_64_on_usage_errors(parser: argparse.ArgumentParser, how: str) -> None:
    """argparse exits 2 on a bad option; these commands exit 64 (EX_USAGE) and say how to write them."""

    def error(message: str) -> NoReturn:
        print(f"{parser.prog}: {message}\n{how}", file=sys.stderr)
        raise SystemExit(EX_USAGE)

    parser.error = error  # type: ignore[method-assign]


def _guarded(run: Any, how: str) -> Any:
    def handler(args: argparse.Namespace) -> int:
        try:
            return int(run(args))
        except UsageError as exc:
            print(f"srm {args.command}: {exc}\n{exc.how}", file=sys.stderr)
            return EX_USAGE

    handler.__doc__ = run.__doc__
    return handler


def _names(values: Sequence[str] | None) -> list[str]:
    """Service names from arguments that may each hold several, comma-separated."""
    return [name for value in values or () for name in value.split(",") if name.strip()]


def _services(kb: KnowledgeBase, values: Sequence[str] | None, how: str) -> tuple[Service, ...]:
    names = _names(values)
    if not names:
        raise UsageError("name at least one service", how)
    try:
        return resolve_services(kb, names)
    except UnknownServices as exc:
        lines = [unknown_message(name, found) for name, found in exc.suggestions.items()]
        raise UsageError("\n".join(lines) + "\n(`srm kb stats` lists every service id)", how) from None


def run_matrix(args: argparse.Namespace) -> int:
    """Print (or write to --output) the matrix of --services in --format."""
    if not _names(args.services):
        raise UsageError("--services is required", MATRIX_USAGE)
    kb = load_knowledge()
    services = _services(kb, args.services, MATRIX_USAGE)
    rows = matrix(kb, services)
    data = (csv_bytes(rows, bom=not args.no_bom) if args.format == "csv"
            else render(rows, services, args.format).encode("utf-8"))
    if args.output is not None:
        args.output.write_bytes(data)
        print(f"{len(rows)} rows for {len(services)} services written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def run_stack(args: argparse.Namespace) -> int:
    """Print the stack's counts per owner and the customer's checklist."""
    kb = load_knowledge()
    services = _services(kb, args.services, STACK_USAGE)
    print(render_stack(stack_summary(kb, services)))
    return 0


def run_compare(args: argparse.Namespace) -> int:
    """Print the layers whose owner differs between the two services named."""
    names = _names(args.services)
    if len(names) != 2:
        raise UsageError(f"name exactly two services (got {len(names)})", COMPARE_USAGE)
    kb = load_knowledge()
    services = _services(kb, names, COMPARE_USAGE)
    if len(services) != 2:
        raise UsageError("name two different services", COMPARE_USAGE)
    first, second = services
    print(render_compare(first, second, compare(kb, first, second)))
    return 0
