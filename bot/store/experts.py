"""The store's side of "a way to a human": each workspace's (Slack) or team's (Teams) experts' channel, in
`experts_channels`, and the weekly digest's claims, in `expert_digests` (migration 0006), taken exactly once per
team per ISO week with the same claim logic as the tips (`bot.store.claims`). These functions raise
SQLAlchemyError when the database does not answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from bot.store.claims import claim_row, update_claim
from bot.store.models import DELIVERY_FAILED, DELIVERY_POSTED, ExpertDigest, ExpertsChannel, utc_naive
from bot.store.store import Store, utcnow
from bot.store.text import storable, storable_text


def experts_channel(store: Store, platform: str, team_id: str) -> ExpertsChannel | None:
    """The experts' channel of a team, or None when none is set."""
    with store.session() as session:
        return session.scalar(select(ExpertsChannel).filter_by(platform=storable_text(platform),
                                                               team_id=storable_text(team_id)))


def set_experts_channel(store: Store, *, platform: str, team_id: str, channel_id: str, channel_name: str | None,
                        set_by: str, conversation_ref: dict[str, Any] | None = None,
                        now: dt.datetime | None = None) -> ExpertsChannel:
    """Name (or rename) the experts' channel of a team; no digest is due before `now`."""
    platform, team_id, channel_id, channel_name, set_by, conversation_ref = storable(
        (platform, team_id, channel_id, channel_name, set_by, conversation_ref))
    moment = utc_naive(now or utcnow())
    with store.session() as session, session.begin():
        row = session.scalar(select(ExpertsChannel).filter_by(platform=platform, team_id=team_id).with_for_update())
        if row is None:
            row = ExpertsChannel(platform=platform, team_id=team_id)
            session.add(row)
        row.channel_id, row.channel_name, row.conversation_ref = channel_id, (channel_name or None), conversation_ref
        row.set_by, row.set_at = set_by, moment
    return row


def clear_experts_channel(store: Store, platform: str, team_id: str) -> bool:
    """Forget a team's experts' channel; False when none was set."""
    with store.session() as session, session.begin():
        return session.execute(delete(ExpertsChannel).where(
            ExpertsChannel.platform == storable_text(platform),
            ExpertsChannel.team_id == storable_text(team_id))).rowcount > 0


def experts_channels(store: Store) -> list[ExpertsChannel]:
    """Every team's experts' channel, oldest first (the digest's round)."""
    with store.session() as session:
        return list(session.scalars(select(ExpertsChannel).order_by(ExpertsChannel.id)))


@dataclass(frozen=True)
class DigestClaim:
    """The right to post one team's digest of one ISO week, proven by `token`."""

    digest_id: int
    week: str
    token: str
    attempt: int


def claim_digest(store: Store, channel: ExpertsChannel, week: str, *, now: dt.datetime, lease: dt.timedelta,
                 max_claims: int) -> DigestClaim | None:
    """Take the right to post `week`'s digest to `channel`'s team, or None when another clock has it or it is out."""
    store.ensure_schema()
    row = claim_row(store._sessions, ExpertDigest, {"platform": channel.platform, "team_id": channel.team_id,
                                                    "week": week},
                    {"channel_id": channel.channel_id}, now=now, lease=lease, max_claims=max_claims)
    return None if row is None else DigestClaim(row.id, week, row.claim_token, row.attempts)


def digest_posted(store: Store, claim: DigestClaim, message_ts: str, now: dt.datetime) -> bool:
    """Record the posted digest; False when the claim had been taken over meanwhile."""
    return update_claim(store._sessions, ExpertDigest, claim.digest_id, claim.token, status=DELIVERY_POSTED,
                        message_ts=storable_text(message_ts), posted_at=utc_naive(now), error=None)


def digest_failed(store: Store, claim: DigestClaim, error: str, now: dt.datetime) -> bool:
    """Record a failed digest; a later pass tries again (up to the attempt limit)."""
    return update_claim(store._sessions, ExpertDigest, claim.digest_id, claim.token, status=DELIVERY_FAILED,
                        error=storable_text(error)[:255], claimed_at=utc_naive(now))


def digests(store: Store, platform: str, team_id: str) -> list[ExpertDigest]:
    """Every digest row of a team, by week."""
    with store.session() as session:
        return list(session.scalars(select(ExpertDigest).filter_by(platform=platform, team_id=team_id)
                                    .order_by(ExpertDigest.week)))
