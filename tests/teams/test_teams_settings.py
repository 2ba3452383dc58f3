"""Teams settings: unauthenticated mode only without credentials; the real process refuses the rest at start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from teams_harness import free_port, teams_env

from bot.teams.settings import TeamsSettings, TeamsSettingsError


def test_development_mode_without_credentials() -> None:
    settings = TeamsSettings.from_env({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "true", "PORT": "4000"})
    assert settings.allow_unauthenticated and not settings.has_credentials and settings.port == 4000


def test_production_credentials() -> None:
    settings = TeamsSettings.from_env({"CLIENT_ID": "id", "CLIENT_SECRET": "secret", "TENANT_ID": "t"})
    assert not settings.allow_unauthenticated and settings.port == 3978


@pytest.mark.parametrize(("env", "message"), [
    ({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "true", "CLIENT_ID": "id", "CLIENT_SECRET": "s"},
     "refused while CLIENT_ID"),
    ({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "yes", "CLIENT_SECRET": "s"}, "refused while CLIENT_ID"),
    ({}, "CLIENT_ID and CLIENT_SECRET not set"),
    ({"CLIENT_ID": "id"}, "CLIENT_SECRET not set"),
    ({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "maybe"}, "must be true or false"),
    ({"DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS": "1", "PORT": "http"}, "PORT must be"),
])
def test_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(TeamsSettingsError, match=message):
        TeamsSettings.from_env(env)


def test_server_process_refuses_unauthenticated_mode_with_credentials(tmp_path: Path) -> None:
    env = teams_env(tmp_path, PORT=str(free_port()), CLIENT_ID="0b6f3c1e-2d4a-4f8b-9c7d-5e6f7a8b9c0d",
                    CLIENT_SECRET="not-a-real-secret")
    done = subprocess.run([sys.executable, "-m", "bot.teams.server"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS=true is for local development only" in done.stderr
    assert "not-a-real-secret" not in done.stderr + done.stdout
