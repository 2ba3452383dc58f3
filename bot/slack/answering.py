"""What every Slack listener shares: its dependencies, the conversation layer that answers (see
`bot.conversation`), and the tips command's Slack context: listeners only read the request, render the reply and
send it."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from logging import Logger
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.conversation import Conversation, Where
from bot.conversation.parse import Tips
from bot.conversation.replies import TextReply
from bot.core import Matcher
from bot.slack.dedupe import SeenEvents
from bot.slack.recording import Recorder
from bot.slack.sending import Outbox

PLATFORM = "slack"


@dataclass(frozen=True)
class Deps:
    """What every listener needs: the matcher (and its knowledge base), the recorder, the raw store, the event
    ids already answered, the pool that runs work after the acknowledgement (Bolt's lazy listeners use it too), and
    the outbox every reply after the acknowledgement goes through (retried, lane by lane: `bot.slack.sending`).
    """

    matcher: Matcher
    recorder: Recorder
    background: Executor
    seen_events: SeenEvents = field(default_factory=SeenEvents)
    outbox: Outbox = field(default_factory=Outbox)

    @property
    def store(self) -> Any | None:
        """The store given to `create_app`, or None."""
        return self.recorder.store

    @cached_property
    def conversation(self) -> Conversation:
        """The conversation layer over this matcher and store; misses and votes go to the recorder."""
        return Conversation(self.matcher, store=self.store,
                            record_miss=lambda question, where: self.recorder.miss(question=question,
                                                                                   team_id=where.team_id),
                            record_feedback=self.recorder.feedback)


def where(via: str, team_id: str | None, channel_id: str | None, user_id: str | None = None) -> Where:
    """A Slack request's place for the conversation layer (and its log line)."""
    return Where(platform=PLATFORM, via=via, team_id=team_id, channel_id=channel_id, user_id=user_id)


def user_tz(client: WebClient, user_id: str, logger: Logger) -> str | None:
    """The user's time zone from users.info, or None when Slack does not say."""
    try:
        return client.users_info(user=user_id)["user"].get("tz")
    except Exception as exc:  # SlackApiError, a timeout, a dropped connection: subscribe with the default zone
        logger.warning("users.info failed for the tips command: %s", type(exc).__name__)
        return None


def tips_reply(deps: Deps, tips: Tips, command: dict[str, Any], client: WebClient, logger: Logger, *,
               via: str) -> TextReply:
    """The conversation's answer to `tips ...` (`command`: the slash command's fields, or an event's team, channel
    and user); only subscribing asks Slack for the asker's time zone."""
    from bot.tips.commands import TipsContext  # the store is imported only when tips are asked for

    wants_zone = deps.store is not None and tips.args.split()[:1] == ["on"]
    ctx = TipsContext(platform="slack", team_id=command.get("team_id") or "",
                      channel_id=command.get("channel_id") or "", user_id=command.get("user_id") or "",
                      user_tz=user_tz(client, command.get("user_id", ""), logger) if wants_zone else None)
    return deps.conversation.tips(tips, ctx, where(via, ctx.team_id, ctx.channel_id, ctx.user_id))


def acknowledge(ack: Ack) -> None:
    """The fast half of a lazy listener: acknowledge at once; the lazy half does the Web API work."""
    ack()
