"""The `srm` command. Each subcommand lives in a module of `bot.commands` that defines `register(subparsers)`.

Modules are discovered, so adding a command means adding a module; `srm --help` lists them all.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import bot.commands
from bot import __version__
from bot.core import KnowledgeError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand registered."""
    parser = argparse.ArgumentParser(prog="srm", description="Who is responsible for X? The AWS Shared "
                                     "Responsibility Model, answered.")
    parser.add_argument("--version", action="version", version=f"srm-bot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(bot.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"bot.commands.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `srm` with `argv` (default: the process arguments) and return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KnowledgeError as exc:
        print(f"srm: the knowledge base is invalid ({len(exc.problems)} problems):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
