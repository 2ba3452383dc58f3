"""Where the database is and how to connect to it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

SQLITE_BUSY_TIMEOUT_S = 30
"""How long a SQLite writer waits for another process's write lock before giving up."""
POSTGRES_CONNECT_TIMEOUT_S = 5
"""A PostgreSQL server that does not answer fails fast, so a request never hangs on the store."""

DEFAULT_SQLITE_FILE = "srm.sqlite3"


def database_url(url: str | None = None) -> str:
    """`url`, else `DATABASE_URL`, else a SQLite file (`SRM_DATA_DIR`/srm.sqlite3, default the working directory).

    Heroku's `postgres://` form is accepted and mapped to SQLAlchemy's `postgresql+psycopg://`.
    """
    url = url or os.environ.get("DATABASE_URL")
    if not url:
        directory = Path(os.environ.get("SRM_DATA_DIR", "."))
        return f"sqlite:///{(directory / DEFAULT_SQLITE_FILE).resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str | None = None) -> Engine:
    """An engine for `database_url(url)`; connections are checked before use so a restarted server recovers.

    SQLite: every transaction starts with `BEGIN IMMEDIATE`, so concurrent processes (several clocks, the web
    workers) queue for the write lock instead of failing with "database is locked" when a read turns into a write;
    the file is in WAL mode with `synchronous=NORMAL` (commits without an fsync each).
    PostgreSQL: connecting gives up after a few seconds.
    """
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, pool_pre_ping=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _begin_immediate(engine)
        return engine
    connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S} if resolved.startswith("postgresql") else {}
    return create_engine(resolved, pool_pre_ping=True, connect_args=connect_args)


def _begin_immediate(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, start transactions, and start them with the write lock taken."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # pysqlite's own implicit BEGIN is off
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        # Write-ahead log: readers never wait for the writer, and a commit appends to the log without an fsync
        # (the log is synced at checkpoints). A killed process loses nothing committed; a power cut can lose the
        # last commits, never the file. The mode is kept in the file: set once, by the first connection that can.
        # Switching fails at once (SQLite does not wait for it) while another connection holds the file; then a
        # later connection switches it.
        if dbapi_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            with contextlib.suppress(sqlite3.OperationalError):
                dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
