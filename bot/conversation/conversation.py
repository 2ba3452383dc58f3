"""One path from a parsed command to a platform-neutral reply, with the one log line per request.

Follow-ups: every answer becomes the context of where it was given (`bot.conversation.follow_ups`: the thread, and
the asker in that channel or DM); "and on Lambda?" there answers the context's topic for Lambda, "why?" (or `why`)
shows the context's Why view. A thread message that did not address the bot is answered only when it follows up or
asks a question the bot answers, and only in a thread the bot answered in (`overheard`)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.conversation.experts import ExpertRequest, ExpertsContext, ExpertsReply, expert_request, experts_reply
from bot.conversation.follow_ups import Context, Contexts, Place, contexts_for, utcnow
from bot.conversation.parse import (
    Ask,
    BadCommand,
    Command,
    Compare,
    Experts,
    FollowUp,
    Help,
    ListTopics,
    Services,
    Stack,
    TipNow,
    Tips,
    Why,
    parse,
    service_names,
)
from bot.conversation.replies import (
    AnswerReply,
    CompareReply,
    ExportReply,
    HelpReply,
    QuizAnswerReply,
    Reply,
    ServicesReply,
    StackReply,
    TextReply,
    TipReply,
    TopicsReply,
    UnknownServicesReply,
    UsageReply,
)
from bot.core import Answer, Matcher, NoMatch, outcome_of
from bot.core.answers import Result
from bot.core.matrix import compare, matrix, stack_summary
from bot.core.model import KnowledgeBase, Service
from bot.core.normalize import content_words
from bot.core.service_names import UnknownServices, resolve_services
from bot.core.tips import tip_of_the_day
from bot.logs import log_request

LOGGER = logging.getLogger("srm.conversation")
TIPS_NO_DATABASE = "Daily tips need the bot's database, which is not configured on this server."
TIPS_FAILED = "Sorry, I could not change the daily tips just now. Please try again in a minute."
QUIZ_GONE = "That quiz is no longer open."
UNKNOWN_TOPIC = "That topic is no longer in the knowledge base. Ask me again."
QUIZ_FAILED = "Sorry, I could not record your answer just now. Please try again in a minute."
NOTHING_TO_EXPLAIN = ("There is no answer of mine here to explain yet. Ask me a question first (for example "
                      "\"who patches the OS on RDS?\"); then why shows what I matched and which rule decided the "
                      "owner, and \"and on Lambda?\" asks the same topic for another service.")

MissRecorder = Callable[[str, "Where"], None]
"""Called with the normalized question and where it was asked, for a question worth recording that nothing matched."""
FeedbackRecorder = Callable[["Vote", "Where"], None]
"""Called with a helpful / not helpful vote and who cast it where (`vote_record` gives the store's fields)."""


@dataclass(frozen=True)
class Where:
    """Who asked where, and through what (`via`: "/srm", "app_mention", "dm", "thread", "shortcut", "message",
    "click"); the place decides what a follow-up continues: `thread` (Slack's thread ts, a Teams reply chain, ""
    for a group chat as a whole) is shared by everyone in it, and a `direct` message (a DM, `/srm`) continues the
    asker's own last answer in the channel. Neither (a shortcut, a click): no follow-ups."""

    platform: str
    via: str
    team_id: str | None = None
    channel_id: str | None = None
    user_id: str | None = None
    thread: str | None = None
    direct: bool = False

    @property
    def places(self) -> list[Place]:
        """Where an answer given here becomes the context: the thread, and the asker in this channel or DM."""
        if not self.channel_id:
            return []
        team = self.team_id or ""
        found = [Place(self.platform, team, self.channel_id, self.thread, "")] if self.thread is not None else []
        if self.user_id and (self.direct or self.thread is not None):
            found.append(Place(self.platform, team, self.channel_id, "", self.user_id))
        return found

    @property
    def follows(self) -> Place | None:
        """The place a follow-up here continues: the thread, else the asker's own (direct messages), else None."""
        places = self.places
        if self.thread is None and not self.direct:
            return None
        return places[0] if places else None


@dataclass(frozen=True)
class Vote:
    """A click on a helpful / not helpful button and the answer it is about, as the button carries it: the entry
    (None for a refusal: no match or "Did you mean"), the service, the question as the matcher read it, and the view
    the clicked answer was in (platforms that redraw the clicked message show it again)."""

    helpful: bool
    entry_id: str | None
    service_id: str | None
    question: str
    view: str = "short"


def vote_record(vote: Vote, where: Where) -> dict[str, Any]:
    """The keyword arguments of `Store.record_feedback` for `vote` cast at `where` (its user's one vote)."""
    return {"entry_id": vote.entry_id, "helpful": vote.helpful, "platform": where.platform,
            "team_id": where.team_id, "user_id": where.user_id, "service_id": vote.service_id,
            "question": vote.question}


class Conversation:
    """Answers commands for every platform: the matcher and knowledge base, the store for tips, callbacks that
    record questions nothing matched and feedback votes, and the contexts follow-ups continue (default: in the
    store, else in memory)."""

    def __init__(self, matcher: Matcher, *, store: Any | None = None, record_miss: MissRecorder | None = None,
                 record_feedback: FeedbackRecorder | None = None, contexts: Contexts | None = None) -> None:
        self.matcher = matcher
        self.store = store
        self.record_miss = record_miss
        self.record_feedback = record_feedback
        self.contexts = contexts or contexts_for(store)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base the matcher reads."""
        return self.matcher.kb

    def reply(self, command: Command, where: Where) -> Reply:
        """The reply to any command but `tips` (see `tips`), logged as one request line; an answer becomes the
        context of `where.places`."""
        started = time.perf_counter()
        reply = self._reply(command, where)
        self._remember(reply, where)
        self.log(where, _kind(command), reply, started)
        return reply

    def overheard(self, text: str, where: Where) -> Reply | None:
        """A thread message that did not address the bot: in a thread the bot answered in (a context is kept), a
        follow-up, "why?" or a question it answers gets its reply (logged, remembered); anything else, or any message
        in another thread, None: people talking among themselves are left alone."""
        started = time.perf_counter()
        command = parse(text)
        if not isinstance(command, Why | FollowUp | Ask) or where.follows is None:
            return None
        previous = self.contexts.recall(where.follows)
        if previous is None:
            return None
        reply = self._reply(command, where, previous)
        if not (isinstance(reply, AnswerReply) and isinstance(reply.result, Answer)):
            return None
        self._remember(reply, where)
        self.log(where, _kind(command), reply, started)
        return reply

    def tips(self, command: Tips, ctx: Any, where: Where) -> TextReply:
        """`tips ...` for the channel in `ctx` (a `bot.tips.commands.TipsContext`): the store's answer as plain text.
        It needs the database (and, for `tips on`, the asker's time zone), so platforms run it off the request path."""
        from bot.tips.commands import handle_tips_command  # the store is loaded only where tips are used

        started = time.perf_counter()
        if self.store is None:
            reply = TextReply(TIPS_NO_DATABASE)
        else:
            try:
                reply = TextReply(handle_tips_command(self.store, command.args, ctx))
            except Exception:
                LOGGER.exception("the tips command failed")
                reply = TextReply(TIPS_FAILED)
        self.log(where, "tips", reply, started)
        return reply

    def answer_quiz(self, quiz_id: int, owner: str, where: Where) -> QuizAnswerReply | TextReply:
        """`where.user_id`'s click on a quiz's owner button: recorded once per user (the first click counts), and
        answered with the right owner and the explanation, for the clicker alone; logged."""
        from bot.tips.quiz import answer

        started = time.perf_counter()
        reply: QuizAnswerReply | TextReply = TextReply(QUIZ_GONE)
        if self.store is not None and where.user_id:
            try:
                outcome = answer(self.store, self.kb, quiz_id, where.user_id, owner)
            except Exception:  # the database is down: say so, the click can be repeated
                LOGGER.exception("recording a quiz answer failed")
                reply = TextReply(QUIZ_FAILED)
            else:
                if outcome is not None:
                    entry = self.kb.entry(outcome.entry_id)
                    assert entry is not None  # `answer` checks the entry is in the knowledge base
                    tip = next((t for t in self.kb.tips if t.id == outcome.tip_id), None)
                    reply = QuizAnswerReply(entry, tip, outcome.answer, outcome.correct, outcome.counted)
        self.log(where, "quiz", reply, started)
        return reply

    def experts(self, command: Experts, ctx: ExpertsContext, where: Where) -> ExpertsReply:
        """`experts ...`: the team's experts' channel shown, set or cleared (`bot.conversation.experts`); it needs
        the database (and, to set it, maybe the platform's word on who is an admin), so run it off the request
        path."""
        started = time.perf_counter()
        reply = experts_reply(self.store, command.action, command.channel_id, command.channel_name, ctx)
        self.log(where, "experts", reply, started)
        return reply

    def ask_expert(self, question: str, entry_id: str, service_id: str | None,
                   where: Where) -> ExpertRequest | ExpertsReply:
        """An "Ask an expert" click: what to post in the team's experts' channel (the question, who asked where and
        the bot's best guess, `entry_id` for `service_id`, maybe empty), or why it cannot be posted; logged."""
        started = time.perf_counter()
        guess = self.matcher.answer_entry(entry_id, service_id) if entry_id else None
        reply = expert_request(self.store, question, guess, where.platform, where.team_id, where.channel_id,
                               where.user_id)
        self.log(where, "ask-expert", reply, started)
        return reply

    def export(self, value: str, where: Where) -> ExportReply | UnknownServicesReply:
        """The full matrix of the services an Export button names (`ec2,rds,s3`), logged."""
        started = time.perf_counter()
        reply = self._resolved(service_names(value), "stack")
        if isinstance(reply, tuple):
            reply = ExportReply(reply, matrix(self.kb, reply))
        self.log(where, "export", reply, started)
        return reply

    def answer_view(self, entry_id: str, service_id: str | None, question: str, view: str,
                    where: Where) -> AnswerReply | TextReply:
        """A click on an answer's Details, Why or Short answer button: the same answer again, logged as `via:view`.

        The question the answer was given for is asked again when the button carries it, so the Why view shows the
        score and the owner decided for the question's own layers and sides; when it no longer leads to that entry
        (the knowledge base changed), the entry is answered for the service alone."""
        started = time.perf_counter()
        reply = self._viewed(entry_id, service_id, question, view)
        self.log(where, view, reply, started)
        return reply

    def feedback(self, vote: Vote, where: Where) -> AnswerReply | TextReply:
        """A helpful / not helpful click by `where.user_id`: recorded as their one vote on that answer (a second click
        changes it), and the answer voted on returned in its view, for a platform that redraws the clicked message;
        a vote on an entry no longer in the knowledge base, or on no entry and no question, is not recorded
        (TextReply). Logged as `via:feedback`.

        A refusal's question is matched again without being recorded as a miss a second time."""
        started = time.perf_counter()
        if vote.entry_id is not None:
            result: Result | None = self._answer_again(vote.entry_id, vote.service_id, vote.question)
        else:  # a refusal is named by its question alone: none, and there is nothing to vote on
            result = self.matcher.match(vote.question) if vote.question.strip() else None
        reply: AnswerReply | TextReply = TextReply(UNKNOWN_TOPIC) if result is None else AnswerReply(result, vote.view)
        if result is not None and self.record_feedback is not None:
            self.record_feedback(vote, where)
        self.log(where, "feedback", reply, started,
                 verdict=None if result is None else "helpful" if vote.helpful else "not-helpful")
        return reply

    def _answer_again(self, entry_id: str, service_id: str | None, question: str) -> Answer | None:
        """The answer a button or a follow-up names: the question's own answer when it still leads to that entry
        and service (so the score and the owner are the question's); the entry for that service with the question's
        layers and score when only the service differs (a follow-up); else the entry for the service alone; None
        when the entry is gone."""
        if question.strip():
            found = self.matcher.match(question)
            if isinstance(found, Answer) and found.entry.id == entry_id:
                if (found.service.id if found.service else None) == service_id:
                    return found
                return self.matcher.answer_entry(entry_id, service_id, question=question, confidence=found.confidence)
        return self.matcher.answer_entry(entry_id, service_id)

    def _viewed(self, entry_id: str, service_id: str | None, question: str, view: str) -> AnswerReply | TextReply:
        """`entry_id` answered again for `service_id` (`_answer_again`) in `view`."""
        answer = self._answer_again(entry_id, service_id, question)
        return TextReply(UNKNOWN_TOPIC) if answer is None else AnswerReply(answer, view)

    def _remember(self, reply: Reply, where: Where) -> None:
        if isinstance(reply, AnswerReply) and isinstance(reply.result, Answer) and (places := where.places):
            answer = reply.result
            self.contexts.remember(places, Context(answer.entry.id, answer.service.id if answer.service else None,
                                                   answer.question, utcnow()))

    def _follow_up(self, command: Why | FollowUp, where: Where, previous: Context | None) -> Reply | None:
        """The reply to "why?" or "and on Lambda?" continuing `previous` (recalled when None); None when a
        FollowUp is to be asked as a new question."""
        if previous is None and where.follows is not None:
            previous = self.contexts.recall(where.follows)
        if isinstance(command, Why):
            if previous is None:
                return TextReply(NOTHING_TO_EXPLAIN)
            return self._viewed(previous.entry_id, previous.service_id, previous.question, "why")
        service = self._one_service(command.about)
        if previous is None or service is None:
            return None
        entry_id = previous.entry_id
        if previous.service_id is not None and entry_id == f"service-{previous.service_id}":
            entry_id = f"service-{service.id}"  # "lambda?" then "and on RDS?": the other service's overview
        return self._viewed(entry_id, service.id, previous.question, "short")

    def _one_service(self, words: str) -> Service | None:
        """The one service `words` name and nothing else ("lambda", "aws lambda functions"), or None."""
        try:
            found = resolve_services(self.kb, (words,))
        except UnknownServices:
            services, service_words = self.matcher.detect_services(words)
            rest = [w for w in content_words(words) if w not in service_words]
            found = tuple(services) if not rest else ()
        return found[0] if len(found) == 1 else None

    def _reply(self, command: Command, where: Where, previous: Context | None = None) -> Reply:
        kb = self.kb
        if isinstance(command, Help):
            return HelpReply()
        if isinstance(command, ListTopics):
            return TopicsReply(command.owner)
        if isinstance(command, Services):
            return ServicesReply()
        if isinstance(command, TipNow):
            tip = tip_of_the_day(kb)
            entry = kb.entry(tip.entry)
            return TipReply(tip, entry) if entry is not None else HelpReply()
        if isinstance(command, BadCommand):
            return UsageReply(command.problem, command.usage)
        if isinstance(command, Stack):
            services = self._resolved(command.names, "stack")
            return services if isinstance(services, UnknownServicesReply) else StackReply(stack_summary(kb, services))
        if isinstance(command, Compare):
            services = self._resolved(command.names, "compare")
            if isinstance(services, UnknownServicesReply):
                return services
            if len(services) != 2:
                return UsageReply("Name two different services after compare.", "compare")
            first, second = services
            return CompareReply(first, second, compare(kb, first, second))
        if isinstance(command, Tips | Experts):
            raise ValueError("tips and experts need the channel's context: call Conversation.tips or .experts")
        if isinstance(command, Why | FollowUp):
            followed = self._follow_up(command, where, previous)
            if followed is not None:
                return followed
            assert isinstance(command, FollowUp)
            command = Ask(command.question)
        assert isinstance(command, Ask)
        result = self.matcher.match(command.question)
        if isinstance(result, NoMatch) and result.worth_recording and self.record_miss is not None:
            self.record_miss(result.question, where)
        return AnswerReply(result)

    def _resolved(self, names: tuple[str, ...], usage: str) -> tuple[Service, ...] | UnknownServicesReply:
        try:
            return resolve_services(self.kb, names)
        except UnknownServices as exc:
            return UnknownServicesReply(tuple(exc.suggestions.items()), usage)

    @staticmethod
    def log(where: Where, kind: str, reply: Reply | ExpertsReply | ExpertRequest, started: float, *,
            verdict: str | None = None) -> None:
        """The one line per request: platform, team, channel, `via:kind`, outcome (`verdict` when given, else the
        reply's), entry (or services), score, ms."""
        entry: str | None = None
        score: float | None = None
        if isinstance(reply, AnswerReply):
            entry, score, outcome = outcome_of(reply.result)
        elif isinstance(reply, StackReply):
            entry, outcome = ",".join(s.id for s in reply.summary.services), "stack"
        elif isinstance(reply, CompareReply):
            entry, outcome = f"{reply.first.id},{reply.second.id}", "compare"
        elif isinstance(reply, ExportReply):
            entry, outcome = ",".join(s.id for s in reply.services), "export"
        elif isinstance(reply, UnknownServicesReply):
            outcome = "unknown-service"
        elif isinstance(reply, UsageReply):
            outcome = "usage"
        elif isinstance(reply, TipReply):
            entry, outcome = reply.tip.entry, "tip"
        elif isinstance(reply, ExpertsReply | ExpertRequest):
            entry = reply.guess.entry.id if isinstance(reply, ExpertRequest) and reply.guess else None
            outcome = reply.outcome if isinstance(reply, ExpertsReply) else "sent"
        elif isinstance(reply, QuizAnswerReply):
            entry = reply.entry.id
            outcome = ("right" if reply.correct else "wrong") + ("" if reply.counted else "-again")
        else:
            outcome = kind
        log_request(platform=where.platform, team=where.team_id, channel=where.channel_id,
                    command=f"{where.via}:{kind}", entry=entry, score=score,
                    ms=(time.perf_counter() - started) * 1000, outcome=verdict or outcome)


def _kind(command: Command) -> str:
    return {Help: "help", ListTopics: "list", Services: "services", TipNow: "tip", Tips: "tips", Stack: "stack",
            Compare: "compare", Experts: "experts", Why: "why", FollowUp: "follow-up", Ask: "ask",
            BadCommand: "usage"}[type(command)]
