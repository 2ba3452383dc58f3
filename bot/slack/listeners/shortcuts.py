"""The message shortcut "Ask SRM about this message" (slash commands do not work in threads)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Respond

from bot.conversation.parse import Ask, Help
from bot.slack.answering import Deps, acknowledge, where
from bot.slack.replies import render_reply

CALLBACK_ID = "srm_ask_message"


def register(app: App, deps: Deps) -> None:
    """Register the message shortcut: the message's text is always a question (never a command)."""

    def answer(body: dict[str, Any], respond: Respond) -> None:
        text = (body.get("message") or {}).get("text") or ""
        team, channel = (body.get("team") or {}).get("id"), (body.get("channel") or {}).get("id")
        asked = Ask(text) if text.strip() else Help()
        reply = deps.conversation.reply(asked, where("shortcut", team, channel, (body.get("user") or {}).get("id")))
        deps.outbox.respond(respond.response_url,
                            {"response_type": "ephemeral", **render_reply(reply, deps.matcher.kb, shareable=True)},
                            what="shortcut answer", team=team, channel=channel)

    app.shortcut(CALLBACK_ID)(ack=acknowledge, lazy=[answer])
