"""End to end over real HTTP: the Procfile's web process (gunicorn) against the local Slack stand-in."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import uuid

from bot.conversation.conversation import TIPS_FAILED
from bot.slack.blocks import ACTION_FEEDBACK, ACTION_HELP, ACTION_LEARN_MORE, ACTION_SHARE, feedback_value
from bot.slack.listeners.actions import THANKS
from bot.slack.listeners.shortcuts import CALLBACK_ID

from .conftest import (
    ROOT,
    SlackStandIn,
    block_action,
    command_body,
    event_body,
    free_port,
    interaction_body,
    post,
    web_env,
)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def srm(web: str, slack_api: SlackStandIn, text: str) -> dict:
    reply = post(f"{web}/slack/events", command_body(text, response_url=slack_api.response_url(unique("r"))))
    assert reply.status == 200, reply.body
    return reply.json()


def mention(channel: str, text: str, ts: str = "1700000000.000100", **extra: str) -> dict:
    return {"type": "app_mention", "user": "U123", "text": text, "ts": ts, "channel": channel, **extra}


def test_healthz(web: str) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{web}/healthz") as response:
        assert response.status == 200
        assert response.read() == b"ok\n"


def test_srm_question_is_answered_ephemerally_with_the_owner_and_a_share_button(web: str,
                                                                              slack_api: SlackStandIn) -> None:
    reply = srm(web, slack_api, "security groups")
    assert reply["response_type"] == "ephemeral"
    assert "Customer: security IN the cloud" in reply["text"]
    rendered = json.dumps(reply["blocks"])
    assert "Security groups" in rendered and "Customer: security IN the cloud" in rendered
    assert ACTION_SHARE in rendered and ACTION_FEEDBACK in rendered


def test_srm_subcommands(web: str, slack_api: SlackStandIn) -> None:
    for text in ("", "help"):
        assert "/srm list" in json.dumps(srm(web, slack_api, text)["blocks"])
    customer = json.dumps(srm(web, slack_api, "list customer")["blocks"])
    assert "Security groups" in customer and "security OF the cloud" not in customer
    assert "Unknown owner" in srm(web, slack_api, "list everyone")["text"]
    assert "Amazon RDS" in json.dumps(srm(web, slack_api, "services")["blocks"])
    tip = srm(web, slack_api, "tip")
    assert tip["text"].startswith("Tip: ") and ACTION_LEARN_MORE in json.dumps(tip["blocks"])


def test_srm_tips_is_answered_through_the_response_url(web: str, slack_api: SlackStandIn) -> None:
    zone_lookups = len(slack_api.requests("/api/users.info", user="U123"))
    for text in ("tips status", "tips on 08:30"):
        response_url = slack_api.response_url(unique("tips"))
        reply = post(f"{web}/slack/events", command_body(text, response_url=response_url))
        assert reply.status == 200
        posted = slack_api.wait_for(response_url.removeprefix(slack_api.url))[0].body
        assert posted["response_type"] == "ephemeral" and posted["text"] and posted["text"] != TIPS_FAILED
    # Only subscribing needs the asker's time zone: one users.info call, for `tips on`.
    assert len(slack_api.requests("/api/users.info", user="U123")) == zone_lookups + 1


def test_user_markup_is_never_echoed_live(web: str, slack_api: SlackStandIn) -> None:
    for text in ("<!channel> hello", "&lt;!channel&gt; weather forecast <@U999> <https://evil.example|aws.amazon.com>",
                 "<!here> &lt;https://evil.example|docs&gt; pricing of weather"):
        rendered = json.dumps(srm(web, slack_api, text))
        for live in ("<!channel>", "<!here>", "<@U999>", "<https://evil.example"):
            assert live not in rendered, (text, rendered)
    echoed = srm(web, slack_api, "&lt;!channel&gt; weather forecast")
    assert "&lt;!channel&gt;" in json.dumps(echoed["blocks"])


def test_app_mention_is_answered_in_its_thread_once_even_when_retried(web: str, slack_api: SlackStandIn) -> None:
    channel, event_id = unique("C"), unique("Ev")
    body = event_body(mention(channel, "<@UBOT> who patches the OS on RDS?"), event_id)
    assert post(f"{web}/slack/events", body, form=False).status == 200
    first = slack_api.wait_for("/api/chat.postMessage", channel=channel)[0].body
    assert first["thread_ts"] == "1700000000.000100"
    assert "AWS: security OF the cloud" in first["text"] and "RDS" in first["text"]
    retry = post(f"{web}/slack/events", body, form=False,
                 headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    sentinel = event_body(mention(channel, "<@UBOT> security groups", ts="1700000000.000200"), unique("Ev"))
    assert post(f"{web}/slack/events", sentinel, form=False).status == 200
    slack_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts="1700000000.000200")
    assert len(slack_api.requests("/api/chat.postMessage", channel=channel, thread_ts="1700000000.000100")) == 1


def test_unknown_mention_is_answered_in_the_thread(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    body = event_body(mention(channel, "<@UBOT> what is the weather in Paris", ts="1.5", thread_ts="1.0"),
                      unique("Ev"))
    assert post(f"{web}/slack/events", body, form=False).status == 200
    posted = slack_api.wait_for("/api/chat.postMessage", channel=channel)[0].body
    assert posted["thread_ts"] == "1.0"
    assert "I don't have an answer" in posted["text"]


def test_direct_message_is_answered_in_the_dm(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("D")
    event = {"type": "message", "channel_type": "im", "user": "U123", "text": "kms key rotation", "ts": "2.0",
             "channel": channel}
    assert post(f"{web}/slack/events", event_body(event, unique("Ev")), form=False).status == 200
    posted = slack_api.wait_for("/api/chat.postMessage", channel=channel)[0].body
    assert "thread_ts" not in posted and "KMS" in posted["text"]


def test_app_home_is_published(web: str, slack_api: SlackStandIn) -> None:
    user = unique("U")
    event = {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}
    assert post(f"{web}/slack/events", event_body(event, unique("Ev")), form=False).status == 200
    view = slack_api.wait_for("/api/views.publish", user_id=user)[0].body["view"]
    rendered = json.dumps(view)
    assert view["type"] == "home" and "Browse by owner" in rendered and "Tip of the day" in rendered


def test_forged_signature_and_stale_timestamp_get_401_and_no_processing(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    body = event_body(mention(channel, "<@UBOT> security groups"), unique("Ev"))
    forged = post(f"{web}/slack/events", body, form=False, signed=False,
                  headers={"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64})
    stale = post(f"{web}/slack/events", body, form=False, timestamp=int(time.time()) - 301)
    unsigned = post(f"{web}/slack/events", body, form=False, signed=False)
    assert (forged.status, stale.status, unsigned.status) == (401, 401, 401)
    command = post(f"{web}/slack/events", command_body("security groups", response_url="x"),
                   timestamp=int(time.time()) - 600)
    assert command.status == 401 and b"Customer" not in command.body
    sentinel = event_body(mention(channel, "<@UBOT> kms key rotation", ts="9.0"), unique("Ev"))
    assert post(f"{web}/slack/events", sentinel, form=False).status == 200
    slack_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts="9.0")
    assert len(slack_api.requests("/api/chat.postMessage", channel=channel)) == 1


def test_share_posts_the_answer_in_the_channel(web: str, slack_api: SlackStandIn) -> None:
    path = f"/response/{unique('share')}"
    action = {"type": "button", "action_id": ACTION_SHARE, "value": "security-groups", "block_id": "b"}
    assert post(f"{web}/slack/events", block_action(action, response_url=slack_api.url + path,
                                                   ephemeral=True)).status == 200
    public = slack_api.wait_for(path, response_type="in_channel")[0].body
    assert "Customer: security IN the cloud" in public["text"]
    rendered = json.dumps(public["blocks"])
    assert "Shared by <@U123>" in rendered and ACTION_SHARE not in rendered
    slack_api.wait_for(path, delete_original=True)


def test_did_you_mean_replaces_the_message_with_the_chosen_answer(web: str, slack_api: SlackStandIn) -> None:
    reply = srm(web, slack_api, "encryption")
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert 2 <= len(buttons) <= 5 and "Did you mean" in reply["text"]
    chosen = buttons[1]
    path = f"/response/{unique('pick')}"
    assert post(f"{web}/slack/events", block_action(chosen, response_url=slack_api.url + path,
                                                   ephemeral=True)).status == 200
    replaced = slack_api.wait_for(path)[0].body
    assert replaced["replace_original"] is True
    assert replaced["blocks"][0]["text"]["text"] == chosen["text"]["text"]
    assert ACTION_SHARE in json.dumps(replaced["blocks"])


def test_no_match_offers_help_and_the_help_button_works(web: str, slack_api: SlackStandIn) -> None:
    reply = srm(web, slack_api, "what is the weather in Paris")
    assert ACTION_HELP in json.dumps(reply["blocks"])
    path = f"/response/{unique('help')}"
    action = {"type": "button", "action_id": ACTION_HELP, "value": "help", "block_id": "b"}
    assert post(f"{web}/slack/events", block_action(action, response_url=slack_api.url + path)).status == 200
    assert "/srm list" in json.dumps(slack_api.wait_for(path)[0].body["blocks"])


def test_feedback_and_learn_more_clicks(web: str, slack_api: SlackStandIn) -> None:
    path = f"/response/{unique('fb')}"
    action = {"type": "feedback_buttons", "action_id": ACTION_FEEDBACK, "block_id": "b",
              "value": feedback_value(False, "security-groups")}
    assert post(f"{web}/slack/events", block_action(action, response_url=slack_api.url + path)).status == 200
    assert slack_api.wait_for(path)[0].body["text"] == f"{THANKS} Want a person to look at it?"  # Ask an expert

    path = f"/response/{unique('more')}"
    action = {"type": "button", "action_id": ACTION_LEARN_MORE, "value": "kms-key-rotation", "block_id": "b"}
    assert post(f"{web}/slack/events", block_action(action, response_url=slack_api.url + path)).status == 200
    posted = slack_api.wait_for(path)[0].body
    assert posted["response_type"] == "ephemeral" and posted["replace_original"] is False
    assert "KMS" in posted["text"]


def test_message_shortcut_answers_the_message(web: str, slack_api: SlackStandIn) -> None:
    path = f"/response/{unique('sc')}"
    payload = {"type": "message_action", "callback_id": CALLBACK_ID, "trigger_id": "1.2.3",
               "team": {"id": "T123"}, "user": {"id": "U123"}, "channel": {"id": "C123"},
               "message": {"type": "message", "text": "who patches the guest OS on EC2?", "ts": "3.0"},
               "response_url": slack_api.url + path}
    assert post(f"{web}/slack/events", interaction_body(payload)).status == 200
    posted = slack_api.wait_for(path)[0].body
    assert posted["response_type"] == "ephemeral" and "Customer: security IN the cloud" in posted["text"]


def test_rate_limited_post_is_retried_after_retry_after(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    slack_api.fail_next("/api/chat.postMessage", 429, {"Retry-After": "1"})
    body = event_body(mention(channel, "<@UBOT> security groups"), unique("Ev"))
    assert post(f"{web}/slack/events", body, form=False).status == 200
    attempts = slack_api.wait_for("/api/chat.postMessage", count=2, channel=channel)
    assert len(attempts) == 2 and attempts[0].body == attempts[1].body


def test_missing_setting_stops_start_up_naming_it(slack_api: SlackStandIn, tmp_path) -> None:
    env = web_env(slack_api, free_port(), tmp_path)
    del env["SLACK_SIGNING_SECRET"]
    done = subprocess.run([sys.executable, "-m", "bot", "serve", "--http"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "SLACK_SIGNING_SECRET is not set" in done.stderr


def test_signed_request_to_response_time(web: str, slack_api: SlackStandIn) -> None:
    """200 signed `/srm` requests one after another; prints p50/p99 (a figure to report, not an assertion)."""
    body = command_body("who patches the OS on RDS?", response_url=slack_api.response_url("bench"))
    post(f"{web}/slack/events", body)
    elapsed = []
    for _ in range(200):
        reply = post(f"{web}/slack/events", body)
        assert reply.status == 200 and b"security OF the cloud" in reply.body
        elapsed.append(reply.elapsed * 1000)
    elapsed.sort()
    p50, p99 = statistics.median(elapsed), elapsed[int(len(elapsed) * 0.99) - 1]
    print(f"\nsigned /srm request to response over HTTP (gunicorn): n=200 p50={p50:.1f} ms p99={p99:.1f} ms")
