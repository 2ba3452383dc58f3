"""Replies after the acknowledgement (issue 13, faults 5 and 6), against the Procfile's web process: response_url
replies are retried on 429 / 5xx / dropped connections and a final failure is logged with team and channel; Share
deletes the private answer only once the channel has the shared one; and a rate-limited or hanging channel does not
hold up the answers of other channels."""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from slack.conftest import block_action, command_body, event_body, interaction_body, post
from slack.standin import Received, WebProcess, serve_stand_in, start_web

from bot.slack.blocks import ACTION_HELP, ACTION_SHARE
from bot.slack.listeners.shortcuts import CALLBACK_ID
from bot.slack.sending import MAX_ATTEMPTS

from .conftest import FaultyStandIn, _faulty_handler

POST_MESSAGE = "/api/chat.postMessage"
REFUSED = f"{POST_MESSAGE} (429)"
"""Where the stand-in records the posts it refused with 429 (each worker's outbox has its own lane)."""
API_TIMEOUT_S = 2
GIVEN_UP = "could not deliver"
CROWD = 40
"""Answers for one troubled channel: more than every worker's threads together (2 per core x 8 before the fix)."""


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


@dataclass
class ChannelFaults(FaultyStandIn):
    """The hardening stand-in, plus channels whose chat.postMessage answers 429 (`Retry-After`) or hangs."""

    rate_limited: dict[str, int] = field(default_factory=dict)
    """channel -> the Retry-After it is answered with, until lifted."""
    hanging: dict[str, float] = field(default_factory=dict)
    """channel -> seconds each post to it is held before it is answered."""


def _channel_handler(stand_in: ChannelFaults) -> type:
    base = _faulty_handler(stand_in)

    class Handler(base):  # type: ignore[misc, valid-type]
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.rfile = io.BytesIO(raw)
            channel = json.loads(raw or b"{}").get("channel") if "json" in self.headers.get("Content-Type", "") \
                else None
            if self.path == POST_MESSAGE and channel in stand_in.rate_limited:
                stand_in.record(Received(REFUSED, dict(self.headers), json.loads(raw)))
                self._send(429, {"ok": False, "error": "ratelimited"},
                           {"Retry-After": str(stand_in.rate_limited[channel])})
                return
            if self.path == POST_MESSAGE and channel in stand_in.hanging:
                time.sleep(stand_in.hanging[channel])
            super().do_POST()

    return Handler


@pytest.fixture(scope="module")
def slack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelFaults]:
    stand_in = ChannelFaults()
    with serve_stand_in(stand_in, _channel_handler(stand_in)):
        yield stand_in


@pytest.fixture(scope="module")
def web(slack: ChannelFaults, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebProcess]:
    with start_web(slack, tmp_path_factory.mktemp("replies"), SLACK_API_TIMEOUT=str(API_TIMEOUT_S)) as running:
        yield running


def click(web: WebProcess, slack: ChannelFaults, action: dict[str, Any], path: str) -> None:
    reply = post(f"{web.url}/slack/events", block_action(action, response_url=slack.url + path, ephemeral=True))
    assert reply.status == 200


SHARE = {"type": "button", "action_id": ACTION_SHARE, "value": "security-groups", "block_id": "b"}


# --- response_url replies -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["429", "500", "drop"])
def test_a_shortcut_answer_is_retried_through_the_response_url(web: WebProcess, slack: ChannelFaults,
                                                               fault: str) -> None:
    path = f"/response/{unique('sc')}"
    if fault == "drop":
        slack.drop_next(path)
    else:
        slack.fail_next(path, int(fault), {"Retry-After": "1"} if fault == "429" else None)
    payload = {"type": "message_action", "callback_id": CALLBACK_ID, "trigger_id": "1.2.3", "team": {"id": "T123"},
               "user": {"id": "U123"}, "channel": {"id": unique("C")}, "response_url": slack.url + path,
               "message": {"type": "message", "text": "who patches the guest OS on EC2?", "ts": "3.0"}}
    assert post(f"{web.url}/slack/events", interaction_body(payload)).status == 200
    attempts = slack.wait_for(path, count=1 if fault == "drop" else 2)
    assert "Customer: security IN the cloud" in attempts[-1].body["text"]


