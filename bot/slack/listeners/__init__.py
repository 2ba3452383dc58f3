"""Listener registration, one module per kind of Slack request; each module has `register(app, deps)`."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.answering import Deps
from bot.slack.listeners import actions, commands, details, events, experts, shortcuts


def register_listeners(app: App, deps: Deps) -> None:
    """Register every listener of the srm app on `app`."""
    for module in (commands, events, actions, details, experts, shortcuts):
        module.register(app, deps)
