"""A way to a human on Teams, over the real Teams process and the stand-in connector: `experts here` in a channel
names it (only for the people SRM_EXPERTS_SET_BY lists: the Bot Framework does not say who owns a team), a
refusal's Ask an expert posts the escaped question, who asked and the best guess to that channel and tells the
asker, and Not helpful offers Ask an expert too."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from teams_harness import (
    Connector,
    activity,
    card_actions,
    card_of,
    card_texts,
    post,
    start_teams_server,
    stop,
    teams_env,
)

from bot.conversation.experts import SENT

SETTER = "29:user-1"
"""The harness's user; listed in SRM_EXPERTS_SET_BY."""


@pytest.fixture(scope="module")
def experts_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("teams-experts")


@pytest.fixture(scope="module")
def experts_server(experts_data: Path) -> Iterator[str]:
    url, proc = start_teams_server(experts_data, SRM_EXPERTS_SET_BY=SETTER)
    yield url
    stop(proc)


def say(server: str, connector: Connector, text: str, **options: object) -> dict:
    """Send `text` (a channel mention unless told otherwise) and return the card the bot answered with."""
    body = activity(connector.url, text, **options)
    before = len(connector.activities(body["conversation"]["id"]))
    assert post(server, body) in (200, 201, 202)
    return card_of(connector.wait_for(body["conversation"]["id"], before + 1)[-1])


def test_experts_here_then_a_refusal_reaches_the_experts(experts_server: str, experts_data: Path,
                                                         connector: Connector) -> None:
    channel = activity(connector.url, "experts here", channel=True, mention=True)
    channel["from"] = {"id": "29:someone-else", "name": "Sam"}
    assert post(experts_server, channel) in (200, 201, 202)
    [denied] = connector.wait_for(channel["conversation"]["id"], 1)
    assert any("may change the experts' channel" in text and "29:someone-else" in text
               for text in card_texts(card_of(denied)))

    channel["from"] = {"id": SETTER, "name": "Pat Doe"}
    channel["id"] = "second"
    assert post(experts_server, channel) in (200, 201, 202)
    [_, done] = connector.wait_for(channel["conversation"]["id"], 2)
    assert any("The experts' channel is now this channel" in text for text in card_texts(card_of(done)))
    experts_root = channel["conversation"]["id"].split(";")[0]

    refusal = say(experts_server, connector, "how much does S3 cost? a < b & *c* [x](https://evil.example)",
                  channel=True, mention=True)  # in another channel of the same team
    [ask] = [a for a in card_actions(refusal) if a["title"] == "Ask an expert"]
    clicked = activity(connector.url, value=ask["data"], channel=True)
    assert post(experts_server, clicked) in (200, 201, 202)
    [request] = connector.wait_for(experts_root, 1)
    texts = card_texts(card_of(request))
    assert "Pat Doe asked in a channel:" in texts
    assert any(text.startswith("how much does S3 cost? a <\u200b b \\& \\*c\\* \\[x\\]") for text in texts), texts
    assert any(text.startswith("My best guess:") for text in texts)
    [told] = connector.wait_for(clicked["conversation"]["id"], 1)
    assert card_texts(card_of(told)) == [SENT]

    # Next Monday 09:00 UTC two clock passes run: the experts' channel gets one digest, with the refused question.
    day = dt.date.today() + dt.timedelta(days=1)
    day += dt.timedelta(days=-day.weekday() % 7)
    due = dt.datetime.combine(day, dt.time(9, 0, 5), tzinfo=dt.UTC)
    for moment in (due, due + dt.timedelta(minutes=1)):
        run = subprocess.run([sys.executable, "-m", "bot", "tips", "run", "--once", "--at", moment.isoformat()],
                             cwd=experts_data, env=teams_env(experts_data), capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
    [_, digest] = connector.wait_for(experts_root, 2)
    assert len(connector.activities(experts_root)) == 2
    texts = card_texts(card_of(digest))
    assert texts[0].startswith("Weekly digest ") and "Unanswered questions \\(times asked\\):" in texts
    assert any("how much does s3 cost? a <\u200b b \\& \\*c\\*" in text for text in texts), texts


def test_not_helpful_offers_ask_an_expert(experts_server: str, connector: Connector) -> None:
    answer = say(experts_server, connector, "security groups")
    [unhelpful] = [a for a in card_actions(answer) if "Not helpful" in a["title"]]
    thanks = say(experts_server, connector, "", value=unhelpful["data"])
    [ask] = [a for a in card_actions(thanks) if a["title"] == "Ask an expert"]
    assert ask["data"]["question"] == "security groups" and ask["data"]["entry"] == unhelpful["data"]["entry"]
