"""The Slack app manifests use only keys Slack documents, ask for the least scopes, and match the app's code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.slack.listeners.commands import COMMAND
from bot.slack.listeners.shortcuts import CALLBACK_ID
from bot.slack.oauth import BOT_SCOPES

MANIFESTS = Path(__file__).resolve().parents[2] / "manifests"

# The keys of the app manifest reference (https://api.slack.com/reference/manifests), section by section.
SCHEMA: dict[str, Any] = {
    "_metadata": {"major_version": int, "minor_version": int},
    "display_information": {"name": str, "description": str, "long_description": str, "background_color": str},
    "features": {
        "app_home": {"home_tab_enabled": bool, "messages_tab_enabled": bool, "messages_tab_read_only_enabled": bool},
        "bot_user": {"display_name": str, "always_online": bool},
        "shortcuts": [{"name": str, "callback_id": str, "description": str, "type": str}],
        "slash_commands": [{"command": str, "description": str, "should_escape": bool, "url": str,
                            "usage_hint": str}],
        "unfurl_domains": [str],
    },
    "oauth_config": {"redirect_urls": [str], "scopes": {"bot": [str], "user": [str]},
                     "token_management_enabled": bool},
    "settings": {
        "allowed_ip_address_ranges": [str],
        "event_subscriptions": {"request_url": str, "bot_events": [str], "user_events": [str],
                                "metadata_subscriptions": [dict]},
        "interactivity": {"is_enabled": bool, "request_url": str, "message_menu_options_url": str},
        "org_deploy_enabled": bool, "socket_mode_enabled": bool, "token_rotation_enabled": bool,
        "incoming_webhooks": {"incoming_webhooks_enabled": bool}, "function_runtime": str,
        "siws_links": {"initiate_uri": str}, "is_hosted": bool,
    },
}


def check(value: Any, schema: Any, where: str) -> list[str]:
    """Every key of `value` not in `schema`, or of the wrong type, as `path: problem`."""
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            return [f"{where}: expected an object"]
        return [problem for key, item in value.items()
                for problem in ([f"{where}.{key}: not a documented key"] if key not in schema
                                else check(item, schema[key], f"{where}.{key}"))]
    if isinstance(schema, list):
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        return [p for i, item in enumerate(value) for p in check(item, schema[0], f"{where}[{i}]")]
    return [] if isinstance(value, schema) else [f"{where}: expected {schema.__name__}"]


@pytest.fixture(params=["slack.socket.json", "slack.http.json"])
def manifest(request: pytest.FixtureRequest) -> dict[str, Any]:
    data = json.loads((MANIFESTS / request.param).read_text())
    data["__file"] = request.param
    return data


def test_manifest_uses_only_documented_keys(manifest: dict[str, Any]) -> None:
    name = manifest.pop("__file")
    assert check(manifest, SCHEMA, name) == []
    for required in ("display_information", "features", "oauth_config", "settings"):
        assert required in manifest
    assert len(manifest["display_information"]["name"]) <= 35
    assert len(manifest["display_information"]["description"]) <= 140


def test_manifest_matches_the_app(manifest: dict[str, Any]) -> None:
    name = manifest.pop("__file")
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert features["shortcuts"] == [{**features["shortcuts"][0], "callback_id": CALLBACK_ID, "type": "message"}]
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)
    assert "user" not in manifest["oauth_config"]["scopes"]
    events = set(settings["event_subscriptions"]["bot_events"])
    assert {"app_mention", "app_home_opened", "message.im"} <= events
    # replies in a thread the bot answered in reach it without a mention (follow-ups), each with its read scope
    thread_events = {"message.channels": "channels:history", "message.groups": "groups:history",
                     "message.mpim": "mpim:history"}
    assert set(thread_events) <= events and set(thread_events.values()) <= set(BOT_SCOPES)
    assert features["app_home"]["home_tab_enabled"] and settings["interactivity"]["is_enabled"]
    if name == "slack.http.json":
        urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
                features["slash_commands"][0]["url"]]
        assert all(url.startswith("https://") and url.endswith("/slack/events") for url in urls)
        assert settings["socket_mode_enabled"] is False
        assert {"app_uninstalled", "tokens_revoked"} <= set(settings["event_subscriptions"]["bot_events"])
        assert manifest["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")
    else:
        assert settings["socket_mode_enabled"] is True
        assert "request_url" not in settings["event_subscriptions"]
        assert "url" not in features["slash_commands"][0]
