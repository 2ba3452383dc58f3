"""The context follow-ups continue: the last answer in each thread, and to each person in a channel or DM, until it
expires ("and on Lambda?" answers that topic for Lambda; "why?" shows its Why view).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_contexts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("thread_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("service_id", sa.String(64), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("platform", "team_id", "channel_id", "thread_id", "user_id",
                            name="uq_conversation_contexts_place"),
    )
    op.create_index("ix_conversation_contexts_expires_at", "conversation_contexts", ["expires_at"])


def downgrade() -> None:
    op.drop_table("conversation_contexts")
