"""Exactly-once claims on a row keyed by a unique constraint: the tips' deliveries (one per subscription per local
day) and the experts' weekly digests (one per team per ISO week) share this logic.

A claimable table has `id`, `status` (claimed | posted | failed), `claim_token`, `claimed_at`, `attempts`,
`posted_at`, `message_ts` and `error`. The first claim INSERTs the row, and the unique constraint lets exactly one
process win; a failed row (fewer than `max_claims` attempts) or a claim older than `lease` (its process died) is
taken over with a compare-and-set on its token, so again only one process takes it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import DELIVERY_CLAIMED, DELIVERY_POSTED, utc_naive


def claim_row(sessions: sessionmaker[Session], model: Any, keys: dict[str, Any], fields: dict[str, Any], *,
              now: dt.datetime, lease: dt.timedelta, max_claims: int) -> Any | None:
    """The row of `model` with `keys`, claimed by this caller (its `claim_token` and `attempts` as claimed), or
    None when another process holds it, it is posted, or it failed `max_claims` times. A new row gets `fields`;
    a row taken over keeps its own."""
    moment = utc_naive(now)
    token = uuid.uuid4().hex
    with sessions() as session:  # a plain read first: a done row is not claimed again on every later pass
        existing = session.scalar(select(model).filter_by(**keys))
    if existing is None:
        try:
            with sessions() as session, session.begin():
                row = model(**keys, **fields, status=DELIVERY_CLAIMED, claim_token=token, claimed_at=moment,
                            attempts=1)
                session.add(row)
                session.flush()
                return row
        except IntegrityError:  # another process inserted it first
            with sessions() as session:
                existing = session.scalar(select(model).filter_by(**keys))
    if existing is None or existing.status == DELIVERY_POSTED or existing.attempts >= max_claims:
        return None
    if existing.status == DELIVERY_CLAIMED and existing.claimed_at > moment - lease:
        return None
    with sessions() as session, session.begin():
        taken = session.execute(
            update(model)
            .where(model.id == existing.id, model.claim_token == existing.claim_token,
                   model.status == existing.status)
            .values(claim_token=token, claimed_at=moment, status=DELIVERY_CLAIMED, attempts=model.attempts + 1)
        ).rowcount
    if taken != 1:
        return None
    existing.claim_token, existing.attempts, existing.status = token, existing.attempts + 1, DELIVERY_CLAIMED
    return existing


def update_claim(sessions: sessionmaker[Session], model: Any, row_id: int, token: str, **values: Any) -> bool:
    """Change a claimed row while this caller still holds it (`token`); False when it was taken over."""
    with sessions() as session, session.begin():
        return session.execute(update(model).where(
            model.id == row_id, model.claim_token == token, model.status == DELIVERY_CLAIMED).values(**values)
        ).rowcount == 1
