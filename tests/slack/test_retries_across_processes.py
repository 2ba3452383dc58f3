"""A Slack retry that lands on another web process is still answered once: two Procfile web processes share one
database (a SQLite file, and a PostgreSQL schema when a server answers) and so the event ids they took."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from store.conftest import db_url

from .conftest import event_body, post
from .standin import SlackStandIn, start_web

__all__ = ["db_url"]  # tests/store's fixture: a SQLite file, then a PostgreSQL schema when a server answers

THREAD_TS = "1700000000.000100"


def mention(channel: str, text: str, ts: str) -> dict:
    return {"type": "app_mention", "user": "U123", "text": text, "ts": ts, "channel": channel}


def test_a_retry_on_another_process_is_acknowledged_not_answered(slack_api: SlackStandIn, db_url: str,
                                                                  tmp_path: Path) -> None:
    channel, event_id = f"C{uuid.uuid4().hex[:10].upper()}", f"Ev{uuid.uuid4().hex[:10].upper()}"
    body = event_body(mention(channel, "<@UBOT> who patches the OS on RDS?", THREAD_TS), event_id)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with contextlib.ExitStack() as stack:
        first = stack.enter_context(start_web(slack_api, tmp_path / "a", DATABASE_URL=db_url))
        second = stack.enter_context(start_web(slack_api, tmp_path / "b", DATABASE_URL=db_url))
        assert post(f"{first.url}/slack/events", body, form=False).status == 200
        answer = slack_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts=THREAD_TS)[0].body
        assert "AWS: security OF the cloud" in answer["text"]
        retry = post(f"{second.url}/slack/events", body, form=False,
                     headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
        assert retry.status == 200
        # a later event on the second process is answered: by then the retry's answer, had there been one, was sent
        sentinel = event_body(mention(channel, "<@UBOT> security groups", "1700000000.000200"),
                              f"Ev{uuid.uuid4().hex[:10].upper()}")
        assert post(f"{second.url}/slack/events", sentinel, form=False).status == 200
        slack_api.wait_for("/api/chat.postMessage", channel=channel, thread_ts="1700000000.000200")
        second.wait_for_log(f"duplicate event {event_id} (retry 1) acknowledged without a reply")
    assert len(slack_api.requests("/api/chat.postMessage", channel=channel, thread_ts=THREAD_TS)) == 1
