"""A way to a human over real HTTP (the Procfile's web process against the Slack stand-in, requests signed as Slack
signs them): an admin names the experts' channel and a member may not, a refusal offers Ask an expert, and the
click posts the escaped question, the asker and the best guess to that channel and tells the asker; a post Slack
refuses is told to the asker, and Not helpful offers Ask an expert too."""

from __future__ import annotations

import json
from typing import Any

from bot.conversation.experts import POST_FAILED, POST_FAILED_HINT, SENT
from bot.slack.blocks import ACTION_ASK_EXPERT, ACTION_FEEDBACK, feedback_value

from .conftest import SlackStandIn, command_body, post
from .test_details import buttons, unique

HOSTILE = "how much does S3 cost? a < b & *c* @here"


def srm(web: str, slack_api: SlackStandIn, text: str, *, user: str, team: str, channel: str = "C123"
        ) -> dict[str, Any]:
    """`/srm text` typed by `user`; the reply that came back through its response_url."""
    path = f"/response/{unique('experts')}"
    assert post(f"{web}/slack/events", command_body(text, response_url=slack_api.url + path, user_id=user,
                                                    team_id=team, channel_id=channel)).status == 200
    [reply] = slack_api.wait_for(path)
    return reply.body


def ask_in(web: str, team: str, question: str, response_url: str) -> dict[str, Any]:
    return post(f"{web}/slack/events", command_body(question, response_url=response_url, team_id=team)).json()


def click_as(web: str, team: str, button: dict[str, Any], response_url: str) -> None:
    """`click` from test_details, in workspace `team`."""
    from .conftest import interaction_body
    body = interaction_body({
        "type": "block_actions", "team": {"id": team, "domain": "example"}, "user": {"id": "U123"},
        "api_app_id": "A1", "container": {"type": "message", "is_ephemeral": True, "channel_id": "C123"},
        "channel": {"id": "C123"}, "trigger_id": "1.2.3", "response_url": response_url,
        "actions": [{**button, "block_id": "b"}]})
    assert post(f"{web}/slack/events", body).status == 200


def test_only_an_admin_names_the_experts_channel(web: str, slack_api: SlackStandIn) -> None:
    team, admin = unique("T"), unique("U")
    slack_api.admins.add(admin)
    assert "No experts' channel is set" in srm(web, slack_api, "experts", user="U123", team=team)["text"]

    denied = srm(web, slack_api, "experts <#CEXPERTS1|sec-experts>", user="U123", team=team)["text"]
    assert "Only workspace admins and owners may change the experts' channel" in denied
    assert "No experts' channel is set" in srm(web, slack_api, "experts", user="U123", team=team)["text"]

    done = srm(web, slack_api, "experts <#CEXPERTS1|sec-experts>", user=admin, team=team)["text"]
    assert done.startswith("The experts' channel is now <#CEXPERTS1>: Ask an expert posts there")
    assert "Mondays at 09:00 UTC" in done
    shown = srm(web, slack_api, "experts", user="U123", team=team)["text"]
    assert shown.startswith("The experts' channel is <#CEXPERTS1>")
    wrong = post(f"{web}/slack/events", command_body("experts #sec-experts", response_url=slack_api.response_url(
        unique("r")), user_id=admin, team_id=team)).json()  # a usage error is answered at once
    assert "type # and pick the channel from the list" in wrong["blocks"][0]["text"]["text"]

    assert "cleared" in srm(web, slack_api, "experts off", user=admin, team=team)["text"]
    assert "No experts' channel is set" in srm(web, slack_api, "experts", user=admin, team=team)["text"]


def test_a_refusal_asks_an_expert_in_the_experts_channel(web: str, slack_api: SlackStandIn) -> None:
    team, admin, experts = unique("T"), unique("U"), unique("C")
    slack_api.admins.add(admin)
    refusal = ask_in(web, team, HOSTILE, slack_api.response_url(unique("r")))
    assert ACTION_ASK_EXPERT in buttons(refusal["blocks"])

    path = f"/response/{unique('unset')}"  # no experts' channel yet: the asker learns how to set one
    click_as(web, team, buttons(refusal["blocks"])[ACTION_ASK_EXPERT], slack_api.url + path)
    [unset] = slack_api.wait_for(path)
    assert "No experts' channel is set for this workspace yet" in unset.body["text"]
    assert "`/srm experts #channel`" in unset.body["text"]

    srm(web, slack_api, f"experts <#{experts}|experts>", user=admin, team=team)
    path = f"/response/{unique('asked')}"
    click_as(web, team, buttons(refusal["blocks"])[ACTION_ASK_EXPERT], slack_api.url + path)
    [request] = slack_api.wait_for("/api/chat.postMessage", channel=experts)
    text = json.dumps(request.body["blocks"])
    assert "<@U123> asked in <#C123>:" in text
    assert ">how much does S3 cost? a &lt; b &amp; *c* @here" in text and "<!here>" not in text  # inert
    assert "My best guess:" in text
    [told] = slack_api.wait_for(path)
    assert told.body["text"] == SENT


def test_a_refused_post_is_told_to_the_asker(web: str, slack_api: SlackStandIn) -> None:
    team, admin, experts = unique("T"), unique("U"), unique("C")
    slack_api.admins.add(admin)
    srm(web, slack_api, f"experts <#{experts}>", user=admin, team=team)
    refusal = ask_in(web, team, "how much does S3 cost?", slack_api.response_url(unique("r")))
    slack_api.fail_next("/api/chat.postMessage", 400)
    path = f"/response/{unique('failed')}"
    click_as(web, team, buttons(refusal["blocks"])[ACTION_ASK_EXPERT], slack_api.url + path)
    [told] = slack_api.wait_for(path)
    assert told.body["text"] == POST_FAILED.format(error="chat.postMessage: fatal_error", hint=POST_FAILED_HINT)


def test_not_helpful_offers_ask_an_expert_with_the_question(web: str, slack_api: SlackStandIn) -> None:
    team, admin, experts = unique("T"), unique("U"), unique("C")
    slack_api.admins.add(admin)
    srm(web, slack_api, f"experts <#{experts}>", user=admin, team=team)
    path = f"/response/{unique('unhelpful')}"
    asked = "are security groups <stateful> & mine?"
    vote = {"type": "feedback_buttons", "action_id": ACTION_FEEDBACK,
            "value": feedback_value(False, "security-groups", None, asked)}
    click_as(web, team, vote, slack_api.url + path)
    [thanks] = slack_api.wait_for(path)
    offered = buttons(thanks.body["blocks"])[ACTION_ASK_EXPERT]

    path = f"/response/{unique('offered')}"
    click_as(web, team, offered, slack_api.url + path)
    [request] = slack_api.wait_for("/api/chat.postMessage", channel=experts)
    text = json.dumps(request.body["blocks"])
    assert ">are security groups &lt;stateful&gt; &amp; mine?" in text  # as typed, escaped once
    assert "My best guess: Security groups (" in text
    assert slack_api.wait_for(path)[0].body["text"] == SENT

    path = f"/response/{unique('helpful')}"
    click_as(web, team, {**vote, "value": feedback_value(True, "security-groups", None, asked)},
             slack_api.url + path)
    assert "blocks" not in slack_api.wait_for(path)[0].body  # a helpful vote is only thanked
