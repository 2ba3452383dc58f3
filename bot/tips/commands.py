"""The `tips` chat command, the same on every platform: `tips` (or `tips status`),
`tips on [HH:MM] [time zone] [weekdays|every day] [quiz]`, `tips off`. Replies are plain text; each adapter escapes
them for its markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.store.store import Store
from bot.tips.clock import aware, schedule_of
from bot.tips.quiz import set_quiz
from bot.tips.schedule import (
    DEFAULT_TIME,
    DEFAULT_TIMEZONE,
    Schedule,
    ScheduleError,
    local_date,
    next_due,
    parse_time,
    parse_timezone,
    zone,
)


@dataclass
class TipsContext:
    """Who asked, where: the channel that subscribes and the asking user's time zone (the default)."""

    platform: str
    team_id: str
    channel_id: str
    user_id: str
    user_tz: str | None = None
    conversation_ref: dict[str, Any] | None = None


def usage(platform: str) -> str:
    """What the command accepts."""
    command = "/srm tips" if platform == "slack" else "tips"
    return (f"Usage: {command} on [HH:MM] [time zone] [weekdays | every day] [quiz] to get one tip a day in this "
            f"channel (default 09:00 in your time zone, weekdays; quiz: ask \"Who owns X?\" instead), {command} off "
            f"to stop, {command} to see the setting. "
            "Time: 24-hour HH:MM. Time zone: an IANA name such as Europe/Berlin, America/New_York or UTC.")


def parse_on(words: list[str], default_tz: str) -> tuple[Schedule, bool]:
    """The schedule in the words after `on`, in any order, and whether the tips come as a quiz (the word `quiz`);
    ScheduleError naming the first word not understood."""
    time_of_day, timezone, weekdays_only, quiz = DEFAULT_TIME, default_tz, True, False
    rest = [w.casefold() for w in words]
    index = 0
    while index < len(rest):
        word = rest[index]
        if word in ("weekdays", "weekday"):
            weekdays_only = True
        elif word in ("quiz", "quizzes"):
            quiz = True
        elif word in ("daily", "everyday"):
            weekdays_only = False
        elif word == "every" and index + 1 < len(rest) and rest[index + 1] == "day":
            weekdays_only, index = False, index + 1
        elif ":" in word and "/" not in word:
            time_of_day = parse_time(word)
        else:
            timezone = parse_timezone(words[index])
        index += 1
    return Schedule(time_of_day, timezone, weekdays_only), quiz


def describe(schedule: Schedule, quiz: bool = False) -> str:
    """`09:00 Europe/Berlin, weekdays` (`, as a quiz` for quiz tips)."""
    days = "weekdays" if schedule.weekdays_only else "every day"
    return f"{schedule.time_of_day} {schedule.timezone}, {days}{', as a quiz' if quiz else ''}"


def format_due(moment: dt.datetime, timezone: str) -> str:
    """`Mon 30 Nov 2026 09:00 Europe/Berlin`."""
    return f"{moment.astimezone(zone(timezone)).strftime('%a %d %b %Y %H:%M')} {timezone}"


def handle_tips_command(store: Store, args_text: str, ctx: TipsContext, now: dt.datetime | None = None) -> str:
    """Run `tips ...` for a channel and return the reply (plain text). Bad input changes nothing."""
    now = now or dt.datetime.now(dt.UTC)
    words = args_text.split()
    action = words[0].casefold() if words else ""
    if action == "on":
        default_tz = ctx.user_tz if ctx.user_tz and _known(ctx.user_tz) else DEFAULT_TIMEZONE
        try:
            schedule, quiz = parse_on(words[1:], default_tz)
        except ScheduleError as exc:
            return f"{exc}. Nothing was changed.\n{usage(ctx.platform)}"
        sub = store.subscribe(platform=ctx.platform, team_id=ctx.team_id, channel_id=ctx.channel_id,
                              time_of_day=schedule.time_of_day, timezone=schedule.timezone,
                              weekdays_only=schedule.weekdays_only, subscribed_by=ctx.user_id,
                              conversation_ref=ctx.conversation_ref, now=now)
        set_quiz(store, sub.id, quiz)
        return f"Daily tips are on for this channel: {describe(schedule, quiz)}. {_next(store, ctx, now)}"
    if action == "off" and len(words) == 1:
        sub = store.subscription(ctx.platform, ctx.team_id, ctx.channel_id)
        if sub is None or not sub.active:
            return "Daily tips were already off for this channel."
        store.deactivate(sub.id, f"off by {ctx.user_id}", now)
        return "Daily tips are off for this channel."
    if action in ("", "status") and len(words) <= 1:
        sub = store.subscription(ctx.platform, ctx.team_id, ctx.channel_id)
        if sub is None or not sub.active:
            return f"Daily tips are off for this channel.\n{usage(ctx.platform)}"
        return (f"Daily tips are on for this channel: {describe(schedule_of(sub), sub.quiz)}. "
                f"{_next(store, ctx, now)}")
    return f'"{args_text.strip()}" is not a tips command. Nothing was changed.\n{usage(ctx.platform)}'


def _known(name: str) -> bool:
    try:
        parse_timezone(name)
    except ScheduleError:
        return False
    return True


def _next(store: Store, ctx: TipsContext, now: dt.datetime) -> str:
    """`Next tip: ...` for the channel's subscription."""
    sub = store.subscription(ctx.platform, ctx.team_id, ctx.channel_id)
    assert sub is not None
    schedule = schedule_of(sub)
    done = store.delivery(sub.id, local_date(schedule, now))
    moment = next_due(schedule, now, aware(sub.starts_at), done_today=done is not None)
    return f"Next tip: {format_due(moment, schedule.timezone)}."
