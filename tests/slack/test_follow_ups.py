"""Follow-ups over real HTTP: the Procfile's web process (gunicorn, two workers sharing its SQLite store) against the
Slack stand-in, events signed as Slack signs them. In a thread the bot answered in, "and on Lambda?" without a
mention gets the Lambda answer of the same topic and "why?" its Why view; chatter and other threads are left alone;
a DM follows up for 30 minutes (time moved in the store, not slept); `/srm why` explains the asker's last answer."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.conversation.conversation import NOTHING_TO_EXPLAIN
from bot.core import Answer, Matcher
from bot.core.presentation import owner_label
from bot.slack.escape import escape_mrkdwn

from .conftest import SlackStandIn, command_body, event_body, post
from .standin import WebProcess, start_web

ASKED = "1700000000.000100"
POST_MESSAGE = "/api/chat.postMessage"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("follow-ups")


@pytest.fixture(scope="module")
def web(slack_api: SlackStandIn, data_dir: Path) -> Iterator[WebProcess]:
    with start_web(slack_api, data_dir) as running:
        yield running


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def send(web: WebProcess, event: dict) -> None:
    assert post(f"{web.url}/slack/events", event_body(event, unique("Ev")), form=False).status == 200


def mention(channel: str, words: str, ts: str = ASKED, **extra: str) -> dict:
    return {"type": "app_mention", "user": "U123", "text": f"<@UBOT> {words}", "ts": ts, "channel": channel,
            **extra}


def thread_reply(channel: str, words: str, ts: str, thread: str = ASKED, user: str = "U234") -> dict:
    """A reply in a thread of a public channel, as `message.channels` delivers it."""
    return {"type": "message", "channel_type": "channel", "user": user, "text": words, "ts": ts,
            "thread_ts": thread, "channel": channel}


def dm(channel: str, words: str, ts: str) -> dict:
    return {"type": "message", "channel_type": "im", "user": "U123", "text": words, "ts": ts, "channel": channel}


def srm(web: WebProcess, slack_api: SlackStandIn, words: str, *, channel: str, user: str = "U123") -> dict:
    reply = post(f"{web.url}/slack/events", command_body(words, response_url=slack_api.response_url(unique("r")),
                                                         channel_id=channel, user_id=user))
    assert reply.status == 200, reply.body
    return reply.json()


def answers(slack_api: SlackStandIn, channel: str, count: int, thread: str | None = ASKED) -> list[dict]:
    """The bot's first `count` posts to the channel (in `thread`), once that many arrived."""
    match = {"channel": channel} if thread is None else {"channel": channel, "thread_ts": thread}
    return [r.body for r in slack_api.wait_for(POST_MESSAGE, count, **match)][:count]


def rendered(message: dict) -> str:
    return json.dumps(message.get("blocks") or []) + message.get("text", "")


def test_and_on_lambda_in_the_thread_gets_the_lambda_answer_of_the_same_topic(
        web: WebProcess, slack_api: SlackStandIn, matcher: Matcher) -> None:
    channel = unique("C")
    send(web, mention(channel, "who patches the OS on RDS?"))
    [first] = answers(slack_api, channel, 1)
    assert "RDS" in first["text"] and "AWS: security OF the cloud" in first["text"]

    send(web, thread_reply(channel, "and on Lambda?", "1700000000.000200"))  # no mention, another person
    follow_up = answers(slack_api, channel, 2)[1]
    expected = matcher.answer_entry("guest-os-patching", "lambda", question="who patches the OS on RDS?")
    assert expected is not None and expected.service is not None
    assert follow_up["thread_ts"] == ASKED
    assert "Guest operating system patching" in rendered(follow_up)
    assert owner_label(expected.owner) in follow_up["text"] and "Lambda" in rendered(follow_up)

    send(web, thread_reply(channel, "what about EC2?", "1700000000.000300", user="U123"))
    ec2 = answers(slack_api, channel, 3)[2]
    assert "Guest operating system patching" in rendered(ec2) and "Customer: security IN the cloud" in ec2["text"]

    send(web, thread_reply(channel, "why?", "1700000000.000400"))
    why = rendered(answers(slack_api, channel, 4)[3])
    assert "Matched: Guest operating system patching (guest-os-patching)" in why
    assert "Service: Amazon EC2" in why and "decided by" in why


def test_a_new_question_in_the_thread_is_answered_as_a_new_question(web: WebProcess, slack_api: SlackStandIn,
                                                                    matcher: Matcher) -> None:
    channel = unique("C")
    send(web, mention(channel, "who patches the OS on RDS?"))
    answers(slack_api, channel, 1)
    send(web, thread_reply(channel, "who rotates KMS keys?", "1700000000.000200"))
    new = answers(slack_api, channel, 2)[1]
    expected = matcher.match("who rotates KMS keys?")
    assert isinstance(expected, Answer) and expected.entry.id != "guest-os-patching"
    assert escape_mrkdwn(expected.entry.title) in rendered(new)
    assert "Guest operating system patching" not in rendered(new)


