"""Fault 1 of issue 13: a lone UTF-16 surrogate (JSON's "\\ud800", which Python decodes into a `str` no UTF-8
encoder takes) in recorded text must neither raise into the caller nor stop the store's drain: the text is made
storable where it enters, and a record that still cannot be written is set aside, logged with its kind, and the
records behind it land. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from slack.conftest import block_action, command_body, event_body, post
from slack.standin import SlackStandIn, start_web
from store.conftest import db_url, store
from store.databases import postgres_schema_url, postgres_unavailable

from bot.slack.blocks import ACTION_FEEDBACK, feedback_value
from bot.store.store import Store
from bot.store.text import REPLACEMENT

__all__ = ["db_url", "store"]
LONE = "\ud800"


def test_a_lone_surrogate_in_a_miss_or_feedback_is_stored_replaced(store: Store) -> None:
    store.record_miss(question=f"who patches {LONE} kafka", platform="slack", team_id="T1")
    store.record_feedback(entry_id=f"security{LONE}groups", helpful=False, platform="slack", team_id=f"T{LONE}")
    store.record_miss(question="who runs lightsail", platform="teams", team_id="tenant")
    store.record_feedback(entry_id="nul\x00", helpful=True, platform="slack", team_id="T1")
    store.record_feedback(entry_id="nul", helpful=False, platform="slack", team_id="T1")
    assert store.pending_count == 0
    assert sorted(row.key for row in store.top_misses()) == [f"who patches {REPLACEMENT} kafka", "who runs lightsail"]
    assert [(row.key, row.extra) for row in store.top_unhelpful()] == [("nul", 1), (f"security{REPLACEMENT}groups", 0)]


def test_the_background_drain_keeps_writing_after_a_surrogate(db_url: str) -> None:
    store = Store(db_url, write_delay=0.01)
    store.record_miss(question=f"lone {LONE} here", platform="slack", team_id="T1")
    store.record_feedback(entry_id="a", helpful=False, platform="slack", team_id="T1")
    deadline = time.monotonic() + 10  # the timer writes within its delay; the deadline only bounds a failure
    while store.pending_count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert store.pending_count == 0, f"{store.pending_count} record(s) still queued: the drain stopped"
    assert [row.key for row in store.top_unhelpful()] == ["a"]
    store.engine.dispose()


VOTE = {"helpful": False, "platform": "slack", "team_id": "T1", "service_id": None, "question": "q",
        "voter": "v", "at": dt.datetime(2026, 12, 1)}
"""A vote as `Store.record_feedback` queues it (its entry and answer key added by each test)."""


def test_a_record_the_driver_cannot_encode_is_set_aside_and_the_rest_land(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Below the entry point's cleaning: a record that reaches the queue unencodable (a future field, a bug) is
    dropped with its kind named, and does not hold up the others."""
    store.ensure_schema()
    queued: list[tuple[str, dict[str, Any]]] = [
        ("feedback", {**VOTE, "entry_id": f"bad{LONE}", "answer_key": "bad"}),
        ("feedback", {**VOTE, "entry_id": "good", "answer_key": "good"})]
    store._pending.extend(queued)
    with caplog.at_level(logging.ERROR, logger="srm.store"):
        assert store.flush() == 0
    assert [row.key for row in store.top_unhelpful()] == ["good"]
    assert "dropped a feedback record that cannot be written: UnicodeEncodeError" in caplog.text


def test_subscriptions_and_event_ids_with_a_surrogate_are_stored(store: Store) -> None:
    sub = store.subscribe(platform="teams", team_id=f"t{LONE}", channel_id=f"19:{LONE}", time_of_day="09:00",
                          timezone="UTC", weekdays_only=True, subscribed_by=f"u{LONE}",
                          conversation_ref={"conversation": {"name": f"n{LONE}"}})
    assert sub.channel_id == f"19:{REPLACEMENT}"
    found = store.subscription("teams", f"t{LONE}", f"19:{LONE}")
    assert found is not None and found.conversation_ref == {"conversation": {"name": f"n{REPLACEMENT}"}}
    store.deactivate(sub.id, f"channel_not_found {LONE}")
    assert store.first_time_event(f"Ev{LONE}") is True
    assert store.first_time_event(f"Ev{LONE}") is False


# --- the web process, as Slack reaches it ----------------------------------------------------------------------

@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_mention_with_a_lone_surrogate_does_not_stop_the_web_process_recording(
    database: str, slack_api: SlackStandIn, tmp_path: Path
) -> None:
    """The issue's case: a mention whose JSON text holds "\\ud800", then ordinary misses and feedback from the same
    worker. Every one of them lands in the database."""
    with contextlib.ExitStack() as stack:
        if database == "postgresql":
            if reason := postgres_unavailable():
                pytest.skip(reason)
            url = stack.enter_context(postgres_schema_url())
            env = {"DATABASE_URL": url}
        else:
            url, env = f"sqlite:///{tmp_path / 'srm.sqlite3'}", {}
        web = stack.enter_context(start_web(slack_api, tmp_path, **env))
        event = {"type": "app_mention", "user": "U123", "text": f"<@UBOT> xqzv {LONE} nothing", "ts": "1.0",
                 "channel": "C1"}
        assert post(f"{web.url}/slack/events", event_body(event, f"Ev{uuid.uuid4().hex}"), form=False).status == 200
        after = f"xqzv after {uuid.uuid4().hex[:6]}"
        reply = post(f"{web.url}/slack/events", command_body(after, response_url=slack_api.response_url("r1")))
        assert reply.status == 200
        action = {"type": "button", "action_id": ACTION_FEEDBACK, "value": feedback_value(False, "security-groups")}
        assert post(f"{web.url}/slack/events", block_action(action, response_url=slack_api.response_url("r2"))
                    ).status == 200
        reader = Store(url)
        deadline = time.monotonic() + 30  # the web process writes a quarter second after a record; this bounds it
        while time.monotonic() < deadline and (len(reader.top_misses()), len(reader.top_unhelpful())) < (2, 1):
            time.sleep(0.1)
        assert sorted(row.key for row in reader.top_misses()) == sorted([f"xqzv {REPLACEMENT} nothing", after])
        assert [row.key for row in reader.top_unhelpful()] == ["security-groups"]
        reader.engine.dispose()
