"""Signed-request screening of the Procfile's web process (issue 13, faults 2 and 8): headers are read as ASCII
only, and signed but hostile bodies (deep nesting, fields of the wrong type) get 400, never a 500."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
import uuid

import pytest
from slack.conftest import SlackStandIn, command_body, event_body, interaction_body, post, sign

from .test_request_attacks import assert_still_answering, raw_request

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


NON_ASCII_DIGITS = {
    "superscript two": "\u00b2", "superscript three one": "\u00b3\u00b9",
    "digits then superscript": f"{int(time.time())}\u00b2",
    "arabic-indic": "\u0661\u0667" + "\u0660" * 8, "fullwidth": "\uff11\uff17\uff10\uff10",
}


def header_bytes(text: str) -> bytes:
    """Latin-1 where it can be (what a WSGI server decodes headers as: "²" arrives as "²"), else UTF-8."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode()


@pytest.mark.parametrize("name", NON_ASCII_DIGITS)
def test_a_timestamp_of_non_ascii_digits_gets_401(web: str, slack_api: SlackStandIn, name: str) -> None:
    body = command_body("security groups", response_url=slack_api.response_url(unique("r")))
    headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": header_bytes(NON_ASCII_DIGITS[name]),
               "X-Slack-Signature": sign(body)["X-Slack-Signature"]}
    status, reply = raw_request(f"{web}/slack/events", body, headers)
    assert status == 401, (status, reply[:300])
    assert_still_answering(web, slack_api)


def _deep(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def _nested_event(depth: int) -> bytes:
    return (f'{{"type": "event_callback", "team_id": "T1", "event_id": "{unique("Ev")}", "event": {{"type": '
            f'"app_mention", "text": "hi", "ts": "1.0", "channel": "C1", "deep": {_deep(depth)}}}}}').encode()


HOSTILE = {
    "json nested 1,000 deep": (_nested_event(1000), JSON),
    "json nested 200 deep": (_nested_event(200), JSON),
    "json nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, JSON),
    "payload nested 1,000 deep": (b"payload=" + urllib.parse.quote(
        '{"type": "block_actions", "actions": ' + _deep(1000) + "}").encode(), FORM),
    "event a list": (json.dumps({"type": "event_callback", "team_id": "T1", "event_id": unique("Ev"),
                                 "event": [1]}).encode(), JSON),
    "event a string": (json.dumps({"type": "event_callback", "team_id": "T1", "event_id": unique("Ev"),
                                   "event": "app_mention"}).encode(), JSON),
    "event type a list": (event_body({"type": ["app_mention"], "channel": "C1"}, unique("Ev")), JSON),
    "authorizations a string": (json.dumps({"type": "event_callback", "team_id": "T1", "event_id": unique("Ev"),
                                            "authorizations": "x", "event": {"type": "app_mention"}}).encode(),
                                JSON),
    "team id a list": (json.dumps({"type": "event_callback", "team_id": ["T1"], "event_id": unique("Ev"),
                                   "event": {"type": "app_mention", "text": "hi", "ts": "1", "channel": "C"}}
                                  ).encode(), JSON),
    "event id a dict": (json.dumps({"type": "event_callback", "team_id": "T1", "event_id": {"a": 1},
                                    "event": {"type": "app_mention", "text": "hi", "ts": "1", "channel": "C"}}
                                   ).encode(), JSON),
    "actions a string": (interaction_body({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"},
                                           "actions": "srm_share"}), FORM),
    "action a number": (interaction_body({"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1"},
                                          "actions": [7]}), FORM),
    "team a list": (interaction_body({"type": "block_actions", "team": [1], "user": {"id": "U1"},
                                      "actions": [{"action_id": "srm_share", "value": "security-groups"}]}), FORM),
    "user a string": (interaction_body({"type": "block_actions", "team": {"id": "T1"}, "user": "U1",
                                        "actions": [{"action_id": "srm_share", "value": "security-groups"}]}), FORM),
    "message a list": (interaction_body({"type": "message_action", "callback_id": "srm_ask_message",
                                         "team": {"id": "T1"}, "user": {"id": "U1"}, "message": [1]}), FORM),
    "type a number": (json.dumps({"type": 5, "event": {}}).encode(), JSON),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_signed_hostile_bodies_get_400(web: str, slack_api: SlackStandIn, name: str) -> None:
    body, content_type = HOSTILE[name]
    status, reply = raw_request(f"{web}/slack/events", body, {"Content-Type": content_type, **sign(body)})
    assert status == 400, (status, reply[:300])
    assert_still_answering(web, slack_api)


def test_a_content_length_of_non_ascii_digits_gets_400(web: str, slack_api: SlackStandIn) -> None:
    host, port = urllib.parse.urlsplit(web).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/slack/events", skip_accept_encoding=True)
    connection.putheader("Content-Type", FORM)
    connection.putheader("Content-Length", "\u00b2".encode())
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    assert status == 400
    assert_still_answering(web, slack_api)


def test_a_signed_command_still_answers(web: str, slack_api: SlackStandIn) -> None:
    reply = post(f"{web}/slack/events", command_body("security groups", response_url=slack_api.response_url("x")))
    assert reply.status == 200


@pytest.mark.parametrize("value", ["\u00b2", "\u0663\u0660\u0660\u0660", "\uff18\uff10"])
def test_settings_of_non_ascii_digits_are_refused_by_name(value: str) -> None:
    from bot.slack.settings import SettingsError, SlackSettings
    from bot.teams.settings import TeamsSettings, TeamsSettingsError

    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": value}
    with pytest.raises(SettingsError, match="PORT"):
        SlackSettings.from_env("http", env)
    with pytest.raises(SettingsError, match="SLACK_API_TIMEOUT"):
        SlackSettings.from_env("http", {**env, "PORT": "3000", "SLACK_API_TIMEOUT": value})
    with pytest.raises(TeamsSettingsError, match="PORT"):
        TeamsSettings.from_env({"PORT": value})
