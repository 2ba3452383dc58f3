"""Observability of the running processes (issue 13, fault 12): every request gets exactly one `srm.request` line
(status, team, channel, what, ms), refused ones included; DEBUG prints no response URL and no message text unless
SRM_LOG_PAYLOADS asks for them; and echoed user text loses right-to-left overrides, zero-width characters and NUL."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack.conftest import SlackStandIn, block_action, command_body, interaction_body, post, sign
from slack.standin import WebProcess, start_web
from teams.teams_harness import activity, card_of, card_texts, start_connector, start_teams_server, stop
from teams.teams_harness import post as teams_post

from bot.bodies import MAX_BODY_BYTES
from bot.slack.blocks import ACTION_HELP
from bot.slack.listeners.shortcuts import CALLBACK_ID

from .test_request_attacks import raw_request

LINE = re.compile(r"srm\.request (platform=\S+ status=\d+ .*ms=\d+\.\d)$", re.MULTILINE)
HIDDEN = ("\u202e", "\u200b", "\u2066", "\x00", "\ufeff")


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


@pytest.fixture(scope="module")
def web(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with start_web(slack_api, tmp_path_factory.mktemp("lines")) as running:
        yield running


def new_lines(log: Callable[[], str], request: Callable[[], Any]) -> list[str]:
    """The request lines logged while `request()` ran (the line is written before the response is sent)."""
    before = len(LINE.findall(log()))
    request()
    time.sleep(0.2)  # a second line, if one were written, would follow straight away
    return LINE.findall(log())[before:]


def big_declared(url: str) -> None:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("POST", "/slack/events")
    conn.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    conn.endheaders(b"x")
    assert conn.getresponse().status == 413
    conn.close()


def slack_requests(web: WebProcess, slack: SlackStandIn) -> dict[str, tuple[Callable[[], Any], list[str]]]:
    """name -> (the request, what its one line must say)."""
    events = f"{web.url}/slack/events"
    unsigned = command_body("security groups", response_url=slack.response_url("x"), channel_id="CUNSIGNED")
    malformed = b'{"type": "event_callback", "event": [1]}'
    url = slack.response_url(unique("r"))
    return {
        "unsigned": (lambda: raw_request(events, unsigned, {"Content-Type": "application/x-www-form-urlencoded"}),
                     ["status=401", "refused: invalid request"]),
        "too large": (lambda: big_declared(web.url), ["status=413", "refused: requests are limited"]),
        "malformed": (lambda: raw_request(events, malformed, {"Content-Type": "application/json",
                                                               **sign(malformed)}),
                      ["status=400", "refused: event is not an object"]),
        "help": (lambda: post(events, command_body("help", response_url=url, channel_id="CHELP")),
                 ["status=200", "team=T123", "channel=CHELP", "command=/srm:help"]),
        "list": (lambda: post(events, command_body("list aws", response_url=url, channel_id="CLIST")),
                 ["status=200", "channel=CLIST", "command=/srm:list"]),
        "question": (lambda: post(events, command_body("security groups", response_url=url, channel_id="CASK")),
                     ["status=200", "channel=CASK", "command=/srm:ask", "outcome=answer", "entry=security-groups",
                      "score=1.000"]),
        "button": (lambda: post(events, block_action({"type": "button", "action_id": ACTION_HELP, "value": "help",
                                                      "block_id": "b"}, response_url=url)),
                   ["status=200", "team=T123", "channel=C123", "command=block_actions:srm_help"]),
    }


@pytest.mark.parametrize("name", ["unsigned", "too large", "malformed", "help", "list", "question", "button"])
def test_every_slack_request_gets_one_line(web: WebProcess, slack_api: SlackStandIn, name: str) -> None:
    request, expected = slack_requests(web, slack_api)[name]
    lines = new_lines(web.log_text, request)
    assert len(lines) == 1, lines
    for part in expected:
        assert part in lines[0], (part, lines[0])


def test_echoed_text_loses_overrides_zero_width_characters_and_nul(web: WebProcess, slack_api: SlackStandIn) -> None:
    text = "\u202eplugh\u200b xyzzy\u2066 frobnicate\ufeff"
    reply = post(f"{web.url}/slack/events", command_body(text, response_url=slack_api.response_url("e"))
                 .replace(b"frobnicate", b"frob%00nicate"))
    shown = json.dumps(reply.json(), ensure_ascii=False)
    assert "plugh xyzzy frobnicate" in shown, shown
    for char in HIDDEN:
        assert char not in shown


# --- DEBUG keeps payloads out unless asked -------------------------------------------------------------------------

def shortcut_at_debug(slack: SlackStandIn, data: Path, **env: str) -> tuple[str, str]:
    """Run the web process at DEBUG, answer one message shortcut, and return the log."""
    path = f"/response/{unique('secret')}"
    payload = {"type": "message_action", "callback_id": CALLBACK_ID, "trigger_id": "1.2.3", "team": {"id": "T123"},
               "user": {"id": "U123"}, "channel": {"id": "C123"}, "response_url": slack.url + path,
               "message": {"type": "message", "text": "who patches the guest OS on EC2? quasimodo", "ts": "3.0"}}
    data.mkdir()
    with start_web(slack, data, SRM_LOG_LEVEL="DEBUG", **env) as web:
        assert post(f"{web.url}/slack/events", interaction_body(payload)).status == 200
        slack.wait_for(path)
        time.sleep(0.3)
        log = web.log_text()
    return path, log


def test_debug_prints_no_response_url_or_message_text_unless_asked(slack_api: SlackStandIn, tmp_path: Path) -> None:
    path, log = shortcut_at_debug(slack_api, tmp_path / "quiet")
    assert " DEBUG " in log
    assert path not in log and "quasimodo" not in log and "guest OS" not in log
    path, log = shortcut_at_debug(slack_api, tmp_path / "asked", SRM_LOG_PAYLOADS="true")
    assert path in log  # asked for: the client's own DEBUG lines carry it


# --- Teams ----------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path]]:
    connector, server = start_connector()
    data = tmp_path_factory.mktemp("teams-lines")
    url, proc = start_teams_server(data, SRM_LOG_LEVEL="INFO")
    yield url, connector, data / "teams.log"
    stop(proc)
    server.shutdown()
    server.server_close()


def test_every_teams_request_gets_one_line(teams: tuple[str, Any, Path]) -> None:
    url, connector, log = teams
    read = lambda: log.read_text(errors="replace")  # noqa: E731
    asked = activity(connector.url, "security groups")
    lines = new_lines(read, lambda: teams_post(url, asked))
    assert len(lines) == 1 and "status=200" in lines[0] and "command=message:ask" in lines[0], lines
    assert f"channel={asked['conversation']['id']}" in lines[0] and "team=tenant-test" in lines[0]
    for body, status in ((b"{not json", 400), (b"[" * 100 + b"]" * 100, 400), (b'{"type": "dance"}', 400)):
        lines = new_lines(read, lambda body=body: raw_request(f"{url}/api/messages", body,
                                                               {"Content-Type": "application/json"}))
        assert len(lines) == 1 and f"status={status}" in lines[0] and "refused" in lines[0], lines


def test_teams_echo_loses_hidden_characters(teams: tuple[str, Any, Path]) -> None:
    url, connector, _ = teams
    body = activity(connector.url, "\u202eplugh\u2066 xyzzy\u200b frobnicate\x00")
    assert teams_post(url, body) == 200
    [reply] = connector.wait_for(body["conversation"]["id"], 1)
    shown = " ".join(card_texts(card_of(reply)))
    assert "plugh xyzzy frobnicate" in shown, shown
    for char in HIDDEN:
        assert char not in shown
