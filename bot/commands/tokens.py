"""`srm tokens rotate`: re-seal every stored Slack OAuth token with the newest key of `SRM_TOKEN_KEYS`."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add `srm tokens rotate` to the command line."""
    parser = subparsers.add_parser("tokens", help="Slack OAuth tokens at rest: re-seal them with the newest key")
    actions = parser.add_subparsers(dest="tokens_command", metavar="ACTION", required=True)
    rotate = actions.add_parser("rotate", help="re-encrypt every stored token (plain-text ones too) with the first "
                                "key of SRM_TOKEN_KEYS; afterwards the older keys can be removed")
    rotate.set_defaults(handler=run_rotate)


def run_rotate(args: argparse.Namespace) -> int:
    """Re-seal every token; exit 0 with how many rows changed, 1 when there is no key or a key is missing."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.store import Store
    from bot.store.tokens import TOKEN_KEYS_ENV, TokenCipher, TokenKeyError, rotate_tokens

    try:
        cipher = TokenCipher.from_env()
        if cipher is None:
            print(f"srm tokens rotate: {TOKEN_KEYS_ENV} is not set; nothing to seal with", file=sys.stderr)
            return 1
        store = Store()
        store.ensure_schema()
        changed = rotate_tokens(store.engine, cipher)
    except TokenKeyError as exc:
        print(f"srm tokens rotate: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"srm tokens rotate: the database did not answer ({type(exc).__name__}); check DATABASE_URL",
              file=sys.stderr)
        return 1
    print(f"{changed} row(s) re-sealed with the newest key")
    return 0
