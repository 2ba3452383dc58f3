"""The Slack stand-in and the web process, shared by tests/slack, tests/hardening and bench/ (a plain module, not a
conftest: `slack.standin` in the tests, `tests.slack.standin` in the benchmarks).

A local HTTP server speaking the Slack Web API shape and accepting `response_url` posts, served on a free loopback
port by `serve_stand_in`; the Procfile's web process started with the test environment by `start_web`; and the
/healthz wait every start-up uses (`healthy`, `wait_healthy`). Nothing leaves 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
WAIT_SECONDS = 15.0
START_SECONDS = 30.0
"""How long a web process may take to answer /healthz."""

StandIn = TypeVar("StandIn", bound="SlackStandIn")


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
    socket_url: str = ""
    """What `apps.connections.open` answers (a Socket Mode stand-in's WebSocket URL); unset, it fails."""
    uploads: dict[str, bytes] = field(default_factory=dict)
    """File id -> the bytes POSTed to the upload_url that `files.getUploadURLExternal` handed out."""
    admins: set[str] = field(default_factory=set)
    """User ids `users.info` says are workspace admins (`is_admin`); everyone else is a plain member."""

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def uploaded(self, file_id: str) -> bytes:
        """The bytes uploaded for `file_id` (the upload must have arrived)."""
        with self.condition:
            assert file_id in self.uploads, f"nothing was uploaded for {file_id}"
            return self.uploads[file_id]

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
    for key in ("blocks", "view", "files"):
        if isinstance(parsed.get(key), str):
            parsed[key] = json.loads(parsed[key])
    return parsed


def stand_in_handler(stand_in: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = self.path.split("?")[0]
            if path.startswith("/upload/"):  # the upload_url of Slack's external upload flow: raw file bytes
                with stand_in.condition:  # `fail_next("/upload", status)` fails the next upload
                    queued = stand_in.failures.get("/upload")
                    failure = queued.pop(0) if queued else None
                    if failure is None:
                        stand_in.uploads[path.removeprefix("/upload/")] = raw
                stand_in.record(Received(path, dict(self.headers), {"length": len(raw)}))
                self._send(failure[0] if failure else 200, None)
                return
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
                return {"ok": True, "user": {"id": body.get("user"), "tz": "Europe/Berlin",
                                             "is_admin": body.get("user") in stand_in.admins, "is_owner": False}}
            if method == "oauth.v2.access":
                return {"ok": True, "app_id": "A1", "authed_user": {"id": "U1"}, "scope": "commands,chat:write",
                        "token_type": "bot", "access_token": "xoxb-installed", "bot_user_id": "UBOT",
                        "team": {"id": "T9", "name": "Installed"}, "enterprise": None, "is_enterprise_install": False}
            if method == "apps.connections.open":
                return {"ok": True, "url": stand_in.socket_url} if stand_in.socket_url else {
                    "ok": False, "error": "not_allowed_token_type"}
            if method == "files.getUploadURLExternal":
                if not body.get("filename") or not str(body.get("length", "")).isdigit():
                    return {"ok": False, "error": "invalid_arguments"}
                file_id = f"F{len(stand_in.received):08d}"
                return {"ok": True, "upload_url": f"{stand_in.url}/upload/{file_id}", "file_id": file_id}
            if method == "files.completeUploadExternal":
                files = body.get("files") or []
                with stand_in.condition:
                    missing = [f.get("id") for f in files if f.get("id") not in stand_in.uploads]
                if not files or missing:
                    return {"ok": False, "error": "file_not_found"}
                return {"ok": True, "files": [{"id": f["id"], "title": f.get("title"), "channels": [
                    body.get("channel_id")]} for f in files]}
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


@contextlib.contextmanager
def serving(server: Any) -> Iterator[None]:
    """Run `server.serve_forever()` (socketserver's or websockets' server) on a daemon thread for the block, then
    `server.shutdown()`."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=WAIT_SECONDS)


@contextlib.contextmanager
def serve_stand_in(stand_in: StandIn, handler: type[BaseHTTPRequestHandler] | None = None) -> Iterator[StandIn]:
    """Serve `stand_in` (with `handler`, default `stand_in_handler(stand_in)`) on a free loopback port, setting its
    `url`; stopped on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler or stand_in_handler(stand_in))
    server.daemon_threads = True
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with serving(server):
            yield stand_in
    finally:
        server.server_close()


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


def procfile_argv(port: int) -> list[str]:
    """The Procfile's `web:` command line with $PORT substituted."""
    return [part.replace("${PORT}", str(port)).replace("$PORT", str(port)) for part in shlex.split(procfile_command())]


def web_env(slack_api: SlackStandIn, port: int, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api.api_url,
        "PORT": str(port), "SRM_DATA_DIR": str(data_dir), "SRM_LOG_LEVEL": "WARNING",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return env


def eventually(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    """True as soon as `check()` is; False if it is still false after `seconds` (for work done off the reply path,
    such as the store's write-behind)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def healthy(base_url: str) -> bool:
    """True when GET /healthz answers 200."""
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = START_SECONDS,
                 poll: float = 0.1) -> bool:
    """Wait until `base_url` answers /healthz (True), or `process` exits or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(poll)
    return True


def stop(process: subprocess.Popen[bytes]) -> None:
    """TERM, then KILL after 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class WebProcess:
    """A running web process: its base URL and its combined stdout/stderr log."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, needle: str, timeout: float = 15.0, *, more_than: int = 0) -> str:
        """The log once `needle` appears in it more than `more_than` times (a new line since a count taken earlier)."""
        deadline = time.monotonic() + timeout
        while (text := self.log_text()).count(needle) <= more_than:
            assert time.monotonic() < deadline, f"{needle!r} never appeared in the log:\n{text[-3000:]}"
            time.sleep(0.05)
        return text


@contextlib.contextmanager
def start_web(stand_in: SlackStandIn, data_dir: Path, **extra_env: str) -> Iterator[WebProcess]:
    """The Procfile's `web:` line with the Slack test environment (INFO logs, to `data_dir`/web.log) plus
    `extra_env`; fails the test when it does not answer /healthz; stopped on exit."""
    port = free_port()
    env = {**web_env(stand_in, port, data_dir), "SRM_LOG_LEVEL": "INFO", **extra_env}
    log = data_dir / "web.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(procfile_argv(port), env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    running = WebProcess(f"http://127.0.0.1:{port}", log, process)
    try:
        if not wait_healthy(running.url, process):
            pytest.fail(f"the web process did not start:\n{running.log_text()[-3000:]}")
        yield running
    finally:
        stop(process)
