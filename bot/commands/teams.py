"""`srm teams package`: build the Teams app package (manifest.json and icons, zipped) that an admin uploads."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUT = "srm-teams-app.zip"


def register(subparsers: Any) -> None:
    """Add `srm teams package` to the command line."""
    parser = subparsers.add_parser("teams", help="Microsoft Teams tools")
    actions = parser.add_subparsers(dest="teams_command", metavar="ACTION", required=True)
    package = actions.add_parser("package", help="build the Teams app package to upload",
                                 description="Build the zip an admin uploads to Teams (Apps > Manage your apps > "
                                             "Upload an app): manifest.json with the bot id and commands, and icons.")
    package.add_argument("--out", metavar="FILE", default=DEFAULT_OUT, help=f"the zip to write (default {DEFAULT_OUT})")
    package.add_argument("--bot-id", metavar="ID", help="the bot's Microsoft Entra app (client) id; default CLIENT_ID")
    package.add_argument("--website-url", metavar="URL",
                         help="https page about the bot, shown in Teams; default SRM_WEBSITE_URL")
    package.add_argument("--privacy-url", metavar="URL", help="privacy statement (default: the website URL)")
    package.add_argument("--terms-url", metavar="URL", help="terms of use (default: the website URL)")
    package.set_defaults(handler=run_package)


def run_package(args: argparse.Namespace) -> int:
    """Write the package; exit 2 naming what is missing or wrong."""
    from bot.teams.package import PackageError, build_manifest, build_package  # the Teams SDK loads only here

    bot_id = args.bot_id or os.environ.get("CLIENT_ID")
    website_url = args.website_url or os.environ.get("SRM_WEBSITE_URL")
    if not bot_id:
        print("srm teams package: give --bot-id (the app registration's client id) or set CLIENT_ID",
              file=sys.stderr)
        return 2
    if not website_url:
        print("srm teams package: give --website-url (an https page about the bot) or set SRM_WEBSITE_URL",
              file=sys.stderr)
        return 2
    try:
        manifest = build_manifest(bot_id, website_url, args.privacy_url, args.terms_url)
    except PackageError as exc:
        print(f"srm teams package: {exc}", file=sys.stderr)
        return 2
    out = build_package(Path(args.out), manifest)
    print(f"wrote {out} (bot {manifest['id']}, version {manifest['version']}): upload it in Teams")
    return 0
