"""The experts' weekly digest, posted by the clock process: to each team's experts' channel, exactly once per ISO
week, the questions nobody could answer and the answers marked not helpful in the seven days before it is due,
most frequent first.

When: `SRM_DIGEST_AT`, a weekday, a 24-hour time and an IANA time zone (default `monday 09:00 UTC`; any order).
Exactly once: before posting, a clock claims the (team, ISO week) row of `expert_digests` (a unique constraint,
`bot.store.claims`), as the tips do with their (channel, day) rows; a clock that died holding a claim is taken
over after the lease, and a failed post is retried by later passes that week (up to MAX_CLAIMS). A channel named
after this week's digest was due gets its first digest the week after; a clock that was down posts the week's
digest when it returns that week, never a past week's.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.model import KnowledgeBase
from bot.store.models import ExpertsChannel
from bot.store.store import ReportRow, Store
from bot.tips.schedule import ScheduleError, parse_time, parse_timezone, zone
from bot.tips.senders import DeliveryError

log = logging.getLogger("srm.tips")

DIGEST_ENV = "SRM_DIGEST_AT"
DEFAULT_DIGEST = "monday 09:00 UTC"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LEASE = dt.timedelta(minutes=5)
MAX_CLAIMS = 5
TOP = 10
"""Questions and answers listed per digest, each list most frequent first."""
PERIOD = dt.timedelta(days=7)
REFUSALS = "Refusals (no topic matched)"
"""How votes on refusals (no entry) are listed."""


@dataclass(frozen=True)
class DigestSchedule:
    """When the digest is due each week: a weekday (0 = Monday), HH:MM and a time zone."""

    weekday: int
    time_of_day: str
    timezone: str

    def describe(self) -> str:
        """"Mondays at 09:00 UTC"."""
        return f"{WEEKDAYS[self.weekday].capitalize()}s at {self.time_of_day} {self.timezone}"

    def due_in_week(self, now: dt.datetime) -> tuple[str, dt.datetime]:
        """The ISO week it is at `now` (aware) in the schedule's zone (`2026-W49`) and the moment its digest is due."""
        local = now.astimezone(zone(self.timezone))
        year, week, weekday = local.isocalendar()
        day = local.date() + dt.timedelta(days=self.weekday - (weekday - 1))
        hour, minute = map(int, self.time_of_day.split(":"))
        due = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone(self.timezone)).astimezone(dt.UTC)
        return f"{year}-W{week:02d}", due


def digest_schedule(env: Mapping[str, str] | None = None) -> DigestSchedule:
    """The schedule in SRM_DIGEST_AT (default monday 09:00 UTC); ValueError naming the variable otherwise."""
    raw = (os.environ if env is None else env).get(DIGEST_ENV, "").strip() or DEFAULT_DIGEST
    weekday, time_of_day, timezone = None, "09:00", "UTC"
    try:
        for word in raw.split():
            if word.lower() in WEEKDAYS:
                weekday = WEEKDAYS.index(word.lower())
            elif ":" in word:
                time_of_day = parse_time(word)
            else:
                timezone = parse_timezone(word)
    except ScheduleError as exc:
        raise ValueError(f"{DIGEST_ENV}: {exc} (e.g. {DEFAULT_DIGEST!r})") from exc
    if weekday is None:
        raise ValueError(f"{DIGEST_ENV} must name a weekday (e.g. {DEFAULT_DIGEST!r}), got {raw!r}")
    return DigestSchedule(weekday, time_of_day, timezone)


@dataclass(frozen=True)
class Digest:
    """One team's week: the unanswered questions (normalized text, times asked) and the entries marked not helpful
    (title, times), most frequent first."""

    week: str
    since: dt.datetime
    misses: tuple[tuple[str, int], ...]
    unhelpful: tuple[tuple[str, int], ...]


class DigestSender(Protocol):
    """Posts a digest to a team's experts' channel (the tip senders do: `bot.tips.slack_sender`,
    `bot.teams.tip_sender`)."""

    def send_digest(self, channel: ExpertsChannel, digest: Digest) -> str:
        """Post it; return the platform's message id; raise DeliveryError on failure."""
        ...


def build_digest(store: Store, kb: KnowledgeBase, channel: ExpertsChannel, week: str, since: dt.datetime) -> Digest:
    """The digest of `channel`'s team for the seven days from `since`."""
    team = (channel.platform, channel.team_id)
    misses: list[ReportRow] = store.top_misses(since=since, limit=TOP, team=team)
    unhelpful: list[ReportRow] = store.top_unhelpful(since=since, limit=TOP, team=team)
    titles = {row.key: REFUSALS if row.key is None else entry.title if (entry := kb.entry(row.key)) else row.key
              for row in unhelpful}
    return Digest(week, since, tuple((row.key, row.count) for row in misses),
                  tuple((titles[row.key], row.count) for row in unhelpful))


def run_digests(store: Store, kb: KnowledgeBase, senders: Mapping[str, Any], now: dt.datetime,
                schedule: DigestSchedule | None = None) -> tuple[int, int]:
    """Post every digest due at `now` (aware); (posted, failed). One team's failure never stops another's."""
    from bot.store import experts as saved

    schedule = schedule or digest_schedule()
    posted = failed = 0
    for channel in saved.experts_channels(store):
        week, due = schedule.due_in_week(now)
        sender = senders.get(channel.platform)
        if due > now or due < channel.set_at.replace(tzinfo=dt.UTC) or not hasattr(sender, "send_digest"):
            continue
        claim = saved.claim_digest(store, channel, week, now=now, lease=LEASE, max_claims=MAX_CLAIMS)
        if claim is None:
            continue
        where = f"platform={channel.platform} team={channel.team_id} channel={channel.channel_id} week={week}"
        try:
            ts = sender.send_digest(channel, build_digest(store, kb, channel, week, due - PERIOD))
        except DeliveryError as err:
            saved.digest_failed(store, claim, err.reason, now)
            failed += 1
            log.error("digest: %s attempt %d failed (%s); a later pass tries again", where, claim.attempt, err.reason)
            continue
        if saved.digest_posted(store, claim, ts, now):
            posted += 1
            log.info("digest: %s posted ts=%s", where, ts)
        else:
            log.error("digest: %s posted ts=%s but the claim was taken over meanwhile (possible duplicate)", where, ts)
    return posted, failed


digest_schedule()  # a bad SRM_DIGEST_AT stops the process as it starts, naming the variable
