"""Fixtures for the Teams tests: the stand-in connector and the real Teams process (see teams_harness.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from teams_harness import TEST_KNOWLEDGE, Connector, start_connector, start_teams_server, stop

from bot.core import KnowledgeBase, Matcher, load_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The Teams tests' own small knowledge base (tests/teams/knowledge), independent of the shipped one."""
    return load_knowledge(TEST_KNOWLEDGE)


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)


@pytest.fixture(scope="session")
def connector() -> Iterator[Connector]:
    """The stand-in connector, running for the whole session."""
    connector, server = start_connector()
    yield connector
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def teams_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Teams process's SRM_DATA_DIR: its SQLite store (and its log, teams.log) live here."""
    return tmp_path_factory.mktemp("teams")


@pytest.fixture(scope="session")
def teams_server(teams_data_dir: Path) -> Iterator[str]:
    """The real Teams process on a free port; yields its base URL."""
    url, proc = start_teams_server(teams_data_dir)
    yield url
    stop(proc)
