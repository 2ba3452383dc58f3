"""Create or upgrade the schema by running the Alembic migrations in `bot/store/migrations/` programmatically.

Several processes may start at once on a fresh database (web workers, clocks). The upgrade runs inside one
transaction that first takes a lock (PostgreSQL: an advisory transaction lock; SQLite: the write lock that
`BEGIN IMMEDIATE` takes), so exactly one process migrates and the others find the schema current.

Alembic is imported only by a process that migrates: finding the schema current reads the revision files and the
`alembic_version` table directly, which keeps about 11 MiB of Alembic out of every web worker.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_ADVISORY_LOCK_KEY = 0x5352_4D42  # "SRMB"
_REVISION = re.compile(r"""^(down_revision|revision)\s*=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE)

log = logging.getLogger("srm.store")


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision the code knows: the one no other revision file names as its `down_revision`."""
    revisions, parents = set(), set()
    for file in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict(_REVISION.findall(file.read_text(encoding="utf-8")))
        if found.get("revision"):
            revisions.add(found["revision"])
            parents.add(found.get("down_revision") or None)
    heads = revisions - parents
    assert len(heads) == 1, f"the migrations need exactly one head, not {sorted(heads)}"
    return heads.pop()


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the database at `engine` to the newest revision; a no-op when it is already there."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
        before, head = current_revision(connection), head_revision()
        if before == head:
            return
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("store: database migrated from %s to revision %s", f"revision {before}" if before else "empty", head)
