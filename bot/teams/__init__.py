"""The Microsoft Teams adapter: the Teams SDK app (`app`), Adaptive Cards (`cards`), the server (`server`), the
daily-tip sender (`tip_sender`) and the app package (`package`). A thin layer over `bot.core`."""
