"""The `srm` command. Each subcommand lives in a module of `bot.commands` that defines `register(subparsers)`.

Modules are discovered, so adding a command means adding a module; `srm --help` lists them all. This module is the
one place that decides how usage errors end: an unknown option, a missing or malformed argument, or a handler's
`UsageError` prints the usage of the (sub)command that was given and exits 64 (EX_USAGE).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

import bot.commands
from bot import __version__
from bot.core import KnowledgeError
from bot.core.loader import located_lines

EX_USAGE = 64
"""The exit code of every usage error (sysexits.h EX_USAGE)."""


class UsageError(Exception):
    """A command line its handler cannot run (e.g. two options that exclude each other); the message says why."""


class UsageParser(argparse.ArgumentParser):
    """An argument parser whose errors print its own usage and exit EX_USAGE (argparse's default is 2). Subparsers
    take the class of their parent, so every `srm` subcommand parser is one."""

    def error(self, message: str) -> NoReturn:
        """Print this parser's usage and `message`, and exit EX_USAGE."""
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EX_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every discovered subcommand registered."""
    parser = UsageParser(prog="srm", description="Who is responsible for X? The AWS Shared Responsibility Model, "
                         "answered.")
    parser.add_argument("--version", action="version", version=f"srm-bot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_info in sorted(pkgutil.iter_modules(bot.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"bot.commands.{module_info.name}")
        module.register(subparsers)
    _remember_parsers(parser)
    return parser


def _remember_parsers(parser: argparse.ArgumentParser) -> None:
    """Let every parser put itself in the arguments it parses: the deepest one given (`srm report misses`) is the
    one whose usage an error shows."""
    parser.set_defaults(usage_parser=parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                _remember_parsers(subparser)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `srm` with `argv` (default: the process arguments) and return the exit code."""
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:
        args.usage_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.handler(args) or 0)
    except UsageError as exc:
        args.usage_parser.error(str(exc))
    except KnowledgeError as exc:
        print(f"srm: the knowledge base is invalid ({len(exc.problems)} problems):", file=sys.stderr)
        for line in located_lines(exc.problems, exc.root):
            print(f"  {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
