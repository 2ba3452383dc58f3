"""End to end over a real WebSocket: `srm serve --socket` as a subprocess against local stand-ins for Slack's Web
API (`apps.connections.open`, `chat.postMessage`; standin.py) and its Socket Mode server (socket_standin.py)."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .conftest import command_body, event_body
from .socket_standin import SocketModeStandIn, serve_socket_mode
from .standin import BOT_TOKEN, ROOT, START_SECONDS, SlackStandIn, free_port, serve_stand_in, stop, web_env

APP_TOKEN = "xapp-1-A1-test-app-token"
STOP_SECONDS = 10.0
"""How long `srm serve --socket` may take to exit after SIGTERM or SIGINT."""
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@dataclass
class SocketApp:
    """A running `srm serve --socket` and the two stand-ins it talks to."""

    process: subprocess.Popen[bytes]
    web_api: SlackStandIn
    socket: SocketModeStandIn
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def socket_env(web_api: SlackStandIn, data_dir: Path) -> dict[str, str]:
    """The web test environment for Socket Mode: an app token, no signing secret, no proxy (loopback only)."""
    env = {**web_env(web_api, free_port(), data_dir), "SLACK_APP_TOKEN": APP_TOKEN, "SRM_LOG_LEVEL": "INFO"}
    for name in ("SLACK_SIGNING_SECRET", *PROXY_VARIABLES):
        env.pop(name, None)
    return env


def launch(web_api: SlackStandIn, data_dir: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """Start `srm serve --socket` against `web_api`, its output going to `data_dir`/socket.log."""
    log = data_dir / "socket.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(["srm", "serve", "--socket"], env=socket_env(web_api, data_dir), cwd=ROOT,
                                   stdout=sink, stderr=subprocess.STDOUT)
    return process, log


@contextlib.contextmanager
def start_socket_app(data_dir: Path) -> Iterator[SocketApp]:
    """`srm serve --socket` connected to fresh stand-ins (fails the test when it does not connect); killed on exit
    if still running."""
    with serve_socket_mode(SocketModeStandIn()) as socket_server, \
            serve_stand_in(SlackStandIn(socket_url=socket_server.url)) as web_api:
        process, log = launch(web_api, data_dir)
        app = SocketApp(process, web_api, socket_server, log)
        try:
            try:
                socket_server.wait_connected()
            except AssertionError as error:
                pytest.fail(f"{error}; srm serve --socket said:\n{app.log_text()[-3000:]}")
            yield app
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def socket_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketApp]:
    """One `srm serve --socket` for the conversation tests."""
    with start_socket_app(tmp_path_factory.mktemp("socket-data")) as app:
        yield app


def test_the_websocket_url_comes_from_slack_api_url_with_the_app_token(socket_app: SocketApp) -> None:
    opened = socket_app.web_api.wait_for("/api/apps.connections.open")
    assert [r.headers.get("Authorization") for r in opened] == [f"Bearer {APP_TOKEN}"]
    assert socket_app.socket.tickets == [urllib.parse.urlsplit(socket_app.socket.url).query]


def test_slash_command_is_answered_ephemerally_in_the_ack(socket_app: SocketApp) -> None:
    payload = dict(urllib.parse.parse_qsl(command_body(
        "security groups", response_url=socket_app.web_api.response_url("socket-command")).decode()))
    envelope_id = socket_app.socket.send_envelope("slash_commands", payload)
    answer = socket_app.socket.wait_ack(envelope_id)["payload"]
    assert answer["response_type"] == "ephemeral"
    assert "Customer: security IN the cloud" in answer["text"]
    assert "Security groups" in json.dumps(answer["blocks"])


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def mention(channel: str, text: str, ts: str, event_id: str) -> dict[str, Any]:
    """An `events_api` envelope's payload: an app_mention as Slack sends it."""
    return json.loads(event_body({"type": "app_mention", "user": "U123", "text": text, "ts": ts, "channel": channel},
                                 event_id))


def test_a_mention_is_answered_in_its_thread_and_a_retry_is_not(socket_app: SocketApp) -> None:
    channel, event_id, ts = unique("C"), unique("Ev"), "1700000000.000100"
    payload = mention(channel, "<@UBOT> security groups", ts, event_id)
    first = socket_app.socket.send_envelope("events_api", payload)
    assert socket_app.socket.wait_ack(first) == {"envelope_id": first}
    posted = socket_app.web_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts=ts)[0]
    assert posted.headers.get("Authorization") == f"Bearer {BOT_TOKEN}"
    assert "Customer: security IN the cloud" in posted.body["text"]

    retry = socket_app.socket.send_envelope("events_api", payload, retry_attempt=1, retry_reason="timeout")
    assert socket_app.socket.wait_ack(retry) == {"envelope_id": retry}
    # a later mention is answered: by then the retry's answer, had there been one, would have been posted
    later_ts = "1700000000.000200"
    socket_app.socket.send_envelope("events_api", mention(channel, "<@UBOT> who patches the OS on RDS?", later_ts,
                                                          unique("Ev")))
    socket_app.web_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts=later_ts)
    assert f"duplicate event {event_id} (retry 1) acknowledged without a reply" in socket_app.log_text()
    assert len(socket_app.web_api.requests("/api/chat.postMessage", channel=channel, thread_ts=ts)) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stops_cleanly_on_a_signal(signum: signal.Signals, tmp_path: Path) -> None:
    with start_socket_app(tmp_path) as app:
        app.process.send_signal(signum)
        try:
            code = app.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(f"srm serve --socket still running {STOP_SECONDS:.0f} s after {signum.name}:\n"
                        f"{app.log_text()[-3000:]}")
        output = app.log_text()
        assert code == 0, output[-3000:]
        assert "stopping: closing the Socket Mode connection" in output
        assert "Traceback" not in output and " ERROR " not in output, output[-3000:]
        app.socket.wait_closed()


def test_a_refused_app_token_stops_with_slacks_error(tmp_path: Path) -> None:
    with serve_stand_in(SlackStandIn()) as web_api:  # no socket_url: apps.connections.open answers an error
        process, log = launch(web_api, tmp_path)
        try:
            code = process.wait(timeout=START_SECONDS)
        finally:
            stop(process)
    output = log.read_text(errors="replace")
    assert code == 1, output
    assert "Slack refused apps.connections.open: not_allowed_token_type" in output
    assert "Traceback" not in output and APP_TOKEN not in output
