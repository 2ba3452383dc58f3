"""App Home over real HTTP (the Procfile's web process against the Slack stand-in): the tip's "Learn more" button on
the Home tab, whose click has no response_url and no channel, opens the topic in a modal through views.open."""

from __future__ import annotations

import json
import uuid
from typing import Any

from bot.slack.blocks import ACTION_LEARN_MORE, MODAL_TITLE
from bot.slack.listeners.actions import UNKNOWN_TOPIC

from .conftest import SlackStandIn, event_body, interaction_body, post


def home_tab(web: str, slack_api: SlackStandIn, user: str) -> dict[str, Any]:
    """Open App Home as `user`: the view the bot publishes."""
    event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    assert post(f"{web}/slack/events", event_body(event, f"Ev{uuid.uuid4().hex[:10]}"), form=False).status == 200
    return slack_api.wait_for("/api/views.publish", user_id=user)[0].body["view"]


def click_on_home(web: str, user: str, action: dict[str, Any], trigger_id: str) -> None:
    """A button click on the Home tab as Slack sends it: the container is the view, no response_url."""
    body = interaction_body({
        "type": "block_actions", "team": {"id": "T123", "domain": "example"}, "user": {"id": user},
        "api_app_id": "A1", "container": {"type": "view", "view_id": "V123"}, "trigger_id": trigger_id,
        "view": {"id": "V123", "type": "home", "blocks": []}, "actions": [{**action, "block_id": "b"}],
    })
    assert post(f"{web}/slack/events", body).status == 200


def test_learn_more_on_app_home_opens_the_topic_in_a_modal(web: str, slack_api: SlackStandIn) -> None:
    user = f"U{uuid.uuid4().hex[:10].upper()}"
    home = home_tab(web, slack_api, user)
    [learn_more] = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"]
                    if e["action_id"] == ACTION_LEARN_MORE]
    trigger = f"{uuid.uuid4().hex}.home"
    click_on_home(web, user, learn_more, trigger)
    [opened] = slack_api.wait_for("/api/views.open", trigger_id=trigger)
    view = opened.body["view"]
    assert view["type"] == "modal" and view["title"]["text"] == MODAL_TITLE
    rendered = json.dumps(view["blocks"])
    header = next(b["text"]["text"] for b in view["blocks"] if b["type"] == "header")
    assert header in json.dumps(home["blocks"])  # the tip's own topic
    assert "Facts verified" in rendered and "Documentation" in rendered


def test_a_topic_that_is_gone_says_so_in_the_modal(web: str, slack_api: SlackStandIn) -> None:
    trigger = f"{uuid.uuid4().hex}.gone"
    click_on_home(web, "U123", {"type": "button", "action_id": ACTION_LEARN_MORE, "value": "no-such-topic"}, trigger)
    [opened] = slack_api.wait_for("/api/views.open", trigger_id=trigger)
    assert json.dumps(opened.body["view"]["blocks"]).count(UNKNOWN_TOPIC) == 1
