"""Faults around the Procfile's web process: the Slack Web API rate-limiting, failing, hanging and dropping
connections, and PostgreSQL going away mid-run. Answers keep flowing, nothing recorded is lost, and the process
recovers by itself."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from slack.conftest import block_action, command_body, event_body, post
from store.databases import POSTGRES_ADDRESS, postgres_schema_url, postgres_unavailable

from bot.slack.app import MAX_RETRIES
from bot.slack.blocks import ACTION_FEEDBACK, feedback_value

from .conftest import CuttableForwarder, FaultyStandIn, WebProcess, start_web

API_TIMEOUT_S = 1
POST_MESSAGE = "/api/chat.postMessage"
GIVEN_UP = "could not deliver"
"""What the outbox (bot.slack.sending) logs at ERROR when a reply finally fails."""


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def mention(web: WebProcess, text: str = "security groups") -> str:
    """Mention the bot in a new channel; the channel id."""
    channel = unique("C")
    event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": "1.0", "channel": channel}
    assert post(f"{web.url}/slack/events", event_body(event, unique("Ev")), form=False).status == 200
    return channel


def srm(web: WebProcess, stand_in: FaultyStandIn, text: str) -> str:
    reply = post(f"{web.url}/slack/events", command_body(text, response_url=stand_in.response_url(unique("r"))))
    assert reply.status == 200, reply.body
    return reply.json()["text"]


@pytest.fixture(scope="module")
def web(faulty_slack: FaultyStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with start_web(faulty_slack, tmp_path_factory.mktemp("faults"), SLACK_API_TIMEOUT=str(API_TIMEOUT_S)) as running:
        yield running


# --- the Slack Web API misbehaving ---------------------------------------------------------------------------------

def test_rate_limit_is_waited_out_then_the_answer_is_posted(web: WebProcess, faulty_slack: FaultyStandIn) -> None:
    faulty_slack.fail_next(POST_MESSAGE, 429, {"Retry-After": "1"})
    channel = mention(web)
    attempts = faulty_slack.wait_for(POST_MESSAGE, count=2, channel=channel)
    assert attempts[0].body == attempts[1].body and "Security groups" in str(attempts[1].body["blocks"])


@pytest.mark.parametrize("fault", ["500", "drop"])
def test_a_server_error_or_dropped_connection_is_retried(web: WebProcess, faulty_slack: FaultyStandIn,
                                                         fault: str) -> None:
    if fault == "drop":
        faulty_slack.drop_next(POST_MESSAGE)
    else:
        faulty_slack.fail_next(POST_MESSAGE, 500)
    channel = mention(web)
    attempts = faulty_slack.wait_for(POST_MESSAGE, count=1 if fault == "drop" else 2, channel=channel)
    assert "Security groups" in str(attempts[-1].body["blocks"])
    if fault == "drop":  # the dropped attempt was read but never answered; the retry is the one recorded after it
        assert faulty_slack.take_fault(POST_MESSAGE) is None


def test_persistent_server_errors_are_given_up_and_logged(web: WebProcess, faulty_slack: FaultyStandIn) -> None:
    for _ in range(MAX_RETRIES + 1):
        faulty_slack.fail_next(POST_MESSAGE, 503)
    failures = web.log_text().count(GIVEN_UP)
    channel = mention(web)
    faulty_slack.wait_for(POST_MESSAGE, count=MAX_RETRIES + 1, channel=channel)
    logged = web.wait_for_log(GIVEN_UP, more_than=failures).split(GIVEN_UP)[-1].splitlines()[0]
    assert f"team=T123 channel={channel} after {MAX_RETRIES + 1} attempt(s): http_503" in logged
    later = mention(web)
    assert faulty_slack.wait_for(POST_MESSAGE, channel=later)


def test_a_hanging_api_is_timed_out_and_logged_while_other_requests_are_answered(
        web: WebProcess, faulty_slack: FaultyStandIn) -> None:
    faulty_slack.hang_next(POST_MESSAGE, API_TIMEOUT_S + 3)
    failures = web.log_text().count(GIVEN_UP)
    hung = mention(web)
    faulty_slack.wait_for(POST_MESSAGE, channel=hung)  # the hung request has arrived and is being held
    for _ in range(5):  # meanwhile /srm is answered straight away
        assert "security IN the cloud" in srm(web, faulty_slack, "security groups")
    logged = web.wait_for_log(GIVEN_UP, more_than=failures)
    assert f"channel={hung} after 1 attempt(s): timed out" in logged.split(GIVEN_UP)[-1].splitlines()[0]
    later = mention(web)
    assert "Security groups" in str(faulty_slack.wait_for(POST_MESSAGE, channel=later)[0].body["blocks"])


# --- PostgreSQL going away mid-run -------------------------------------------------------------------------------

def rows(url: str) -> tuple[list[tuple[str, bool]], dict[str, int]]:
    """(feedback as (entry, helpful), unanswered question -> count), read straight from PostgreSQL."""
    with psycopg.connect(url, connect_timeout=5) as conn:
        feedback = [(e, h) for e, h in conn.execute("select entry_id, helpful from feedback order by id")]
        misses = dict(conn.execute("select question, count from unanswered_questions"))
    return feedback, misses


def wait_for_rows(url: str, feedback: int, misses: int, timeout: float = 30.0) -> tuple[list, dict]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            found = rows(url)
        except psycopg.Error:  # the tables are created on the first record
            found = ([], {})
        if (len(found[0]), sum(found[1].values())) >= (feedback, misses) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def click_feedback(web: WebProcess, stand_in: FaultyStandIn, helpful: bool, entry_id: str, question: str = "") -> None:
    """The same user's vote on the answer `entry_id` gave to `question` (one vote per answer: vary the question)."""
    action = {"type": "button", "action_id": ACTION_FEEDBACK, "value": feedback_value(helpful, entry_id, None,
                                                                                        question)}
    reply = post(f"{web.url}/slack/events", block_action(action, response_url=stand_in.response_url(unique("f"))))
    assert reply.status == 200


