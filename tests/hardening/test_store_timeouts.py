"""Fault 10 of issue 13: a database that hangs without resetting the connection costs a caller seconds, not its
thread. PostgreSQL behind real sockets: a server that accepts and never answers, a proxy that freezes mid-session,
and a row lock held by another session. Each call runs in a thread joined with a generous bound, so a regression
fails the test instead of hanging it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy.exc import OperationalError
from store.databases import POSTGRES_ADDRESS, forward_to_postgres, postgres_schema_url, postgres_unavailable

from bot.cli import main
from bot.store.db import db_timeout
from bot.store.store import Store

TIMEOUT_S = 2
BOUND_S = 30.0
"""How long a call may take before the test calls it hung (the timeouts make it about TIMEOUT_S)."""


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRM_DB_TIMEOUT", str(TIMEOUT_S))


@pytest.fixture
def schema_url() -> Iterator[str]:
    if reason := postgres_unavailable():
        pytest.skip(reason)
    with postgres_schema_url() as url:
        yield url


def outcome(call: Callable[[], Any]) -> BaseException | Any:
    """What `call` returned or raised, or fail when it is still waiting after BOUND_S."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as exc:  # returned to the test, which asserts on it
            result.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND_S)
    assert not thread.is_alive(), f"still waiting for the database after {BOUND_S:.0f} s"
    return result[0]


class SilentServer:
    """A TCP server that accepts every connection and never sends a byte."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.accepted.append(self._server.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self._server.close()
        for sock in self.accepted:
            sock.close()


class FreezingProxy:
    """Forwards a local port to PostgreSQL until `freeze()`: then it keeps every connection open and passes nothing
    on, like a server that stopped answering without a reset."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.flowing = threading.Event()
        self.flowing.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    def _accept(self) -> None:
        forward_to_postgres(self._server, self._pipe)

    def _pipe(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if not self.flowing.is_set():
                    return  # frozen: what arrived is never passed on, and the sockets stay open
                target.sendall(data)
        except OSError:
            target.close()

    def close(self) -> None:
        self._server.close()


def test_connecting_to_a_server_that_accepts_and_never_answers_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    silent = SilentServer()
    try:
        store = Store(f"postgresql://postgres@127.0.0.1:{silent.port}/test")
        started = time.monotonic()
        error = outcome(lambda: store.subscription("slack", "T1", "C1"))
        assert isinstance(error, OperationalError)
        assert silent.accepted, "the store never reached the server"
        assert time.monotonic() - started < BOUND_S
    finally:
        silent.close()


def test_a_report_against_a_silent_server_says_the_database_did_not_answer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    silent = SilentServer()
    try:
        monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{silent.port}/test")
        assert outcome(lambda: main(["report", "misses"])) == 1
        assert "the database did not answer" in capsys.readouterr().err
    finally:
        silent.close()


def test_a_database_that_freezes_mid_session_fails_the_call_and_the_store_recovers(schema_url: str) -> None:
    proxy = FreezingProxy()
    url = schema_url.replace(f":{POSTGRES_ADDRESS[1]}/", f":{proxy.port}/")
    store = Store(url)
    try:
        assert store.subscription("slack", "T1", "C1") is None  # migrated and answering through the proxy
        proxy.freeze()
        error = outcome(lambda: store.subscription("slack", "T1", "C1"))
        assert isinstance(error, OperationalError), error
        proxy.thaw()
        assert store.subscription("slack", "T1", "C1") is None  # a new connection: the frozen one was dropped
    finally:
        store.engine.dispose()
        proxy.close()


def test_a_statement_waiting_on_a_lock_is_cancelled(schema_url: str) -> None:
    store = Store(schema_url)
    subscribe: dict[str, Any] = {"platform": "slack", "team_id": "T1", "channel_id": "C1", "time_of_day": "09:00",
                                 "timezone": "UTC", "weekdays_only": True, "subscribed_by": "U1"}
    sub = store.subscribe(**subscribe)
    with psycopg.connect(schema_url) as holder:
        holder.execute("SELECT 1 FROM tip_subscriptions WHERE id = %s FOR UPDATE", (sub.id,))
        error = outcome(lambda: store.subscribe(**subscribe))
        assert isinstance(error, OperationalError)
        assert "statement timeout" in str(error)
    assert store.subscribe(**subscribe).id == sub.id  # the lock released, the same call goes through
    store.engine.dispose()


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "1e9"])
def test_a_bad_timeout_setting_is_named(raw: str) -> None:
    with pytest.raises(ValueError, match="SRM_DB_TIMEOUT must be a number of seconds"):
        db_timeout({"SRM_DB_TIMEOUT": raw})
    assert db_timeout({}) == 5.0
    assert db_timeout({"SRM_DB_TIMEOUT": "1.5"}) == 1.5
