"""The Microsoft Teams adapter: the Teams SDK app (`app`), Adaptive Cards (`cards`), the server (`server`), the
daily-tip sender (`tip_sender`, which the clock finds through `tip_sender_from_environment`) and the app package
(`package`). A thin layer over `bot.core`."""

import warnings
from typing import Any

# The Teams SDK warns on import that a feature we do not use (HTML widgets) is in preview, with its source line:
# noise at every start-up of the Teams and clock processes. Its ExperimentalWarning is a FutureWarning.
warnings.filterwarnings("ignore", message=r".* is in preview and may change in the future", category=FutureWarning)


def tip_sender_from_environment(engine: Any) -> Any | None:
    """Teams' `srm.tip_senders` entry point (pyproject.toml): a `TeamsTipSender` when the environment sets Teams up
    (`CLIENT_ID`, or the development flag), else None. The Teams SDK (seconds to import) is loaded only then."""
    from bot.teams.settings import configured

    if not configured():
        return None
    from bot.teams.tip_sender import TeamsTipSender

    return TeamsTipSender()
