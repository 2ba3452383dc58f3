"""The store on a real SQLite file and on PostgreSQL: migrations, feedback, misses, reports, deliveries, outages."""

from __future__ import annotations

import datetime as dt
import logging
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, inspect, text

from bot.cli import main
from bot.store.migrate import current_revision, head_revision, upgrade
from bot.store.models import Base
from bot.store.store import Store, normalize_question
from store.databases import (
    POSTGRES_ADDRESS,
    forward_to_postgres,
    postgres_schema_url,
    postgres_unavailable,
    sqlite_url,
)

TABLES = {"tip_subscriptions", "tip_deliveries", "feedback", "unanswered_questions", "slack_installations",
          "slack_bots", "slack_oauth_states", "alembic_version"}
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=5)


def test_first_use_creates_every_table_at_the_newest_revision(store: Store) -> None:
    store.ensure_schema()
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()


def test_the_head_read_from_the_revision_files_is_alembics(store: Store) -> None:
    from alembic.script import ScriptDirectory

    from bot.store.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    store.ensure_schema()
    with store.engine.connect() as conn:
        assert current_revision(conn) == MigrationContext.configure(conn).get_current_revision()


def test_a_process_finding_the_schema_current_never_imports_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'srm.db'}"
    Store(url).ensure_schema()  # migrated once, here
    code = ("import sys; from bot.store.store import Store; Store(sys.argv[1]).ensure_schema(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    found = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]", found.stderr


def test_models_and_migrations_agree(store: Store) -> None:
    store.ensure_schema()
    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diffs == []


def test_rerunning_migrations_keeps_rows(db_url: str) -> None:
    first = Store(db_url)
    first.record_feedback(entry_id="security-groups", helpful=False, platform="slack", team_id="T1")
    first.engine.dispose()
    second = Store(db_url)
    upgrade(second.engine)
    assert [(r.key, r.count) for r in second.top_unhelpful()] == [("security-groups", 1)]
    second.engine.dispose()


def test_processes_starting_together_on_an_empty_database_migrate_once(db_url: str) -> None:
    stores = [Store(db_url) for _ in range(3)]
    errors: list[BaseException] = []

    def start(store: Store) -> None:
        try:
            store.ensure_schema()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with stores[0].engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    for store in stores:
        store.engine.dispose()


def test_a_sqlite_file_uses_the_write_ahead_log(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    store.ensure_schema()
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.engine.dispose()


def test_misses_are_normalized_counted_and_reported(store: Store) -> None:
    store.record_miss(question="Who patches <@U123ABC> the Kafka brokers?", platform="slack", team_id="T1")
    store.record_miss(question="who patches the kafka brokers", platform="slack", team_id="T2")
    store.record_miss(question="who patches the  kafka brokers.", platform="slack", team_id="T2")
    store.record_miss(question="what about lightsail", platform="teams", team_id="tenant")
    store.record_miss(question="   ", platform="slack", team_id="T1")
    rows = store.top_misses()
    assert [(r.key, r.count, r.extra) for r in rows] == [("who patches the kafka brokers", 3, 2),
                                                         ("what about lightsail", 1, 1)]
    assert store.top_misses(since=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == []


def test_records_arriving_during_a_write_share_the_next_commit_and_add_up(store: Store) -> None:
    store.ensure_schema()
    first_commit_started, release_first_commit = threading.Event(), threading.Event()
    commits: list[int] = []

    @event.listens_for(store.engine, "commit")
    def slow_first_commit(_connection: object) -> None:
        commits.append(store.pending_count)
        if len(commits) == 1:
            first_commit_started.set()
            release_first_commit.wait(10)

    first = threading.Thread(target=store.record_miss, kwargs={"question": "q0", "platform": "slack",
                                                                "team_id": "T1"})
    first.start()
    assert first_commit_started.wait(10)
    others = [threading.Thread(target=store.record_miss, kwargs={"question": f"q{i % 5}", "platform": "slack",
                                                                  "team_id": "T1"}) for i in range(1, 20)]
    for thread in others:
        thread.start()
    deadline = time.monotonic() + 5
    while store.pending_count < 20 and time.monotonic() < deadline:  # the first stays queued until its commit
        time.sleep(0.001)
    release_first_commit.set()
    for thread in (first, *others):
        thread.join(10)
    assert commits == [1, 19]  # records queued at each commit: the first alone, then the 19 that came meanwhile
    assert store.pending_count == 0
    # Five questions asked four times each; a question repeated within one batch still counts every time.
    assert sorted((r.key, r.count) for r in store.top_misses()) == [(f"q{i}", 4) for i in range(5)]


def test_with_a_write_delay_the_records_of_a_moment_are_written_together_in_the_background(db_url: str) -> None:
    store = Store(db_url, write_delay=0.2)
    store.ensure_schema()
    commits: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: commits.append(store.pending_count))
    for i in range(10):
        store.record_miss(question=f"q{i % 2}", platform="slack", team_id="T1")
    store.record_feedback(entry_id="security-groups", helpful=True, platform="slack", team_id="T1")
    assert store.pending_count == 11  # the callers wrote nothing
    deadline = time.monotonic() + 10
    while store.pending_count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert commits == [11]
    assert sorted((r.key, r.count) for r in store.top_misses()) == [("q0", 5), ("q1", 5)]
    store.engine.dispose()


def test_records_still_waiting_when_the_process_exits_are_written(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    program = (f"from bot.store.store import Store\n"
               f"store = Store({url!r}, write_delay=3600)\n"
               f"store.record_miss(question='who patches lightsail', platform='slack', team_id='T1')\n"
               f"assert store.pending_count == 1\n")
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)
    assert [(r.key, r.count) for r in Store(url).top_misses()] == [("who patches lightsail", 1)]


def test_records_that_cannot_be_written_at_exit_are_counted_in_an_error_not_a_traceback(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "missing-directory")
    program = (f"from bot.store.store import Store\n"
               f"store = Store({url!r}, write_delay=3600)\n"
               f"store.record_miss(question='who patches lightsail', platform='slack', team_id='T1')\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "1 record(s) could not be written before exit" in done.stderr
    assert "Traceback" not in done.stderr


def test_normalized_question_drops_mentions_case_and_trailing_punctuation() -> None:
    assert normalize_question("Who patches <@U123ABC> the Kafka brokers??") == "who patches the kafka brokers"
    assert normalize_question("<#C1|general> &amp; RDS backups") == "general & rds backups"


def test_feedback_report_ranks_entries_by_not_helpful(store: Store) -> None:
    for entry, helpful in [("a", False), ("a", False), ("a", True), ("b", False), ("c", True)]:
        store.record_feedback(entry_id=entry, helpful=helpful, platform="slack", team_id="T1")
    assert [(r.key, r.count, r.extra) for r in store.top_unhelpful()] == [("a", 2, 1), ("b", 1, 0)]


def test_report_commands_print_the_store(store: Store, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    store.record_miss(question="who guards lightsail?", platform="slack", team_id="T1")
    store.record_feedback(entry_id="security-groups", helpful=False, platform="slack", team_id="T1")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["report", "misses", "--since", "7"]) == 0
    assert main(["report", "feedback"]) == 0
    out = capsys.readouterr().out
    assert "who guards lightsail" in out and "security-groups" in out
    with pytest.raises(SystemExit):
        main(["report", "misses", "--since", "zero"])


def test_a_day_is_claimed_once(store: Store) -> None:
    sub = store.subscribe(platform="slack", team_id="T1", channel_id="C1", time_of_day="09:00", timezone="UTC",
                          weekdays_only=False, subscribed_by="U1", now=T0 - dt.timedelta(days=1))
    day = T0.date()
    claim = store.claim_delivery(sub.id, day, "tip-a", now=T0, lease=LEASE, max_claims=5)
    assert claim is not None
    assert store.claim_delivery(sub.id, day, "tip-b", now=T0, lease=LEASE, max_claims=5) is None
    assert store.mark_posted(claim, "1.0001", T0)
    later = T0 + dt.timedelta(hours=3)
    assert store.claim_delivery(sub.id, day, "tip-b", now=later, lease=LEASE, max_claims=5) is None
    row = store.delivery(sub.id, day)
    assert (row.status, row.tip_id, row.message_ts, row.attempts) == ("posted", "tip-a", "1.0001", 1)


def test_a_dead_claim_is_taken_over_once_after_the_lease(store: Store) -> None:
    sub = store.subscribe(platform="slack", team_id="T1", channel_id="C1", time_of_day="09:00", timezone="UTC",
                          weekdays_only=False, subscribed_by="U1", now=T0 - dt.timedelta(days=1))
    dead = store.claim_delivery(sub.id, T0.date(), "tip-a", now=T0, lease=LEASE, max_claims=5)
    assert store.claim_delivery(sub.id, T0.date(), "tip-b", now=T0 + LEASE / 2, lease=LEASE, max_claims=5) is None
    after = T0 + LEASE + dt.timedelta(seconds=1)
    taken = [store.claim_delivery(sub.id, T0.date(), "tip-b", now=after, lease=LEASE, max_claims=5)
             for _ in range(3)]
    winners = [c for c in taken if c is not None]
    assert len(winners) == 1 and winners[0].tip_id == "tip-a" and winners[0].attempt == 2
    assert not store.mark_posted(dead, "late", after)  # the dead claimer lost its right to record
    assert store.mark_posted(winners[0], "2.0002", after)


def test_failed_deliveries_are_retried_up_to_the_limit(store: Store) -> None:
    sub = store.subscribe(platform="slack", team_id="T1", channel_id="C1", time_of_day="09:00", timezone="UTC",
                          weekdays_only=False, subscribed_by="U1", now=T0 - dt.timedelta(days=1))
    for attempt in (1, 2):
        claim = store.claim_delivery(sub.id, T0.date(), "tip-a", now=T0, lease=LEASE, max_claims=2)
        assert claim is not None and claim.attempt == attempt
        assert store.mark_failed(claim, "http_503", T0)
    assert store.claim_delivery(sub.id, T0.date(), "tip-a", now=T0, lease=LEASE, max_claims=2) is None
    assert store.delivered_tip_counts(sub.id) == {}


def test_subscribing_again_updates_the_same_row(store: Store) -> None:
    first = store.subscribe(platform="teams", team_id="tenant", channel_id="19:abc", time_of_day="09:00",
                            timezone="UTC", weekdays_only=True, subscribed_by="U1",
                            conversation_ref={"service_url": "https://smba.example/", "conversation_id": "19:abc"})
    store.deactivate(first.id, "off by U1")
    assert store.active_subscriptions() == []
    again = store.subscribe(platform="teams", team_id="tenant", channel_id="19:abc", time_of_day="07:15",
                            timezone="Europe/Berlin", weekdays_only=False, subscribed_by="U2")
    assert again.id == first.id
    (active,) = store.active_subscriptions()
    assert (active.time_of_day, active.timezone, active.weekdays_only, active.subscribed_by) == \
        ("07:15", "Europe/Berlin", False, "U2")
    assert active.conversation_ref == {"service_url": "https://smba.example/", "conversation_id": "19:abc"}


# -- the database down, then back ------------------------------------------------------------------------------


def test_records_wait_in_memory_while_sqlite_is_unreachable(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    directory = tmp_path / "not-yet"
    store = Store(f"sqlite:///{directory / 'srm.sqlite3'}", retry_interval=0)
    with caplog.at_level(logging.WARNING, logger="srm.store"):
        store.record_feedback(entry_id="a", helpful=False, platform="slack", team_id="T1")
        store.record_miss(question="who runs lightsail", platform="slack", team_id="T1")
    assert store.pending_count == 2
    assert "database unavailable, 2 record(s) kept for retry" in caplog.text
    directory.mkdir()
    store.record_miss(question="who runs lightsail", platform="slack", team_id="T2")
    assert store.pending_count == 0
    assert [(r.key, r.count) for r in store.top_misses()] == [("who runs lightsail", 2)]
    assert [r.key for r in store.top_unhelpful()] == ["a"]


def test_the_queue_is_bounded_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = Store(f"sqlite:///{tmp_path / 'missing' / 'srm.sqlite3'}", retry_interval=0, max_pending=2)
    with caplog.at_level(logging.ERROR, logger="srm.store"):
        for entry in ("a", "b", "c"):
            store.record_feedback(entry_id=entry, helpful=False, platform="slack", team_id="T1")
    assert store.pending_count == 2
    assert "dropping the oldest feedback record" in caplog.text
    (tmp_path / "missing").mkdir()
    assert store.flush() == 0
    assert sorted(r.key for r in store.top_unhelpful()) == ["b", "c"]


class TcpForwarder:
    """Forwards a local port to PostgreSQL once started: the database 'comes back'."""

    def __init__(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()  # nothing listens on self.port until start()
        self._server: socket.socket | None = None

    def start(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        assert self._server is not None
        forward_to_postgres(self._server, self._pipe)

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            target.close()

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()


def test_records_wait_while_postgresql_is_unreachable_then_land() -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    forwarder = TcpForwarder()
    with postgres_schema_url() as url:
        down_url = url.replace(f":{POSTGRES_ADDRESS[1]}/", f":{forwarder.port}/")
        store = Store(down_url, retry_interval=0)
        store.record_miss(question="who patches fargate", platform="slack", team_id="T1")
        store.record_feedback(entry_id="a", helpful=False, platform="slack", team_id="T1")
        assert store.pending_count == 2
        forwarder.start()
        try:
            assert store.flush() == 0
            assert [(r.key, r.count) for r in store.top_misses()] == [("who patches fargate", 1)]
        finally:
            store.engine.dispose()
            forwarder.stop()


def test_a_record_the_database_refuses_is_dropped_and_does_not_block_the_rest(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce column lengths, so it accepts the oversized id")
    store.record_feedback(entry_id="x" * 500, helpful=False, platform="slack", team_id="T1")
    store.record_feedback(entry_id="security-groups", helpful=False, platform="slack", team_id="T1")
    assert store.flush() == 0
    assert [row.key for row in store.top_unhelpful()] == ["security-groups"]
    assert "dropped a feedback record that cannot be written: DataError" in caplog.text
