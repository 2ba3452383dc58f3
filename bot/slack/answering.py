"""What every Slack listener shares: its dependencies, and the conversation layer that answers (see
`bot.conversation`): Slack listeners only read the request, render the reply and send it."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from slack_bolt import Ack

from bot.conversation import Conversation, Where
from bot.core import Matcher
from bot.slack.dedupe import SeenEvents
from bot.slack.recording import Recorder

PLATFORM = "slack"


@dataclass(frozen=True)
class Deps:
    """What every listener needs: the matcher (and its knowledge base), the recorder, the raw store, the event
    ids already answered, and the pool that runs work after the acknowledgement (Bolt's lazy listeners use it too).
    """

    matcher: Matcher
    recorder: Recorder
    background: Executor
    seen_events: SeenEvents = field(default_factory=SeenEvents)

    @property
    def store(self) -> Any | None:
        """The store given to `create_app`, or None."""
        return self.recorder.store

    @cached_property
    def conversation(self) -> Conversation:
        """The conversation layer over this matcher and store; misses go to the recorder."""
        return Conversation(self.matcher, store=self.store,
                            record_miss=lambda question, where: self.recorder.miss(question=question,
                                                                                   team_id=where.team_id))


def where(via: str, team_id: str | None, channel_id: str | None, user_id: str | None = None) -> Where:
    """A Slack request's place for the conversation layer (and its log line)."""
    return Where(platform=PLATFORM, via=via, team_id=team_id, channel_id=channel_id, user_id=user_id)


def acknowledge(ack: Ack) -> None:
    """The fast half of a lazy listener: acknowledge at once; the lazy half does the Web API work."""
    ack()
