"""The tables of the store (SQLAlchemy 2 declarative). Schema changes go through `bot/store/migrations/`.

Every timestamp is stored as naive UTC (`DateTime` without time zone) so SQLite and PostgreSQL behave the same;
`utc_naive()` converts on the way in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DELIVERY_CLAIMED = "claimed"
DELIVERY_POSTED = "posted"
DELIVERY_FAILED = "failed"


def utc_naive(moment: dt.datetime) -> dt.datetime:
    """`moment` as naive UTC; a naive input is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base; its metadata also carries the Slack OAuth tables so migrations own every table."""


class Claimable:
    """The columns of a row posted exactly once through a claim (`bot.store.claims`)."""

    status: Mapped[str] = mapped_column(String(16))  # claimed | posted | failed
    claim_token: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer)
    posted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    message_ts: Mapped[str | None] = mapped_column(String(255), nullable=True)
    error: Mapped[str | None] = mapped_column(String(255), nullable=True)


class TipSubscription(Base):
    """A channel that gets one tip a day at its local time."""

    __tablename__ = "tip_subscriptions"
    __table_args__ = (UniqueConstraint("platform", "team_id", "channel_id", name="uq_tip_subscriptions_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(255))
    time_of_day: Mapped[str] = mapped_column(String(5))  # "HH:MM", local to `timezone`
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays_only: Mapped[bool] = mapped_column(Boolean)
    subscribed_by: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean)
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)  # no tip due before this moment (UTC)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    deactivated_reason: Mapped[str | None] = mapped_column(String(255), nullable=True)
    quiz: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Tips come as a quiz ("Who owns X?" with AWS / Customer / Shared buttons)."""


class TipDelivery(Claimable, Base):
    """One row per subscription per local date: the claim that makes delivery happen once."""

    __tablename__ = "tip_deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "local_date", name="uq_tip_deliveries_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("tip_subscriptions.id", ondelete="CASCADE"), index=True)
    local_date: Mapped[dt.date] = mapped_column(Date)
    tip_id: Mapped[str] = mapped_column(String(64))


class Quiz(Base):
    """The quiz a quiz subscription's delivery posted: one per delivery row, so a retried post asks the same quiz."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("delivery_id", name="uq_quizzes_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("tip_deliveries.id", ondelete="CASCADE"))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("tip_subscriptions.id", ondelete="CASCADE"), index=True)
    tip_id: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class QuizAnswer(Base):
    """A person's answer to a quiz; the unique constraint keeps the first one only."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", name="uq_quiz_answers_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(255))
    answer: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Feedback(Base):
    """A helpful / not helpful vote on an answer: one row per person and answer, which a second click changes.

    The answer is what the buttons carry: the entry (None for a refusal: "I don't have an answer", "Did you mean"),
    the service it was asked about, and the question as the matcher read it, stored normalized like an unanswered
    question; `answer_key` is their digest. `voter` is a one-way digest of the platform, workspace and user id (never
    the id itself), there only so the unique index can keep one vote per person; rows written before votes were
    counted per person have no voter and count one each. `created_at` is when the vote was last cast or changed."""

    __tablename__ = "feedback"
    __table_args__ = (Index("uq_feedback_vote", "platform", "team_id", "voter", "answer_key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str | None] = mapped_column(String(128), index=True, nullable=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    service_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    voter: Mapped[str | None] = mapped_column(String(64), nullable=True)


class UnansweredQuestion(Base):
    """A normalized question nothing matched, counted per workspace."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (UniqueConstraint("platform", "team_id", "question", name="uq_unanswered_questions"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class SlackEvent(Base):
    """A Slack event id some process took: a retry of it (same `event_id`) is acknowledged, not answered again."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ConversationContext(Base):
    """The last answer in a thread (`user_id` ""), or to one person in a channel or DM (`thread_id` ""): what a
    follow-up ("and on Lambda?", "why?") continues. Rows past `expires_at` are not read and are deleted now and then.
    """

    __tablename__ = "conversation_contexts"
    __table_args__ = (UniqueConstraint("platform", "team_id", "channel_id", "thread_id", "user_id",
                                       name="uq_conversation_contexts_place"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(255))
    thread_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    entry_id: Mapped[str] = mapped_column(String(128))
    service_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    question: Mapped[str] = mapped_column(Text)
    """The question that found the entry (at most MAX_QUESTION_CHARS), asked again for the Why view's score."""
    asked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class ExpertsChannel(Base):
    """Where a workspace (Slack) or team (Teams) sends "Ask an expert" requests and the weekly digest."""

    __tablename__ = "experts_channels"
    __table_args__ = (UniqueConstraint("platform", "team_id", name="uq_experts_channels_team"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(255))
    channel_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    """Teams: where a proactive post goes (`bot.teams.app.conversation_ref`)."""
    set_by: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime)
    """No digest is due before this moment (UTC)."""


class ExpertDigest(Claimable, Base):
    """One row per team per ISO week: the claim that makes the weekly digest go out once (as TipDelivery does)."""

    __tablename__ = "expert_digests"
    __table_args__ = (UniqueConstraint("platform", "team_id", "week", name="uq_expert_digests_week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[str] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(8))  # ISO week, "2026-W49"
    channel_id: Mapped[str] = mapped_column(String(255))


# slack_sdk's own OAuth tables (installations, bots, OAuth states), declared here so migrations create them.
SLACK_INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, SQLAlchemyInstallationStore.default_installations_table_name)
SLACK_BOTS = SQLAlchemyInstallationStore.build_bots_table(
    Base.metadata, SQLAlchemyInstallationStore.default_bots_table_name)
SLACK_OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, SQLAlchemyOAuthStateStore.default_table_name)
SLACK_TOKEN_COLUMNS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
"""The secrets of an installation or bot row, sealed at rest by bot/store/tokens.py; everything else stays readable.
Sealed, they outgrow slack_sdk's VARCHAR(200): migration 0004 makes them TEXT."""
for _table in (SLACK_INSTALLATIONS, SLACK_BOTS):
    for _column in _table.c:
        if _column.name in SLACK_TOKEN_COLUMNS:
            _column.type = Text()
