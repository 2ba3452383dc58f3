"""Alembic environment for srm-bot's store.

Run programmatically by `bot.store.migrate.upgrade(engine)`, which hands over an open connection in
`config.attributes["connection"]`. Without one (the `alembic` command line, for writing a new revision with
`alembic -c bot/store/migrations/alembic.ini revision --autogenerate -m "..."`), it connects to `database_url()`.
"""

from __future__ import annotations

from alembic import context

from bot.store.db import make_engine
from bot.store.models import Base

target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    with make_engine().begin() as fresh:
        _run(fresh)
