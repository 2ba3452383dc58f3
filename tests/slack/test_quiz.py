"""Quiz tips through the stand-ins: `/srm tips on ... quiz` to the web process, the clock posting the quiz with the
real Slack sender, clicks signed like Slack's answered ephemerally, one counted answer per user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core import KnowledgeBase
from bot.slack.blocks import ACTION_QUIZ
from bot.slack.tip_sender import SlackTipSender, TokenSource
from bot.store.store import Store
from bot.tips.clock import TipClock

from .conftest import BOT_TOKEN, SlackStandIn, command_body, interaction_body, post
from .standin import WebProcess, start_web
from .test_http import unique


@pytest.fixture(scope="module")
def quiz_web(slack_api: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebProcess, Path]]:
    data_dir = tmp_path_factory.mktemp("quiz-web")
    with start_web(slack_api, data_dir) as running:
        yield running, data_dir


def click(web: str, slack_api: SlackStandIn, action: dict, user: str) -> dict:
    response_url = slack_api.response_url(unique("quiz"))
    body = interaction_body({
        "type": "block_actions", "team": {"id": "T123"}, "user": {"id": user}, "api_app_id": "A1",
        "container": {"type": "message", "is_ephemeral": False, "channel_id": "CQUIZ"}, "channel": {"id": "CQUIZ"},
        "trigger_id": "1.2.3", "response_url": response_url, "actions": [{**action, "block_id": "b"}]})
    assert post(f"{web}/slack/events", body).status == 200
    return slack_api.wait_for(response_url.removeprefix(slack_api.url))[0].body


def test_a_quiz_click_is_answered_ephemerally_and_counted_once(quiz_web: tuple[WebProcess, Path],
                                                               slack_api: SlackStandIn, kb: KnowledgeBase) -> None:
    web, data_dir = quiz_web
    response_url = slack_api.response_url(unique("tips"))
    reply = post(f"{web.url}/slack/events", command_body("tips on 09:00 UTC every day quiz", channel_id="CQUIZ",
                                                         response_url=response_url))
    assert reply.status == 200
    told = slack_api.wait_for(response_url.removeprefix(slack_api.url))[0].body
    assert "as a quiz" in told["text"]
    store = Store(f"sqlite:///{data_dir / 'srm.sqlite3'}")
    sender = SlackTipSender(TokenSource(bot_token=BOT_TOKEN), api_url=slack_api.api_url, timeout=30)
    tomorrow = dt.datetime.now(dt.UTC).replace(hour=9, minute=5) + dt.timedelta(days=1)
    assert TipClock(store, kb, {"slack": sender}).run_pass(lambda: tomorrow).posted
    [quiz] = slack_api.wait_for("/api/chat.postMessage", channel="CQUIZ")
    buttons = {e["action_id"]: e for b in quiz.body["blocks"] if b["type"] == "actions" for e in b["elements"]}
    assert set(buttons) == {f"{ACTION_QUIZ}_aws", f"{ACTION_QUIZ}_customer", f"{ACTION_QUIZ}_shared"}
    title = quiz.body["text"].removeprefix("Quiz: Who owns this: ").removesuffix("?")
    entry = next(e for e in kb.entries if e.title == title)
    wrong = next(o for o in ("aws", "customer", "shared") if o != entry.owner)

    first = click(web.url, slack_api, buttons[f"{ACTION_QUIZ}_{entry.owner}"], "UQUIZ1")
    assert first["response_type"] == "ephemeral" and first["replace_original"] is False
    assert "Right!" in first["blocks"][0]["text"]["text"]
    second = click(web.url, slack_api, buttons[f"{ACTION_QUIZ}_{wrong}"], "UQUIZ1")
    assert "Right!" in second["blocks"][0]["text"]["text"] and "first answer" in second["blocks"][0]["text"]["text"]
    other = click(web.url, slack_api, buttons[f"{ACTION_QUIZ}_{wrong}"], "UQUIZ2")
    assert "Not quite." in other["blocks"][0]["text"]["text"]
    forged = click(web.url, slack_api, {**buttons[f"{ACTION_QUIZ}_aws"], "value": "99999:aws"}, "UQUIZ3")
    assert forged["text"] == "That quiz is no longer open."

    assert TipClock(store, kb, {"slack": sender}).run_pass(lambda: tomorrow + dt.timedelta(days=1)).posted
    latest = slack_api.wait_for("/api/chat.postMessage", 2, channel="CQUIZ")[-1]
    assert "Last quiz: 2 people answered, 1 got it right (50%)." in str(latest.body["blocks"])
    web.wait_for_log("command=click:quiz outcome=right-again")
