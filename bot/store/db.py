"""Where the database is and how to connect to it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url

from bot.store import deadline

SQLITE_BUSY_TIMEOUT_S = 30
"""How long a SQLite writer waits for another process's write lock before giving up."""
DB_TIMEOUT_ENV = "SRM_DB_TIMEOUT"
DEFAULT_DB_TIMEOUT_S = 5.0
"""PostgreSQL: the longest a statement, a reply, a connect or a wait for a pooled connection may take, so a
database that hangs gives the caller an error ("try again") within seconds instead of holding its thread."""

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


def sqlite_path(url: str | None = None) -> Path | None:
    """The file of `database_url(url)` when it is a SQLite file, else None (PostgreSQL, in-memory SQLite)."""
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() != "sqlite" or resolved.database in (None, "", ":memory:"):
        return None
    return Path(resolved.database)


def make_engine(url: str | None = None) -> Engine:
    """An engine for `database_url(url)`; connections are checked before use so a restarted server recovers.

    SQLite: every transaction starts with `BEGIN IMMEDIATE`, so concurrent processes (several clocks, the web
    workers) queue for the write lock instead of failing with "database is locked" when a read turns into a write;
    the file is in WAL mode with `synchronous=NORMAL` (commits without an fsync each).
    PostgreSQL: connecting, each statement, each wait for a reply and each wait for a pooled connection give up
    after `db_timeout()` seconds (bot/store/deadline.py).
    """
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, pool_pre_ping=True, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _begin_immediate(engine)
        return engine
    if not resolved.startswith("postgresql"):
        return create_engine(resolved, pool_pre_ping=True)
    timeout = db_timeout()
    engine = create_engine(resolved, pool_pre_ping=True, pool_timeout=timeout)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        return deadline.connect(timeout, *cargs, **cparams)

    return engine


def db_timeout(environ: Mapping[str, str] | None = None) -> float:
    """`SRM_DB_TIMEOUT` in seconds (default 5); ValueError naming the variable when it is not a positive number."""
    raw = (os.environ if environ is None else environ).get(DB_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_DB_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < 3600:
        raise ValueError(f"{DB_TIMEOUT_ENV} must be a number of seconds between 0 and 3600, got {raw!r}")
    return value


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
