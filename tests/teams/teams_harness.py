"""Teams test harness (helpers; fixtures in conftest.py): a stand-in Bot Framework connector, activities, cards.

The stand-in is a real HTTP server on 127.0.0.1 that speaks the connector's shape: the bot posts replies to
`POST {serviceUrl}/v3/conversations/{id}/activities` (answered with the new activity's id), updates one of its
activities with `PUT {serviceUrl}/v3/conversations/{id}/activities/{activityId}` (updateActivity), and any token
request gets a dummy token. The bot runs as a
real process (`python -m bot.teams.server`) in the SDK's unauthenticated development mode, so activities posted to
its `/api/messages` travel the whole path: HTTP, the Teams SDK, our handlers, and back out over HTTP.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ACTIVITIES_PATH = re.compile(r"^/v3/conversations/([^/]+)/activities(?:/([^/]+))?$")
BOT_ID = "28:srm-bot-test"
TENANT = "tenant-test"
TEST_KNOWLEDGE = Path(__file__).resolve().parent / "knowledge"
DROP = 0
"""A `fail_next` status: the connection is closed without a response."""


@dataclass
class Received:
    """One request the stand-in received."""

    method: str
    path: str
    conversation_id: str | None
    body: dict[str, Any]
    headers: dict[str, str]
    at: float
    activity_id: str | None = None
    """The activity's id: the one the stand-in gave a posted activity, or the one an update names."""


