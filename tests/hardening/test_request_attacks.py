"""Hostile and broken requests over real HTTP, to the Procfile's Slack web process and to the Teams process: each
gets a 4xx or a polite reply, never a 500, and the process keeps answering afterwards."""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

import pytest
from slack.conftest import (
    SIGNING_SECRET,
    SlackStandIn,
    block_action,
    command_body,
    event_body,
    interaction_body,
    post,
    sign,
)
from teams.teams_harness import activity, card_of, card_texts

from bot.bodies import MAX_BODY_BYTES


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def raw_request(url: str, body: bytes | None, headers: dict[str, str], method: str = "POST") -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def signed_raw(url: str, body: bytes, content_type: str, **extra: str) -> tuple[int, bytes]:
    return raw_request(url, body, {"Content-Type": content_type, **sign(body), **extra})


def assert_still_answering(web: str, slack_api: SlackStandIn) -> None:
    reply = post(f"{web}/slack/events", command_body("security groups", response_url=slack_api.response_url("x")))
    assert reply.status == 200 and "Customer: security IN the cloud" in reply.json()["text"]


# --- signatures and replays --------------------------------------------------------------------------------------

SIGNATURE_ATTACKS: dict[str, Any] = {
    "missing both headers": lambda body: {},
    "missing signature": lambda body: {"X-Slack-Request-Timestamp": str(int(time.time()))},
    "missing timestamp": lambda body: {"X-Slack-Signature": sign(body)["X-Slack-Signature"]},
    "signed with another secret": lambda body: sign(body, secret="not-" + SIGNING_SECRET),
    "signature of another body": lambda body: {**sign(body + b"&x=1")},
    "replayed after 6 minutes": lambda body: sign(body, int(time.time()) - 360),
    "from 10 minutes in the future": lambda body: sign(body, int(time.time()) + 600),
    "timestamp not a number": lambda body: {"X-Slack-Request-Timestamp": "yesterday",
                                            "X-Slack-Signature": sign(body)["X-Slack-Signature"]},
    "signature not v0": lambda body: {**sign(body), "X-Slack-Signature": "v1=" + "a" * 64},
    "empty signature": lambda body: {**sign(body), "X-Slack-Signature": ""},
    "huge signature": lambda body: {**sign(body), "X-Slack-Signature": "v0=" + "f" * 8000},
}


@pytest.mark.parametrize("attack", SIGNATURE_ATTACKS)
def test_unsigned_forged_and_replayed_requests_get_401_and_no_answer(web: str, slack_api: SlackStandIn,
                                                                     attack: str) -> None:
    response = slack_api.response_url(unique("r"))
    body = command_body("security groups", response_url=response)
    status, reply = raw_request(f"{web}/slack/events", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                              **SIGNATURE_ATTACKS[attack](body)})
    assert status == 401, (status, reply[:300])
    assert b"security IN the cloud" not in reply
    channel = unique("C")
    event = event_body({"type": "app_mention", "user": "U1", "text": "<@UBOT> security groups", "ts": "1.0",
                        "channel": channel}, unique("Ev"))
    status, _ = raw_request(f"{web}/slack/events", event, {"Content-Type": "application/json",
                                                           **SIGNATURE_ATTACKS[attack](event)})
    assert status == 401
    assert_still_answering(web, slack_api)
    assert not slack_api.requests("/api/chat.postMessage", channel=channel)


# --- malformed, oversized and unknown requests, correctly signed --------------------------------------------------

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _bodies() -> dict[str, tuple[bytes, str]]:
    response = "http://127.0.0.1:9/response/none"  # nothing listens: a reply there fails and must be logged only
    return {
        "empty form": (b"", FORM),
        "empty json": (b"", JSON),
        "json null": (b"null", JSON),
        "json array": (b"[1, 2, 3]", JSON),
        "json string": (b'"event_callback"', JSON),
        "truncated json": (b'{"type": "event_callback", "event": {"type": "app_mention", "te', JSON),
        "json with a form content type": (event_body({"type": "app_mention"}, unique("Ev")), FORM),
        "form with a json content type": (command_body("security groups", response_url=response), JSON),
        "payload not json": (b"payload=%7Bnot+json", FORM),
        "payload json array": (b"payload=%5B%5D", FORM),
        "payload without a type": (interaction_body({"actions": []}), FORM),
        "payload of an unknown type": (interaction_body({"type": "dance_party", "team": {"id": "T1"}}), FORM),
        "form without a command": (b"text=security+groups&team_id=T1", FORM),
        "form with repeated keys": (b"command=%2Fsrm&command=%2Fother&text=a&text=b&team_id=T1", FORM),
        "bytes that are not utf-8": (b"command=%2Fsrm&text=\xff\xfe\xfd&team_id=T1", FORM),
        "percent-escapes that are not utf-8": (b"command=%2Fsrm&text=%FF%FE%C0%AF&team_id=T1", FORM),
        "nul bytes": (b"command=%2Fsrm&text=%00%00security%00groups&team_id=T1", FORM),
        "unknown slash command": (command_body("security groups", response_url=response).replace(
            b"%2Fsrm", b"%2Fsteal"), FORM),
        "command text of 1 MB": (command_body("security groups " * 65_000, response_url=response), FORM),
        "unknown action": (block_action({"type": "button", "action_id": "srm_self_destruct", "value": "x"},
                                        response_url=response), FORM),
        "pick with an unknown entry": (block_action({"type": "button", "action_id": "srm_pick_0",
                                                     "value": "no-such-entry@no-such-service"},
                                                    response_url=response), FORM),
        "pick with a huge index": (block_action({"type": "button", "action_id": "srm_pick_99999999999999999999",
                                                 "value": "security-groups"}, response_url=response), FORM),
        "feedback with a garbage value": (block_action({"type": "button", "action_id": "srm_feedback",
                                                        "value": "\u202e<!channel>"}, response_url=response), FORM),
        "action without a value or user": (interaction_body({"type": "block_actions", "actions": [
            {"action_id": "srm_share"}]}), FORM),
        "block actions without actions": (interaction_body({"type": "block_actions", "team": {"id": "T1"},
                                                            "user": {"id": "U1"}}), FORM),
        "unknown shortcut": (interaction_body({"type": "message_action", "callback_id": "steal",
                                               "team": {"id": "T1"}, "user": {"id": "U1"}}), FORM),
        "shortcut without a message": (interaction_body({"type": "message_action", "callback_id": "srm_ask_message",
                                                         "team": {"id": "T1"}, "user": {"id": "U1"},
                                                         "response_url": response}), FORM),
        "view submission nobody opened": (interaction_body({"type": "view_submission", "team": {"id": "T1"},
                                                            "user": {"id": "U1"}, "view": {"callback_id": "x"}}),
                                          FORM),
        "unknown event type": (event_body({"type": "reaction_added", "user": "U1"}, unique("Ev")), JSON),
        "event without an event": (json.dumps({"type": "event_callback", "event_id": unique("Ev"),
                                               "team_id": "T1"}).encode(), JSON),
        "mention without text or ts": (event_body({"type": "app_mention", "channel": unique("C")}, unique("Ev")),
                                       JSON),
        "mention with text of a wrong type": (event_body({"type": "app_mention", "text": {"a": 1}, "ts": "1.0",
                                                          "channel": unique("C")}, unique("Ev")), JSON),
        "url verification": (json.dumps({"type": "url_verification", "challenge": "abc"}).encode(), JSON),
        "app home for nobody": (event_body({"type": "app_home_opened", "tab": "home"}, unique("Ev")), JSON),
    }


