"""Where the knowledge base lives. Imports nothing else of the core, so every module may ask."""

from __future__ import annotations

import os
from pathlib import Path


def shipped_knowledge_dir() -> Path:
    """The base shipped inside the package, else the checkout's `knowledge/`."""
    package_dir = Path(__file__).resolve().parent.parent
    shipped = package_dir / "_knowledge"
    return shipped if shipped.is_dir() else package_dir.parent / "knowledge"


def default_knowledge_dir() -> Path:
    """`SRM_KNOWLEDGE_DIR`, else the shipped base."""
    configured = os.environ.get("SRM_KNOWLEDGE_DIR")
    return Path(configured) if configured else shipped_knowledge_dir()


def knowledge_file(knowledge_dir: Path, name: str) -> Path:
    """The data file `name` a knowledge directory uses: its own, else the shipped base's."""
    own = knowledge_dir / name
    return own if own.exists() else shipped_knowledge_dir() / name
