"""Multi-workspace install: Bolt's OAuth flow with slack_sdk's SQLAlchemy installation and state stores."""

from __future__ import annotations

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.slack.settings import SlackSettings
from bot.store.db import make_engine
from bot.store.tokens import installation_store

BOT_SCOPES = ("app_mentions:read", "channels:history", "chat:write", "chat:write.public", "commands", "files:write",
              "groups:history", "im:history", "mpim:history", "users:read")
"""The least the app needs (files:write: Export uploads a stack's matrix to the conversation; channels:history,
groups:history and mpim:history: replies in a thread the bot answered in reach it without a mention, for
follow-ups); the manifests in manifests/ request exactly these (a test checks it)."""
STATE_EXPIRATION_SECONDS = 600


def oauth_settings(settings: SlackSettings, engine: Engine | None = None) -> OAuthSettings:
    """OAuth settings whose installations and states live in the project's database (tables created if absent);
    `engine` is the store's when there is one, so the process keeps one connection pool."""
    if not (settings.client_id and settings.client_secret):
        raise ValueError("oauth_settings needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    engine = engine or make_engine(settings.database_url)
    installations = installation_store(client_id=settings.client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
    installations.create_tables()
    states.create_tables()
    return OAuthSettings(
        client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
        installation_store=installations, state_store=states,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
