"""`create_app`: the Bolt app for srm-bot. Building it contacts nobody (no `auth.test`, no network)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.core import Matcher, load_knowledge
from bot.slack.answering import Deps
from bot.slack.dedupe import SeenEvents
from bot.slack.listeners import register_listeners
from bot.slack.oauth import oauth_settings
from bot.slack.recording import Recorder
from bot.slack.sending import Outbox
from bot.slack.settings import SlackSettings

LOGGER = logging.getLogger("srm.slack")
MAX_RETRIES = 2
LAZY_WORKERS = 8


def _not_the_unused_token_warning(record: logging.LogRecord) -> bool:
    """False for Bolt's "`token` will be unused" warning: Bolt reads SLACK_BOT_TOKEN from the environment by itself
    although the client we give it already carries that token, so the warning is true of every start-up."""
    return record.msg != warning_client_prioritized_and_token_skipped()


logging.getLogger("slack_bolt.App").addFilter(_not_the_unused_token_warning)


def retry_handlers() -> list[RetryHandler]:
    """Connection errors, 429 (sleeping for `Retry-After`) and 5xx are retried up to MAX_RETRIES times."""
    return [ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES),
            RateLimitErrorRetryHandler(max_retry_count=MAX_RETRIES),
            ServerErrorRetryHandler(max_retry_count=MAX_RETRIES)]


def web_client(settings: SlackSettings, token: str | None = None) -> WebClient:
    """A WebClient for `SLACK_API_URL` with the retry handlers and `SLACK_API_TIMEOUT`; Bolt copies its base URL,
    timeout and retry handlers to every client it makes."""
    return WebClient(token=token, base_url=settings.api_url, timeout=settings.api_timeout,
                     retry_handlers=retry_handlers())


def create_app(settings: SlackSettings, matcher: Matcher | None = None, store: Any | None = None, *,
               seen_events: SeenEvents | None = None) -> App:
    """The srm Bolt app: `/srm`, mentions, DMs, buttons, App Home and the message shortcut.

    `matcher` defaults to one over the shipped knowledge base; `store` (optional) records feedback and questions
    nothing matched, and shares the event ids taken with the other web processes; `seen_events` remembers event ids
    so a Slack retry is answered once. With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, the app serves Bolt's OAuth
    install flow and authorizes from the database.
    """
    matcher = matcher or Matcher(load_knowledge())
    background = ThreadPoolExecutor(max_workers=LAZY_WORKERS, thread_name_prefix="srm-lazy")
    options: dict[str, Any] = {
        "name": "srm-bot",
        "signing_secret": settings.signing_secret,
        "process_before_response": True,  # `/srm` is answered from ack(); Web API work goes to lazy listeners
        "token_verification_enabled": False,
        "request_verification_enabled": settings.mode == "http",
        "listener_executor": background,
    }
    if settings.oauth:
        options["client"] = web_client(settings)
        options["oauth_settings"] = oauth_settings(settings, getattr(store, "engine", None))
    else:
        options["client"] = web_client(settings, settings.bot_token)  # Bolt takes the bot token from the client
    app = App(**options)
    if settings.oauth:
        app.enable_token_revocation_listeners()
    seen_events = seen_events or SeenEvents(shared=store)
    register_listeners(app, Deps(matcher=matcher, recorder=Recorder(store), seen_events=seen_events,
                                    background=background, outbox=Outbox(timeout=settings.api_timeout)))

    @app.error
    def log_error(error: Exception, body: dict[str, Any]) -> None:
        LOGGER.error("listener failed for a %s request: %r", body.get("type") or "command", error, exc_info=error)

    return app
