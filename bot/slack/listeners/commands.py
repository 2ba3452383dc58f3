"""`/srm`: parsed by the conversation layer and answered straight from `ack()` (an in-memory match, and the asker's
follow-up context in this channel: `/srm why`, `/srm and on lambda`); `/srm tips ...` is acknowledged at once and
answered through the response_url from the background pool."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.conversation import parse
from bot.conversation.parse import Experts, Tips
from bot.slack.answering import Deps, tips_reply, where
from bot.slack.listeners import experts
from bot.slack.replies import render_reply

COMMAND = "/srm"


def register(app: App, deps: Deps) -> None:
    """Register `/srm`: one listener, so Bolt matches and injects arguments once per question."""

    def srm(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        parsed = parse(command.get("text") or "")
        if isinstance(parsed, Tips):
            ack()  # `/srm tips ...` needs the database and users.info: it is answered through the response_url
            deps.background.submit(answer_tips, parsed, command, client, respond, logger)
            return
        if isinstance(parsed, Experts):
            ack()  # needs the database, and users.info to set it: answered through the response_url
            deps.background.submit(experts.answer_command, deps, parsed, command, client, respond, logger,
                                   via=COMMAND)
            return
        reply = deps.conversation.reply(parsed, where(COMMAND, command.get("team_id"), command.get("channel_id"),
                                                      command.get("user_id"), direct=True))
        ack(response_type="ephemeral", **render_reply(reply, deps.matcher.kb, shareable=True))

    def answer_tips(tips: Tips, command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        try:
            reply = tips_reply(deps, tips, command, client, logger, via=COMMAND)
        except Exception:
            logger.exception("could not answer /srm tips")
            return
        payload = {"response_type": "ephemeral", **render_reply(reply, deps.matcher.kb)}
        deps.outbox.respond(respond.response_url, payload, what="/srm tips reply", team=command.get("team_id"),
                            channel=command.get("channel_id"))

    # Not a Bolt lazy listener: Bolt copies the whole request for every lazy run and matches each listener's
    # matchers with their own argument injection, which doubled the cost of every question (bench/README.md).
    app.command(COMMAND)(srm)
