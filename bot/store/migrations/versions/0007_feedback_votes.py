"""Feedback that counts: one vote per person per answer (a second click changes it), stored with what was asked.

The feedback table gains the rest of what names an answer (the service, the question as normalized for the
reports, and their digest `answer_key`), the voter (a one-way digest of the user id) and a unique index on
(platform, team, voter, answer) that the store's upsert meets; `entry_id` may be empty, for votes on a refusal.
Existing rows keep counting one each (their voter is NULL, which the unique index never matches).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    ("service_id", sa.String(64)),
    ("question", sa.Text()),
    ("answer_key", sa.String(64)),
    ("voter", sa.String(64)),
)


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:  # SQLite: the table is rebuilt to make entry_id nullable
        batch.alter_column("entry_id", existing_type=sa.String(128), nullable=True)
        for name, type_ in NEW_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_index("uq_feedback_vote", "feedback", ["platform", "team_id", "voter", "answer_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_feedback_vote", "feedback")
    op.execute("DELETE FROM feedback WHERE entry_id IS NULL")  # refusal votes have no entry to keep
    with op.batch_alter_table("feedback") as batch:
        for name, _ in reversed(NEW_COLUMNS):
            batch.drop_column(name)
        batch.alter_column("entry_id", existing_type=sa.String(128), nullable=False)
