"""Settings, escaping, retry de-duplication and the serve command, without a server."""

from __future__ import annotations

import threading

import pytest

from bot.cli import build_parser
from bot.slack.dedupe import SeenEvents
from bot.slack.escape import escape_mrkdwn, link
from bot.slack.listeners.events import is_direct_message, strip_mentions
from bot.slack.settings import DEFAULT_API_URL, SettingsError, SlackSettings

HTTP_ENV = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


def test_http_settings_and_defaults() -> None:
    settings = SlackSettings.from_env("http", HTTP_ENV)
    assert (settings.api_url, settings.port, settings.oauth) == (DEFAULT_API_URL, 3000, False)
    custom = SlackSettings.from_env("http", {**HTTP_ENV, "SLACK_API_URL": "http://127.0.0.1:9/api", "PORT": "8080"})
    assert (custom.api_url, custom.port) == ("http://127.0.0.1:9/api/", 8080)
    assert "xoxb-1" not in repr(settings) and "'s'" not in repr(settings)


@pytest.mark.parametrize(("mode", "env", "missing"), [
    ("http", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
    ("http", {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ("socket", {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
    ("socket", {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ("http", {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
])
def test_missing_variable_is_named(mode: str, env: dict[str, str], missing: str) -> None:
    with pytest.raises(SettingsError, match=missing):
        SlackSettings.from_env(mode, env)  # type: ignore[arg-type]


def test_oauth_needs_no_bot_token_and_bad_values_are_rejected() -> None:
    oauth = SlackSettings.from_env("http", {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2",
                                            "SLACK_CLIENT_SECRET": "c"})
    assert oauth.oauth and oauth.bot_token is None
    with pytest.raises(SettingsError, match="PORT"):
        SlackSettings.from_env("http", {**HTTP_ENV, "PORT": "eighty"})
    with pytest.raises(SettingsError, match="SLACK_API_URL"):
        SlackSettings.from_env("http", {**HTTP_ENV, "SLACK_API_URL": "slack.com/api"})


def test_escape_mrkdwn_neutralizes_every_control_sequence() -> None:
    assert escape_mrkdwn("<!channel> & <@U1> <https://x|y>") == "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;"
    assert escape_mrkdwn("&amp;") == "&amp;amp;"
    assert link("https://docs.aws.amazon.com/a", "A <b> | c") == "<https://docs.aws.amazon.com/a|A &lt;b&gt; / c>"


def test_seen_events_answers_once_within_ttl_and_forgets_after() -> None:
    now = [0.0]
    seen = SeenEvents(ttl_seconds=10, max_size=3, clock=lambda: now[0])
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    now[0] = 11
    assert seen.first_time("Ev1")
    for key in ("Ev2", "Ev3", "Ev4"):
        assert seen.first_time(key)
    assert seen.first_time("Ev1")  # evicted: the cache is bounded


def test_mentions_and_dms() -> None:
    assert strip_mentions("<@UBOT> who patches <@U2> RDS", "UBOT") == "who patches <@U2> RDS"
    assert is_direct_message({"channel_type": "im", "text": "hi"})
    assert not is_direct_message({"channel_type": "im", "bot_id": "B1"})
    assert not is_direct_message({"channel_type": "channel"})
    assert not is_direct_message({"channel_type": "im", "subtype": "message_changed"})


def test_serve_accepts_exactly_one_mode() -> None:
    parser = build_parser()
    for flag in ("--http", "--socket", "--teams"):
        assert getattr(parser.parse_args(["serve", flag]), flag[2:])
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--http", "--socket"])


def test_a_shared_ledger_that_does_not_answer_in_time_leaves_the_decision_to_memory(
    caplog: pytest.LogCaptureFixture,
) -> None:
    release = threading.Event()

    class StuckLedger:
        def first_time_event(self, event_id: str) -> bool:
            release.wait(10)  # a database that hangs (bounded, so the test always ends)
            return True

    seen = SeenEvents(shared=StuckLedger())
    try:
        assert seen.first_time_anywhere("Ev1") is True  # answered from memory, not dropped
        assert seen.first_time_anywhere("Ev1") is False  # and remembered
        assert "checked in memory only" in caplog.text and "TimeoutError" in caplog.text
    finally:
        release.set()
