"""Each platform registers its daily-tip sender (entry points in the `srm.tip_senders` group); the tips package
imports no platform, and the clock finds the senders the environment sets up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import bot.tips
from bot.slack.tip_sender import SlackTipSender
from bot.store.store import Store
from bot.tips.senders import load_senders, registered_senders

TIPS = Path(bot.tips.__file__).parent
PLATFORMS = ("bot.slack", "bot.teams")


def test_importing_the_tips_package_imports_no_platform() -> None:
    """Every module of bot.tips imported in a fresh interpreter: no module of bot.slack or bot.teams is loaded."""
    probe = ("import pkgutil, sys, bot.tips\n"
             "for module in pkgutil.walk_packages(bot.tips.__path__, 'bot.tips.'):\n    __import__(module.name)\n"
             f"print(sorted(m for m in sys.modules if m.startswith({PLATFORMS!r})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_no_module_of_the_tips_package_names_a_platform_even_in_a_function() -> None:
    imported = {(path.name, node.module if isinstance(node, ast.ImportFrom) else alias.name)
                for path in TIPS.rglob("*.py") for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names}
    assert {(file, name) for file, name in imported if name and name.startswith(PLATFORMS)} == set()


def test_each_platform_registers_its_sender() -> None:
    assert {point.name: point.value for point in registered_senders()} == {
        "slack": "bot.slack.tip_sender:from_environment", "teams": "bot.teams:tip_sender_from_environment"}


def test_the_clock_gets_every_platform_the_environment_sets_up(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env")
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "true")  # Teams in development mode
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    senders = load_senders(store.engine)
    assert sorted(senders) == ["slack", "teams"] and isinstance(senders["slack"], SlackTipSender)
    assert senders["teams"].platform == "teams"
    senders["teams"].close()
