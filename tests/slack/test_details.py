"""Details and Why over real HTTP (the Procfile's web process against the Slack stand-in, requests signed as Slack
signs them): an ephemeral answer is replaced through its response_url, a posted answer (a mention's thread) is
updated with chat.update, and nothing new is posted; a failed chat.update is told to the clicker."""

from __future__ import annotations

import json
import uuid
from typing import Any

from bot.slack.blocks import ACTION_SHARE, ACTION_VIEW
from bot.slack.listeners.details import UPDATE_FAILED

from .conftest import SlackStandIn, command_body, event_body, interaction_body, post


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The message's buttons by action id."""
    return {e["action_id"]: e for b in blocks if b["type"] == "actions" for e in b["elements"]}


def click(web: str, button: dict[str, Any], *, response_url: str, ephemeral: bool, channel: str = "C123",
          message_ts: str | None = None) -> None:
    container: dict[str, Any] = {"type": "message", "is_ephemeral": ephemeral, "channel_id": channel}
    if message_ts:
        container["message_ts"] = message_ts
    body = interaction_body({
        "type": "block_actions", "team": {"id": "T123", "domain": "example"}, "user": {"id": "U123"},
        "api_app_id": "A1", "container": container, "channel": {"id": channel}, "trigger_id": "1.2.3",
        "response_url": response_url, "actions": [{**button, "block_id": "b"}],
    })
    assert post(f"{web}/slack/events", body).status == 200


def test_details_and_why_replace_the_ephemeral_answer(web: str, slack_api: SlackStandIn) -> None:
    reply = post(f"{web}/slack/events", command_body("who patches the OS on RDS?",
                                                     response_url=slack_api.response_url(unique("r")))).json()
    short = buttons(reply["blocks"])
    assert {f"{ACTION_VIEW}_details", f"{ACTION_VIEW}_why", ACTION_SHARE} <= set(short)
    assert "What you should do" not in json.dumps(reply["blocks"])

    path = f"/response/{unique('details')}"
    click(web, short[f"{ACTION_VIEW}_details"], response_url=slack_api.url + path, ephemeral=True)
    [details] = slack_api.wait_for(path)
    assert details.body["replace_original"] is True and details.body.get("response_type") != "in_channel"
    rendered = json.dumps(details.body["blocks"])
    assert "What you should do" in rendered and "Facts verified" in rendered
    assert {f"{ACTION_VIEW}_short", f"{ACTION_VIEW}_why", ACTION_SHARE} <= set(buttons(details.body["blocks"]))

    path = f"/response/{unique('why')}"
    click(web, short[f"{ACTION_VIEW}_why"], response_url=slack_api.url + path, ephemeral=True)
    [why] = slack_api.wait_for(path)
    assert why.body["replace_original"] is True
    text = json.dumps(why.body["blocks"])
    assert "Matched: Guest operating system patching (guest-os-patching), score " in text
    assert "Service: Amazon RDS (managed)" in text and "(service-entry)" in text
    assert not slack_api.requests("/api/chat.update", channel="C123")


def test_details_updates_the_bots_message_in_a_thread(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    event = {"type": "app_mention", "user": "U123", "text": "<@UBOT> security groups", "ts": "1700000000.000200",
             "channel": channel}
    assert post(f"{web}/slack/events", event_body(event, unique("Ev")), form=False).status == 200
    [posted] = slack_api.wait_for("/api/chat.postMessage", channel=channel)
    short = buttons(posted.body["blocks"])
    assert ACTION_SHARE not in short  # a thread reply is public already

    path = f"/response/{unique('thread')}"
    click(web, short[f"{ACTION_VIEW}_details"], response_url=slack_api.url + path, ephemeral=False,
          channel=channel, message_ts="1700000000.000300")
    [updated] = slack_api.wait_for("/api/chat.update", channel=channel)
    assert updated.body["ts"] == "1700000000.000300"
    assert "What you should do" in json.dumps(updated.body["blocks"])
    assert len(slack_api.requests("/api/chat.postMessage", channel=channel)) == 1  # updated, not added
    assert not slack_api.requests(path)


def test_a_failed_update_is_told_to_the_clicker(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    why = {"type": "button", "action_id": f"{ACTION_VIEW}_why", "value": "security-groups|security groups"}
    slack_api.fail_next("/api/chat.update", 400)
    path = f"/response/{unique('failed')}"
    click(web, why, response_url=slack_api.url + path, ephemeral=False, channel=channel, message_ts="1.2")
    [told] = slack_api.wait_for(path)
    assert told.body["text"] == UPDATE_FAILED.format(error="fatal_error")
    assert told.body["replace_original"] is False


def test_share_posts_the_short_form_with_its_view_buttons(web: str, slack_api: SlackStandIn) -> None:
    path = f"/response/{unique('share')}"
    share = {"type": "button", "action_id": ACTION_SHARE, "value": "guest-os-patching@rds"}
    click(web, share, response_url=slack_api.url + path, ephemeral=True)
    [public] = slack_api.wait_for(path, response_type="in_channel")
    rendered = json.dumps(public.body["blocks"])
    assert "Shared by <@U123>" in rendered and "Why: On Amazon RDS:" in rendered
    assert "What you should do" not in rendered and "Documentation" not in rendered
    assert {f"{ACTION_VIEW}_details", f"{ACTION_VIEW}_why"} <= set(buttons(public.body["blocks"]))
