"""Teams replies (issue 13, fault 7): a connector 429 (after Retry-After), 500 or dropped connection is retried, and
a reply that finally fails is logged with team and conversation while `/api/messages` still answers without a 500."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from teams.teams_harness import DROP, activity, card_of, card_texts, post, start_connector, start_teams_server, stop

from bot.teams.sending import MAX_ATTEMPTS


@pytest.fixture(scope="module")
def teams(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Path]]:
    """(base URL of the Teams process, its stand-in connector, its log file)."""
    connector, server = start_connector()
    data = tmp_path_factory.mktemp("teams-replies")
    url, proc = start_teams_server(data)
    yield url, connector, data / "teams.log"
    stop(proc)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "headers"), [(429, {"Retry-After": "1"}), (500, {}), (503, {}), (DROP, {})])
def test_a_failed_reply_is_retried(teams: tuple[str, Any, Path], status: int, headers: dict[str, str]) -> None:
    url, connector, _ = teams
    connector.fail_next(status, headers)
    body = activity(connector.url, "security groups")
    assert post(url, body) == 200
    [reply] = connector.wait_for(body["conversation"]["id"], 1, timeout=15)
    assert any("security IN the cloud" in text for text in card_texts(card_of(reply)))


def test_a_reply_that_keeps_failing_is_logged_and_not_a_500(teams: tuple[str, Any, Path]) -> None:
    url, connector, log = teams
    for _ in range(MAX_ATTEMPTS):
        connector.fail_next(500)
    body = activity(connector.url, "security groups", channel=True)
    assert post(url, body) == 200
    deadline = time.monotonic() + 15
    while "could not deliver" not in (text := log.read_text(errors="replace")):
        assert time.monotonic() < deadline, text[-2000:]
        time.sleep(0.1)
    line = text.split("could not deliver")[-1].splitlines()[0]
    assert "team=19:team@thread.tacv2" in line and f"channel={body['conversation']['id']}" in line
    assert f"after {MAX_ATTEMPTS} attempt(s)" in line
    later = activity(connector.url, "security groups")  # and the next message is answered
    assert post(url, later) == 200
    connector.wait_for(later["conversation"]["id"], 1)
