"""What a follow-up continues: the last answer of each place, kept until it expires.

A place is a thread (Slack: a mention's thread or any thread the bot answered in; Teams: a channel's reply chain or
a group chat), shared by everyone in it, or one person in a channel or DM (a DM, `/srm`, or what that person was
last answered anywhere in the channel). A thread's context lasts `SRM_FOLLOW_UP_THREAD_DAYS` (default 7) days, a
person's `SRM_FOLLOW_UP_DM_MINUTES` (default 30) minutes.

The contexts live in the store (`bot.store.contexts`), so every process sharing the database follows up; without
a database (`store=None`) they live in a bounded in-process `MemoryContexts`. A database that does not answer
costs the follow-up, never the answer: the failure is logged and the process's own memory is used meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from bot.numbers import whole_number

LOGGER = logging.getLogger("srm.conversation.follow_ups")

DM_MINUTES_ENV = "SRM_FOLLOW_UP_DM_MINUTES"
DM_MINUTES_DEFAULT = 30
THREAD_DAYS_ENV = "SRM_FOLLOW_UP_THREAD_DAYS"
THREAD_DAYS_DEFAULT = 7
MEMORY_PLACES = 10_000
"""Places an in-process store remembers; the least recently answered are forgotten first."""
PRUNE_INTERVAL_S = 3600.0
"""Expired contexts are deleted from the database at most this often per process."""


class Place(NamedTuple):
    """Where a context belongs: a thread (`user_id` "") or one person (`thread_id` "") in a channel or DM."""

    platform: str
    team_id: str
    channel_id: str
    thread_id: str
    user_id: str


@dataclass(frozen=True)
class Context:
    """The answer a follow-up continues: its entry, the service it was for, and the question that found it."""

    entry_id: str
    service_id: str | None
    question: str
    asked_at: dt.datetime
    """Naive UTC."""


@dataclass(frozen=True)
class Expiry:
    """How long a context lasts: a thread's, and a person's (DM, `/srm`)."""

    thread: dt.timedelta = dt.timedelta(days=THREAD_DAYS_DEFAULT)
    person: dt.timedelta = dt.timedelta(minutes=DM_MINUTES_DEFAULT)

    def of(self, place: Place) -> dt.timedelta:
        """The expiry of `place`."""
        return self.person if place.user_id else self.thread


def expiry(env: Mapping[str, str] | None = None) -> Expiry:
    """The expiry settings (`SRM_FOLLOW_UP_THREAD_DAYS` 1..365, `SRM_FOLLOW_UP_DM_MINUTES` 1..1440)."""
    env = os.environ if env is None else env
    return Expiry(thread=dt.timedelta(days=whole_number(env, THREAD_DAYS_ENV, THREAD_DAYS_DEFAULT, 1, 365, "days")),
                  person=dt.timedelta(minutes=whole_number(env, DM_MINUTES_ENV, DM_MINUTES_DEFAULT, 1, 1440,
                                                           "minutes")))


def utcnow() -> dt.datetime:
    """Now, as naive UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Contexts(Protocol):
    """Where contexts are kept."""

    def remember(self, places: list[Place], context: Context) -> None:
        """Make `context` the context of each place."""

    def recall(self, place: Place) -> Context | None:
        """The context of `place`, unless it expired."""


class MemoryContexts:
    """Contexts in this process only, at most `limit` places (the least recently answered forgotten first)."""

    def __init__(self, expires: Expiry | None = None, *, limit: int = MEMORY_PLACES,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.expires = expires or expiry()
        self.limit = limit
        self.clock = clock
        self._places: OrderedDict[Place, tuple[Context, dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, places: list[Place], context: Context) -> None:
        """Make `context` the context of each place until its expiry."""
        with self._lock:
            for place in places:
                self._places[place] = (context, context.asked_at + self.expires.of(place))
                self._places.move_to_end(place)
            while len(self._places) > self.limit:
                self._places.popitem(last=False)

    def recall(self, place: Place) -> Context | None:
        """The context of `place`, unless it expired (then it is forgotten)."""
        with self._lock:
            found = self._places.get(place)
            if found is None:
                return None
            if found[1] <= self.clock():
                del self._places[place]
                return None
            return found[0]


class StoredContexts:
    """Contexts in the store, shared by every process on the database; `memory` answers while it does not."""

    def __init__(self, store: Any, expires: Expiry | None = None, *,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        from bot.store import contexts  # the store is imported only by the processes that have one

        self._db = contexts
        self.store = store
        self.expires = expires or expiry()
        self.clock = clock
        self.memory = MemoryContexts(self.expires, clock=clock)
        self._next_prune = 0.0

    def remember(self, places: list[Place], context: Context) -> None:
        """Write `context` for each place (and keep it in memory); a failed write is logged, not raised."""
        self.memory.remember(places, context)
        try:
            self._db.save_context(self.store, [(p, context.asked_at + self.expires.of(p)) for p in places],
                                  context.entry_id, context.service_id, context.question, context.asked_at)
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + PRUNE_INTERVAL_S
                self._db.delete_expired(self.store, self.clock())
        except Exception as exc:  # the database is down: this process still follows up from memory
            LOGGER.warning("could not store a follow-up context (kept in this process): %s", type(exc).__name__)

    def recall(self, place: Place) -> Context | None:
        """The context of `place` from the database; from this process's memory when the database fails."""
        try:
            found = self._db.load_context(self.store, tuple(place), self.clock())
        except Exception as exc:
            LOGGER.warning("could not read a follow-up context (using this process's): %s", type(exc).__name__)
            return self.memory.recall(place)
        return None if found is None else Context(*found)


def contexts_for(store: Any | None) -> Contexts:
    """Contexts in `store`, or in memory when there is none."""
    return MemoryContexts() if store is None else StoredContexts(store)