def test_chatter_and_threads_the_bot_never_answered_in_are_left_alone(web: WebProcess,
                                                                      slack_api: SlackStandIn) -> None:
    channel = unique("C")
    send(web, thread_reply(channel, "and on Lambda?", "1700000000.000150", thread="1700000000.000050"))
    send(web, mention(channel, "who patches the OS on RDS?"))
    answers(slack_api, channel, 1)
    for i, chatter in enumerate(("thanks, that helps!", "ok I'll tell the DBA team", "lol")):
        send(web, thread_reply(channel, chatter, f"1700000000.00020{i}"))
    send(web, thread_reply(channel, "and for S3", "1700000000.000300"))  # the sentinel: answered
    s3 = answers(slack_api, channel, 2)[1]
    assert "Amazon S3" in rendered(s3)
    assert len(slack_api.requests(POST_MESSAGE, channel=channel)) == 2  # the mention and the sentinel only
    assert not slack_api.requests(POST_MESSAGE, channel=channel, thread_ts="1700000000.000050")


def test_a_reply_that_mentions_the_bot_is_answered_once(web: WebProcess, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    send(web, mention(channel, "who patches the OS on RDS?"))
    answers(slack_api, channel, 1)
    # Slack sends a mention in a thread twice: as app_mention and as message.channels
    ts = "1700000000.000200"
    send(web, mention(channel, "and on Lambda?", ts=ts, thread_ts=ASKED))
    send(web, thread_reply(channel, "<@UBOT> and on Lambda?", ts, user="U123"))
    answers(slack_api, channel, 2)
    # The sentinel goes once the follow-up is answered (replies run in a pool: sent at once, it could overtake it)
    send(web, thread_reply(channel, "why?", "1700000000.000300"))
    posts = answers(slack_api, channel, 3)
    assert "Matched:" in rendered(posts[2])
    assert len(slack_api.requests(POST_MESSAGE, channel=channel)) == 3
    assert "Lambda" in rendered(posts[1])


def test_a_dm_follows_up_until_its_context_expires(web: WebProcess, slack_api: SlackStandIn, data_dir: Path) -> None:
    channel = unique("D")
    send(web, dm(channel, "who patches the OS on RDS?", "1.0"))
    answers(slack_api, channel, 1, thread=None)
    send(web, dm(channel, "and on Lambda?", "2.0"))
    lam = answers(slack_api, channel, 2, thread=None)[1]
    assert "thread_ts" not in lam
    assert "Guest operating system patching" in rendered(lam) and "Lambda" in rendered(lam)

    # 30 minutes pass: the context's expiry is moved into the past in the store every worker reads
    engine = create_engine(f"sqlite:///{data_dir / 'srm.sqlite3'}")
    past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    with engine.begin() as connection:
        moved = connection.execute(text("UPDATE conversation_contexts SET expires_at = :past WHERE channel_id = :c"),
                                   {"past": past, "c": channel}).rowcount
    engine.dispose()
    assert moved == 1
    send(web, dm(channel, "why?", "3.0"))
    expired = answers(slack_api, channel, 3, thread=None)[2]
    assert expired["text"] == escape_mrkdwn(NOTHING_TO_EXPLAIN)


def test_srm_why_explains_the_askers_last_answer_in_the_channel(web: WebProcess, slack_api: SlackStandIn) -> None:
    channel = unique("C")
    nothing = srm(web, slack_api, "why", channel=channel)
    assert nothing["response_type"] == "ephemeral" and nothing["text"] == escape_mrkdwn(NOTHING_TO_EXPLAIN)

    srm(web, slack_api, "who patches the OS on RDS?", channel=channel)
    why = srm(web, slack_api, "why", channel=channel)
    assert why["response_type"] == "ephemeral"
    assert "Matched: Guest operating system patching (guest-os-patching)" in rendered(why)
    assert "Service: Amazon RDS" in rendered(why)
    lam = srm(web, slack_api, "and on lambda", channel=channel)
    assert "Guest operating system patching" in rendered(lam) and "Lambda" in rendered(lam)
    # another person's `/srm why` in the same channel: their own answers only (the asker's were private)
    other = srm(web, slack_api, "why", channel=channel, user="U999")
    assert other["text"] == escape_mrkdwn(NOTHING_TO_EXPLAIN)


def test_help_tells_about_why(web: WebProcess, slack_api: SlackStandIn) -> None:
    assert "/srm why" in rendered(srm(web, slack_api, "help", channel=unique("C")))
