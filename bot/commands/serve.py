"""`srm serve`: run the Slack app over HTTP under gunicorn (production), over Socket Mode (development), or the
Teams app."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.slack.settings import SlackSettings

LOGGER = logging.getLogger("srm.serve")


def register(subparsers: Any) -> None:
    """Add `srm serve` to the command line."""
    parser = subparsers.add_parser("serve", help="run the Slack (or Teams) app",
                                   description="Run the chat app. Settings come from the environment "
                                               "(SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, PORT ...).")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--http", action="store_true", help="Slack over HTTP under gunicorn on $PORT (production)")
    mode.add_argument("--socket", action="store_true", help="Slack over Socket Mode with SLACK_APP_TOKEN (development)")
    mode.add_argument("--teams", action="store_true", help="the Microsoft Teams app")
    parser.set_defaults(handler=run)


def gunicorn_argv(port: int) -> list[str]:
    """The gunicorn command line serving the Slack app on `port` (worker model and timeouts:
    `bot.slack.gunicorn_conf`)."""
    return [sys.executable, "-m", "gunicorn", "--config", "python:bot.slack.gunicorn_conf", "--bind",
            f"0.0.0.0:{port}", "bot.slack.asgi:create_asgi()"]


def run(args: argparse.Namespace) -> int:
    """Start the chosen server; exit 2 with the variable's name when a required setting is missing."""
    if args.teams:
        from bot.teams.server import run as run_teams

        return int(run_teams() or 0)
    from bot.slack.settings import SettingsError, SlackSettings

    try:
        settings = SlackSettings.from_env("socket" if args.socket else "http")
    except SettingsError as exc:
        print(f"srm serve: {exc}", file=sys.stderr)
        return 2
    if args.http:
        from bot.core import load_knowledge

        load_knowledge()  # an invalid knowledge base stops here with every problem listed, not in a gunicorn worker
        _migrate_before_workers()
        sys.stdout.flush()
        os.execv(sys.executable, gunicorn_argv(settings.port))
    return run_socket_mode(settings)


def _migrate_before_workers() -> None:
    """Bring the store's schema up to date once, before gunicorn starts its workers, so no worker migrates (or
    loads Alembic to do it). A store that cannot be reached yet is not fatal: the workers create the schema on
    first use, as they do after any outage."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.store.store import Store

    store = Store()
    try:
        store.ensure_schema()
    except SQLAlchemyError as exc:
        print(f"srm serve: the store could not be reached ({type(exc).__name__}); the workers will create its "
              "schema on first use", file=sys.stderr)
    finally:
        store.engine.dispose()


def run_socket_mode(settings: SlackSettings) -> int:
    """Slack over Socket Mode until SIGTERM or SIGINT, then close the connection and return 0; 1 with Slack's error
    when `apps.connections.open` is refused (a wrong SLACK_APP_TOKEN). Bolt's own `start()` is not used: it blocks
    for ever, so SIGTERM killed the process mid-request and Ctrl+C ended in a traceback."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from bot.logs import configure_logging
    from bot.slack.app import create_app
    from bot.slack.wsgi import build_store

    configure_logging()
    # the handler's client is the app's WebClient, so apps.connections.open goes to SLACK_API_URL too
    handler = SocketModeHandler(create_app(settings, store=build_store()), settings.app_token)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    try:
        handler.connect()
    except SlackApiError as exc:
        handler.close()
        print(f"srm serve: Slack refused apps.connections.open: {exc.response.get('error')} (is SLACK_APP_TOKEN an "
              "app-level token, xapp-..., with connections:write?)", file=sys.stderr)
        return 1
    LOGGER.info("connected to Slack over Socket Mode (SIGTERM or Ctrl+C stops)")
    stopping.wait()
    LOGGER.info("stopping: closing the Socket Mode connection")
    handler.close()
    return 0
