"""Follow-up contexts in the store (`conversation_contexts`, migration 0005) on a SQLite file and on PostgreSQL:
one context per place, replaced by the next answer there, shared by every process on the database, never read once
expired, and deleted when old."""

from __future__ import annotations

import datetime as dt
import threading

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from bot.conversation.follow_ups import Context, Expiry, Place, StoredContexts
from bot.store.contexts import delete_expired, load_context, save_context
from bot.store.migrate import alembic_config, current_revision
from bot.store.models import ConversationContext
from bot.store.store import Store

T0 = dt.datetime(2026, 12, 2, 9, 0)
THREAD = ("slack", "T1", "C1", "1700000000.000100", "")
PERSON = ("slack", "T1", "C1", "", "U1")
HOUR = dt.timedelta(hours=1)


def test_a_context_is_read_until_it_expires(store: Store) -> None:
    save_context(store, [(THREAD, T0 + HOUR), (PERSON, T0 + 2 * HOUR)], "guest-os-patching", "rds",
                 "who patches the OS on RDS?", T0)
    assert load_context(store, THREAD, T0) == ("guest-os-patching", "rds", "who patches the OS on RDS?", T0)
    assert load_context(store, PERSON, T0 + HOUR) is not None
    assert load_context(store, THREAD, T0 + HOUR) is None
    assert load_context(store, ("slack", "T1", "C1", "1700000000.000200", ""), T0) is None
    assert load_context(store, ("teams", "T1", "C1", "1700000000.000100", ""), T0) is None


def test_the_next_answer_in_a_place_replaces_its_context(store: Store) -> None:
    save_context(store, [(THREAD, T0 + HOUR)], "guest-os-patching", "rds", "who patches the OS on RDS?", T0)
    later = T0 + dt.timedelta(minutes=10)
    save_context(store, [(THREAD, later + HOUR)], "guest-os-patching", "lambda", "who patches the OS on RDS?", later)
    assert load_context(store, THREAD, T0 + HOUR) == ("guest-os-patching", "lambda", "who patches the OS on RDS?",
                                                      later)
    with store.session() as session:
        assert len(session.scalars(select(ConversationContext)).all()) == 1


def test_another_process_on_the_database_sees_the_context(db_url: str) -> None:
    writer, reader = Store(db_url), Store(db_url)
    one = StoredContexts(writer, Expiry(), clock=lambda: T0)
    two = StoredContexts(reader, Expiry(), clock=lambda: T0 + dt.timedelta(days=6))
    place = Place(*THREAD)
    one.remember([place], Context("guest-os-patching", None, "who patches the OS?", T0))
    assert two.recall(place) == Context("guest-os-patching", None, "who patches the OS?", T0)
    assert two.memory.recall(place) is None  # from the database, not the reader's memory
    writer.engine.dispose()
    reader.engine.dispose()


def test_workers_answering_in_one_thread_at_once_leave_one_context(db_url: str) -> None:
    stores = [Store(db_url) for _ in range(4)]
    for store in stores:
        store.ensure_schema()
    barrier = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def answer(store: Store, entry: str) -> None:
        barrier.wait()
        try:
            save_context(store, [(THREAD, T0 + HOUR)], entry, None, "q", T0)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(s, f"entry-{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    found = load_context(stores[0], THREAD, T0)
    assert found is not None and found[0] in {f"entry-{i}" for i in range(4)}
    for store in stores:
        store.engine.dispose()


def test_expired_contexts_are_deleted(store: Store) -> None:
    save_context(store, [(THREAD, T0 + HOUR), (PERSON, T0 + 3 * HOUR)], "guest-os-patching", None, "q", T0)
    assert delete_expired(store, T0 + 2 * HOUR) == 1
    assert load_context(store, PERSON, T0 + 2 * HOUR) is not None


def test_odd_text_and_long_questions_are_stored(store: Store) -> None:
    place = ("slack", "T\ud800", "C\x001", "", "U1")
    save_context(store, [(place, T0 + HOUR)], "guest-os-patching", None, "x" * 5000 + "\ud800", T0)
    found = load_context(store, place, T0)
    assert found is not None and found[2] == "x" * 500


def test_the_migration_adds_the_table_and_goes_back(store: Store) -> None:
    store.ensure_schema()
    assert "conversation_contexts" in inspect(store.engine).get_table_names()
    config = alembic_config()
    ours = next(r for r in ScriptDirectory.from_config(config).walk_revisions()
                if r.path.endswith("_conversation_contexts.py"))  # found by file: the lead may renumber it
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, str(ours.down_revision))
    assert "conversation_contexts" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, ours.revision)
        assert current_revision(connection) == ours.revision
    assert "conversation_contexts" in inspect(store.engine).get_table_names()
