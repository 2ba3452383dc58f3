"""Hardening harness: the Slack stand-in (tests/slack) taught to misbehave, the web process started as the Procfile
starts it with a chosen environment, a TCP proxy in front of PostgreSQL that a test can cut and restore, and the
Teams process (tests/teams). Everything is reused from those conftests; only the faults are new here."""

from __future__ import annotations

import contextlib
import shlex
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from slack.conftest import ROOT, SlackStandIn, _handler, free_port, procfile_command, slack_api, web, web_env
from store.test_store import TcpForwarder
from teams.teams_harness import start_connector, start_teams_server, stop

__all__ = ["slack_api", "web"]  # the shared Slack stand-in and web process, re-exported for the request attacks

START_SECONDS = 30.0


# --- a Slack stand-in that can hang or drop the connection --------------------------------------------------------

@dataclass
class FaultyStandIn(SlackStandIn):
    """The tests/slack stand-in plus two faults per path: `hang` (answer only after `seconds`) and `drop` (close the
    connection without a response). `fail_next` (HTTP status + headers) is inherited."""

    faults: dict[str, list[tuple[str, float]]] = field(default_factory=dict)

    def hang_next(self, path: str, seconds: float) -> None:
        with self.condition:
            self.faults.setdefault(path, []).append(("hang", seconds))

    def drop_next(self, path: str) -> None:
        with self.condition:
            self.faults.setdefault(path, []).append(("drop", 0.0))

    def take_fault(self, path: str) -> tuple[str, float] | None:
        with self.condition:
            queued = self.faults.get(path)
            return queued.pop(0) if queued else None


def _faulty_handler(stand_in: FaultyStandIn) -> type:
    base = _handler(stand_in)

    class FaultyHandler(base):  # type: ignore[misc, valid-type]
        def do_POST(self) -> None:
            fault = stand_in.take_fault(self.path.split("?")[0])
            if fault is not None and fault[0] == "drop":
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if fault is not None:
                time.sleep(fault[1])
            super().do_POST()

    return FaultyHandler


@pytest.fixture(scope="module")
def faulty_slack() -> Iterator[FaultyStandIn]:
    """A stand-in of our own (faults must not leak into the shared one)."""
    stand_in = FaultyStandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _faulty_handler(stand_in))
    server.daemon_threads = True
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield stand_in
    server.shutdown()
    server.server_close()


# --- the Procfile's web process with a chosen environment ---------------------------------------------------------

@dataclass
class WebProcess:
    """A running web process: its base URL and its combined stdout/stderr log."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_log(self, needle: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while needle not in (text := self.log_text()):
            assert time.monotonic() < deadline, f"{needle!r} never appeared in the log:\n{text[-3000:]}"
            time.sleep(0.05)
        return text


@contextlib.contextmanager
def start_web(stand_in: SlackStandIn, data_dir: Path, **extra_env: str) -> Iterator[WebProcess]:
    """The Procfile's `web:` line with the Slack test environment plus `extra_env`; stopped on exit."""
    port = free_port()
    env = {**web_env(stand_in, port, data_dir), "SRM_LOG_LEVEL": "INFO", **extra_env}
    argv = [part.replace("${PORT}", str(port)).replace("$PORT", str(port)) for part in shlex.split(procfile_command())]
    log = data_dir / "web.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    running = WebProcess(f"http://127.0.0.1:{port}", log, process)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not healthy(running.url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the web process did not start:\n{running.log_text()[-3000:]}")
            time.sleep(0.1)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def healthy(base_url: str) -> bool:
    """True when GET /healthz answers 200."""
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


# --- a TCP proxy in front of PostgreSQL that a test can cut ------------------------------------------------------

class CuttableForwarder(TcpForwarder):
    """tests/store's forwarder to PostgreSQL, whose `stop()` also cuts every open connection: the database is gone
    (connections reset, new ones refused) until `start()` listens on the same port again."""

    def __init__(self) -> None:
        super().__init__()
        self._open: set[socket.socket] = set()
        self._guard = threading.Lock()

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:  # type: ignore[override]
        with self._guard:
            self._open.update((source, target))
        TcpForwarder._pipe(source, target)

    def stop(self) -> None:
        if self._server is not None:  # close() alone leaves a socket that a blocked accept() still serves
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)
        super().stop()
        with self._guard:
            cut, self._open = self._open, set()
        for sock in cut:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


# --- the Teams process ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def teams_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """(base URL of the running Teams process, its stand-in connector)."""
    connector, server = start_connector()
    url, proc = start_teams_server(tmp_path_factory.mktemp("teams"))
    yield url, connector
    stop(proc)
    server.shutdown()
    server.server_close()
