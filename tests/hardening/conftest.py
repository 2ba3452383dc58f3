"""Hardening harness: the Slack stand-in (tests/slack) taught to misbehave, the web process started as the Procfile
starts it with a chosen environment, a TCP proxy in front of PostgreSQL that a test can cut and restore, and the
Teams process (tests/teams). Everything is reused from those conftests; only the faults are new here."""

from __future__ import annotations

import contextlib
import os
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
from store.conftest import db_url  # noqa: F401 - re-exported: SQLite and PostgreSQL
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


# --- a TCP proxy a test can cut ------------------------------------------------------------------------------------

class TcpProxy:
    """Forwards 127.0.0.1:<port> to `target`. `stop()` closes the listener and every open connection (the database
    looks gone: refused and reset); `start()` listens on the same port again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        for sock in [listener, *sockets]:
            if sock is None:
                continue
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._sockets.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
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


def environ_without(*prefixes: str) -> dict[str, str]:
    """os.environ without variables starting with `prefixes`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
