"""The one storage layer: feedback, unanswered questions, tip subscriptions and deliveries, Slack event ids.

`Store(engine_or_url)` creates or upgrades the schema on first use. Recording feedback and misses never raises into
the caller: every record goes into a bounded in-memory queue, and the queue is written in one transaction by
whichever caller gets the write lock next, so records arriving while a write is in progress share the next commit
(one commit per batch rather than per record). With `write_delay` (the web processes) no caller writes: a
background timer writes everything waiting a moment after the first record. When the database is down the records wait,
are logged, and are written once it answers again: by a background retry (after 1 s, 2 s, 4 s ... up to
RETRY_INTERVAL_S), by the next call, or by `flush()`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import logging
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, bindparam, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.core.normalize import MAX_QUESTION_CHARS, question_text
from bot.store.claims import claim_row, update_claim
from bot.store.db import make_engine
from bot.store.migrate import upgrade
from bot.store.models import (
    DELIVERY_FAILED,
    DELIVERY_POSTED,
    Feedback,
    SlackEvent,
    TipDelivery,
    TipSubscription,
    UnansweredQuestion,
    utc_naive,
)
from bot.store.sqlite_file import SqliteFile
from bot.store.text import storable, storable_text

log = logging.getLogger("srm.store")

MAX_PENDING = 1000
"""Records kept in memory while the database is down; the oldest are dropped (and logged) past this."""
RETRY_INTERVAL_S = 30.0
"""The longest wait between retries of waiting records; the waits double from FIRST_RETRY_S up to this."""
FIRST_RETRY_S = 1.0
WEB_WRITE_DELAY_S = 0.25
"""The web processes' `write_delay`: feedback and misses of the same quarter second share one commit."""
EVENT_RETENTION = dt.timedelta(days=1)
"""How long a Slack event id is remembered; Slack's last retry comes about 5 minutes after the event."""
EVENT_PRUNE_INTERVAL_S = 3600.0
"""Older event ids are deleted at most this often per process (on the first event, then once an interval)."""


def utcnow() -> dt.datetime:
    """The current time as naive UTC (how the store keeps time)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def normalize_question(raw: str) -> str:
    """What is kept of an unanswered question: markup and mentions removed, case folded, spaces collapsed."""
    return question_text(storable_text(raw[:MAX_QUESTION_CHARS])).casefold().strip(" ?!.")


@dataclass(frozen=True)
class Claim:
    """A delivery this process holds the right to post: (subscription, local date), proven by `token`."""

    delivery_id: int
    subscription_id: int
    local_date: dt.date
    tip_id: str
    token: str
    attempt: int


def answer_key(entry_id: str | None, service_id: str | None, question: str) -> str:
    """The digest naming an answer (entry, service, normalized question) in the feedback table's unique index."""
    return hashlib.sha256(f"{entry_id or ''}\x1f{service_id or ''}\x1f{question}".encode()).hexdigest()


def voter_digest(platform: str, team_id: str, user_id: str) -> str:
    """A one-way digest of who voted: enough to keep one vote per person, without storing the user id."""
    return hashlib.sha256(f"{platform}\x1f{team_id}\x1f{user_id}".encode()).hexdigest()


@dataclass(frozen=True)
class QuestionVotes:
    """The votes on one question asked of an entry: not helpful, helpful."""

    question: str
    not_helpful: int
    helpful: int


@dataclass(frozen=True)
class ReportRow:
    """One line of a report: what (an entry id, or None for refusals), how many, when last seen; for feedback,
    the questions the votes were cast on, most not-helpful votes first."""

    key: str | None
    count: int
    last_seen: dt.datetime
    extra: int = 0
    questions: tuple[QuestionVotes, ...] = ()


QUESTIONS_PER_ENTRY = 5
"""Questions listed under each entry of the feedback report."""


