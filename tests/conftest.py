"""Shared fixtures: the shipped knowledge base, loaded once per test session."""

from __future__ import annotations

import pytest

from bot.core import KnowledgeBase, Matcher, load_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def matcher(kb: KnowledgeBase) -> Matcher:
    return Matcher(kb)
