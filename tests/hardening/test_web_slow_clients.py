"""Slow clients against the Procfile's web process (issue 13, fault 4): 100 connections that send their headers
and never finish the body must not stop signed `/srm` requests from being answered within Slack's 3 s, and a
stalled body is answered 408 once its deadline passes."""

from __future__ import annotations

import contextlib
import socket
import time
import urllib.parse
import uuid
from collections.abc import Iterator

import pytest
from slack.conftest import SlackStandIn, command_body, sign
from slack.standin import WebProcess, start_web

from bot.bodies import BODY_DEADLINE_S

SLOW_CLIENTS = 100
SLACK_DEADLINE_S = 3.0


@pytest.fixture(scope="module")
def web(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with start_web(slack_api, tmp_path_factory.mktemp("slow")) as running:
        yield running


def stalled(url: str) -> socket.socket:
    """A connection that sent a signed request's headers and a tenth of its body, and then nothing."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    body = command_body("security groups", response_url="http://127.0.0.1:9/response/none")
    headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded",
               "Content-Length": str(len(body)), **sign(body)}
    sock = socket.create_connection((host, int(port)), timeout=30)
    head = "POST /slack/events HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sock.sendall(head.encode() + body[: len(body) // 10])
    return sock


def srm_within(url: str, stand_in: SlackStandIn, seconds: float) -> bytes:
    """A signed `/srm security groups` over a fresh connection that gives up after `seconds`; the reply body."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    body = command_body("security groups", response_url=stand_in.response_url(uuid.uuid4().hex))
    request = ("POST /slack/events HTTP/1.1\r\n" f"Host: {host}\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n" f"Content-Length: {len(body)}\r\n"
               + "".join(f"{k}: {v}\r\n" for k, v in sign(body).items()) + "Connection: close\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=seconds) as sock:
        sock.settimeout(seconds)
        sock.sendall(request.encode() + body)
        reply = b""
        deadline = time.monotonic() + seconds
        while chunk := sock.recv(65536):
            reply += chunk
            assert time.monotonic() < deadline, "no complete answer within Slack's deadline"
    return reply


def test_signed_requests_are_answered_while_100_clients_stall(web: WebProcess, slack_api: SlackStandIn) -> None:
    with contextlib.ExitStack() as stack:
        for _ in range(SLOW_CLIENTS):
            stack.enter_context(stalled(web.url))
        time.sleep(0.5)  # every stalled request has reached the server
        for _ in range(10):
            reply = srm_within(web.url, slack_api, SLACK_DEADLINE_S)
            assert reply.startswith(b"HTTP/1.1 200") and b"security IN the cloud" in reply, reply[:300]


def test_a_stalled_body_is_answered_408_after_its_deadline(web: WebProcess) -> None:
    with stalled(web.url) as sock:
        sock.settimeout(BODY_DEADLINE_S + 20)
        started = time.monotonic()
        reply = sock.recv(65536)
    assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
    assert time.monotonic() - started >= BODY_DEADLINE_S - 1
