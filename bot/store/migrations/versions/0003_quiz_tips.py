"""Quiz tips: a subscription may ask "Who owns X?" instead of telling; one quiz per delivery, one answer per user.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tip_subscriptions", sa.Column("quiz", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "quizzes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("delivery_id", sa.Integer(), sa.ForeignKey("tip_deliveries.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("subscription_id", sa.Integer(), sa.ForeignKey("tip_subscriptions.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("tip_id", sa.String(64), nullable=False),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("delivery_id", name="uq_quizzes_delivery"),
    )
    op.create_index("ix_quizzes_subscription_id", "quizzes", ["subscription_id"])
    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("quiz_id", sa.Integer(), sa.ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("quiz_id", "user_id", name="uq_quiz_answers_user"),
    )


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_index("ix_quizzes_subscription_id", "quizzes")
    op.drop_table("quizzes")
    with op.batch_alter_table("tip_subscriptions") as batch:
        batch.drop_column("quiz")
