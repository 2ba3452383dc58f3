"""Slack test harness: the local stand-in for the Slack Web API and `response_url` and the web process started
exactly as the Procfile starts it (both from standin.py, as session fixtures), and Slack's request signing. Nothing
leaves 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from .standin import (
    BOT_TOKEN,
    ROOT,
    SIGNING_SECRET,
    SlackStandIn,
    free_port,
    procfile_command,
    serve_stand_in,
    start_web,
    web_env,
)

# what the Slack and hardening tests import from here, kept where they have always found it
__all__ = ["BOT_TOKEN", "ROOT", "SlackStandIn", "free_port", "procfile_command", "web_env"]


@pytest.fixture(scope="session")
def slack_api() -> Iterator[SlackStandIn]:
    """The Slack Web API / response_url stand-in, shared by the session."""
    with serve_stand_in(SlackStandIn()) as stand_in:
        yield stand_in


# --- signing, exactly as Slack signs ------------------------------------------------------------------------------

def sign(body: bytes, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """Slack's signature headers: `v0=` + HMAC-SHA256(secret, `v0:{timestamp}:{body}`)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def command_body(text: str, *, response_url: str, user_id: str = "U123", channel_id: str = "C123",
                 team_id: str = "T123") -> bytes:
    """A form-encoded `/srm` payload as Slack sends it."""
    return urllib.parse.urlencode({
        "token": "deprecated", "team_id": team_id, "team_domain": "example", "channel_id": channel_id,
        "channel_name": "general", "user_id": user_id, "user_name": "ada", "command": "/srm", "text": text,
        "api_app_id": "A1", "response_url": response_url, "trigger_id": "1.2.3",
    }).encode()


def event_body(event: dict[str, Any], event_id: str, team_id: str = "T123") -> bytes:
    """An Events API `event_callback` payload."""
    return json.dumps({
        "token": "deprecated", "team_id": team_id, "api_app_id": "A1", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()), "event": event,
        "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
    }).encode()


def interaction_body(payload: dict[str, Any]) -> bytes:
    """An interactivity payload (`payload=<json>`, form-encoded)."""
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def block_action(action: dict[str, Any], *, response_url: str, ephemeral: bool = False) -> bytes:
    """A `block_actions` payload for one clicked element."""
    return interaction_body({
        "type": "block_actions", "team": {"id": "T123", "domain": "example"}, "user": {"id": "U123"},
        "api_app_id": "A1", "container": {"type": "message", "is_ephemeral": ephemeral, "channel_id": "C123"},
        "channel": {"id": "C123"}, "trigger_id": "1.2.3", "response_url": response_url, "actions": [action],
    })


@dataclass
class HttpReply:
    status: int
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body)


def post(url: str, body: bytes, *, form: bool = True, headers: dict[str, str] | None = None,
         signed: bool = True, timestamp: int | None = None) -> HttpReply:
    """POST `body` to `url` signed like Slack (unless `signed` is False) and return the status and body."""
    all_headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json"}
    if signed:
        all_headers.update(sign(body, timestamp))
    all_headers.update(headers or {})
    request = urllib.request.Request(url, data=body, headers=all_headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return HttpReply(response.status, response.read(), time.perf_counter() - started)
    except urllib.error.HTTPError as error:
        return HttpReply(error.code, error.read(), time.perf_counter() - started)


# --- the web process, as the Procfile starts it -------------------------------------------------------------------

@pytest.fixture(scope="session")
def web(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Procfile's web process on a free port; yields its base URL."""
    with start_web(slack_api, tmp_path_factory.mktemp("web-data"), SRM_LOG_LEVEL="WARNING") as running:
        yield running.url
