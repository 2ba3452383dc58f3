"""Quiz tips: a channel that chose `tips on ... quiz` is asked "Who owns X?" (X: the tip's entry) with AWS /
Customer / Shared buttons, instead of being told.

Each quiz belongs to one delivery row, so a post the clock retries, or a claim another clock takes over, asks the
same quiz. One answer counts per user per quiz: the first (the unique constraint on (quiz, user) settles races
between web processes); a second click is told its first answer. The next quiz of the channel shows how the
channel did on the one before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import OWNERS, Entry, KnowledgeBase
from bot.store.models import Quiz, QuizAnswer, TipSubscription, utc_naive
from bot.store.store import Claim, Store


@dataclass(frozen=True)
class Tally:
    """How a channel did on one quiz."""

    answered: int
    correct: int


@dataclass(frozen=True)
class QuizCard:
    """What a sender posts for a quiz: its id (carried by the buttons), the entry asked about, and how the channel
    did on its previous quiz (None when this is the first)."""

    id: int
    entry: Entry
    previous: Tally | None


@dataclass(frozen=True)
class QuizOutcome:
    """A click on a quiz: the answer that counts (the user's first), whether it is right, and whether this click
    was the one counted."""

    quiz_id: int
    entry_id: str
    tip_id: str
    answer: str
    correct: bool
    counted: bool


def set_quiz(store: Store, subscription_id: int, on: bool) -> None:
    """Tips of the subscription come as quizzes (`on`) or as tips."""
    with store.session() as session, session.begin():
        session.execute(update(TipSubscription).where(TipSubscription.id == subscription_id).values(quiz=on))


def prepare(store: Store, claim: Claim, entry: Entry, now: dt.datetime) -> QuizCard:
    """The quiz of the claimed delivery (created once per delivery), with the channel's tally on the quiz before."""
    try:
        with store.session() as session, session.begin():
            row = Quiz(delivery_id=claim.delivery_id, subscription_id=claim.subscription_id, tip_id=claim.tip_id,
                       entry_id=entry.id, created_at=utc_naive(now))
            session.add(row)
            session.flush()
            quiz_id = row.id
    except IntegrityError:  # a retry, or a claim taken over: the delivery's quiz exists already
        with store.session() as session:
            quiz_id = session.scalar(select(Quiz.id).where(Quiz.delivery_id == claim.delivery_id))
    assert quiz_id is not None
    with store.session() as session:
        before = session.scalar(select(func.max(Quiz.id)).where(
            Quiz.subscription_id == claim.subscription_id, Quiz.id < quiz_id))
    return QuizCard(quiz_id, entry, tally(store, before) if before is not None else None)


def tally(store: Store, quiz_id: int) -> Tally:
    """How many answered quiz `quiz_id`, and how many of them were right."""
    with store.session() as session:
        answered, correct = session.execute(select(
            func.count(QuizAnswer.id), func.coalesce(func.sum(case((QuizAnswer.correct.is_(True), 1), else_=0)), 0))
            .where(QuizAnswer.quiz_id == quiz_id)).one()
    return Tally(int(answered), int(correct))


def answer(store: Store, kb: KnowledgeBase, quiz_id: int, user_id: str, owner: str,
           now: dt.datetime | None = None) -> QuizOutcome | None:
    """Record `user_id`'s answer `owner` to the quiz (None when there is no such quiz, its entry left the knowledge
    base, or `owner` is no owner); only the user's first answer counts, a later click gets that first answer back
    with `counted` False."""
    if owner not in OWNERS:
        return None
    with store.session() as session:
        quiz = session.get(Quiz, quiz_id)
    entry = kb.entry(quiz.entry_id) if quiz is not None else None
    if quiz is None or entry is None:
        return None
    correct_owner = entry.owner
    moment = utc_naive(now or dt.datetime.now(dt.UTC))
    try:
        with store.session() as session, session.begin():
            session.add(QuizAnswer(quiz_id=quiz_id, user_id=user_id, answer=owner, correct=owner == correct_owner,
                                   created_at=moment))
        return QuizOutcome(quiz_id, quiz.entry_id, quiz.tip_id, owner, owner == correct_owner, counted=True)
    except IntegrityError:
        with store.session() as session:
            first = session.scalar(select(QuizAnswer).where(QuizAnswer.quiz_id == quiz_id,
                                                            QuizAnswer.user_id == user_id))
        assert first is not None
        return QuizOutcome(quiz_id, quiz.entry_id, quiz.tip_id, first.answer, first.correct, counted=False)

