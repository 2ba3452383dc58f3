"""`tips on|off` and the schedule: defaults, bad input, time zones, DST edges, weekdays-only, missed tips, rotation."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core import KnowledgeBase
from bot.store.store import Store
from bot.tips.clock import TipClock
from bot.tips.commands import TipsContext, handle_tips_command
from bot.tips.rotation import upcoming
from bot.tips.schedule import Schedule, due_at

CTX = TipsContext(platform="slack", team_id="T1", channel_id="C1", user_id="U1", user_tz="Europe/Berlin")
SUBSCRIBED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class RecordingSender:
    """A sender that accepts every tip and remembers them (the Slack path itself is tested against the stand-in)."""

    platform = "slack"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, subscription: object, tip: object, entry: object) -> str:
        self.sent.append((subscription.channel_id, tip.id))  # type: ignore[attr-defined]
        return f"{len(self.sent)}.0001"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def at(moment: dt.datetime):
    return lambda: moment


def test_on_uses_the_defaults_and_says_when_the_next_tip_comes(store: Store) -> None:
    reply = handle_tips_command(store, "on", CTX, now=utc(2026, 11, 27, 12))  # a Friday, after 09:00 Berlin
    assert reply == ("Daily tips are on for this channel: 09:00 Europe/Berlin, weekdays. "
                     "Next tip: Mon 30 Nov 2026 09:00 Europe/Berlin.")
    sub = store.subscription("slack", "T1", "C1")
    assert (sub.time_of_day, sub.timezone, sub.weekdays_only, sub.subscribed_by, sub.active) == \
        ("09:00", "Europe/Berlin", True, "U1", True)
    for status in ("", "status"):
        assert handle_tips_command(store, status, CTX, now=utc(2026, 11, 27, 12)).startswith(
            "Daily tips are on for this channel: 09:00 Europe/Berlin, weekdays. Next tip: Mon 30 Nov")


@pytest.mark.parametrize(("args", "expected"), [
    ("on 08:30 America/New_York every day", ("08:30", "America/New_York", False)),
    ("on every day 7:05", ("07:05", "Europe/Berlin", False)),
    ("ON utc daily 23:59", ("23:59", "UTC", False)),
    ("on asia/tokyo weekdays", ("09:00", "Asia/Tokyo", True)),
])
def test_on_accepts_time_zone_and_days_in_any_order(store: Store, args: str, expected: tuple[str, str, bool]) -> None:
    handle_tips_command(store, args, CTX, now=utc(2026, 11, 27, 12))
    sub = store.subscription("slack", "T1", "C1")
    assert (sub.time_of_day, sub.timezone, sub.weekdays_only) == expected


def test_without_a_known_user_time_zone_the_default_is_utc(store: Store) -> None:
    ctx = TipsContext(platform="teams", team_id="tenant", channel_id="19:x", user_id="U9", user_tz=None,
                      conversation_ref={"conversation_id": "19:x"})
    reply = handle_tips_command(store, "on", ctx, now=utc(2026, 11, 27, 12))
    assert "09:00 UTC, weekdays" in reply
    assert store.subscription("teams", "tenant", "19:x").conversation_ref == {"conversation_id": "19:x"}


@pytest.mark.parametrize(("args", "complaint"), [
    ("on 25:99 Mars/Olympus", '"25:99" is not a time of day'),
    ("on 08:30 Mars/Olympus", '"Mars/Olympus" is not a time zone'),
    ("on 8.30", '"8.30" is not a time zone'),
    ("sometimes", '"sometimes" is not a tips command'),
    ("off now", '"off now" is not a tips command'),
])
def test_bad_input_says_what_is_accepted_and_changes_nothing(store: Store, args: str, complaint: str) -> None:
    handle_tips_command(store, "on 07:00 UTC", CTX, now=utc(2026, 11, 27, 12))
    before = store.subscription("slack", "T1", "C1")
    reply = handle_tips_command(store, args, CTX, now=utc(2026, 11, 27, 13))
    assert complaint in reply and "Nothing was changed" in reply
    assert "24-hour HH:MM" in reply and "IANA name" in reply
    after = store.subscription("slack", "T1", "C1")
    assert (after.time_of_day, after.timezone, after.active, after.updated_at) == \
        (before.time_of_day, before.timezone, before.active, before.updated_at)


def test_off_stops_and_status_says_so(store: Store) -> None:
    assert handle_tips_command(store, "off", CTX) == "Daily tips were already off for this channel."
    handle_tips_command(store, "on", CTX)
    assert handle_tips_command(store, "off", CTX) == "Daily tips are off for this channel."
    assert handle_tips_command(store, "", CTX).startswith("Daily tips are off for this channel.\nUsage: /srm tips on")
    assert store.active_subscriptions() == []


def subscribe(store: Store, schedule: Schedule, channel: str = "C1", now: dt.datetime = SUBSCRIBED) -> int:
    return store.subscribe(platform="slack", team_id="T1", channel_id=channel, time_of_day=schedule.time_of_day,
                           timezone=schedule.timezone, weekdays_only=schedule.weekdays_only, subscribed_by="U1",
                           now=now).id


def test_new_york_on_the_day_clocks_spring_forward(store: Store, tips_kb: KnowledgeBase) -> None:
    # 2026-03-08: 02:00 EST becomes 03:00 EDT. 09:00 that day is 13:00 UTC (the day before it was 14:00 UTC).
    assert due_at(Schedule("09:00", "America/New_York", False), dt.date(2026, 3, 7)) == utc(2026, 3, 7, 14)
    assert due_at(Schedule("09:00", "America/New_York", False), dt.date(2026, 3, 8)) == utc(2026, 3, 8, 13)
    # 02:30 does not exist that day: due at 03:30 EDT (07:30 UTC).
    assert due_at(Schedule("02:30", "America/New_York", False), dt.date(2026, 3, 8)) == utc(2026, 3, 8, 7, 30)
    sub_id = subscribe(store, Schedule("09:00", "America/New_York", False))
    sender = RecordingSender()
    clock = TipClock(store, tips_kb, {"slack": sender})
    assert clock.run_pass(at(utc(2026, 3, 8, 12, 59))).posted == []
    assert clock.run_pass(at(utc(2026, 3, 8, 13, 0))).posted == [sub_id]
    assert clock.run_pass(at(utc(2026, 3, 8, 14, 0))).posted == []  # 09:00 "standard" time: already done
    assert store.delivery(sub_id, dt.date(2026, 3, 8)).status == "posted"


def test_new_york_on_the_day_clocks_fall_back_posts_once(store: Store, tips_kb: KnowledgeBase) -> None:
    # 2026-11-01: 01:30 happens twice (EDT 05:30 UTC, then EST 06:30 UTC). One tip, at the first.
    sub_id = subscribe(store, Schedule("01:30", "America/New_York", False))
    sender = RecordingSender()
    clock = TipClock(store, tips_kb, {"slack": sender})
    assert clock.run_pass(at(utc(2026, 11, 1, 5, 29))).posted == []
    assert clock.run_pass(at(utc(2026, 11, 1, 5, 30))).posted == [sub_id]
    assert clock.run_pass(at(utc(2026, 11, 1, 6, 30))).posted == []
    assert len(sender.sent) == 1


def test_weekdays_only_skips_saturday_and_sunday(store: Store, tips_kb: KnowledgeBase) -> None:
    weekdays = subscribe(store, Schedule("09:00", "Europe/Berlin", True), "C1")
    daily = subscribe(store, Schedule("09:00", "Europe/Berlin", False), "C2")
    clock = TipClock(store, tips_kb, {"slack": RecordingSender()})
    assert clock.run_pass(at(utc(2026, 11, 28, 10))).posted == [daily]  # Saturday 11:00 Berlin
    assert clock.run_pass(at(utc(2026, 11, 29, 10))).posted == [daily]  # Sunday
    assert clock.run_pass(at(utc(2026, 11, 30, 10))).posted == [weekdays, daily]  # Monday
    assert store.delivery(weekdays, dt.date(2026, 11, 28)) is None


def test_a_clock_down_at_the_due_time_posts_once_that_day_and_never_a_burst(store: Store,
                                                                           tips_kb: KnowledgeBase) -> None:
    sub_id = subscribe(store, Schedule("09:00", "UTC", False))
    sender = RecordingSender()
    clock = TipClock(store, tips_kb, {"slack": sender})
    assert clock.run_pass(at(utc(2026, 6, 1, 17))).posted == [sub_id]  # back at 17:00: today's tip, once
    assert clock.run_pass(at(utc(2026, 6, 1, 18))).posted == []
    assert clock.run_pass(at(utc(2026, 6, 5, 12))).posted == [sub_id]  # down for 3 days: one tip, not four
    assert [d.local_date for d in store.deliveries(sub_id)] == [dt.date(2026, 6, 1), dt.date(2026, 6, 5)]


def test_subscribing_after_today_s_time_starts_tomorrow(store: Store, tips_kb: KnowledgeBase) -> None:
    sub_id = subscribe(store, Schedule("09:00", "UTC", False), now=utc(2026, 6, 1, 10))
    clock = TipClock(store, tips_kb, {"slack": RecordingSender()})
    assert clock.run_pass(at(utc(2026, 6, 1, 11))).posted == []
    assert clock.run_pass(at(utc(2026, 6, 2, 9))).posted == [sub_id]


def test_every_tip_once_before_repeats_in_a_stable_order_across_restarts(db_url: str,
                                                                         tips_kb: KnowledgeBase) -> None:
    order = [t.id for t in tips_kb.tips]
    sent: list[str] = []
    for day in range(1, 8):  # a new Store and clock every day: a restarted process
        store = Store(db_url)
        if day == 1:
            subscribe(store, Schedule("09:00", "UTC", False))
        sender = RecordingSender()
        TipClock(store, tips_kb, {"slack": sender}).run_pass(at(utc(2026, 6, day, 9)))
        sent += [tip for _, tip in sender.sent]
        store.engine.dispose()
    assert sent == (order * 3)[:7]
    assert [t.id for t in upcoming(tips_kb.tips, {"tip-a": 1}, 3)] == ["tip-b", "tip-c", "tip-a"]


def test_a_platform_without_a_sender_waits_without_a_claim(store: Store, tips_kb: KnowledgeBase) -> None:
    sub_id = store.subscribe(platform="teams", team_id="tenant", channel_id="19:x", time_of_day="09:00",
                             timezone="UTC", weekdays_only=False, subscribed_by="U1", now=SUBSCRIBED).id
    result = TipClock(store, tips_kb, {"slack": RecordingSender()}).run_pass(at(utc(2026, 6, 1, 9)))
    assert result.waiting == [sub_id] and result.posted == []
    assert store.delivery(sub_id, dt.date(2026, 6, 1)) is None


def test_preview_prints_the_order_and_continues_a_channel_s_history(store: Store, tips_kb: KnowledgeBase,
                                                                     db_url: str, monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main
    from tips.conftest import KB_DIR

    monkeypatch.setenv("SRM_KNOWLEDGE_DIR", str(KB_DIR))
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["tips", "preview", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("]")[0] for line in lines] == [
        "1. [tip-a -> guest-os-patching", "2. [tip-b -> security-groups", "3. [tip-c -> physical-security",
        "4. [tip-a -> guest-os-patching"]
    subscribe(store, Schedule("09:00", "UTC", False))
    TipClock(store, tips_kb, {"slack": RecordingSender()}).run_pass(at(utc(2026, 6, 1, 9)))
    assert main(["tips", "preview", "2", "--channel", "C1"]) == 0
    assert [line.split(" ->")[0] for line in capsys.readouterr().out.splitlines()] == ["1. [tip-b", "2. [tip-c"]
    assert main(["tips", "preview", "2", "--channel", "CNONE"]) == 1
    with pytest.raises(SystemExit):
        main(["tips", "run", "--once", "--at", "tomorrow morning"])
