"""One path from a question typed in Slack to a rendered result: match, log the request, record a miss."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import Ack

from bot.core import Matcher, NoMatch, Result, outcome_of
from bot.logs import log_request
from bot.slack.dedupe import SeenEvents
from bot.slack.recording import Recorder
from bot.slack.sending import Outbox


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


def answer_question(deps: Deps, raw_text: str, *, command: str, team_id: str | None,
                    channel_id: str | None) -> Result:
    """Match raw Slack text (the matcher unescapes it once), log one request line, and record a miss."""
    started = time.perf_counter()
    result = deps.matcher.match(raw_text)
    if isinstance(result, NoMatch) and result.worth_recording:
        deps.recorder.miss(question=result.question, team_id=team_id)
    entry, score, outcome = outcome_of(result)
    log_request(platform="slack", team=team_id, channel=channel_id, command=command, entry=entry, score=score,
                ms=(time.perf_counter() - started) * 1000, outcome=outcome)
    return result


def acknowledge(ack: Ack) -> None:
    """The fast half of a lazy listener: acknowledge at once; the lazy half does the Web API work."""
    ack()
