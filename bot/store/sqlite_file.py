"""The file behind a SQLite store, watched: deleted, or replaced (a directory removed and made again, a backup
moved into place), it is noticed on the next use instead of writes going on into an unlinked file or into a new
file without tables."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import Engine

SIDECARS = ("-wal", "-shm")
"""The write-ahead log and its index. SQLite neither checkpoints nor deletes them when their database file was
unlinked, and would read them as the next file's of that name: a new or restored file would get the old pages."""

SIDECAR_LOOK_INTERVAL_S = 1.0
"""How often the log and index are looked at (they change only when every connection to the file closed)."""

_Identity = tuple[int, int] | None


class SqliteFile:
    """A SQLite database file, the identity (device, inode) it had when the store migrated it, and the identities of
    the log and index files in use beside it when last looked at."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._identity: _Identity = None
        self._sidecar_paths = tuple(Path(f"{path}{suffix}") for suffix in SIDECARS)
        self._sidecars: dict[Path, _Identity] = {}
        self._next_look = 0.0

    @classmethod
    def of(cls, engine: Engine) -> SqliteFile | None:
        """The file of a SQLite engine; None for other databases and for in-memory SQLite."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
            return None
        return cls(Path(database))

    def remember(self) -> None:
        """Take the file as it is now as the store's file."""
        self._identity = _identity(self.path)
        self._note_sidecars()

    def change(self) -> str | None:
        """What happened to the file since `remember()` ("was deleted", "was replaced by another file"), or None."""
        current = _identity(self.path)
        if current == self._identity:
            if time.monotonic() >= self._next_look:
                self._note_sidecars()
            return None
        return "was deleted" if current is None else "was replaced by another file"

    def forget_stale_sidecars(self) -> None:
        """Remove the log and index the old file left (those still the ones last seen in use); files another
        process made since, for the new file, are other files and stay."""
        for sidecar, seen in self._sidecars.items():
            if seen is not None and _identity(sidecar) == seen:
                sidecar.unlink(missing_ok=True)
        self._sidecars = {}

    def _note_sidecars(self) -> None:
        self._sidecars = {path: _identity(path) for path in self._sidecar_paths}
        self._next_look = time.monotonic() + SIDECAR_LOOK_INTERVAL_S


def _identity(path: Path) -> _Identity:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino
