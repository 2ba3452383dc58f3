"""The databases every store and tips test runs against: a real SQLite file, and the PostgreSQL on the machine.

Each PostgreSQL test gets its own schema (through the URL's `options=-csearch_path=...`, so subprocesses started
with DATABASE_URL land in it too), dropped afterwards, so parallel runs never collide.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg


def _with_port(url: str) -> tuple[str, tuple[str, int]]:
    """`url` with its port written out (tests swap it for a proxy's), and the (host, port) it names."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 5432
    if parts.port is None:
        credentials = parts.netloc.rpartition("@")[0]
        url = urlunsplit(parts._replace(netloc=f"{credentials}@{host}:{port}" if credentials else f"{host}:{port}"))
    return url, (host, port)


POSTGRES_URL, POSTGRES_ADDRESS = _with_port(
    os.environ.get("SRM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
"""The PostgreSQL the tests use (SRM_TEST_POSTGRES_URL, default postgres@127.0.0.1:5432/test), and where it is."""


def postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        socket.create_connection(POSTGRES_ADDRESS, timeout=2).close()
    except OSError as exc:
        return f"no PostgreSQL server answers at {POSTGRES_ADDRESS[0]}:{POSTGRES_ADDRESS[1]} ({exc})"
    return None


@contextmanager
def postgres_schema_url() -> Iterator[str]:
    """A DATABASE_URL whose search path is a fresh schema, dropped on exit."""
    schema = f"srm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def sqlite_url(directory: Path) -> str:
    """A SQLite file in `directory`."""
    return f"sqlite:///{directory / 'srm.sqlite3'}"


def forward_to_postgres(server: socket.socket, pipe: Callable[[socket.socket, socket.socket], None]) -> None:
    """Accept on `server` until it is closed, joining each client to a new PostgreSQL connection with `pipe` (run
    once per direction, each on a thread of its own): the test proxies' common part."""
    while True:
        try:
            client, _ = server.accept()
        except OSError:
            return
        upstream = socket.create_connection(POSTGRES_ADDRESS)
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()
