"""Slack event ids already answered, shared by every web process so a Slack retry is answered once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_slack_events_first_seen", "slack_events", ["first_seen"])


def downgrade() -> None:
    op.drop_table("slack_events")
