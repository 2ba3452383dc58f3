"""Feedback that counts, on a SQLite file and on PostgreSQL: one vote per person per answer (a second click changes
it, also within one batch and across processes sharing the database), stored with the question asked; refusals are
voted on too; rows from before migration 0007 keep counting; `srm report feedback` shows the questions."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.store.migrate import alembic_config
from bot.store.store import QuestionVotes, Store


def vote(store: Store, user: str | None, helpful: bool, *, entry: str | None = "security-groups",
         service: str | None = None, question: str = "Who manages security groups?", team: str = "T1") -> None:
    store.record_feedback(entry_id=entry, helpful=helpful, platform="slack", team_id=team, user_id=user,
                          service_id=service, question=question)


def test_a_second_click_changes_the_vote_instead_of_adding_one(store: Store) -> None:
    vote(store, "U1", False)
    vote(store, "U1", False)  # the same click again: still one vote
    vote(store, "U2", False)
    assert [(r.key, r.count, r.extra) for r in store.top_unhelpful()] == [("security-groups", 2, 0)]
    vote(store, "U1", True)  # U1 changes their mind
    [row] = store.top_unhelpful()
    assert (row.count, row.extra) == (1, 1)
    assert row.questions == (QuestionVotes("who manages security groups", 1, 1),)


def test_votes_waiting_in_one_batch_keep_the_last_per_person(db_url: str) -> None:
    store = Store(db_url, write_delay=60)  # nothing is written until flush(): all four share one commit
    for user, helpful in [("U1", True), ("U2", False), ("U1", False), ("U1", True)]:
        vote(store, user, helpful)
    assert store.flush() == 0
    assert [(r.count, r.extra) for r in store.top_unhelpful()] == [(1, 1)]
    store.engine.dispose()


def test_two_processes_sharing_the_database_count_a_person_once(db_url: str) -> None:
    first, second = Store(db_url), Store(db_url)
    vote(first, "U1", False)
    vote(second, "U1", False)
    vote(second, "U2", False)
    assert [r.count for r in first.top_unhelpful()] == [2]
    first.engine.dispose()
    second.engine.dispose()


def test_an_answer_is_its_entry_service_and_question(store: Store) -> None:
    vote(store, "U1", False)
    vote(store, "U1", False, service="ec2")  # another answer: the same topic asked about EC2
    vote(store, "U1", False, question="security groups on ec2")
    vote(store, "U1", False, team="T2")  # the same user id in another workspace is another person
    [row] = store.top_unhelpful()
    assert row.count == 4
    assert {q.question for q in row.questions} == {"who manages security groups", "security groups on ec2"}
    assert dict((q.question, q.not_helpful) for q in row.questions)["who manages security groups"] == 3


def test_refusals_are_voted_on_and_reported_without_an_entry(store: Store) -> None:
    vote(store, "U1", False, entry=None, question="what's the weather in Lisbon?")
    vote(store, "U2", False, entry=None, question="what's the weather in Lisbon?")
    vote(store, "U1", False, entry=None, question="what's the weather in Lisbon?")
    [row] = store.top_unhelpful()
    assert (row.key, row.count) == (None, 2)
    assert row.questions == (QuestionVotes("what's the weather in lisbon", 2, 0),)


def test_no_user_id_is_stored(store: Store) -> None:
    vote(store, "U0SECRET1", False)
    with store.engine.connect() as conn:
        rows = [tuple(map(str, row)) for row in conn.execute(text("SELECT * FROM feedback"))]
    assert rows and not any("U0SECRET1" in value for row in rows for value in row)


def test_rows_from_before_votes_were_counted_keep_counting(db_url: str) -> None:
    from alembic import command

    old = Store(db_url)
    config = alembic_config()
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(text("INSERT INTO feedback (entry_id, helpful, platform, team_id, created_at) VALUES "
                                "('kms-key-rotation', false, 'slack', 'T1', '2026-11-30 09:00:00'), "
                                "('kms-key-rotation', false, 'slack', 'T1', '2026-11-30 09:01:00')"))
    old.engine.dispose()
    store = Store(db_url)  # migrates to the newest revision on first use
    vote(store, "U1", False, entry="kms-key-rotation", question="kms rotation")
    vote(store, "U1", False, entry="kms-key-rotation", question="kms rotation")
    [row] = store.top_unhelpful()
    assert (row.key, row.count) == ("kms-key-rotation", 3)
    assert row.questions == (QuestionVotes("kms rotation", 1, 0),)
    store.engine.dispose()


def test_the_feedback_report_counts_people_and_shows_the_questions(store: Store, db_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for user in ("U1", "U2", "U3"):
        vote(store, user, False, question="who patches RDS?", entry="guest-os-patching", service="rds")
    vote(store, "U1", False, question="who patches RDS?", entry="guest-os-patching", service="rds")
    vote(store, "U4", True, question="who patches the OS on EC2?", entry="guest-os-patching", service="ec2")
    vote(store, "U1", False, entry=None, question="is my pizza secure")
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["report", "feedback"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["not", "helpful", "helpful", "last", "seen", "entry"]
    assert lines[1].split()[:2] == ["3", "1"] and lines[1].endswith("guest-os-patching")
    assert lines[2].split() == ["3", "0", "who", "patches", "rds"]
    assert lines[3].split() == ["0", "1", "who", "patches", "the", "os", "on", "ec2"]
    assert lines[4].split()[:2] == ["1", "0"] and lines[4].endswith("(no answer)")
    assert lines[5].split() == ["1", "0", "is", "my", "pizza", "secure"]
