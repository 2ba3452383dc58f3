"""Mentions (answered in a thread), direct messages, replies in threads the bot answered in, and the App Home tab.
Web API work runs lazily.

A reply in a thread that does not mention the bot reaches it through the `message.channels`, `message.groups` and
`message.mpim` events; the conversation layer decides whether it is for the bot (`Conversation.overheard`: a
follow-up or a question it answers, in a thread it answered in). One that mentions the bot is answered as the
mention it also is."""

from __future__ import annotations

import re
from logging import Logger
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.conversation import Where, parse
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


def is_thread_reply(event: dict[str, Any], context: BoltContext) -> bool:
    """A person's reply in a channel's thread that does not mention the bot (a mention is its app_mention)."""
    thread = event.get("thread_ts")
    return (event.get("channel_type") in ("channel", "group", "mpim") and bool(thread) and thread != event.get("ts")
            and event.get("subtype") in (None, "thread_broadcast") and not event.get("bot_id")
            and f"<@{context.bot_user_id}" not in (event.get("text") or ""))


def reply_for(deps: Deps, text: str, *, place: Where, client: WebClient, logger: Logger) -> dict[str, Any]:
    """The reply to a mention or a DM: any command `/srm` takes (help when empty), a follow-up, or the answer to a
    question."""
    parsed = parse(text)
    fields = {"team_id": place.team_id, "channel_id": place.channel_id, "user_id": place.user_id}
    if isinstance(parsed, Tips):
        return render_reply(tips_reply(deps, parsed, fields, client, logger, via=place.via), deps.matcher.kb)
    if isinstance(parsed, Experts):
        return experts_message(deps, parsed, fields, client, via=place.via)
    return render_reply(deps.conversation.reply(parsed, place), deps.matcher.kb)


def register(app: App, deps: Deps) -> None:
    """Register app_mention, DM messages and app_home_opened."""

    def answer_mention(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
        text = strip_mentions(event.get("text") or "", context.bot_user_id)
        channel, thread = event.get("channel"), event.get("thread_ts") or event["ts"]
        place = where("app_mention", context.team_id, channel, event.get("user"), thread=thread)
        reply = reply_for(deps, text, place=place, client=client, logger=logger)
        deps.outbox.post(client, "chat.postMessage", {"channel": channel, "thread_ts": thread, **reply},
                         what="app_mention answer", team=context.team_id, channel=channel)

    def answer_dm(event: dict[str, Any], client: WebClient, context: BoltContext, logger: Logger) -> None:
        channel = event.get("channel")
        place = where("dm", context.team_id, channel, event.get("user"), direct=True)
        reply = reply_for(deps, event.get("text") or "", place=place, client=client, logger=logger)
        deps.outbox.post(client, "chat.postMessage", {"channel": channel, **reply}, what="dm answer",
                         team=context.team_id, channel=channel)

    def answer_thread_reply(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        channel, thread = event.get("channel"), event["thread_ts"]
        reply = deps.conversation.overheard(event.get("text") or "", where("thread", context.team_id, channel,
                                                                            event.get("user"), thread=thread))
        if reply is not None:
            deps.outbox.post(client, "chat.postMessage", {"channel": channel, "thread_ts": thread,
                                                          **render_reply(reply, deps.matcher.kb)},
                             what="thread answer", team=context.team_id, channel=channel)

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
    app.event("message", matchers=[is_thread_reply], middleware=once)(ack=acknowledge, lazy=[answer_thread_reply])
    app.event("message")(acknowledge)  # other message events (edits, bots' posts): acknowledged, not answered
    app.event("app_home_opened", middleware=once)(ack=acknowledge, lazy=[publish_home])
