"""The store's side of follow-ups: the last answer of each place (a thread, or a person in a channel or DM), kept
until it expires, in `conversation_contexts` (migration 0005). Every process sharing the database sees the same
context, so a follow-up may reach any web worker. The conversation layer (`bot.conversation.follow_ups`) decides
the places and the expiry; these functions raise SQLAlchemyError when the database does not answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select

from bot.core.normalize import MAX_QUESTION_CHARS
from bot.store.models import ConversationContext, utc_naive
from bot.store.store import Store, upsert
from bot.store.text import storable, storable_text

Place = tuple[str, str, str, str, str]
"""(platform, team id, channel id, thread id or "", user id or "")."""
Remembered = tuple[str, str | None, str, dt.datetime]
"""(entry id, service id or None, question, asked at (naive UTC))."""
_PLACE_COLUMNS = ("platform", "team_id", "channel_id", "thread_id", "user_id")


def save_context(store: Store, places: Sequence[tuple[Place, dt.datetime]], entry_id: str, service_id: str | None,
                 question: str, asked_at: dt.datetime) -> None:
    """Make this answer the context of each place until its expiry (`(place, expires_at)` pairs), in one
    transaction: a place's earlier context is replaced (an upsert on the place, so racing workers never fail)."""
    answer = storable({"entry_id": entry_id, "service_id": service_id, "question": question[:MAX_QUESTION_CHARS],
                       "asked_at": utc_naive(asked_at)})
    rows = [{**dict(zip(_PLACE_COLUMNS, storable(tuple(place)), strict=True)), **answer,
             "expires_at": utc_naive(expires)} for place, expires in places]
    if not rows:
        return
    with store.session() as session, session.begin():
        statement = upsert(session, ConversationContext.__table__)
        statement = statement.on_conflict_do_update(
            index_elements=list(_PLACE_COLUMNS),
            set_={column: statement.excluded[column] for column in (*answer, "expires_at")})
        session.execute(statement, rows)


def load_context(store: Store, place: Place, now: dt.datetime) -> Remembered | None:
    """The context of `place` unless it expired by `now`."""
    c = ConversationContext
    with store.session() as session:
        row = session.execute(
            select(c.entry_id, c.service_id, c.question, c.asked_at)
            .where(*(getattr(c, column) == storable_text(value) for column, value in zip(_PLACE_COLUMNS, place,
                                                                                       strict=True)),
                   c.expires_at > utc_naive(now))).first()
    return None if row is None else (row.entry_id, row.service_id, row.question, row.asked_at)


def delete_expired(store: Store, now: dt.datetime) -> int:
    """Delete every context expired by `now`; how many."""
    with store.session() as session, session.begin():
        return session.execute(delete(ConversationContext).where(
            ConversationContext.expires_at <= utc_naive(now))).rowcount
