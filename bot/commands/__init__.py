"""Subcommands of `srm`; each module defines `register(subparsers)` and sets `handler` on its parser."""
