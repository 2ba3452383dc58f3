"""Fixtures: `db_url` runs a test once on a SQLite file and once on PostgreSQL; `store` is a Store on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.store import Store
from store.databases import postgres_schema_url, postgres_unavailable, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema_url() as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(db_url)
    yield store
    store.engine.dispose()
