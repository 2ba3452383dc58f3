"""A local stand-in for Slack's Socket Mode WebSocket server (the Web API half, `apps.connections.open`, is the
HTTP stand-in in standin.py, whose `socket_url` points here).

Each client that connects gets Slack's `hello`; the test then pushes envelopes (`send_envelope`) and reads the
client's acknowledgements (`wait_ack`). Built on `websockets` (an RFC 6455 server that checks the client's handshake
and framing independently of slack_sdk). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from .standin import WAIT_SECONDS, serving

SOCKET_PATH = "/link/"


def hello(app_id: str = "A1") -> dict[str, Any]:
    """The first message Slack sends on a new Socket Mode connection."""
    return {"type": "hello", "num_connections": 1, "connection_info": {"app_id": app_id},
            "debug_info": {"host": "applink-standin", "approximate_connection_time": 18060}}


@dataclass
class SocketModeStandIn:
    """The WebSocket side of Socket Mode. `url` is the ws:// URL `apps.connections.open` hands out; `tickets` are
    the query strings the clients connected with; `acks` maps envelope ids to the client's answer."""

    url: str = ""
    tickets: list[str] = field(default_factory=list)
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)
    closed: int = 0
    connection: ServerConnection | None = None
    condition: threading.Condition = field(default_factory=threading.Condition)

    def handle(self, connection: ServerConnection) -> None:
        """One client connection: say hello, then record every acknowledgement until the client goes away."""
        connection.send(json.dumps(hello()))
        with self.condition:
            self.tickets.append(connection.request.path.partition("?")[2] if connection.request else "")
            self.connection = connection
            self.condition.notify_all()
        try:
            for raw in connection:
                message = json.loads(raw)
                with self.condition:
                    self.acks[message["envelope_id"]] = message
                    self.condition.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self.condition:
                self.closed += 1
                self.condition.notify_all()

    def _wait(self, ready: Any, what: str, timeout: float = WAIT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        with self.condition:
            while not ready():
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"timed out after {timeout:.0f} s waiting for {what}"
                self.condition.wait(min(remaining, 0.1))

    def wait_connected(self, timeout: float = WAIT_SECONDS) -> ServerConnection:
        """The client's connection, once it has connected and been greeted."""
        self._wait(lambda: self.connection is not None, "a Socket Mode client to connect", timeout)
        assert self.connection is not None
        return self.connection

    def wait_closed(self, count: int = 1, timeout: float = WAIT_SECONDS) -> None:
        """Until `count` connections have ended."""
        self._wait(lambda: self.closed >= count, f"{count} connection(s) to close", timeout)

    def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                      retry_reason: str = "") -> str:
        """Push one envelope (`slash_commands`, `events_api`, `interactive`) as Slack does; its envelope id."""
        envelope_id = str(uuid.uuid4())
        self.wait_connected().send(json.dumps({
            "envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": True,
            "retry_attempt": retry_attempt, "retry_reason": retry_reason,
        }))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
        """The client's answer to `envelope_id` (`{"envelope_id": ..., "payload": {...}}`)."""
        self._wait(lambda: envelope_id in self.acks, f"the ack of envelope {envelope_id}", timeout)
        return self.acks[envelope_id]


@contextlib.contextmanager
def serve_socket_mode(stand_in: SocketModeStandIn) -> Iterator[SocketModeStandIn]:
    """Serve `stand_in` on a free loopback port, setting its `url`; stopped (connections closed) on exit."""
    server: Server = serve(stand_in.handle, "127.0.0.1", 0)
    stand_in.url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}{SOCKET_PATH}?ticket={uuid.uuid4()}"
    with serving(server):
        yield stand_in
