"""Hardening harness: the Slack stand-in (tests/slack/standin.py) taught to misbehave, the web process started as
the Procfile starts it with a chosen environment (`start_web`, from the same module), a TCP proxy in front of
PostgreSQL that a test can cut and restore, and the Teams process (tests/teams). Everything is reused from those
modules; only the faults are new here."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from slack.conftest import slack_api, web
from slack.standin import SlackStandIn, WebProcess, serve_stand_in, stand_in_handler, start_web
from store.test_store import TcpForwarder
from teams.teams_harness import start_connector, start_teams_server, stop

# the shared Slack stand-in and web process, re-exported for the request attacks; the web process helpers for faults
__all__ = ["WebProcess", "slack_api", "start_web", "web"]


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
    base = stand_in_handler(stand_in)

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
    with serve_stand_in(stand_in, _faulty_handler(stand_in)):
        yield stand_in


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
