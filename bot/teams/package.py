"""The Teams app package an admin uploads: manifest.json (bot id, scopes, command list) and the two icons, zipped."""

from __future__ import annotations

import json
import uuid
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot import __version__
from bot.conversation.parse import USAGE

MANIFEST_VERSION = "1.17"
MANIFEST_SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ICONS = ("color.png", "outline.png")
SCOPES = ["personal", "team", "groupChat"]
MAX_COMMAND_TITLE = 32
COMMAND_TITLES = ("help", "list", "services", "tip", "tips", "stack", "compare", "why", "experts")
"""Keys of `bot.conversation.parse.USAGE`: the commands Teams lists in the compose box."""


class PackageError(ValueError):
    """The package cannot be built from what was given."""


def _https(name: str, url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise PackageError(f"{name} must be an https:// URL, not {url!r}")
    return url


def commands() -> list[dict[str, str]]:
    """The command list Teams shows in the compose box: the conversation layer's commands, titles Teams accepts."""
    described = {key: what for key, (_, what) in USAGE.items()}
    too_long = [title for title in COMMAND_TITLES if len(title) > MAX_COMMAND_TITLE]
    if too_long:
        raise PackageError(f"Teams command titles are limited to {MAX_COMMAND_TITLE} characters: {too_long}")
    return [{"title": title, "description": described[title]} for title in COMMAND_TITLES]


def build_manifest(bot_id: str, website_url: str, privacy_url: str | None = None, terms_url: str | None = None,
                   ) -> dict[str, Any]:
    """manifest.json for the bot whose Microsoft Entra app (client) id is `bot_id`; raises PackageError."""
    try:
        bot_id = str(uuid.UUID(bot_id))
    except ValueError:
        raise PackageError(f"the bot id must be the app registration's client id (a GUID), not {bot_id!r}") from None
    website_url = _https("the website URL", website_url)
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": __version__,
        "id": bot_id,
        "developer": {
            "name": "srm-bot",
            "websiteUrl": website_url,
            "privacyUrl": _https("the privacy URL", privacy_url or website_url),
            "termsOfUseUrl": _https("the terms-of-use URL", terms_url or website_url),
        },
        "name": {"short": "SRM", "full": "SRM: AWS Shared Responsibility Model"},
        "description": {
            "short": "Who is responsible for X under the AWS Shared Responsibility Model?",
            "full": "Ask who owns a security task in AWS (AWS, you, or both), how it changes with the service, "
                    "what to do, and which audit reports evidence AWS's side. Daily tips on request.",
        },
        "icons": {"color": ICONS[0], "outline": ICONS[1]},
        "accentColor": "#232F3E",
        "bots": [{
            "botId": bot_id,
            "scopes": SCOPES,
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [{"scopes": SCOPES, "commands": commands()}],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [],
    }


def build_package(out: Path, manifest: dict[str, Any]) -> Path:
    """Write the zip (manifest.json and the icons at its root) to `out` and return it."""
    assets = resources.files("bot.teams") / "assets"
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2) + "\n")
        for icon in ICONS:
            archive.writestr(icon, (assets / icon).read_bytes())
    return out
