"""`/srm stack` and `/srm compare` in Slack: the short form within Block Kit's limits, over the real web process."""

from __future__ import annotations

import json

import pytest

from bot.conversation.stack_wording import CHECKLIST_BOX
from bot.core import KnowledgeBase
from bot.core.matrix import compare, stack_summary
from bot.core.service_names import resolve_services
from bot.render.stack_text import checked_by
from bot.slack.blocks import ACTION_EXPORT, render_compare, render_stack
from bot.slack.escape import escape_mrkdwn

from .conftest import SlackStandIn, event_body, post
from .test_blocks import assert_within_limits, texts
from .test_http import mention, srm, unique

STACKS = [["ec2"], ["ec2", "rds", "s3", "lambda"],
          ["ec2", "rds", "s3", "lambda", "dynamodb", "ecs", "eks", "kms", "iam", "cloudtrail"]]


@pytest.mark.parametrize("ids", STACKS)
def test_stack_renders_within_limits_and_counts_every_duty(kb: KnowledgeBase, ids: list[str]) -> None:
    services = resolve_services(kb, ids)
    summary = stack_summary(kb, services)
    message = render_stack(summary)
    assert_within_limits(message)
    joined = "\n".join(texts(message["blocks"]))
    for owner, count in summary.counts.items():
        assert str(count) in joined, owner
    duties = sum(len(rows) for _, rows in summary.checklist)
    shown = joined.count(CHECKLIST_BOX)
    assert shown == duties or f"and {duties - shown} more of your duties" in joined
    [export] = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (export["action_id"], export["value"]) == (ACTION_EXPORT, ",".join(s.id for s in services))


def test_stack_checklist_is_grouped_by_layer_with_checked_by(kb: KnowledgeBase) -> None:
    services = resolve_services(kb, ["ec2"])
    summary = stack_summary(kb, services)
    joined = "\n".join(texts(render_stack(summary)["blocks"]))
    positions = [joined.index(f"*{escape_mrkdwn(layer.name)}*") for layer, _ in summary.checklist]
    assert positions == sorted(positions)
    checked = [line for _, rows in summary.checklist for row in rows if (line := checked_by(row))]
    assert checked and escape_mrkdwn(checked[0]) in joined


def test_compare_renders_each_differing_layer_with_both_sides(kb: KnowledgeBase) -> None:
    ec2, lam = resolve_services(kb, ["ec2", "lambda"])
    differences = compare(kb, ec2, lam)
    message = render_compare(ec2, lam, differences)
    assert_within_limits(message)
    joined = "\n".join(texts(message["blocks"]))
    assert all(escape_mrkdwn(d.layer.name) in joined for d in differences)
    assert joined.count("Amazon EC2*:") == len(differences) == joined.count("AWS Lambda*:")


def test_stack_and_compare_over_http(web: str, slack_api: SlackStandIn) -> None:
    reply = srm(web, slack_api, "stack ec2 rds s3 lambda")
    assert reply["response_type"] == "ephemeral" and reply["text"].startswith("Stack Amazon EC2")
    assert ACTION_EXPORT in json.dumps(reply["blocks"])
    compared = srm(web, slack_api, "compare ec2 lambda")
    assert "Amazon EC2 vs AWS Lambda" in compared["text"]


def test_unknown_service_gets_did_you_mean_escaped_and_usage(web: str, slack_api: SlackStandIn) -> None:
    reply = srm(web, slack_api, "stack ec2 lamda <!channel>")
    joined = "\n".join(texts(reply["blocks"]))
    assert "unknown service 'lamda'; did you mean lambda (AWS Lambda)?" in joined
    assert "&lt;!channel&gt;" in joined and "<!channel>" not in json.dumps(reply)
    assert "Write it as: `/srm stack ec2 rds s3 lambda`" in joined
    assert "Write it as: `/srm compare ec2 lambda`" in srm(web, slack_api, "compare ec2")["blocks"][0]["text"]["text"]


def test_mentions_and_dms_take_the_same_commands(web: str, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    body = event_body(mention(channel, "<@UBOT> compare ec2 lambda", ts="3.0"), unique("Ev"))
    assert post(f"{web}/slack/events", body, form=False).status == 200
    posted = slack_api.wait_for("/api/chat.postMessage", channel=channel)[0].body
    assert posted["thread_ts"] == "3.0" and "Amazon EC2 vs AWS Lambda" in posted["text"]
    dm = unique("D")
    event = {"type": "message", "channel_type": "im", "user": "U123", "text": "stack s3", "ts": "4.0", "channel": dm}
    assert post(f"{web}/slack/events", event_body(event, unique("Ev")), form=False).status == 200
    posted = slack_api.wait_for("/api/chat.postMessage", channel=dm)[0].body
    assert posted["text"].startswith("Stack Amazon S3") and ACTION_EXPORT in json.dumps(posted["blocks"])
