"""Platform-neutral replies: what the conversation answers, as data. Each platform renders them in its markup
(Slack: `bot.slack.replies`; Teams: `bot.teams.cards.reply_card`), escaping every user and knowledge text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.answers import Result
from bot.core.matrix import Difference, Row, StackSummary
from bot.core.model import Entry, Service, Tip


@dataclass(frozen=True)
class HelpReply:
    """What the bot does and how to ask."""


@dataclass(frozen=True)
class TopicsReply:
    """The topics, all of them or one owner's."""

    owner: str | None


@dataclass(frozen=True)
class ServicesReply:
    """The services the bot knows."""


@dataclass(frozen=True)
class TipReply:
    """Today's tip and its entry."""

    tip: Tip
    entry: Entry


@dataclass(frozen=True)
class AnswerReply:
    """The matcher's result for a question: an answer, a did-you-mean, or no match; an answer is shown in `view`
    (`bot.conversation.answer_view.VIEWS`: the short answer by default, its details, or why)."""

    result: Result
    view: str = "short"


@dataclass(frozen=True)
class StackReply:
    """A stack's short form: counts per owner and the customer's checklist (`summary.services` in order)."""

    summary: StackSummary


@dataclass(frozen=True)
class CompareReply:
    """The layers whose owner differs between two services."""

    first: Service
    second: Service
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class ExportReply:
    """The full matrix of a stack, for the Export button."""

    services: tuple[Service, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class UsageReply:
    """A command written wrongly: the problem (plain text, may quote the user) and the command's usage key."""

    problem: str
    usage: str


@dataclass(frozen=True)
class UnknownServicesReply:
    """Service names that are no service, each with its did-you-mean suggestions (maybe none)."""

    suggestions: tuple[tuple[str, tuple[Service, ...]], ...]
    usage: str


@dataclass(frozen=True)
class TextReply:
    """Plain text (the tips command's answer), escaped by the platform."""

    text: str


@dataclass(frozen=True)
class QuizAnswerReply:
    """A click on a quiz, for the clicker alone: the answer that counts (their first), whether it is right, whether
    this click was counted, and the entry (the right owner and the explanation) with the tip it came from."""

    entry: Entry
    tip: Tip | None
    answer: str
    correct: bool
    counted: bool


Reply = (HelpReply | TopicsReply | ServicesReply | TipReply | AnswerReply | StackReply | CompareReply
         | ExportReply | UsageReply | UnknownServicesReply | TextReply | QuizAnswerReply)
