"""The Teams process refuses oversized, malformed and deeply nested bodies before it parses or authenticates them
(issue 13, fault 4): 413 past 2 MiB (without reading the rest), 400 for what is not JSON or nests too deep. Run
with JWT validation on (credentials set, nothing reachable), so an answer of 401 means the body got as far as
authentication."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from teams.teams_harness import activity, free_port, stop, teams_env

from bot.bodies import MAX_BODY_BYTES

from .test_request_attacks import raw_request


@pytest.fixture(scope="module")
def authenticated_teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Teams process with JWT validation on (dummy credentials); its base URL."""
    data = tmp_path_factory.mktemp("teams-auth")
    port = free_port()
    env = teams_env(data, PORT=str(port), CLIENT_ID="00000000-0000-0000-0000-000000000000",
                    CLIENT_SECRET="not-a-secret", TENANT_ID="00000000-0000-0000-0000-000000000001",
                    DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS="false")
    with (data / "teams.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.teams.server"], cwd=data, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        wait_listening(port, proc, data / "teams.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def wait_listening(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the Teams process did not listen within 60 s"
            time.sleep(0.1)


def connection(url: str) -> http.client.HTTPConnection:
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    return http.client.HTTPConnection(host, int(port), timeout=20)


def test_a_declared_100_mb_body_is_refused_413_without_being_read(authenticated_teams: str) -> None:
    conn = connection(authenticated_teams)
    conn.putrequest("POST", "/api/messages")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(100 * 1024 * 1024))
    conn.endheaders(b'{"type": "message", "text": "')  # the rest never comes: the answer must not wait for it
    assert conn.getresponse().status == 413
    conn.close()


def test_a_chunked_body_is_refused_413_once_it_passes_the_limit(authenticated_teams: str) -> None:
    conn = connection(authenticated_teams)
    conn.putrequest("POST", "/api/messages")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk = b"[" + b" " * (256 * 1024)
    try:
        for _ in range(MAX_BODY_BYTES // len(chunk) + 4):
            conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server answered and closed while more was coming: what a refusal looks like
    assert conn.getresponse().status == 413
    conn.close()


@pytest.mark.parametrize(("name", "body"), [
    ("not json", b"{not json"),
    ("truncated", b'{"type": "message", "text": "se'),
    ("not utf-8", b'{"type": "message", "text": "\xff\xfe"}'),
    ("nested 1,000 deep", b'{"type": "message", "value": ' + b"[" * 1000 + b"]" * 1000 + b"}"),
    ("nested 100 deep", b'{"type": "message", "value": ' + b"[" * 100 + b"]" * 100 + b"}"),
])
def test_malformed_and_deep_json_is_refused_400_before_authentication(authenticated_teams: str, name: str,
                                                                      body: bytes) -> None:
    status, reply = raw_request(f"{authenticated_teams}/api/messages", body, {"Content-Type": "application/json"})
    assert status == 400, (status, reply[:300])


def test_a_well_formed_unauthenticated_activity_still_gets_401(authenticated_teams: str) -> None:
    body = json.dumps(activity("http://127.0.0.1:9/", "security groups")).encode()
    status, _ = raw_request(f"{authenticated_teams}/api/messages", body, {"Content-Type": "application/json"})
    assert status == 401
