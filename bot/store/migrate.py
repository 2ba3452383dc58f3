"""Create or upgrade the schema by running the Alembic migrations in `bot/store/migrations/` programmatically.

Several processes may start at once on a fresh database (web workers, clocks). The upgrade runs inside one
transaction that first takes a lock (PostgreSQL: an advisory transaction lock; SQLite: the write lock that
`BEGIN IMMEDIATE` takes), so exactly one process migrates and the others find the schema current.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_KEY = 0x5352_4D42  # "SRMB"

log = logging.getLogger("srm.store")


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision the code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database at `engine` to the newest revision; a no-op when it is already there."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        before, head = current_revision(connection), head_revision()
        if before == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("store: database migrated from %s to revision %s", f"revision {before}" if before else "empty", head)
