"""Fixtures for the tips tests: the databases (shared with tests/store), a small fixed knowledge base, and a local
stand-in for Slack's Web API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store.conftest import db_url, store  # noqa: F401 - fixtures re-exported for the tips tests

from bot.core import KnowledgeBase, load_knowledge
from tips.slack_standin import SlackStandIn

KB_DIR = Path(__file__).parent / "kb"


@pytest.fixture(scope="session")
def tips_kb() -> KnowledgeBase:
    return load_knowledge(KB_DIR)


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin
