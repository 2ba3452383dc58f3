"""The clock posting through the real Slack sender (slack_sdk WebClient) to a local stand-in for the Web API."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from slack_sdk.web import WebClient

from bot.core import KnowledgeBase
from bot.slack.tip_sender import SlackTipSender, TokenSource
from bot.store.store import Store
from bot.tips.clock import TipClock
from bot.tips.senders import load_senders
from tips.slack_standin import SlackStandIn, error, sleep

NOW = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)  # a Monday
PERMANENT = ["not_in_channel", "channel_not_found", "is_archived", "account_inactive"]


class Sleeps(list):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def subscribe(store: Store, *channels: str) -> dict[str, int]:
    return {c: store.subscribe(platform="slack", team_id="T1", channel_id=c, time_of_day="09:00", timezone="UTC",
                               weekdays_only=True, subscribed_by="U1", now=NOW - dt.timedelta(days=1)).id
            for c in channels}


def make_clock(store: Store, kb: KnowledgeBase, slack: SlackStandIn, sleeps: Sleeps,
               timeout: float = 30) -> TipClock:
    sender = SlackTipSender(TokenSource(bot_token="xoxb-test"), api_url=slack.url, timeout=timeout)
    return TipClock(store, kb, {"slack": sender}, sleep=sleeps)


def test_a_tip_is_posted_with_a_learn_more_button_and_its_ts_recorded(store: Store, tips_kb: KnowledgeBase,
                                                                       slack: SlackStandIn) -> None:
    subs = subscribe(store, "C1")
    result = make_clock(store, tips_kb, slack, Sleeps()).run_pass(lambda: NOW)
    assert result.posted == [subs["C1"]]
    (post,) = slack.posts
    assert (post.channel, post.token) == ("C1", "xoxb-test")
    assert "Patch your guest OS on a schedule." in post.text
    buttons = [e for b in post.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(b["action_id"], b["value"]) for b in buttons] == [("srm_learn_more", "guest-os-patching")]
    row = store.delivery(subs["C1"], NOW.date())
    assert (row.status, row.message_ts, row.tip_id) == ("posted", post.ts, "tip-a")


def test_ratelimited_waits_retry_after_then_posts_once(store: Store, tips_kb: KnowledgeBase,
                                                       slack: SlackStandIn) -> None:
    subscribe(store, "C1")
    slack.script("C1", error("ratelimited", 429, {"Retry-After": "7"}))
    sleeps = Sleeps()
    result = make_clock(store, tips_kb, slack, sleeps).run_pass(lambda: NOW)
    assert len(result.posted) == 1 and sleeps == [7.0]
    assert slack.attempts == ["C1", "C1"] and len(slack.posts_to("C1")) == 1


@pytest.mark.parametrize("code", PERMANENT)
def test_a_channel_the_bot_cannot_reach_is_deactivated_and_others_still_get_theirs(
        code: str, store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn,
        caplog: pytest.LogCaptureFixture) -> None:
    subs = subscribe(store, "CGONE", "C2")
    slack.script("CGONE", error(code))
    with caplog.at_level(logging.WARNING, logger="srm.tips"):
        result = make_clock(store, tips_kb, slack, Sleeps()).run_pass(lambda: NOW)
    assert result.deactivated == [subs["CGONE"]] and result.posted == [subs["C2"]]
    assert slack.attempts.count("CGONE") == 1  # not retried
    gone = store.subscription_by_id(subs["CGONE"])
    assert (gone.active, gone.deactivated_reason) == (False, code)
    assert f"channel=CGONE deactivated: {code}" in caplog.text
    assert [s.channel_id for s in store.active_subscriptions()] == ["C2"]


def test_server_errors_retry_with_backoff(store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn) -> None:
    subscribe(store, "C1")
    slack.script("C1", error("internal_error", 503), error("fatal_error", 500))
    sleeps = Sleeps()
    result = make_clock(store, tips_kb, slack, sleeps).run_pass(lambda: NOW)
    assert len(result.posted) == 1 and sleeps == [1.0, 2.0]
    assert len(slack.posts_to("C1")) == 1


def test_a_timeout_is_retried(store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn) -> None:
    subscribe(store, "C1")
    slack.script("C1", sleep(1.5))
    sleeps = Sleeps()
    result = make_clock(store, tips_kb, slack, sleeps, timeout=0.3).run_pass(lambda: NOW)
    assert len(result.posted) == 1 and sleeps == [1.0]
    assert slack.attempts == ["C1", "C1"] and len(slack.posts) == 1


def test_errors_that_outlast_a_pass_are_retried_by_the_next_pass(store: Store, tips_kb: KnowledgeBase,
                                                                 slack: SlackStandIn) -> None:
    subs = subscribe(store, "C1", "C2")
    slack.script("C1", *[error("service_unavailable", 503)] * 4)
    clock = make_clock(store, tips_kb, slack, Sleeps())
    first = clock.run_pass(lambda: NOW)
    assert first.failed == [subs["C1"]] and first.posted == [subs["C2"]]
    assert store.delivery(subs["C1"], NOW.date()).status == "failed"
    second = clock.run_pass(lambda: NOW + dt.timedelta(minutes=1))
    assert second.posted == [subs["C1"]]
    row = store.delivery(subs["C1"], NOW.date())
    assert (row.status, row.attempts) == ("posted", 2)
    assert len(slack.posts_to("C1")) == 1 and len(slack.posts_to("C2")) == 1


def test_oauth_token_comes_from_the_installation_store_and_is_rotated(store: Store, tips_kb: KnowledgeBase,
                                                                      slack: SlackStandIn) -> None:
    store.ensure_schema()
    installations = SQLAlchemyInstallationStore(client_id="CID", engine=store.engine)
    installations.save(Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-expiring",
                                    bot_id="B1", bot_user_id="UB1", bot_scopes="chat:write",
                                    bot_refresh_token="xoxe-refresh-1", bot_token_expires_in=60))
    rotator = TokenRotator(client_id="CID", client_secret="secret", client=WebClient(base_url=slack.url))
    sender = SlackTipSender(TokenSource(installation_store=installations, rotator=rotator), api_url=slack.url)
    subscribe(store, "C1")
    assert len(TipClock(store, tips_kb, {"slack": sender}).run_pass(lambda: NOW).posted) == 1
    assert slack.refreshes[0]["refresh_token"] == "xoxe-refresh-1"
    assert slack.posts[0].token == slack.rotated_token
    bot = installations.find_bot(enterprise_id=None, team_id="T1")
    assert bot.bot_token == slack.rotated_token and bot.bot_token_expires_at > time.time() + 3600


def test_oauth_without_an_installation_deactivates(store: Store, tips_kb: KnowledgeBase,
                                                   slack: SlackStandIn) -> None:
    store.ensure_schema()
    installations = SQLAlchemyInstallationStore(client_id="CID", engine=store.engine)
    sender = SlackTipSender(TokenSource(installation_store=installations), api_url=slack.url)
    subs = subscribe(store, "C1")
    result = TipClock(store, tips_kb, {"slack": sender}).run_pass(lambda: NOW)
    assert result.deactivated == [subs["C1"]] and slack.attempts == []


def test_senders_come_from_the_environment(store: Store, monkeypatch: pytest.MonkeyPatch,
                                           slack: SlackStandIn) -> None:
    monkeypatch.setenv("SLACK_API_URL", slack.url)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env")
    for name in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "CLIENT_ID", "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    senders = load_senders(store.engine)
    assert list(senders) == ["slack"]
    slack_sender = senders["slack"]
    assert isinstance(slack_sender, SlackTipSender)
    assert slack_sender.api_url == slack.url and slack_sender.tokens.bot_token == "xoxb-env"
    monkeypatch.setenv("SLACK_CLIENT_ID", "CID")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "secret")
    oauth = load_senders(store.engine)["slack"]
    assert oauth.tokens.installation_store is not None and oauth.tokens.rotator is not None
    monkeypatch.setenv("SLACK_API_TIMEOUT", "7")
    assert load_senders(store.engine)["slack"].timeout == 7


def test_without_slack_settings_the_clock_has_no_slack_sender_and_says_why(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS", "false")  # false means not configured
    assert load_senders(store.engine) == {}
    assert "Slack is not configured (SLACK_BOT_TOKEN is not set" in caplog.text


def test_the_claim_lease_must_outlast_the_slowest_sender(store: Store, tips_kb: KnowledgeBase) -> None:
    slow = SlackTipSender(TokenSource(bot_token="xoxb-test"), timeout=600)
    with pytest.raises(ValueError, match="lease"):
        TipClock(store, tips_kb, {"slack": slow})