def test_a_srm_tips_reply_is_retried_through_the_response_url(web: WebProcess, slack: ChannelFaults) -> None:
    path = f"/response/{unique('tips')}"
    slack.fail_next(path, 503)
    assert post(f"{web.url}/slack/events", command_body("tips status", response_url=slack.url + path)).status == 200
    attempts = slack.wait_for(path, count=2)
    assert attempts[0].body == attempts[1].body and attempts[1].body["response_type"] == "ephemeral"


def test_a_reply_that_keeps_failing_is_logged_with_team_and_channel(web: WebProcess, slack: ChannelFaults) -> None:
    path = f"/response/{unique('help')}"
    for _ in range(MAX_ATTEMPTS):
        slack.fail_next(path, 500)
    before = web.log_text().count(GIVEN_UP)
    click(web, slack, {"type": "button", "action_id": ACTION_HELP, "value": "help", "block_id": "b"}, path)
    slack.wait_for(path, count=MAX_ATTEMPTS)
    line = web.wait_for_log(GIVEN_UP, more_than=before).split(GIVEN_UP)[-1].splitlines()[0]
    assert f"help team=T123 channel=C123 after {MAX_ATTEMPTS} attempt(s): http_500" in line


def test_share_keeps_the_private_answer_when_the_channel_post_fails(web: WebProcess, slack: ChannelFaults) -> None:
    path = f"/response/{unique('share')}"
    for _ in range(MAX_ATTEMPTS):
        slack.fail_next(path, 500)
    before = web.log_text().count(GIVEN_UP)
    click(web, slack, SHARE, path)
    assert len(slack.wait_for(path, count=MAX_ATTEMPTS, response_type="in_channel")) == MAX_ATTEMPTS
    web.wait_for_log(GIVEN_UP, more_than=before)
    later = f"/response/{unique('share')}"  # a later Share is fully done: proof the first's lane has finished
    click(web, slack, SHARE, later)
    slack.wait_for(later, delete_original=True)
    assert not slack.requests(path, delete_original=True)


def test_share_deletes_the_private_answer_only_after_the_retried_post(web: WebProcess, slack: ChannelFaults) -> None:
    path = f"/response/{unique('share')}"
    slack.fail_next(path, 429, {"Retry-After": "1"})
    click(web, slack, SHARE, path)
    [deletion] = slack.wait_for(path, delete_original=True)
    posts = slack.requests(path, response_type="in_channel")
    assert len(posts) == 2
    order = [id(r) for r in slack.requests(path)]
    assert order.index(id(deletion)) > order.index(id(posts[1]))


# --- head-of-line blocking ------------------------------------------------------------------------------------------

def mention(web: WebProcess, channel: str, text: str = "security groups") -> None:
    event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {text}", "ts": "1.0", "channel": channel}
    assert post(f"{web.url}/slack/events", event_body(event, unique("Ev")), form=False).status == 200


def answered_within(slack: ChannelFaults, channel: str, seconds: float) -> list[Received]:
    deadline = time.monotonic() + seconds
    while not (found := slack.requests(POST_MESSAGE, channel=channel)):
        assert time.monotonic() < deadline, f"no answer reached {channel} within {seconds} s"
        time.sleep(0.05)
    return found


def test_a_rate_limited_channel_does_not_delay_other_channels(web: WebProcess, slack: ChannelFaults) -> None:
    limited, other = unique("C"), unique("C")
    slack.rate_limited[limited] = 8
    for _ in range(CROWD):
        mention(web, limited)
    slack.wait_for(REFUSED, channel=limited)
    mention(web, other)
    assert "Security groups" in str(answered_within(slack, other, 5.0)[0].body["blocks"])
    del slack.rate_limited[limited]  # the limit lifts: the limited channel's answers follow after its Retry-After
    assert len(slack.wait_for(POST_MESSAGE, count=CROWD, channel=limited)) == CROWD


def test_a_hanging_channel_does_not_delay_other_channels(web: WebProcess, slack: ChannelFaults) -> None:
    hung, other = unique("C"), unique("C")
    slack.hanging[hung] = API_TIMEOUT_S + 1
    for _ in range(CROWD):
        mention(web, hung)
    time.sleep(0.5)
    mention(web, other)
    answered_within(slack, other, 5.0)
    del slack.hanging[hung]
