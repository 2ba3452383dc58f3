"""Real `srm tips run --once --at ...` processes on one database: concurrent clocks, and a clock killed mid-pass."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter

from bot.store.store import Store
from tips.conftest import KB_DIR
from tips.slack_standin import SlackStandIn, hang

DUE = dt.datetime(2026, 11, 30, 9, 0, 5, tzinfo=dt.UTC)  # a Monday, just after 09:00 UTC
CHANNELS = [f"C{n}" for n in range(1, 7)]


def subscribe_all(store: Store) -> dict[str, int]:
    return {c: store.subscribe(platform="slack", team_id="T1", channel_id=c, time_of_day="09:00", timezone="UTC",
                               weekdays_only=True, subscribed_by="U1", now=DUE - dt.timedelta(days=1)).id
            for c in CHANNELS}


def clock(db_url: str, slack: SlackStandIn, moment: dt.datetime) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "CLIENT_ID",
                        "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS")}
    env.update(DATABASE_URL=db_url, SLACK_API_URL=slack.url, SLACK_BOT_TOKEN="xoxb-test",
               SRM_KNOWLEDGE_DIR=str(KB_DIR), SRM_LOG_LEVEL="WARNING")
    return subprocess.Popen([sys.executable, "-m", "bot", "tips", "run", "--once", "--at", moment.isoformat()],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return out


def test_three_clocks_started_together_post_once_per_channel(db_url: str, store: Store,
                                                             slack: SlackStandIn) -> None:
    subs = subscribe_all(store)
    processes = [clock(db_url, slack, DUE) for _ in range(3)]
    outputs = [finish(p) for p in processes]
    assert Counter(p.channel for p in slack.posts) == Counter(CHANNELS)
    assert sum(int(out.split("posted=")[1].split()[0]) for out in outputs) == len(CHANNELS)
    for channel, sub_id in subs.items():
        (row,) = store.deliveries(sub_id)
        assert row.status == "posted" and row.message_ts == slack.posts_to(channel)[0].ts


def test_a_clock_killed_mid_pass_is_completed_by_the_next_pass(db_url: str, store: Store,
                                                               slack: SlackStandIn) -> None:
    subs = subscribe_all(store)
    slack.script("C3", hang())  # the third post never gets an answer: the clock is killed while waiting
    killed = clock(db_url, slack, DUE)
    assert slack.hanging.wait(timeout=60), killed.stderr.read() if killed.poll() is not None else "no request"
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    assert [p.channel for p in slack.posts] == ["C1", "C2"]
    assert store.delivery(subs["C3"], DUE.date()).status == "claimed"
    assert store.delivery(subs["C4"], DUE.date()) is None

    # A minute later, another pass: C4..C6 are posted; C3's claim is still within its lease, so it is left alone.
    finish(clock(db_url, slack, DUE + dt.timedelta(minutes=1)))
    assert Counter(p.channel for p in slack.posts) == Counter(["C1", "C2", "C4", "C5", "C6"])

    # After the lease, the dead claim is taken over and C3 gets its tip: every channel exactly once.
    finish(clock(db_url, slack, DUE + dt.timedelta(minutes=10)))
    finish(clock(db_url, slack, DUE + dt.timedelta(minutes=20)))
    assert Counter(p.channel for p in slack.posts) == Counter(CHANNELS)
    row = store.delivery(subs["C3"], DUE.date())
    assert (row.status, row.attempts, row.message_ts) == ("posted", 2, slack.posts_to("C3")[0].ts)
