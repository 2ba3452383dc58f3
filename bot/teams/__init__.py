"""The Microsoft Teams adapter: the Teams SDK app (`app`), Adaptive Cards (`cards`), the server (`server`), the
daily-tip sender (`tip_sender`) and the app package (`package`). A thin layer over `bot.core`."""

import warnings

# The Teams SDK warns on import that a feature we do not use (HTML widgets) is in preview, with its source line:
# noise at every start-up of the Teams and clock processes. Its ExperimentalWarning is a FutureWarning.
warnings.filterwarnings("ignore", message=r".* is in preview and may change in the future", category=FutureWarning)
