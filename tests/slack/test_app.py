"""The Bolt app in-process and over a local HTTP server: the store contract, a failing store, and the OAuth
install flow with its SQLAlchemy stores (install, answer, uninstall)."""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.core import Matcher
from bot.slack.app import create_app
from bot.slack.blocks import ACTION_FEEDBACK, feedback_value
from bot.slack.settings import SlackSettings
from bot.slack.wsgi import SlackWsgi
from bot.store.db import make_engine

from .conftest import (
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackStandIn,
    block_action,
    command_body,
    event_body,
    post,
    sign,
)


class RecordingStore:
    """The store interface the app relies on (record_feedback / record_miss), remembering each call."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail

    def record_feedback(self, **kwargs: Any) -> None:
        self.calls.append(("feedback", kwargs))
        if self.fail:
            raise RuntimeError("database is down")

    def record_miss(self, **kwargs: Any) -> None:
        self.calls.append(("miss", kwargs))
        if self.fail:
            raise RuntimeError("database is down")


def wait_until(predicate: Any, what: str) -> None:
    deadline = time.monotonic() + 10
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def settings_for(slack_api: SlackStandIn, **extra: str) -> SlackSettings:
    return SlackSettings.from_env("http", {"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack_api.api_url,
                                           **extra})


def dispatch(app: App, body: bytes, content_type: str = "application/x-www-form-urlencoded") -> Any:
    headers = {"content-type": content_type, **{k.lower(): v for k, v in sign(body).items()}}
    return app.dispatch(BoltRequest(body=body.decode(), headers=headers))


def test_feedback_and_misses_reach_the_store(slack_api: SlackStandIn, matcher: Matcher) -> None:
    store = RecordingStore()
    app = create_app(settings_for(slack_api, SLACK_BOT_TOKEN=BOT_TOKEN), matcher, store)
    action = {"type": "feedback_buttons", "action_id": ACTION_FEEDBACK, "block_id": "b",
              "value": feedback_value(True, "security-groups")}
    assert dispatch(app, block_action(action, response_url=slack_api.response_url("fb-store"))).status == 200
    response = dispatch(app, command_body("what is the weather in Paris", response_url="x"))
    assert response.status == 200 and "I don't have an answer" in response.body
    wait_until(lambda: len(store.calls) == 2, "two store calls")
    assert ("feedback", {"entry_id": "security-groups", "helpful": True, "platform": "slack", "team_id": "T123",
                         "user_id": "U123", "service_id": None, "question": ""}) in store.calls
    assert ("miss", {"question": "what is the weather in Paris", "platform": "slack", "team_id": "T123"}) in store.calls


def test_a_failing_store_never_breaks_an_answer(slack_api: SlackStandIn, matcher: Matcher,
                                               caplog: pytest.LogCaptureFixture) -> None:
    store = RecordingStore(fail=True)
    app = create_app(settings_for(slack_api, SLACK_BOT_TOKEN=BOT_TOKEN), matcher, store)
    with caplog.at_level(logging.ERROR, logger="srm.slack.recording"):
        response = dispatch(app, command_body("what is the weather in Paris", response_url="x"))
        assert response.status == 200 and "I don't have an answer" in response.body
        wait_until(lambda: any("store.record_miss failed" in r.getMessage() for r in caplog.records), "the log")


@pytest.fixture
def oauth_server(slack_api: SlackStandIn, matcher: Matcher, tmp_path: Path) -> Iterator[tuple[str, str]]:
    database_url = f"sqlite:///{tmp_path / 'oauth.sqlite3'}"
    settings = settings_for(slack_api, SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="client-secret",
                            DATABASE_URL=database_url)
    app = create_app(settings, matcher)

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, SlackWsgi(app), handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", database_url
    server.shutdown()
    server.server_close()


def test_oauth_install_answer_and_uninstall(oauth_server: tuple[str, str], slack_api: SlackStandIn) -> None:
    base, database_url = oauth_server
    with urllib.request.urlopen(f"{base}/slack/install") as response:
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";")[0]
    authorize = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page)
    assert authorize and "client_id=111.222" in authorize.group(1) and "commands" in authorize.group(1)
    state = re.search(r"state=([^&\"]+)", authorize.group(1)).group(1)
    request = urllib.request.Request(f"{base}/slack/oauth_redirect?code=abc&state={state}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
    exchange = slack_api.wait_for("/api/oauth.v2.access", code="abc")[0]
    assert base64.b64decode(exchange.headers["Authorization"].split()[1]).decode() == "111.222:client-secret"

    installations = SQLAlchemyInstallationStore(client_id="111.222", engine=make_engine(database_url))
    bot = installations.find_bot(enterprise_id=None, team_id="T9")
    assert bot is not None and bot.bot_token == "xoxb-installed"

    answer = post(f"{base}/slack/events", command_body("security groups", response_url="x", team_id="T9"))
    assert answer.status == 200 and "Customer: security IN the cloud" in answer.json()["text"]

    uninstalled = post(f"{base}/slack/events", event_body({"type": "app_uninstalled"}, "EvUninstall", team_id="T9"),
                       form=False)
    assert uninstalled.status == 200
    wait_until(lambda: installations.find_bot(enterprise_id=None, team_id="T9") is None, "the uninstall")
