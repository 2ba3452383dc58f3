"""Feedback over real HTTP (the Procfile's web process against the Slack stand-in, requests signed as Slack signs
them, its SQLite store read back): each person's vote on an answer counts once and a second click changes it, the
vote keeps the question asked, refusals carry feedback buttons too, and `srm report feedback` shows it all."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.slack.blocks import ACTION_FEEDBACK
from bot.slack.listeners.actions import THANKS
from bot.store.store import QuestionVotes, Store

from .conftest import SlackStandIn, command_body, interaction_body, post
from .standin import WebProcess, eventually, start_web


@pytest.fixture(scope="module")
def web_with_store(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with start_web(slack_api, tmp_path_factory.mktemp("feedback-web")) as running:
        yield running


@pytest.fixture
def store(web_with_store: WebProcess) -> Iterator[Store]:
    store = Store(f"sqlite:///{web_with_store.log.parent / 'srm.sqlite3'}")
    yield store
    store.engine.dispose()


def ask(web: WebProcess, slack_api: SlackStandIn, question: str) -> dict[str, dict[str, Any]]:
    """`/srm question`: the feedback buttons of the answer ("positive_button", "negative_button")."""
    reply = post(f"{web.url}/slack/events", command_body(question, response_url=slack_api.response_url("ask"))).json()
    [element] = [e for b in reply["blocks"] if b["type"] == "context_actions" for e in b["elements"]]
    assert element["type"] == "feedback_buttons" and element["action_id"] == ACTION_FEEDBACK
    return element


def vote(web: WebProcess, slack_api: SlackStandIn, button: dict[str, Any], user: str) -> None:
    """`user` clicks a feedback button; Slack's thanks arrives at the click's response_url."""
    path = f"/response/vote-{uuid.uuid4().hex[:8]}"
    body = interaction_body({
        "type": "block_actions", "team": {"id": "T123", "domain": "example"}, "user": {"id": user},
        "api_app_id": "A1", "container": {"type": "message", "is_ephemeral": True, "channel_id": "C123"},
        "channel": {"id": "C123"}, "trigger_id": "1.2.3", "response_url": slack_api.url + path,
        "actions": [{"type": "feedback_buttons", "action_id": ACTION_FEEDBACK, "block_id": "b",
                     "value": button["value"]}]})
    assert post(f"{web.url}/slack/events", body).status == 200
    assert slack_api.wait_for(path)[0].body["text"].startswith(THANKS)  # Not helpful adds Ask an expert


def report(store: Store, key: str | None) -> list[tuple[int, int, tuple[QuestionVotes, ...]]]:
    return [(row.count, row.extra, row.questions) for row in store.top_unhelpful() if row.key == key]


def test_a_second_click_changes_the_vote_and_each_person_counts_once(web_with_store: WebProcess,
                                                                    slack_api: SlackStandIn, store: Store) -> None:
    buttons = ask(web_with_store, slack_api, "Who patches the OS on RDS?")
    not_helpful, helpful = buttons["negative_button"], buttons["positive_button"]
    vote(web_with_store, slack_api, not_helpful, "U1")
    vote(web_with_store, slack_api, not_helpful, "U1")  # the same vote again
    vote(web_with_store, slack_api, not_helpful, "U2")
    asked = "who patches the os on rds"
    assert eventually(lambda: report(store, "guest-os-patching") == [(2, 0, (QuestionVotes(asked, 2, 0),))])
    vote(web_with_store, slack_api, helpful, "U1")  # U1 changes their mind
    assert eventually(lambda: report(store, "guest-os-patching") == [(1, 1, (QuestionVotes(asked, 1, 1),))])


def test_a_refusal_takes_votes_with_its_question(web_with_store: WebProcess, slack_api: SlackStandIn,
                                                 store: Store, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for question in ("What is the weather in Paris?", "encryption"):  # no match, and "Did you mean"
        buttons = ask(web_with_store, slack_api, question)
        vote(web_with_store, slack_api, buttons["negative_button"], "U7")
    expected = (QuestionVotes("encryption", 1, 0), QuestionVotes("what is the weather in paris", 1, 0))
    assert eventually(lambda: report(store, None) == [(2, 0, expected)])

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{Path(store.engine.url.database or '')}")
    assert main(["report", "feedback"]) == 0
    out = capsys.readouterr().out
    assert "(no answer)" in out and "what is the weather in paris" in out and "encryption" in out
