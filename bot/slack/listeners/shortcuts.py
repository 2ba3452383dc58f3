"""The message shortcut "Ask SRM about this message" (slash commands do not work in threads)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond

from bot.slack.answering import Deps, acknowledge, answer_question
from bot.slack.blocks import render_result
from bot.slack.pages import render_help

CALLBACK_ID = "srm_ask_message"


def register(app: App, deps: Deps) -> None:
    """Register the message shortcut."""

    def answer(body: dict[str, Any], respond: Respond) -> None:
        text = (body.get("message") or {}).get("text") or ""
        team, channel = (body.get("team") or {}).get("id"), (body.get("channel") or {}).get("id")
        if not text.strip():
            reply = render_help()
        else:
            result = answer_question(deps, text, command="shortcut", team_id=team, channel_id=channel)
            reply = render_result(result, shareable=True)
        deps.outbox.respond(respond.response_url, {"response_type": "ephemeral", **reply}, what="shortcut answer",
                            team=team, channel=channel)

    app.shortcut(CALLBACK_ID)(ack=acknowledge, lazy=[answer])
