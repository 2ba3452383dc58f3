"""The Teams process: `POST /api/messages` on `$PORT` (`srm serve --teams`, or `python -m bot.teams.server`)."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Mapping

from bot.logs import configure_logging
from bot.teams.settings import TeamsSettings, TeamsSettingsError

logger = logging.getLogger(__name__)


def run(env: Mapping[str, str] | None = None) -> int:
    """Check the settings, build the app and serve until stopped; 2 when the environment is refused."""
    configure_logging()
    try:
        settings = TeamsSettings.from_env(env)
    except TeamsSettingsError as exc:
        print(f"srm serve --teams: {exc}", file=sys.stderr)
        return 2
    from bot.core import Matcher, load_knowledge  # after the check: a refused start-up fails fast
    from bot.store.store import WEB_WRITE_DELAY_S, Store
    from bot.teams.app import create_app
    from bot.teams.screen import ScreenedFastAPIAdapter

    app = create_app(settings, Matcher(load_knowledge()), store=Store(write_delay=WEB_WRITE_DELAY_S),
                     http_server_adapter=ScreenedFastAPIAdapter(settings.port))
    logger.info("Teams bot on port %d (POST /api/messages, %s)", settings.port,
                "UNAUTHENTICATED development mode" if settings.allow_unauthenticated else "JWT validation on")
    asyncio.run(app.start(settings.port))
    return 0


if __name__ == "__main__":
    sys.exit(run())
