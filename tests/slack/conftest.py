"""Slack test harness: a local stand-in for the Slack Web API and `response_url`, Slack's request signing, and
the web process started exactly as the Procfile starts it. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
WAIT_SECONDS = 15.0


@dataclass
class Received:
    """One request the stand-in received: the path and its decoded body."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class SlackStandIn:
    """A small HTTP server speaking the Web API shape at /api/<method> and accepting response_url posts at
    /response/<id>. Tests read what arrived with `wait_for`; `fail_next` makes a method answer an error once."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    condition: threading.Condition = field(default_factory=threading.Condition)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def fail_next(self, path: str, status: int, headers: dict[str, str] | None = None) -> None:
        with self.condition:
            self.failures.setdefault(path, []).append((status, headers or {}))

    def record(self, item: Received) -> None:
        with self.condition:
            self.received.append(item)
            self.condition.notify_all()

    def requests(self, path: str, **match: Any) -> list[Received]:
        with self.condition:
            return [r for r in self.received if r.path == path and all(r.body.get(k) == v for k, v in match.items())]

    def wait_for(self, path: str, count: int = 1, **match: Any) -> list[Received]:
        """The requests to `path` whose body has `match`, once at least `count` arrived (fails after a while)."""
        deadline = time.monotonic() + WAIT_SECONDS
        with self.condition:
            while True:
                found = [r for r in self.received
                         if r.path == path and all(r.body.get(k) == v for k, v in match.items())]
                if len(found) >= count or time.monotonic() > deadline:
                    break
                self.condition.wait(0.05)
        assert len(found) >= count, f"expected {count} request(s) to {path} with {match}, got {len(found)}"
        return found


def _decode(content_type: str, raw: bytes) -> dict[str, Any]:
    if "json" in content_type:
        return json.loads(raw or b"{}")
    parsed = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
    for key in ("blocks", "view"):
        if isinstance(parsed.get(key), str):
            parsed[key] = json.loads(parsed[key])
    return parsed


def _handler(stand_in: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?")[0]
            body = _decode(self.headers.get("Content-Type", ""), raw)
            with stand_in.condition:
                queued = stand_in.failures.get(path)
                failure = queued.pop(0) if queued else None
            stand_in.record(Received(path, dict(self.headers), body))
            if failure is not None:
                status, headers = failure
                self._send(status, {"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"},
                           headers)
            elif path.startswith("/response/"):
                self._send(200, None)
            else:
                self._send(200, self._api(path.removeprefix("/api/"), body))

        def _api(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
            if method == "chat.postMessage":
                return {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}",
                        "message": {"text": body.get("text")}}
            if method == "users.info":
                return {"ok": True, "user": {"id": body.get("user"), "tz": "Europe/Berlin"}}
            if method == "oauth.v2.access":
                return {"ok": True, "app_id": "A1", "authed_user": {"id": "U1"}, "scope": "commands,chat:write",
                        "token_type": "bot", "access_token": "xoxb-installed", "bot_user_id": "UBOT",
                        "team": {"id": "T9", "name": "Installed"}, "enterprise": None, "is_enterprise_install": False}
            if method == "auth.test":
                return {"ok": True, "user_id": "UBOT", "team_id": "T1", "bot_id": "B1"}
            return {"ok": True}

        def _send(self, status: int, payload: dict[str, Any] | None, headers: dict[str, str] | None = None) -> None:
            data = b"ok" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if payload is None else "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture(scope="session")
def slack_api() -> Iterator[SlackStandIn]:
    """The Slack Web API / response_url stand-in, shared by the session."""
    stand_in = SlackStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stand_in))
    server.daemon_threads = True
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    server.shutdown()
    server.server_close()


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

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile_command(process: str = "web") -> str:
    """The Procfile line for `process`, without the `web:` label."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"no {process}: line in the Procfile")


def web_env(slack_api: SlackStandIn, port: int, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api.api_url,
        "PORT": str(port), "SRM_DATA_DIR": str(data_dir), "SRM_LOG_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


@pytest.fixture(scope="session")
def web(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Procfile's web process on a free port; yields its base URL."""
    port = free_port()
    env = web_env(slack_api, port, tmp_path_factory.mktemp("web-data"))
    argv = [part.replace("${PORT}", str(port)).replace("$PORT", str(port)) for part in shlex.split(procfile_command())]
    log = tmp_path_factory.mktemp("web-log") / "web.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the web process did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
