"""Posting a tip to a Slack channel with `chat.postMessage`, turning Slack's answers into `DeliveryError`s.

Settings are the web process's (`SlackSettings`, mode "clock"): the token comes from `SLACK_BOT_TOKEN` (one
workspace) or, when `SLACK_CLIENT_ID` and `SLACK_CLIENT_SECRET` are set, from the OAuth installation store on the
bot's database, refreshed first when token rotation is on (an outbound-only job gets no incoming request that would
refresh it); `SLACK_API_URL` and `SLACK_API_TIMEOUT` apply as everywhere. Retrying is the clock's job, so the client
itself retries nothing. `from_environment` is Slack's `srm.tip_senders` entry point (pyproject.toml), through which
the clock finds it (`bot.tips.senders.load_senders`).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.core.model import Entry, Tip
from bot.slack.blocks import render_quiz, render_tip
from bot.slack.settings import DEFAULT_API_TIMEOUT_S, DEFAULT_API_URL, SettingsError, SlackSettings
from bot.store.models import ExpertsChannel, TipSubscription
from bot.store.tokens import installation_store
from bot.tips.digest import Digest
from bot.tips.quiz import QuizCard
from bot.tips.senders import DeliveryError

log = logging.getLogger("srm.tips")

ROTATE_MINUTES_BEFORE_EXPIRY = 10

PERMANENT_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})
"""Errors after which this channel can never get a tip without someone acting: the subscription is deactivated.
(A bad token is not among them: it would end every channel's subscription for one configuration mistake.)"""


class TokenSource:
    """Where the bot token for a workspace comes from."""

    def __init__(self, *, bot_token: str | None = None, installation_store: SQLAlchemyInstallationStore | None = None,
                 rotator: TokenRotator | None = None) -> None:
        self.bot_token = bot_token
        self.installation_store = installation_store
        self.rotator = rotator

    def token_for(self, team_id: str) -> str:
        """The bot token for `team_id`, refreshed when it is about to expire; DeliveryError when there is none."""
        if self.installation_store is None:
            if not self.bot_token:
                raise DeliveryError("SLACK_BOT_TOKEN is not set")
            return self.bot_token
        bot = self.installation_store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            raise DeliveryError("app_not_installed", permanent=True)
        if self.rotator is not None:
            try:
                rotated = self.rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY)
            except Exception as exc:  # SlackTokenRotationError, or the HTTP call failing
                raise DeliveryError(f"token_rotation_failed: {type(exc).__name__}") from exc
            if rotated is not None:
                self.installation_store.save_bot(rotated)
                bot = rotated
        return bot.bot_token


class SlackTipSender:
    """Posts tips with `chat.postMessage`."""

    platform = "slack"

    def __init__(self, tokens: TokenSource, *, api_url: str = DEFAULT_API_URL,
                 timeout: float = DEFAULT_API_TIMEOUT_S) -> None:
        self.tokens = tokens
        self.api_url = api_url.rstrip("/") + "/"
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: SlackSettings, engine: Engine) -> SlackTipSender:
        """A sender for the Slack settings the web process reads too (SLACK_API_URL, SLACK_API_TIMEOUT, and
        SLACK_BOT_TOKEN or SLACK_CLIENT_ID/SLACK_CLIENT_SECRET), with OAuth tokens from `engine`'s database."""
        if settings.oauth:
            assert settings.client_id and settings.client_secret
            rotator = TokenRotator(client_id=settings.client_id, client_secret=settings.client_secret,
                                   client=WebClient(base_url=settings.api_url, timeout=settings.api_timeout))
            store = installation_store(client_id=settings.client_id, engine=engine)
            tokens = TokenSource(installation_store=store, rotator=rotator)
        else:
            tokens = TokenSource(bot_token=settings.bot_token)
        return cls(tokens, api_url=settings.api_url, timeout=settings.api_timeout)

    def send(self, subscription: TipSubscription, tip: Tip, entry: Entry, *, quiz: QuizCard | None = None) -> str:
        """Post `tip` (or `quiz`, for a quiz subscription) to the subscribed channel; return the message `ts`."""
        message = render_quiz(quiz) if quiz is not None else render_tip(tip, entry)
        return self.post(subscription.team_id, subscription.channel_id, message)

    def send_digest(self, channel: ExpertsChannel, digest: Digest) -> str:
        """Post the experts' weekly digest to the team's experts' channel; return the message `ts`."""
        from bot.slack.experts import render_digest

        return self.post(channel.team_id, channel.channel_id, render_digest(digest))

    def post(self, team_id: str, channel_id: str, message: dict[str, Any]) -> str:
        """`chat.postMessage` of `message` ({text, blocks}) to a channel; its `ts`, or DeliveryError."""
        client = WebClient(token=self.tokens.token_for(team_id), base_url=self.api_url, timeout=self.timeout,
                           retry_handlers=[])
        try:
            response = client.chat_postMessage(channel=channel_id, text=message["text"],
                                               blocks=message.get("blocks"), unfurl_links=False, unfurl_media=False)
        except SlackApiError as exc:
            raise _delivery_error(exc) from exc
        except (TimeoutError, URLError, ConnectionError) as exc:
            raise DeliveryError(f"network: {type(exc).__name__}") from exc
        return str(response["ts"])


def _delivery_error(exc: SlackApiError) -> DeliveryError:
    """Classify a Slack API error: rate limit (with Retry-After), permanent channel problem, or transient."""
    status = exc.response.status_code
    error = str(exc.response.get("error") or f"http_{status}") if isinstance(exc.response.data, dict) \
        else f"http_{status}"
    if status == 429 or error == "ratelimited":
        headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
        value = headers.get("retry-after")
        text = value[0] if isinstance(value, list) else value
        retry_after = float(text) if text and str(text).replace(".", "", 1).isdigit() else 1.0
        return DeliveryError("ratelimited", retry_after=retry_after)
    if error in PERMANENT_ERRORS:
        return DeliveryError(error, permanent=True)
    return DeliveryError(error if status < 500 else f"http_{status}: {error}")


def from_environment(engine: Engine) -> SlackTipSender | None:
    """The clock's Slack sender when the Slack settings are complete; None (logged: Slack channels wait) when not."""
    try:
        return SlackTipSender.from_settings(SlackSettings.from_env("clock"), engine)
    except SettingsError as exc:
        log.warning("tips: Slack is not configured (%s); Slack channels wait", exc)
        return None