BODIES = _bodies()


@pytest.mark.parametrize("name", BODIES)
def test_malformed_and_unknown_requests_never_get_a_500(web: str, slack_api: SlackStandIn, name: str) -> None:
    body, content_type = BODIES[name]
    status, reply = signed_raw(f"{web}/slack/events", body, content_type)
    assert status < 500, (status, reply[:500])
    if name == "url verification":
        assert status == 200 and b"abc" in reply
    if name == "command text of 1 MB":
        assert status == 200 and b"Customer: security IN the cloud" in reply
    assert_still_answering(web, slack_api)


def test_oversized_body_is_refused_with_413_before_it_is_read(web: str, slack_api: SlackStandIn) -> None:
    host, port = urllib.parse.urlsplit(web).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=20)
    connection.putrequest("POST", "/slack/events")
    for name, value in {"Content-Type": FORM, "Content-Length": str(5 * MAX_BODY_BYTES), **sign(b"x")}.items():
        connection.putheader(name, value)
    connection.endheaders(b"command=%2Fsrm&text=")  # the rest never comes: the server must not wait for it
    response = connection.getresponse()
    assert response.status == 413
    connection.close()
    assert_still_answering(web, slack_api)


@pytest.mark.parametrize(("method", "path"), [("GET", "/slack/events"), ("PUT", "/slack/events"),
                                              ("DELETE", "/slack/events"), ("GET", "/"), ("POST", "/api/messages"),
                                              ("GET", "/slack/install"), ("POST", "/healthz"),
                                              ("GET", "/slack/events/../../etc/passwd")])
def test_other_methods_and_paths_are_4xx(web: str, slack_api: SlackStandIn, method: str, path: str) -> None:
    status, _ = raw_request(f"{web}{path}", b"" if method != "GET" else None, {}, method)
    assert 400 <= status < 500
    assert_still_answering(web, slack_api)


# --- Teams: /api/messages ----------------------------------------------------------------------------------------

def teams_ask(url: str, connector: Any, text: str) -> list[str]:
    body = activity(connector.url, text)
    status, _ = raw_request(f"{url}/api/messages", json.dumps(body).encode(), {"Content-Type": JSON})
    assert status == 200
    [reply] = connector.wait_for(body["conversation"]["id"], 1)
    return card_texts(card_of(reply))


def _teams_bodies(service_url: str) -> dict[str, bytes]:
    def variant(**changes: Any) -> bytes:
        body = activity(service_url, "security groups")
        for key, value in changes.items():
            if value is None:
                body.pop(key, None)
            else:
                body[key] = value
        return json.dumps(body).encode()

    return {
        "empty": b"",
        "not json": b"{not json",
        "json array": b"[]",
        "json null": b"null",
        "no type": variant(type=None),
        "unknown type": variant(type="dance"),
        "no conversation": variant(conversation=None),
        "no from": variant(**{"from": None}),
        "conversation of a wrong type": variant(conversation="abc"),
        "text of a wrong type": variant(text={"a": 1}),
        "value a string": variant(value="srm"),
        "unknown card action": variant(value={"srm": "self-destruct"}),
        "answer action without an entry": variant(value={"srm": "answer"}),
        "answer action with a junk entry": variant(value={"srm": "answer", "entry": ["x"], "service": {"y": 1}}),
        "feedback without an entry": variant(value={"srm": "feedback"}),
        "text of 1 MB": variant(text="security groups " * 65_000),
        "bytes that are not utf-8": b'{"type": "message", "text": "\xff\xfe"}',
    }


def test_teams_malformed_activities_never_get_a_500(teams_app: tuple[str, Any]) -> None:
    url, connector = teams_app
    for name, body in _teams_bodies(connector.url).items():
        status, reply = raw_request(f"{url}/api/messages", body, {"Content-Type": JSON})
        assert status < 500, (name, status, reply[:300])
    assert any("security IN the cloud" in t for t in teams_ask(url, connector, "security groups"))
