"""Mentions (answered in a thread), direct messages, and the App Home tab. Web API work runs lazily."""

from __future__ import annotations

import re
from logging import Logger
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.conversation import parse
from bot.conversation.parse import Experts, Tips
from bot.core.tips import tip_of_the_day
from bot.slack.answering import Deps, acknowledge, tips_reply, where
from bot.slack.dedupe import dedupe_middleware
from bot.slack.listeners.experts import experts_message
from bot.slack.pages import render_home
from bot.slack.replies import render_reply

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")


def strip_mentions(text: str, bot_user_id: str | None) -> str:
    """The mention text without the bot's own `<@U..>` (other mentions are left to the matcher)."""
    return " ".join(_MENTION.sub(lambda m: " " if m.group(1) == bot_user_id else m.group(0), text).split())


def is_direct_message(event: dict[str, Any]) -> bool:
    """A person's message in a DM with the bot (not an edit, a bot's message or another subtype)."""
    return event.get("channel_type") == "im" and not event.get("subtype") and not event.get("bot_id")


def reply_for(deps: Deps, text: str, *, via: str, event: dict[str, Any], context: BoltContext, client: WebClient,
              logger: Logger) -> dict[str, Any]:
    """The reply to a mention or a DM: any command `/srm` takes (help when empty), or the answer to a question."""
    parsed = parse(text)
    if isinstance(parsed, Tips):
        fields = {"team_id": context.team_id, "channel_id": event.get("channel"), "user_id": event.get("user")}
        return render_reply(tips_reply(deps, parsed, fields, client, logger, via=via), deps.matcher.kb)
    if isinstance(parsed, Experts):
        fields = {"team_id": context.team_id, "channel_id": event.get("channel"), "user_id": event.get("user")}
        return experts_message(deps, parsed, fields, client, via=via)
    reply = deps.conversation.reply(parsed, where(via, context.team_id, event.get("channel"), event.get("user")))
    return render_reply(reply, deps.matcher.kb)


def register(app: App, deps: Deps) -> None:
    """Register app_mention, DM messages and app_home_opened."""

    def answer_mention(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
        text = strip_mentions(event.get("text") or "", context.bot_user_id)
        channel = event.get("channel")
        reply = reply_for(deps, text, via="app_mention", event=event, context=context, client=client, logger=logger)
        deps.outbox.post(client, "chat.postMessage", {"channel": channel, "thread_ts": event.get("thread_ts")
                                                      or event["ts"], **reply},
                         what="app_mention answer", team=context.team_id, channel=channel)

    def answer_dm(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
        channel = event.get("channel")
        reply = reply_for(deps, event.get("text") or "", via="dm", event=event, context=context, client=client,
                          logger=logger)
        deps.outbox.post(client, "chat.postMessage", {"channel": channel, **reply}, what="dm answer",
                         team=context.team_id, channel=channel)

    def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab", "home") == "home":
            kb = deps.matcher.kb
            deps.outbox.post(client, "views.publish", {"user_id": event["user"],
                                                       "view": render_home(kb, tip_of_the_day(kb))},
                             what="App Home", team=context.team_id, channel=None, lane=f"home:{event['user']}")

    # Only events are retried by Slack, so only event listeners carry the de-duplication (commands skip its cost).
    once = [dedupe_middleware(deps.seen_events)]
    app.event("app_mention", middleware=once)(ack=acknowledge, lazy=[answer_mention])
    app.event("message", matchers=[is_direct_message], middleware=once)(ack=acknowledge, lazy=[answer_dm])
    app.event("message")(acknowledge)  # other message events (edits, bots' posts): acknowledged, not answered
    app.event("app_home_opened", middleware=once)(ack=acknowledge, lazy=[publish_home])
