"""Fault 9 of issue 13: the SQLite file deleted, replaced, or its directory removed (and made again) while the store
runs. The store notices on its next use, logs it, creates and migrates the file again, and what it is told to keep
lands in the file on disk (read back by a second Store, as another process would)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from slack.conftest import command_body, post
from slack.standin import SlackStandIn, WebProcess, start_web

from bot.store.store import Store

SUBSCRIPTION = {"platform": "slack", "team_id": "T1", "channel_id": "C1", "time_of_day": "09:00",
                "timezone": "UTC", "weekdays_only": True, "subscribed_by": "U1"}


def started_store(directory: Path) -> tuple[Store, Path]:
    """A store that has written once (its file exists, migrated), and the file's path."""
    directory.mkdir(exist_ok=True)
    path = directory / "srm.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.record_feedback(entry_id="before", helpful=False, platform="slack", team_id="T1")
    assert store.pending_count == 0 and path.exists()
    return store, path


def on_disk(path: Path) -> Store:
    """The file as another process opening it now sees it (checked whole first)."""
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    return Store(f"sqlite:///{path}")


def test_a_deleted_file_is_created_again_and_later_writes_land_in_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, path = started_store(tmp_path / "data")
    path.unlink()
    with caplog.at_level(logging.ERROR, logger="srm.store"):
        store.subscribe(**SUBSCRIPTION)
        store.record_miss(question="who runs lightsail", platform="slack", team_id="T1")
    assert f"the SQLite file {path} was deleted while running" in caplog.text
    assert store.pending_count == 0
    reader = on_disk(path)
    assert reader.subscription("slack", "T1", "C1") is not None
    assert [row.key for row in reader.top_misses()] == ["who runs lightsail"]
    assert reader.top_unhelpful() == []  # a new file: none of the deleted one's pages came back from its old log
    store.engine.dispose()
    reader.engine.dispose()


def test_a_directory_removed_and_made_again_gets_a_migrated_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    directory = tmp_path / "data"
    store, path = started_store(directory)
    shutil.rmtree(directory)
    directory.mkdir()
    with caplog.at_level(logging.ERROR, logger="srm.store"):
        store.record_feedback(entry_id="after", helpful=False, platform="slack", team_id="T1")
    assert store.pending_count == 0
    assert "was deleted while running" in caplog.text
    assert [row.key for row in on_disk(path).top_unhelpful()] == ["after"]
    store.engine.dispose()


def test_records_wait_while_the_directory_is_gone_and_land_when_it_is_back(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    store, path = started_store(directory)
    shutil.rmtree(directory)
    store.record_miss(question="who patches fargate", platform="slack", team_id="T1")
    assert store.pending_count == 1  # nowhere to write: kept, not lost
    directory.mkdir()
    assert store.flush() == 0
    assert [row.key for row in on_disk(path).top_misses()] == ["who patches fargate"]
    store.engine.dispose()


def test_a_file_replaced_by_another_is_used_from_then_on(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store, path = started_store(tmp_path / "data")
    backup, _ = started_store(tmp_path / "backup")
    backup.record_feedback(entry_id="from-backup", helpful=False, platform="slack", team_id="T1")
    backup.engine.dispose()
    shutil.move(tmp_path / "backup" / "srm.sqlite3", path)
    with caplog.at_level(logging.ERROR, logger="srm.store"):
        store.record_feedback(entry_id="after", helpful=False, platform="slack", team_id="T1")
    assert "was replaced by another file" in caplog.text
    assert sorted(row.key for row in on_disk(path).top_unhelpful()) == ["after", "before", "from-backup"]
    store.engine.dispose()


# --- the web process, as the issue found it ---------------------------------------------------------------------

def tips_on(web: WebProcess, stand_in: SlackStandIn, channel: str) -> str:
    """`/srm tips on 08:30` in `channel`; the text the user is shown."""
    response_url = stand_in.response_url(f"tips-{uuid.uuid4().hex}")
    body = command_body("tips on 08:30", response_url=response_url, channel_id=channel)
    assert post(f"{web.url}/slack/events", body).status == 200
    return stand_in.wait_for(response_url.removeprefix(stand_in.url))[0].body["text"]


@pytest.mark.parametrize("how", ["file deleted", "directory removed and made again"])
def test_the_web_process_notices_its_file_gone_logs_it_and_keeps_subscriptions(
    how: str, slack_api: SlackStandIn, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "srm.sqlite3"
    # One worker, so the one that opened the file is the one that finds it gone; the log stays outside `data`.
    with start_web(slack_api, tmp_path, SRM_DATA_DIR=str(data), WEB_CONCURRENCY="1") as web:
        assert tips_on(web, slack_api, "C-before").startswith("Daily tips are on")
        if how == "file deleted":
            path.unlink()
        else:
            shutil.rmtree(data)
            data.mkdir()
        after = tips_on(web, slack_api, "C-after")
        assert after.startswith("Daily tips are on"), (after, web.log_text()[-3000:])
        reader = on_disk(path)
        assert reader.subscription("slack", "T123", "C-after") is not None
        reader.engine.dispose()
        assert f"the SQLite file {path} was deleted while running" in web.wait_for_log("was deleted while running")
