"""Where the database is and how to connect to it."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine

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
    """An engine for `database_url(url)`; connections are checked before use so a restarted server recovers."""
    return create_engine(database_url(url), pool_pre_ping=True)
