"""The experts' channel of each workspace or team, and the weekly digest's claims (one row per team per ISO week).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experts_channels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("channel_name", sa.String(255), nullable=True),
        sa.Column("conversation_ref", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("set_by", sa.String(255), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("platform", "team_id", name="uq_experts_channels_team"),
    )
    op.create_table(
        "expert_digests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("posted_at", sa.DateTime(), nullable=True),
        sa.Column("message_ts", sa.String(255), nullable=True),
        sa.Column("error", sa.String(255), nullable=True),
        sa.UniqueConstraint("platform", "team_id", "week", name="uq_expert_digests_week"),
    )


def downgrade() -> None:
    op.drop_table("expert_digests")
    op.drop_table("experts_channels")
