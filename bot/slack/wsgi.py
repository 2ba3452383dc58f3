"""The gunicorn entry point: `gunicorn 'bot.slack.wsgi:create_wsgi()'` (started by `srm serve --http`).

Serves Bolt at POST /slack/events (commands, events, interactivity), GET /slack/install and
/slack/oauth_redirect when OAuth is configured, and GET /healthz.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.logs import configure_logging
from bot.slack.app import create_app
from bot.slack.settings import SlackSettings

LOGGER = logging.getLogger("srm.slack")


def build_store() -> Any | None:
    """THE one place the Slack processes build their store; None (feedback only logged) until it exists."""
    try:
        from bot.store.store import Store
    except ImportError:
        LOGGER.warning("bot.store.store is not available: feedback and unanswered questions are only logged")
        return None
    return Store()  # DATABASE_URL, else the SQLite file in SRM_DATA_DIR; the schema is created on first use


class SlackWsgi:
    """Bolt's WSGI handler plus GET /healthz."""

    def __init__(self, app: App) -> None:
        self.handler = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        return self.handler(environ, start_response)


def create_wsgi(settings: SlackSettings | None = None) -> SlackWsgi:
    """The WSGI application, with settings from the environment unless given."""
    configure_logging()
    return SlackWsgi(create_app(settings or SlackSettings.from_env("http"), store=build_store()))