class Store:
    """Persistence for the bot. Thread-safe; one instance per process is enough."""

    def __init__(self, engine_or_url: Engine | str | None = None, *, retry_interval: float = RETRY_INTERVAL_S,
                 max_pending: int = MAX_PENDING, write_delay: float = 0.0) -> None:
        """`write_delay` > 0 (the web processes): feedback and misses are written by a background timer this many
        seconds after the first waiting one, all waiting records in one commit, instead of by the caller at once;
        records still waiting when the process exits are written then."""
        self.engine = engine_or_url if isinstance(engine_or_url, Engine) else make_engine(engine_or_url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._upsert_vote = _vote_upsert(self.engine.dialect.name)
        self._upsert_miss = _miss_upsert(self.engine.dialect.name)
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self._file = SqliteFile.of(self.engine)
        self._lock = threading.Lock()
        """Held while writing queued records: one writer at a time, in order."""
        self._queue_lock = threading.Lock()
        """Held only to add to or take from the queue, so adding never waits for a write."""
        self._pending: deque[tuple[str, dict[str, Any]]] = deque(maxlen=max_pending)
        self._retry_interval = retry_interval
        self._next_retry = 0.0
        self._failures = 0
        self._write_timer: threading.Timer | None = None
        self._write_delay = write_delay
        self._exiting = False
        if write_delay > 0:
            atexit.register(self._write_before_exit)
        self._next_event_prune = 0.0

    # -- schema ---------------------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create or upgrade the tables (once per Store, and again when its SQLite file was deleted or replaced
        meanwhile); raises SQLAlchemyError when the database is down."""
        with self._schema_lock:
            if self._schema_ready and self._file is not None and (change := self._file.change()):
                log.error("store: the SQLite file %s %s while running; creating and migrating it again",
                          self._file.path, change)
                self.engine.dispose()  # the pool's connections still write to the old file
                self._file.forget_stale_sidecars()
                self._schema_ready = False
            if not self._schema_ready:
                upgrade(self.engine)
                if self._file is not None:
                    self._file.remember()
                self._schema_ready = True

    def session(self) -> Session:
        """A new ORM session on a migrated database."""
        self.ensure_schema()
        return self._sessions()

    # -- feedback and misses: never raise -------------------------------------------------------------------

    @property
    def pending_count(self) -> int:
        """Records waiting for the database."""
        return len(self._pending)

    def record_feedback(self, *, entry_id: str | None, helpful: bool, platform: str, team_id: str | None,
                        user_id: str | None = None, service_id: str | None = None, question: str = "") -> None:
        """Remember `user_id`'s helpful / not helpful vote on an answer: `entry_id` (None for a refusal) asked about
        `service_id` with `question`. One vote per person and answer: a second vote replaces the first (also when
        both wait in the same batch). Without a user id every click counts. Never raises."""
        team, asked = team_id or "-", normalize_question(question)
        data = storable({"entry_id": entry_id or None, "helpful": bool(helpful), "platform": platform,
                         "team_id": team, "service_id": service_id or None, "question": asked or None,
                         "at": utcnow()})
        data["answer_key"] = answer_key(data["entry_id"], data["service_id"], asked)
        data["voter"] = voter_digest(platform, team, storable_text(user_id)) if user_id else None
        self._record("feedback", data)

    def record_miss(self, *, question: str, platform: str, team_id: str) -> None:
        """Count an unanswered question, stored normalized (no mentions, no user ids). Never raises."""
        normalized = normalize_question(question)
        if normalized:
            self._record("miss", storable({"question": normalized, "platform": platform,
                                           "team_id": team_id or "-", "at": utcnow()}))

    def flush(self) -> int:
        """Write every waiting record now; returns how many are still waiting (0 when the database answered)."""
        with self._lock:
            self._next_retry = 0.0
            self._drain()
            return len(self._pending)

    def _record(self, kind: str, data: dict[str, Any]) -> None:
        with self._queue_lock:
            if len(self._pending) == self._pending.maxlen:
                dropped_kind, _ = self._pending[0]
                log.error("store: pending queue full (%d); dropping the oldest %s record", len(self._pending),
                          dropped_kind)
            self._pending.append((kind, data))
        if self._write_delay > 0:
            self._schedule_write(self._write_delay)
            return
        # Appended outside the write lock: while another caller commits, this record waits and goes in its batch
        # or in the next one, written by whoever takes the lock first.
        with self._lock:
            if self._pending and time.monotonic() >= self._next_retry:
                self._drain()

    def _drain(self) -> None:
        """Write every queued record in one transaction, in order (caller holds the write lock).

        When the batch fails for any other reason than an unreachable database (the database refuses a value, the
        driver cannot encode one), the records are written one by one so the bad one is found and set aside. When
        the database is unreachable, or anything else fails, they stay queued and a retry is scheduled: nothing
        raised here reaches the caller or ends the timer thread.
        """
        with self._queue_lock:
            batch = list(self._pending)
        if not batch:
            return
        try:
            self.ensure_schema()
            try:
                self._write(batch)
            except (OperationalError, InterfaceError):
                raise  # the database is unreachable: keep the records for the retry below
            except Exception:
                self._write_one_by_one(batch)
            else:
                self._forget(batch)
            self._failures = 0
        except Exception as exc:
            delay = min(self._retry_interval, FIRST_RETRY_S * 2 ** self._failures)
            self._failures += 1
            self._next_retry = time.monotonic() + delay
            log.warning("store: database unavailable, %d record(s) kept for retry in %.0f s: %s",
                        len(self._pending), delay, type(exc).__name__)
            if delay > 0:  # nothing else may write them: retry in the background
                self._schedule_write(delay)

    def _write_one_by_one(self, batch: list[tuple[str, dict[str, Any]]]) -> None:
        """Write `batch` a record per transaction, setting aside (and logging) those that cannot be written."""
        for record in batch:
            try:
                self._write([record])
            except (OperationalError, InterfaceError):
                raise  # the records not yet written stay queued
            except Exception as exc:
                # The database answered and refused this record (too long, bad value), or the driver could not
                # send it: retrying cannot help, and it must not hold up the records behind it.
                log.error("store: dropped a %s record that cannot be written: %s", record[0], type(exc).__name__)
            self._forget([record])

    def _forget(self, written: list[tuple[str, dict[str, Any]]]) -> None:
        """Take written records off the front of the queue (unless a full queue already dropped them)."""
        with self._queue_lock:
            for record in written:
                if self._pending and self._pending[0] is record:
                    self._pending.popleft()

    def _write_before_exit(self) -> None:
        """At exit: one last try for the waiting records, and an error naming how many are lost if it fails."""
        self._exiting = True  # no timer can run any more
        if left := self.flush():
            log.error("store: %d record(s) could not be written before exit: the database did not answer", left)

    def _schedule_write(self, delay: float) -> None:
        """Write the waiting records from a background timer in `delay` seconds, unless one is already set."""
        with self._queue_lock:
            if self._write_timer is None and not self._exiting:
                self._write_timer = threading.Timer(delay, self._timed_write)
                self._write_timer.daemon = True
                self._write_timer.start()

    def _timed_write(self) -> None:
        with self._queue_lock:
            self._write_timer = None
        if (wait := self._next_retry - time.monotonic()) > 0:  # the database failed lately: keep the back-off
            self._schedule_write(wait)
            return
        with self._lock:
            was_failing = self._failures > 0
            if self._pending:
                self._drain()
                if was_failing and not self._pending:
                    log.info("store: database back, waiting records written")

    def _write(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        """Write `records` in one transaction: votes upserted (a person's vote on an answer replaces their earlier
        one), misses counted (a question repeated within the batch is one upsert adding its count)."""
        self.ensure_schema()
        votes: dict[Any, dict[str, Any]] = {}  # one statement may not change a row twice: the last vote wins
        for index, (kind, data) in enumerate(records):
            if kind == "feedback":  # a vote without a voter (no user id) always counts: keyed by its place
                votes[(data["platform"], data["team_id"], data["voter"], data["answer_key"]) if data["voter"]
                      else index] = data
        misses: dict[tuple[str, str, str], dict[str, Any]] = {}
        for kind, data in records:
            if kind == "miss":
                key = (data["platform"], data["team_id"], data["question"])
                seen = misses.setdefault(key, {**data, "count": 0, "first": data["at"]})
                seen["count"], seen["at"] = seen["count"] + 1, data["at"]
        with self.engine.begin() as connection:
            if votes:
                connection.execute(self._upsert_vote, list(votes.values()))
            if misses:
                connection.execute(self._upsert_miss, list(misses.values()))

    # -- Slack event ids: shared by every process ------------------------------------------------------------

    def first_time_event(self, event_id: str, now: dt.datetime | None = None) -> bool:
        """Record `event_id`; True when no process sharing this database recorded it before, False on a repeat.

        The insert meets the primary key: when two processes race, exactly one row goes in and one caller gets
        True. Ids older than EVENT_RETENTION are deleted now and then (EVENT_PRUNE_INTERVAL_S), in the same
        transaction. Raises SQLAlchemyError when the database does not answer; the caller picks a fallback.
        """
        moment = utc_naive(now or utcnow())
        with self.session() as session, session.begin():
            statement = upsert(session, SlackEvent.__table__).values(event_id=storable_text(event_id),
                                                                      first_seen=moment)
            statement = statement.on_conflict_do_nothing(index_elements=["event_id"]).returning(SlackEvent.event_id)
            inserted = session.execute(statement).scalar() is not None
            if time.monotonic() >= self._next_event_prune:
                self._next_event_prune = time.monotonic() + EVENT_PRUNE_INTERVAL_S
                pruned = session.execute(delete(SlackEvent).where(SlackEvent.first_seen < moment - EVENT_RETENTION))
                log.debug("store: %d Slack event id(s) older than %s deleted", pruned.rowcount, EVENT_RETENTION)
        return inserted

    # -- reports --------------------------------------------------------------------------------------------

    def top_misses(self, *, since: dt.datetime | None = None, limit: int = 20,
                   team: tuple[str, str] | None = None) -> list[ReportRow]:
        """The most frequent unanswered questions (summed over workspaces, or of one `team`: (platform, team id)),
        seen since `since`."""
        q = UnansweredQuestion
        statement = (select(q.question, func.sum(q.count), func.max(q.last_seen), func.count(q.team_id.distinct()))
                     .group_by(q.question).order_by(func.sum(q.count).desc(), q.question).limit(limit))
        if since is not None:
            statement = statement.where(q.last_seen >= utc_naive(since))
        if team is not None:
            statement = statement.where(q.platform == team[0], q.team_id == team[1])
        with self.session() as session:
            return [ReportRow(key, int(count), last, int(teams)) for key, count, last, teams
                    in session.execute(statement)]

    def top_unhelpful(self, *, since: dt.datetime | None = None, limit: int = 20,
                      team: tuple[str, str] | None = None) -> list[ReportRow]:
        """Entries (None: refusals) most often voted not helpful, each person's vote counted once (everywhere, or in
        one `team`: (platform, team id)); `extra` is how many voted the same entry helpful, `questions` the
        questions asked (up to QUESTIONS_PER_ENTRY each)."""
        f = Feedback
        not_helpful = func.sum(case((f.helpful.is_(False), 1), else_=0))
        helpful = func.sum(case((f.helpful.is_(True), 1), else_=0))
        recent = [] if since is None else [f.created_at >= utc_naive(since)]
        if team is not None:
            recent += [f.platform == team[0], f.team_id == team[1]]
        statement = (select(f.entry_id, not_helpful, func.max(f.created_at), helpful).where(*recent)
                     .group_by(f.entry_id).having(not_helpful > 0)
                     .order_by(not_helpful.desc(), f.entry_id).limit(limit))
        with self.session() as session:
            rows = list(session.execute(statement))
            entries = [entry for entry, *_ in rows]
            listed_entries = [f.entry_id.in_([e for e in entries if e is not None])]
            if None in entries:
                listed_entries.append(f.entry_id.is_(None))
            asked: dict[str | None, list[QuestionVotes]] = {}
            questions = (select(f.entry_id, f.question, not_helpful, helpful)
                         .where(f.question.is_not(None), or_(*listed_entries), *recent)
                         .group_by(f.entry_id, f.question).order_by(not_helpful.desc(), helpful.desc(), f.question))
            for entry, question, bad, good in session.execute(questions):
                listed = asked.setdefault(entry, [])
                if len(listed) < QUESTIONS_PER_ENTRY:
                    listed.append(QuestionVotes(question, int(bad), int(good)))
        return [ReportRow(key, int(bad), last, int(good), tuple(asked.get(key, ()))) for key, bad, last, good in rows]

    # -- subscriptions --------------------------------------------------------------------------------------

    def subscription(self, platform: str, team_id: str, channel_id: str) -> TipSubscription | None:
        """The subscription row of a channel (active or not), or None."""
        with self.session() as session:
            return session.scalar(select(TipSubscription).filter_by(
                platform=storable_text(platform), team_id=storable_text(team_id),
                channel_id=storable_text(channel_id)))

    def subscription_by_id(self, subscription_id: int) -> TipSubscription | None:
        """A subscription by its id."""
        with self.session() as session:
            return session.get(TipSubscription, subscription_id)

    def subscribe(self, *, platform: str, team_id: str, channel_id: str, time_of_day: str, timezone: str,
                  weekdays_only: bool, subscribed_by: str, conversation_ref: dict[str, Any] | None = None,
                  now: dt.datetime | None = None) -> TipSubscription:
        """Turn tips on for a channel (or change its time); no tip is due before `now`."""
        platform, team_id, channel_id, time_of_day, timezone, subscribed_by, conversation_ref = storable(
            (platform, team_id, channel_id, time_of_day, timezone, subscribed_by, conversation_ref))
        moment = utc_naive(now or utcnow())
        with self.session() as session, session.begin():
            sub = session.scalar(select(TipSubscription).filter_by(
                platform=platform, team_id=team_id, channel_id=channel_id).with_for_update())
            if sub is None:
                sub = TipSubscription(platform=platform, team_id=team_id, channel_id=channel_id, created_at=moment)
                session.add(sub)
            sub.time_of_day, sub.timezone, sub.weekdays_only = time_of_day, timezone, weekdays_only
            sub.subscribed_by, sub.active, sub.deactivated_reason = subscribed_by, True, None
            sub.conversation_ref = conversation_ref if conversation_ref is not None else sub.conversation_ref
            sub.starts_at = sub.updated_at = moment
        return sub

    def deactivate(self, subscription_id: int, reason: str, now: dt.datetime | None = None) -> None:
        """Stop tips for a subscription, remembering why (`off`, or the platform error that ended it)."""
        with self.session() as session, session.begin():
            session.execute(update(TipSubscription).where(TipSubscription.id == subscription_id).values(
                active=False, deactivated_reason=storable_text(reason)[:255], updated_at=utc_naive(now or utcnow())))

    def active_subscriptions(self) -> list[TipSubscription]:
        """Every active subscription, oldest first."""
        with self.session() as session:
            return list(session.scalars(select(TipSubscription).filter_by(active=True).order_by(TipSubscription.id)))

    # -- deliveries -----------------------------------------------------------------------------------------

    def delivery(self, subscription_id: int, local_date: dt.date) -> TipDelivery | None:
        """The delivery row of a subscription for a local date, or None."""
        with self.session() as session:
            return session.scalar(select(TipDelivery).filter_by(subscription_id=subscription_id,
                                                                local_date=local_date))

    def deliveries(self, subscription_id: int) -> list[TipDelivery]:
        """Every delivery row of a subscription, by date."""
        with self.session() as session:
            return list(session.scalars(select(TipDelivery).filter_by(subscription_id=subscription_id)
                                        .order_by(TipDelivery.local_date)))

    def delivered_tip_counts(self, subscription_id: int) -> Counter[str]:
        """How often each tip was claimed or posted for a subscription (the rotation's memory)."""
        with self.session() as session:
            rows = session.execute(select(TipDelivery.tip_id, func.count()).where(
                TipDelivery.subscription_id == subscription_id, TipDelivery.status != DELIVERY_FAILED)
                .group_by(TipDelivery.tip_id))
            return Counter({tip_id: int(count) for tip_id, count in rows})

    def claim_delivery(self, subscription_id: int, local_date: dt.date, tip_id: str, *, now: dt.datetime,
                       lease: dt.timedelta, max_claims: int) -> Claim | None:
        """Take the right to post today's tip, or None when someone else has it or it is done.

        A new day inserts the row (the unique constraint lets one process win). An existing row is taken over,
        with a compare-and-set on its claim token, only when it failed earlier (fewer than `max_claims` times)
        or its claim is older than `lease` (the claiming process died). A taken-over row keeps its tip.
        """
        self.ensure_schema()
        row = claim_row(self._sessions, TipDelivery, {"subscription_id": subscription_id, "local_date": local_date},
                        {"tip_id": tip_id}, now=now, lease=lease, max_claims=max_claims)
        if row is None:
            return None
        return Claim(row.id, subscription_id, local_date, row.tip_id, row.claim_token, row.attempts)

    def renew_claim(self, claim: Claim, now: dt.datetime) -> bool:
        """Extend the lease before another try; False when the claim was lost (then do not post)."""
        return self._update_claim(claim, claimed_at=utc_naive(now))

    def mark_posted(self, claim: Claim, message_ts: str, now: dt.datetime) -> bool:
        """Record the posted message; False when the claim had been taken over meanwhile."""
        return self._update_claim(claim, status=DELIVERY_POSTED, message_ts=storable_text(message_ts),
                                  posted_at=utc_naive(now), error=None)

    def mark_failed(self, claim: Claim, error: str, now: dt.datetime) -> bool:
        """Record a failed delivery; a later pass may try again (up to the attempt limit)."""
        return self._update_claim(claim, status=DELIVERY_FAILED, error=storable_text(error)[:255],
                                  claimed_at=utc_naive(now))

    def _update_claim(self, claim: Claim, **values: Any) -> bool:
        self.ensure_schema()
        return update_claim(self._sessions, TipDelivery, claim.delivery_id, claim.token, **values)


def upsert(session: Session, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with `on_conflict_do_*` for the session's database (PostgreSQL or SQLite)."""
    return _dialect_insert(session.get_bind().dialect.name, table)


def _dialect_insert(dialect_name: str, table: Table) -> postgresql.Insert | sqlite.Insert:
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def _vote_upsert(dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """Record a batch of votes: insert each, or change the vote the same person cast on the same answer."""
    table = Feedback.__table__
    statement = _dialect_insert(dialect_name, table).values(
        entry_id=bindparam("entry_id"), helpful=bindparam("helpful"), platform=bindparam("platform"),
        team_id=bindparam("team_id"), created_at=bindparam("at"), service_id=bindparam("service_id"),
        question=bindparam("question"), answer_key=bindparam("answer_key"), voter=bindparam("voter"))
    return statement.on_conflict_do_update(
        index_elements=["platform", "team_id", "voter", "answer_key"],
        set_={"helpful": statement.excluded.helpful, "created_at": statement.excluded.created_at})


def _miss_upsert(dialect_name: str) -> postgresql.Insert | sqlite.Insert:
    """Count a batch of unanswered questions: insert each, or add its count to the row already there."""
    table = UnansweredQuestion.__table__
    statement = _dialect_insert(dialect_name, table).values(
        platform=bindparam("platform"), team_id=bindparam("team_id"), question=bindparam("question"),
        count=bindparam("count"), first_seen=bindparam("first"), last_seen=bindparam("at"))
    return statement.on_conflict_do_update(
        index_elements=["platform", "team_id", "question"],
        set_={"count": table.c.count + statement.excluded.count, "last_seen": statement.excluded.last_seen})
