"""Start-up noise (issue 13): a process that opens the store says nothing of Alembic's plugins and DDL modes at INFO,
only one line of its own when it migrates, and nothing when the schema is current. A real process, logging as the
bot's processes log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

OPEN_STORE = ("import sys; from bot.logs import configure_logging; configure_logging('INFO'); "
              "from bot.store.store import Store; Store(sys.argv[1]).ensure_schema()")


def start(url: str) -> str:
    done = subprocess.run([sys.executable, "-c", OPEN_STORE, url], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "SRM_LOG_LEVEL": "INFO"}, check=True)
    return done.stderr


def test_opening_the_store_logs_one_line_when_it_migrates_and_none_of_alembics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'srm.sqlite3'}"
    first = start(url)
    assert "alembic" not in first, first
    assert first.count("\n") == 1 and "store: database migrated from empty to revision" in first, first
    assert start(url) == ""
