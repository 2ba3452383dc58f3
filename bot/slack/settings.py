"""Slack settings from the environment, validated once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from bot.numbers import ascii_int

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
DEFAULT_API_TIMEOUT_S = 30
"""Seconds a Slack Web API call may take before it fails (and is logged); slack_sdk's own default."""

Mode = Literal["http", "socket", "clock"]
"""http: the web process; socket: Socket Mode; clock: the daily-tips clock, which only posts (no signing secret)."""


class SettingsError(ValueError):
    """A required environment variable is missing or invalid; the message names it."""


@dataclass(frozen=True)
class SlackSettings:
    """Everything the Slack app needs from its environment. Secrets never appear in `repr`."""

    mode: Mode
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    api_url: str = DEFAULT_API_URL
    port: int = DEFAULT_PORT
    database_url: str | None = None
    api_timeout: int = DEFAULT_API_TIMEOUT_S

    @property
    def oauth(self) -> bool:
        """True when the app installs into many workspaces through Slack's OAuth flow."""
        return bool(self.client_id and self.client_secret)

    def __repr__(self) -> str:
        return (f"SlackSettings(mode={self.mode!r}, oauth={self.oauth}, api_url={self.api_url!r}, "
                f"port={self.port})")

    @classmethod
    def from_env(cls, mode: Mode = "http", environ: Mapping[str, str] | None = None) -> SlackSettings:
        """Read and check the settings for `mode`; raise SettingsError naming the first missing variable.

        HTTP mode needs SLACK_SIGNING_SECRET and either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and
        SLACK_CLIENT_SECRET (OAuth install). Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN.
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
        if bool(client_id) != bool(client_secret):
            missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
            raise SettingsError(f"{missing} is not set (OAuth install needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)")
        oauth = bool(client_id)
        if mode == "socket":
            required = ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]
        elif mode == "clock":
            required = [] if oauth else ["SLACK_BOT_TOKEN"]
        else:
            required = ["SLACK_SIGNING_SECRET"] + ([] if oauth else ["SLACK_BOT_TOKEN"])
        for name in required:
            if get(name) is None:
                raise SettingsError(f"{name} is not set (needed for Slack {mode} mode)")
        port_text = get("PORT") or str(DEFAULT_PORT)
        port = ascii_int(port_text)
        if port is None or not 0 < port < 65536:
            raise SettingsError(f"PORT must be a port number, got {port_text!r}")
        timeout_text = get("SLACK_API_TIMEOUT") or str(DEFAULT_API_TIMEOUT_S)
        timeout = ascii_int(timeout_text)
        if timeout is None or timeout < 1:
            raise SettingsError(f"SLACK_API_TIMEOUT must be a whole number of seconds, got {timeout_text!r}")
        api_url = get("SLACK_API_URL") or DEFAULT_API_URL
        if not api_url.startswith(("http://", "https://")):
            raise SettingsError(f"SLACK_API_URL must be an http(s) URL, got {api_url!r}")
        return cls(
            mode=mode, bot_token=get("SLACK_BOT_TOKEN"), signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=get("SLACK_APP_TOKEN"), client_id=client_id, client_secret=client_secret,
            api_url=api_url.rstrip("/") + "/", port=port, database_url=get("DATABASE_URL"),
            api_timeout=timeout,
        )
