"""Slack token columns wide enough for sealed tokens: a Fernet token is about twice its plain text, and a rotating
refresh token sealed exceeds slack_sdk's VARCHAR(200) (PostgreSQL enforces it; SQLite does not, and keeps its type).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TOKEN_COLUMNS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def upgrade() -> None:
    _retype(sa.Text())


def downgrade() -> None:
    _retype(sa.String(200))


def _retype(type_: sa.types.TypeEngine) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite stores any length in any text column; rebuilding the tables would gain nothing
    for table, columns in TOKEN_COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=type_)
