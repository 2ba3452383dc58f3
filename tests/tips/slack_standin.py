"""A local stand-in for Slack's Web API: `chat.postMessage` and `oauth.v2.access`, with scripted failures.

`script(channel, *actions)` queues what the next posts to a channel get, in order; once the queue is empty a post
succeeds. Actions: `error(code, status=200, headers=None)`, `sleep(seconds)` (answer late: a client timeout),
`hang()` (never answer; the request counts as not posted). Accepted posts are in `posts`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class Action:
    kind: str  # error | sleep | hang
    code: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def error(code: str, status: int = 200, headers: dict[str, str] | None = None) -> Action:
    return Action("error", code=code, status=status, headers=headers or {})


def sleep(seconds: float) -> Action:
    return Action("sleep", seconds=seconds)


def hang() -> Action:
    return Action("hang")


@dataclass(frozen=True)
class Post:
    channel: str
    token: str
    text: str
    blocks: list[dict[str, Any]]
    ts: str


class SlackStandIn:
    """A threaded HTTP server on 127.0.0.1 speaking the shape of Slack's Web API."""

    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.attempts: list[str] = []  # channel of every chat.postMessage request, accepted or not
        self.refreshes: list[dict[str, str]] = []
        self.rotated_token = "xoxb-rotated"
        self.hanging = threading.Event()  # set when a request is being held by hang()
        self._release = threading.Event()
        self._scripts: dict[str, deque[Action]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def script(self, channel: str, *actions: Action) -> None:
        with self._lock:
            self._scripts[channel].extend(actions)

    def posts_to(self, channel: str) -> list[Post]:
        return [p for p in self.posts if p.channel == channel]

    def __enter__(self) -> SlackStandIn:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def _next_action(self, channel: str) -> Action | None:
        with self._lock:
            self.attempts.append(channel)
            queue = self._scripts[channel]
            return queue.popleft() if queue else None

    def _post(self, form: dict[str, str], token: str) -> tuple[int, dict[str, Any], dict[str, str]]:
        channel = form.get("channel", "")
        action = self._next_action(channel)
        if action is not None and action.kind == "hang":
            self.hanging.set()
            self._release.wait()
            return 500, {"ok": False, "error": "released"}, {}
        if action is not None and action.kind == "sleep":
            time.sleep(action.seconds)
            return 200, {"ok": False, "error": "too_late"}, {}
        if action is not None and action.kind == "error":
            return action.status, {"ok": False, "error": action.code}, action.headers
        with self._lock:
            ts = f"{1700000000 + len(self.posts)}.000100"
            self.posts.append(Post(channel, token, form.get("text", ""), json.loads(form.get("blocks") or "[]"),
                                   ts))
        return 200, {"ok": True, "channel": channel, "ts": ts}, {}

    def _refresh(self, form: dict[str, str]) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            self.refreshes.append(form)
        return 200, {"ok": True, "token_type": "bot", "access_token": self.rotated_token,
                     "refresh_token": "xoxe-refresh-2", "expires_in": 43200}, {}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(raw).items()}
                else:
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                if self.path.endswith("/chat.postMessage"):
                    status, body, headers = standin._post(form, token)
                elif self.path.endswith("/oauth.v2.access"):
                    status, body, headers = standin._refresh(form)
                else:
                    status, body, headers = 404, {"ok": False, "error": "unknown_method"}, {}
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client is gone (killed, or timed out)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
