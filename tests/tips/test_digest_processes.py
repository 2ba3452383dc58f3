"""The experts' weekly digest from real `srm tips run --once --at ...` processes on one database (SQLite and
PostgreSQL): three clocks started together post exactly one digest per team for the week, with the week's
unanswered questions and Not helpful answers most frequent first, and a later pass that week posts nothing more."""

from __future__ import annotations

import datetime as dt

from bot.store.experts import digests, set_experts_channel
from bot.store.store import Store
from tips.slack_standin import SlackStandIn
from tips.test_clock_processes import clock, finish


def next_monday_nine(now: dt.datetime) -> dt.datetime:
    """Just after 09:00 UTC (the default SRM_DIGEST_AT) on the first Monday after today: the digest it posts covers
    the week (Monday to Sunday) that holds today, whatever day the test runs on."""
    day = (now + dt.timedelta(days=1)).date()
    while day.weekday() != 0:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9, 0, 5), tzinfo=dt.UTC)


def test_three_clocks_started_together_post_one_weekly_digest(db_url: str, store: Store,
                                                              slack: SlackStandIn) -> None:
    now = dt.datetime.now(dt.UTC)
    due = next_monday_nine(now)
    set_experts_channel(store, platform="slack", team_id="T1", channel_id="CEXPERTS", channel_name="experts",
                        set_by="UADMIN", now=now)
    for question, times in (("who patches <b>the</b> kiosk & badge readers", 3), ("who owns quantum keys", 1)):
        for _ in range(times):
            store.record_miss(question=question, platform="slack", team_id="T1")
    store.record_miss(question="another workspace's question", platform="slack", team_id="T2")
    for entry, unhelpful in (("guest-os-patching", 1), ("security-groups", 2)):
        for _ in range(unhelpful):
            store.record_feedback(entry_id=entry, helpful=False, platform="slack", team_id="T1")
    assert store.flush() == 0

    processes = [clock(db_url, slack, due) for _ in range(3)]
    outputs = [finish(process) for process in processes]
    [digest] = slack.posts_to("CEXPERTS")
    assert len(slack.posts) == 1
    assert sum(int(out.split("digests=")[1].split()[0]) for out in outputs) == 1
    text = "\n".join(block["text"]["text"] for block in digest.blocks if block["type"] == "section")
    assert text.index("kiosk") < text.index("quantum keys")  # asked 3 times, then once
    assert "who patches the kiosk &amp; badge readers (3)" in text and "another workspace" not in text
    assert text.index("Security groups (2)") < text.index("Guest OS patching (1)")  # Not helpful twice, then once
    (row,) = digests(store, "slack", "T1")
    year, week, _ = due.isocalendar()
    assert (row.week, row.status, row.message_ts) == (f"{year}-W{week:02d}", "posted", digest.ts)

    finish(clock(db_url, slack, due + dt.timedelta(hours=3)))  # later that week: nothing more
    assert len(slack.posts) == 1