@dataclass
class Connector:
    """The stand-in connector: what it received, and failures to answer with next."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def activities(self, conversation_id: str | None = None) -> list[Received]:
        """The activities posted so far (optionally to one conversation)."""
        with self.cond:
            return [r for r in self.received if r.conversation_id is not None
                    and (conversation_id is None or r.conversation_id == conversation_id)]

    def wait_for(self, conversation_id: str, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until `count` activities reached `conversation_id` (the reply may trail the HTTP response)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(found := self.activities(conversation_id)) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(found)} activities reached {conversation_id}, expected {count}")
                self.cond.wait(remaining)
            return found

    def updates(self, conversation_id: str) -> list[Received]:
        """The updates (PUT) of activities in `conversation_id` so far."""
        return [r for r in self.activities(conversation_id) if r.method == "PUT"]

    def fail_next(self, status: int, headers: dict[str, str] | None = None) -> None:
        """Answer the next activity post or update with `status` (and headers, e.g. Retry-After), or close the
        connection without an answer when `status` is DROP."""
        with self.cond:
            self.failures.append((status, headers or {}))


def connector_handler(connector: Connector) -> type[BaseHTTPRequestHandler]:
    ids = itertools.count(1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def do_POST(self) -> None:
            self._activity("POST")

        def do_PUT(self) -> None:
            self._activity("PUT")

        def _activity(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if method == "POST" and "token" in self.path:
                self._reply(200, {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
                                  "access_token": "stand-in-token"})
                return
            match = ACTIVITIES_PATH.match(self.path.split("?")[0])
            if match is None or (method == "PUT" and not match.group(2)):  # an update names its activity
                self._reply(404, {"error": {"code": "NotFound", "message": f"{method} {self.path}"}})
                return
            activity_id = urllib.request.unquote(match.group(2)) if method == "PUT" else f"activity-{next(ids)}"
            with connector.cond:
                failure = connector.failures.pop(0) if connector.failures else None
                if failure is None:
                    connector.received.append(Received(method, self.path, urllib.request.unquote(match.group(1)),
                                                       json.loads(raw or b"{}"), dict(self.headers),
                                                       time.perf_counter(), activity_id))
                    connector.cond.notify_all()
            if failure is not None and failure[0] == DROP:
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
            elif failure is not None:
                self._reply(failure[0], {"error": {"code": "Failure", "message": "stand-in failure"}}, failure[1])
            else:
                self._reply(200 if method == "PUT" else 201, {"id": activity_id})

    return Handler


def start_connector() -> tuple[Connector, ThreadingHTTPServer]:
    """Start the stand-in connector on a free port (a daemon thread); shut the returned server down when done."""
    connector = Connector()
    server = ThreadingHTTPServer(("127.0.0.1", 0), connector_handler(connector))
    connector.url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return connector, server


def start_teams_server(data_dir: Path, **extra_env: str) -> tuple[str, subprocess.Popen[bytes]]:
    """Start `python -m bot.teams.server` in development mode (plus `extra_env`); its base URL once it accepts
    connections. It logs to `data_dir`/teams.log."""
    port = free_port()
    with open(data_dir / "teams.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.teams.server"], cwd=data_dir,
                                env=teams_env(data_dir, PORT=str(port), **extra_env), stdout=log,
                                stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the Teams server exited: {(data_dir / 'teams.log').read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"http://127.0.0.1:{port}", proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("the Teams server did not start within 60 s") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a process, killing it if it does not exit within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def teams_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a development-mode Teams process: no credentials, a private data directory."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CLIENT_ID", "CLIENT_SECRET", "TENANT_ID", "DATABASE_URL", "SERVICE_URL")}
    env.update({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "true", "SRM_DATA_DIR": str(tmp),
                "SRM_LOG_LEVEL": "WARNING", "SRM_KNOWLEDGE_DIR": str(TEST_KNOWLEDGE), **extra})
    return env


def activity(service_url: str, text: str = "", *, conversation_id: str | None = None, channel: bool = False,
             mention: bool = False, value: dict[str, Any] | None = None, reply_to_id: str | None = None,
             user_id: str = "29:user-1") -> dict[str, Any]:
    """A message activity as Teams sends it: 1:1 chat by default, or a channel post with an @-mention; a card
    button's click carries its `value` and, in `replyToId`, the id of the activity whose card was clicked."""
    conversation_id = conversation_id or (f"19:{uuid.uuid4().hex}@thread.tacv2;messageid=1700000000000" if channel
                                          else f"a:{uuid.uuid4().hex}")
    body: dict[str, Any] = {
        "type": "message",
        "id": uuid.uuid4().hex[:16],
        "timestamp": "2026-11-27T09:00:00.000Z",
        "localTimezone": "Europe/Berlin",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": "Pat Doe", "aadObjectId": "00000000-0000-0000-0000-000000000001"},
        "conversation": {"id": conversation_id, "conversationType": "channel" if channel else "personal",
                         "tenantId": TENANT, "isGroup": channel},
        "recipient": {"id": BOT_ID, "name": "srm"},
        "text": text,
        "textFormat": "plain",
        "locale": "en-US",
        "channelData": {"tenant": {"id": TENANT}},
    }
    if channel:
        body["channelData"].update({"team": {"id": "19:team@thread.tacv2"}, "channel": {"id": conversation_id}})
    if mention:
        body["text"] = f"<at>srm</at> {text}"
        body["entities"] = [{"type": "mention", "text": "<at>srm</at>", "mentioned": {"id": BOT_ID, "name": "srm"}}]
    if value is not None:
        body["value"] = value
        body["text"] = ""
    if reply_to_id is not None:
        body["replyToId"] = reply_to_id
    return body


def post(base_url: str, body: dict[str, Any]) -> int:
    """POST an activity to the bot's /api/messages; the HTTP status."""
    request = urllib.request.Request(f"{base_url}/api/messages", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status


def card_of(received: Received) -> dict[str, Any]:
    """The Adaptive Card in a posted activity (asserting there is exactly one)."""
    attachments = received.body.get("attachments") or []
    assert len(attachments) == 1, received.body
    assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachments[0]["content"]


def elements(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """Every element of type `kind` in a card's body, depth first."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == kind:
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card.get("body", []))
    return found


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock text in a card."""
    return [block["text"] for block in elements(card, "TextBlock")]


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action in a card's ActionSets."""
    return [action for action_set in elements(card, "ActionSet") for action in action_set["actions"]]
