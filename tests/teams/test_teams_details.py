"""Details and Why in Teams, over the real Teams process and the stand-in connector: the answer card is short, and a
click (an Action.Execute invoke, as Teams sends it) gets the expanded card back as the invoke's response, which
Teams puts in place of the clicked card; nothing new is posted to the conversation."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from teams_harness import Connector, activity, card_actions, card_of, card_texts, post

from bot.core import Answer, Matcher
from bot.teams.cards import VIEW_ACTION, VIEW_VERB, escape_markdown


def invoke(teams_server: str, connector: Connector, conversation_id: str, action: dict[str, Any]) -> dict[str, Any]:
    """An Action.Execute click as Teams sends it (an adaptiveCard/action invoke); the invoke response."""
    body = {**activity(connector.url, conversation_id=conversation_id), "type": "invoke",
            "name": "adaptiveCard/action",
            "value": {"action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]},
                      "trigger": "manual"}}
    request = urllib.request.Request(f"{teams_server}/api/messages", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.loads(response.read())


def view_buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["data"]["view"]: a for a in card_actions(card) if a.get("data", {}).get("srm") == VIEW_ACTION}


def test_details_and_why_update_the_clicked_card(teams_server: str, connector: Connector, matcher: Matcher) -> None:
    question = "who patches the guest OS on EC2?"
    expected = matcher.match(question)
    assert isinstance(expected, Answer) and expected.service is not None and expected.links
    message = activity(connector.url, question)
    conversation_id = message["conversation"]["id"]
    assert post(teams_server, message) == 200
    short = card_of(connector.wait_for(conversation_id, 1)[0])
    joined = "\n".join(card_texts(short))
    assert card_texts(short)[0] == expected.entry.title and "Facts verified" in joined
    assert "What you should do" not in joined and f"]({expected.links[0].url})" not in joined
    buttons = view_buttons(short)
    assert set(buttons) == {"details", "why"} and all(b["verb"] == VIEW_VERB for b in buttons.values())

    details = invoke(teams_server, connector, conversation_id, buttons["details"])
    assert details["type"] == "application/vnd.microsoft.card.adaptive"
    texts = "\n".join(card_texts(details["value"]))
    assert "What you should do" in texts
    for url in [link.url for link in expected.links] + [artifact.url for artifact in expected.artifacts]:
        assert f"]({url})" in texts
    assert set(view_buttons(details["value"])) == {"short", "why"}

    why = "\n".join(card_texts(invoke(teams_server, connector, conversation_id, buttons["why"])["value"]))
    assert escape_markdown(f"Matched: {expected.entry.title} ({expected.entry.id}), score") in why
    assert escape_markdown(f"Service: {expected.service.name} ({expected.service.category})") in why
    assert escape_markdown(f"({expected.decision.rule})") in why
    assert len(connector.activities(conversation_id)) == 1  # updated in place, nothing added


def test_a_click_on_a_topic_that_is_gone_says_so(teams_server: str, connector: Connector) -> None:
    message = activity(connector.url)
    gone = {"verb": VIEW_VERB, "data": {"srm": VIEW_ACTION, "view": "details", "entry": "no-such-topic",
                                        "service": "", "question": ""}}
    reply = invoke(teams_server, connector, message["conversation"]["id"], gone)
    assert "no longer in the knowledge base" in "\n".join(card_texts(reply["value"]))
