"""The clock: each pass posts every due tip, at most once per channel per local day.

Exactly-once rests on the database, not on memory:

1. For each active subscription whose tip is due today (in its time zone), the pass *claims* the
   (subscription, local date) delivery row: an INSERT that the unique constraint lets exactly one process win,
   committed before anything is posted. Losers skip the channel.
2. The winner posts, then marks the row `posted` with the message ts, with a compare-and-set on its claim token.
3. A row left `claimed` by a process that died (SIGKILL, crash, host loss) is taken over by a later pass once its
   claim is older than the lease (default 5 minutes), again by compare-and-set so only one process takes it over;
   it then posts the tip the dead process had chosen. A live poster renews its lease before every retry, and the
   lease is longer than one HTTP attempt plus the longest wait, so a live claim is never taken over.
4. A quiz subscription's delivery asks one quiz (`bot.tips.quiz`), the same on every attempt and takeover.
5. A failed delivery (transient errors exhausted) is marked `failed` and retried by the next passes, up to
   `max_claims` attempts that day; a permanent error deactivates the subscription with the reason.

Guarantee: at most one post per channel per local day, in every interleaving of passes and processes, except in
one window: a process killed after Slack accepted `chat.postMessage` but before its `posted` row committed (a few
milliseconds). The claim is then indistinguishable from one killed before posting, and the tip is posted once
more after the lease. Every due channel gets its tip: a pass killed at any point is completed by the next pass
that runs after the lease. Only today's tip is ever due, so a clock that was down for days posts one tip per
channel when it returns, not a burst.

Each pass also posts the experts' weekly digests that are due (`bot.tips.digest`), claimed the same way per team
and ISO week.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.core.model import KnowledgeBase, Tip
from bot.store.models import TipSubscription
from bot.store.store import Claim, Store
from bot.tips.digest import run_digests
from bot.tips.quiz import prepare as prepare_quiz
from bot.tips.rotation import next_tip
from bot.tips.schedule import Schedule, due_today
from bot.tips.senders import DeliveryError, TipSender

log = logging.getLogger("srm.tips")

Now = Callable[[], dt.datetime]


@dataclass(frozen=True)
class ClockSettings:
    """Timing of deliveries. The lease must outlast one send (the slowest sender's timeout) plus the longest wait
    between attempts; `TipClock` checks that against the senders it is given."""

    lease: dt.timedelta = dt.timedelta(minutes=5)
    attempts_per_pass: int = 4
    max_claims: int = 5
    backoff_s: float = 1.0
    max_wait_s: float = 60.0


@dataclass
class PassResult:
    """What one pass did, by subscription id."""

    posted: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)  # no sender for the platform
    errors: int = 0
    digests: int = 0
    """Experts' weekly digests posted (`bot.tips.digest`)."""

    def summary(self) -> str:
        """One line for the log."""
        return (f"posted={len(self.posted)} failed={len(self.failed)} deactivated={len(self.deactivated)} "
                f"waiting={len(self.waiting)} errors={self.errors} digests={self.digests}")


def pass_clock(at: dt.datetime | None = None) -> Now:
    """A clock for one pass: real UTC time, or `at` (aware) advancing with the time the pass takes."""
    if at is None:
        return lambda: dt.datetime.now(dt.UTC)
    start = time.monotonic()
    return lambda: at + dt.timedelta(seconds=time.monotonic() - start)


def schedule_of(sub: TipSubscription) -> Schedule:
    """The schedule part of a subscription row."""
    return Schedule(sub.time_of_day, sub.timezone, sub.weekdays_only)


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored naive-UTC timestamp as an aware one."""
    return moment.replace(tzinfo=dt.UTC)


class TipClock:
    """Posts due tips through the senders, recording each delivery in the store."""

    def __init__(self, store: Store, kb: KnowledgeBase, senders: Mapping[str, TipSender], *,
                 settings: ClockSettings | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.kb = kb
        self.senders = senders
        self.settings = settings or ClockSettings()
        self.sleep = sleep
        slowest = max((getattr(sender, "timeout", 0.0) for sender in senders.values()), default=0.0)
        if self.settings.lease.total_seconds() <= slowest + self.settings.max_wait_s:
            # A live poster must never look dead: otherwise another clock takes its claim over and posts again.
            raise ValueError(f"the claim lease ({self.settings.lease}) must be longer than the slowest sender's "
                             f"timeout ({slowest:.0f} s) plus the longest wait ({self.settings.max_wait_s:.0f} s)")

    def run_pass(self, now: Now | None = None) -> PassResult:
        """Deliver every tip due at `now()`; one channel's failure never stops the others."""
        now = now or pass_clock()
        result = PassResult()
        for sub in self.store.active_subscriptions():
            try:
                self._deliver(sub, now, result)
            except Exception:
                result.errors += 1
                log.exception("tips: unexpected error for subscription %s (%s %s)", sub.id, sub.platform,
                              sub.channel_id)
        try:
            result.digests, _failed = run_digests(self.store, self.kb, self.senders, now())  # failures: logged
        except Exception:
            result.errors += 1
            log.exception("digest: the experts' digests failed this pass")
        return result

    def _deliver(self, sub: TipSubscription, now: Now, result: PassResult) -> None:
        day = due_today(schedule_of(sub), now(), aware(sub.starts_at))
        if day is None:
            return
        sender = self.senders.get(sub.platform)
        if sender is None:
            result.waiting.append(sub.id)
            log.warning("tips: no %s sender configured; subscription %s waits", sub.platform, sub.id)
            return
        done = self.store.delivery(sub.id, day)
        if done is not None and done.status == "posted":
            return  # today's tip is out: a plain read, instead of a claim that would fail on every later pass
        chosen = next_tip(self.kb.tips, self.store.delivered_tip_counts(sub.id))
        claim = self.store.claim_delivery(sub.id, day, chosen.id, now=now(), lease=self.settings.lease,
                                          max_claims=self.settings.max_claims)
        if claim is None:
            return
        tip = next((t for t in self.kb.tips if t.id == claim.tip_id), chosen)
        self._post(sub, claim, tip, sender, now, result)

    def _post(self, sub: TipSubscription, claim: Claim, tip: Tip, sender: TipSender, now: Now,
              result: PassResult) -> None:
        where = f"subscription={sub.id} platform={sub.platform} team={sub.team_id} channel={sub.channel_id}"
        entry = self.kb.entry(tip.entry)
        assert entry is not None, "the loader checks that every tip names an entry"
        quiz = prepare_quiz(self.store, claim, entry, now()) if sub.quiz else None
        for attempt in range(1, self.settings.attempts_per_pass + 1):
            if attempt > 1 and not self.store.renew_claim(claim, now()):
                log.warning("tips: %s claim taken over by another clock; not posting", where)
                return
            try:
                ts = sender.send(sub, tip, entry, quiz=quiz) if quiz else sender.send(sub, tip, entry)
            except DeliveryError as err:
                if err.permanent:
                    self.store.mark_failed(claim, err.reason, now())
                    self.store.deactivate(sub.id, err.reason, now())
                    result.deactivated.append(sub.id)
                    log.warning("tips: %s deactivated: %s", where, err.reason)
                    return
                if attempt == self.settings.attempts_per_pass:
                    self.store.mark_failed(claim, err.reason, now())
                    result.failed.append(sub.id)
                    log.error("tips: %s failed after %d attempts (%s); a later pass tries again", where, attempt,
                              err.reason)
                    return
                wait = err.retry_after if err.retry_after is not None else self.settings.backoff_s * 2 ** (attempt - 1)
                wait = min(wait, self.settings.max_wait_s)
                log.warning("tips: %s attempt %d failed (%s); retrying in %.1fs", where, attempt, err.reason, wait)
                self.sleep(wait)
                continue
            if self.store.mark_posted(claim, ts, now()):
                result.posted.append(sub.id)
                log.info("tips: %s posted tip=%s ts=%s date=%s", where, tip.id, ts, claim.local_date)
            else:
                log.error("tips: %s posted ts=%s but the claim was taken over meanwhile (possible duplicate)",
                          where, ts)
            return

    def run_forever(self, interval_s: float = 30.0, stop: threading.Event | None = None) -> None:
        """Run a pass every `interval_s` seconds until `stop` is set; a failing pass is logged and retried."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                log.info("tips: pass %s", self.run_pass().summary())
            except Exception:
                log.exception("tips: pass failed (database down?); retrying in %.0fs", interval_s)
            stop.wait(interval_s)
