"""`/srm`: questions answered straight from `ack()` (an in-memory match); `/srm tips ...` acknowledged at once and
answered through the response_url from the background pool."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.model import OWNERS
from bot.core.tips import tip_of_the_day
from bot.slack.answering import Deps, answer_question
from bot.slack.blocks import render_result, render_tip
from bot.slack.escape import escape_mrkdwn
from bot.slack.pages import render_help, render_list, render_services, usage_error

COMMAND = "/srm"
TIPS_NO_DATABASE = "Daily tips need the bot's database, which is not configured on this server."
TIPS_FAILED = "Sorry, I could not change the daily tips just now. Please try again in a minute."


def split_command(text: str) -> tuple[str, str]:
    """(first word lower-cased, the rest) of the command text."""
    first, _, rest = text.strip().partition(" ")
    return first.lower(), rest.strip()


def command_reply(deps: Deps, command: dict[str, Any]) -> dict[str, Any] | None:
    """The ephemeral reply to `/srm <text>`, or None for `/srm tips ...` (answered by `tips_reply`)."""
    text = command.get("text") or ""
    word, rest = split_command(text)
    kb = deps.matcher.kb
    if word in ("", "help") and not rest:
        return render_help()
    if word == "list" and (not rest or rest.lower() in OWNERS):
        return render_list(kb, rest.lower() or None)
    if word == "list" and len(rest.split()) == 1:
        return usage_error(f"Unknown owner {rest!r}: use /srm list aws, /srm list customer or /srm list shared.")
    if word == "services" and not rest:
        return render_services(kb)
    if word == "tip" and not rest:
        tip = tip_of_the_day(kb)
        entry = kb.entry(tip.entry)
        return render_tip(tip, entry) if entry else render_help()
    if word == "tips":
        return None
    result = answer_question(deps, text, command=COMMAND, team_id=command.get("team_id"),
                             channel_id=command.get("channel_id"))
    return render_result(result, shareable=True)


def user_tz(client: WebClient, user_id: str, logger: Logger) -> str | None:
    """The user's time zone from users.info, or None when Slack does not say."""
    try:
        return client.users_info(user=user_id)["user"].get("tz")
    except Exception as exc:  # SlackApiError, a timeout, a dropped connection: subscribe with the default zone
        logger.warning("users.info failed for the tips command: %s", type(exc).__name__)
        return None


def tips_reply(deps: Deps, command: dict[str, Any], client: WebClient, logger: Logger) -> str:
    """Plain text for `/srm tips on|off|status`, from the tips module (escaped for mrkdwn)."""
    from bot.tips.commands import TipsContext, handle_tips_command

    if deps.store is None:
        return TIPS_NO_DATABASE
    args = split_command(command.get("text") or "")[1]
    wants_zone = split_command(args)[0] == "on"  # only subscribing needs the asker's time zone
    ctx = TipsContext(platform="slack", team_id=command.get("team_id"), channel_id=command.get("channel_id"),
                      user_id=command.get("user_id"),
                      user_tz=user_tz(client, command.get("user_id", ""), logger) if wants_zone else None)
    try:
        return escape_mrkdwn(handle_tips_command(deps.store, args, ctx))
    except Exception:
        logger.exception("the tips command failed")
        return TIPS_FAILED


def register(app: App, deps: Deps) -> None:
    """Register `/srm`: one listener, so Bolt matches and injects arguments once per question."""

    def srm(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        reply = command_reply(deps, command)
        if reply is not None:
            ack(response_type="ephemeral", **reply)
            return
        ack()  # `/srm tips ...` needs the database and users.info: it is answered through the response_url
        deps.background.submit(answer_tips, command, client, respond, logger)

    def answer_tips(command: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        deps.outbox.respond(respond.response_url, {"text": tips_reply(deps, command, client, logger),
                                                   "response_type": "ephemeral"},
                            what="/srm tips reply", team=command.get("team_id"), channel=command.get("channel_id"))

    # Not a Bolt lazy listener: Bolt copies the whole request for every lazy run and matches each listener's
    # matchers with their own argument injection, which doubled the cost of every question (bench/README.md).
    app.command(COMMAND)(srm)
