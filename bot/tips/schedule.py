"""When a subscription's tip is due: parsing the user's settings and computing local due times (DST-aware)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIME = "09:00"
DEFAULT_TIMEZONE = "UTC"
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """A time or time zone the bot does not accept; the message says what is accepted."""


@dataclass(frozen=True)
class Schedule:
    """The settings that decide when a channel gets its tip."""

    time_of_day: str  # "HH:MM"
    timezone: str  # IANA name
    weekdays_only: bool


def parse_time(text: str) -> str:
    """`H:MM` or `HH:MM` (24-hour) as canonical `HH:MM`; ScheduleError otherwise."""
    match = _TIME.match(text)
    if not match:
        raise ScheduleError(f'"{text}" is not a time of day: use 24-hour HH:MM, from 00:00 to 23:59')
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_timezone(text: str) -> str:
    """An IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`), in its canonical spelling."""
    canonical = _timezone_names().get(text.casefold())
    if canonical is None:
        raise ScheduleError(f'"{text}" is not a time zone: use an IANA name such as Europe/Berlin, '
                            "America/New_York or UTC")
    return canonical


@functools.cache
def _timezone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for a stored time zone name (UTC if the name is no longer known)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_date(schedule: Schedule, now: dt.datetime) -> dt.date:
    """The date it is at `now` (aware) in the schedule's time zone."""
    return now.astimezone(zone(schedule.timezone)).date()


def due_at(schedule: Schedule, day: dt.date) -> dt.datetime | None:
    """The aware moment the tip is due on local `day`, or None when no tip is due that day (a weekend day).

    A wall time that does not exist on a spring-forward day (02:30 in New York) is due at the same offset as the
    hour before, so 03:30 local; an ambiguous wall time on a fall-back day is the first of its two occurrences.
    """
    if schedule.weekdays_only and day.weekday() >= 5:
        return None
    hour, minute = map(int, schedule.time_of_day.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone(schedule.timezone))
    return local.astimezone(dt.UTC)


def due_today(schedule: Schedule, now: dt.datetime, starts_at: dt.datetime) -> dt.date | None:
    """The local date whose tip is due at `now` (aware), or None. Only today counts: a clock that was down posts
    today's missed tip when it returns, never a burst of past days. Nothing is due before `starts_at` (aware)."""
    today = local_date(schedule, now)
    moment = due_at(schedule, today)
    if moment is None or moment > now or moment < starts_at:
        return None
    return today


def next_due(schedule: Schedule, now: dt.datetime, starts_at: dt.datetime, done_today: bool) -> dt.datetime:
    """The next moment a tip is due (aware UTC): today's if it is still to come or owed, else a later day."""
    today = local_date(schedule, now)
    for offset in range(8):
        day = today + dt.timedelta(days=offset)
        moment = due_at(schedule, day)
        if moment is None or moment < starts_at or (offset == 0 and done_today):
            continue
        return moment
    raise AssertionError("a week always has a due day")  # pragma: no cover - weekdays exist every week
