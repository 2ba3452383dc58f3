"""`/srm`: parsed by the conversation layer and answered straight from `ack()` (an in-memory match); `/srm tips ...`
is acknowledged at once and answered through the response_url from the background pool."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.conversation import parse
from bot.conversation.parse import Tips
from bot.conversation.replies import TextReply
from bot.slack.answering import Deps, where
from bot.slack.replies import render_reply

COMMAND = "/srm"


def user_tz(client: WebClient, user_id: str, logger: Logger) -> str | None:
    """The user's time zone from users.info, or None when Slack does not say."""
    try:
        return client.users_info(user=user_id)["user"].get("tz")
    except Exception as exc:  # SlackApiError, a timeout, a dropped connection: subscribe with the default zone
        logger.warning("users.info failed for the tips command: %s", type(exc).__name__)
        return None


def tips_reply(deps: Deps, tips: Tips, command: dict[str, Any], client: WebClient, logger: Logger) -> TextReply:
    """The conversation's answer to `tips ...` (`command`: the slash command's fields, or an event's team, channel
    and user); only subscribing asks Slack for the asker's time zone."""
    from bot.tips.commands import TipsContext  # the store is imported only when tips are asked for

    wants_zone = deps.store is not None and tips.args.split()[:1] == ["on"]
    ctx = TipsContext(platform="slack", team_id=command.get("team_id") or "",
                      channel_id=command.get("channel_id") or "", user_id=command.get("user_id") or "",
                      user_tz=user_tz(client, command.get("user_id", ""), logger) if wants_zone else None)
    return deps.conversation.tips(tips, ctx, where(COMMAND, ctx.team_id, ctx.channel_id, ctx.user_id))


def register(app: App, deps: Deps) -> None:
    """Register `/srm`: one listener, so Bolt matches and injects arguments once per question."""

    def srm(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        parsed = parse(command.get("text") or "")
        if isinstance(parsed, Tips):
            ack()  # `/srm tips ...` needs the database and users.info: it is answered through the response_url
            deps.background.submit(answer_tips, parsed, command, client, respond, logger)
            return
        reply = deps.conversation.reply(parsed, where(COMMAND, command.get("team_id"), command.get("channel_id"),
                                                      command.get("user_id")))
        ack(response_type="ephemeral", **render_reply(reply, deps.matcher.kb, shareable=True))

    def answer_tips(tips: Tips, command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        try:
            respond(response_type="ephemeral", **render_reply(tips_reply(deps, tips, command, client, logger),
                                                              deps.matcher.kb))
        except Exception:
            logger.exception("could not answer /srm tips through the response_url")

    # Not a Bolt lazy listener: Bolt copies the whole request for every lazy run and matches each listener's
    # matchers with their own argument injection, which doubled the cost of every question (bench/README.md).
    app.command(COMMAND)(srm)