def test_database_stopped_mid_run_loses_nothing_and_recovers_by_itself(faulty_slack: FaultyStandIn,
                                                                        tmp_path: Path) -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    forwarder = CuttableForwarder()
    forwarder.start()
    with postgres_schema_url() as url:
        proxied = url.replace(f":{POSTGRES_ADDRESS[1]}/", f":{forwarder.port}/")
        with start_web(faulty_slack, tmp_path, DATABASE_URL=proxied) as web:
            before = f"xqzv before {uuid.uuid4().hex[:6]}"
            srm(web, faulty_slack, before)
            click_feedback(web, faulty_slack, True, "security-groups")
            assert wait_for_rows(url, 1, 1) == ([("security-groups", True)], {before: 1})

            forwarder.stop()
            during = [f"xqzv during {i} {uuid.uuid4().hex[:6]}" for i in range(3)]
            for question in during:
                assert "I don't have an answer" in srm(web, faulty_slack, question)
                click_feedback(web, faulty_slack, False, "kms-key-rotation", question)
            assert "security IN the cloud" in srm(web, faulty_slack, "security groups")
            channel = mention(web)
            assert faulty_slack.wait_for(POST_MESSAGE, channel=channel)
            web.wait_for_log("record(s) kept for retry")
            assert rows(url) == ([("security-groups", True)], {before: 1})  # nothing written while it is down

            forwarder.start()  # no request after this: the process must write what waited on its own
            feedback, misses = wait_for_rows(url, 4, 4)
            assert feedback == [("security-groups", True)] + [("kms-key-rotation", False)] * 3
            assert misses == {before: 1, **dict.fromkeys(during, 1)}
            web.wait_for_log("database back")
            after = f"xqzv after {uuid.uuid4().hex[:6]}"
            srm(web, faulty_slack, after)
            assert wait_for_rows(url, 4, 5)[1][after] == 1
    forwarder.stop()
