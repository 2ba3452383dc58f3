"""Slack event ids shared by every web process (`Store.first_time_event`), the migration that adds them (0002), and
the de-duplication's fallback to memory when the database does not answer. SQLite file and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from bot.slack.dedupe import SeenEvents
from bot.store.migrate import alembic_config, current_revision, head_revision
from bot.store.store import EVENT_RETENTION, Store

T0 = dt.datetime(2026, 11, 30, 9, 0)


def test_an_event_id_is_first_once_across_stores(db_url: str) -> None:
    one, two = Store(db_url), Store(db_url)  # two processes' stores on one database
    assert one.first_time_event("Ev1", now=T0)
    assert not two.first_time_event("Ev1", now=T0)
    assert not one.first_time_event("Ev1", now=T0)
    assert two.first_time_event("Ev2", now=T0)
    one.engine.dispose()
    two.engine.dispose()


def test_racing_stores_let_exactly_one_caller_take_an_event(db_url: str) -> None:
    stores = [Store(db_url) for _ in range(4)]
    for store in stores:
        store.ensure_schema()
    answers: list[bool] = []
    barrier = threading.Barrier(len(stores))

    def take(store: Store) -> None:
        barrier.wait()
        answers.append(store.first_time_event("EvRace"))

    threads = [threading.Thread(target=take, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [False, False, False, True]
    for store in stores:
        store.engine.dispose()


def test_old_event_ids_are_pruned_occasionally_not_per_call(db_url: str) -> None:
    first = Store(db_url)
    assert first.first_time_event("EvOld", now=T0)
    assert first.first_time_event("EvOld2", now=T0 + dt.timedelta(hours=1))
    later = T0 + EVENT_RETENTION + dt.timedelta(minutes=30)
    # the same store pruned on its first call and waits an interval before the next prune: nothing deleted
    assert first.first_time_event("EvLater", now=later)
    assert not first.first_time_event("EvOld", now=later)
    first.engine.dispose()
    restarted = Store(db_url)  # a new process prunes on its first call: EvOld is past the retention, EvOld2 is not
    assert restarted.first_time_event("EvNew", now=later)
    with restarted.engine.connect() as conn:
        kept = {row[0] for row in conn.execute(text("SELECT event_id FROM slack_events"))}
    assert kept == {"EvOld2", "EvLater", "EvNew"}
    assert restarted.first_time_event("EvOld", now=later)
    restarted.engine.dispose()


def test_migration_0002_upgrades_a_0001_database_keeping_its_rows(db_url: str) -> None:
    store = Store(db_url)
    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with store.engine.begin() as conn:
        assert current_revision(conn) == "0001"
        assert "slack_events" not in inspect(conn).get_table_names()
        conn.execute(text("INSERT INTO feedback (entry_id, helpful, platform, team_id, created_at) "
                          "VALUES ('security-groups', false, 'slack', 'T1', :at)"), {"at": T0})
        conn.execute(text("INSERT INTO unanswered_questions (platform, team_id, question, count, first_seen, "
                          "last_seen) VALUES ('slack', 'T1', 'who guards lightsail', 3, :at, :at)"), {"at": T0})
    assert store.first_time_event("EvAfterUpgrade")  # first use upgrades to the head revision
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()
        assert "slack_events" in inspect(conn).get_table_names()
    assert [(r.key, r.count) for r in store.top_unhelpful()] == [("security-groups", 1)]
    assert [(r.key, r.count) for r in store.top_misses()] == [("who guards lightsail", 3)]
    assert not store.first_time_event("EvAfterUpgrade")
    store.engine.dispose()


def test_dedupe_falls_back_to_memory_while_the_database_is_unreachable(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    directory = tmp_path / "not-yet"  # SQLite cannot open a file in a directory that does not exist
    url = f"sqlite:///{directory / 'srm.sqlite3'}"
    now = [0.0]
    seen = SeenEvents(clock=lambda: now[0], shared=Store(url), shared_retry_s=30)
    with caplog.at_level(logging.INFO, logger="srm.slack.dedupe"):
        assert seen.first_time_anywhere("Ev1")  # answered: the database's failure never drops an event
        assert not seen.first_time_anywhere("Ev1")  # the retry is still caught in memory
    assert any("Ev1 checked in memory only" in r.getMessage() and "OperationalError" in r.getMessage()
               for r in caplog.records)
    directory.mkdir()
    now[0] = 10.0
    caplog.clear()
    assert seen.first_time_anywhere("Ev2")  # within the back-off the database is not asked
    other = Store(url)
    assert other.first_time_event("Ev2")  # ... so the database never heard of Ev2
    now[0] = 31.0
    with caplog.at_level(logging.INFO, logger="srm.slack.dedupe"):
        assert seen.first_time_anywhere("Ev3")  # asked again: the database answers
    assert any("answers again" in r.getMessage() for r in caplog.records)
    assert not other.first_time_event("Ev3")  # Ev3 went into the shared database
    assert other.first_time_event("Ev4")  # another process takes Ev4 ...
    assert not seen.first_time_anywhere("Ev4")  # ... so this one does not answer it
    other.engine.dispose()
