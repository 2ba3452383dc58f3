"""The Teams SDK app: messages (1:1 or @-mention) answered with Adaptive Cards, button clicks, quiz answers.

`create_app(settings, matcher, store=None)` builds a `microsoft_teams.apps.App` with our handlers; nothing runs and
nothing is contacted until `bot.teams.server.run()` starts it. The handlers only translate: text in, the
conversation layer's reply (`bot.conversation`, shared with Slack), card out (`bot.teams.cards`).
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from microsoft_teams.api import (
    AdaptiveCardActionCardResponse,
    AdaptiveCardActionMessageResponse,
    AdaptiveCardInvokeActivity,
    AdaptiveCardInvokeResponse,
    ConversationAccount,
    InstalledActivity,
    MessageActivity,
    MessageActivityInput,
)
from microsoft_teams.api.activities.utils import StripMentionsTextOptions
from microsoft_teams.apps import ActivityContext, App

from bot.conversation import Conversation, Where, parse
from bot.conversation.answer_view import VIEWS
from bot.conversation.conversation import QUIZ_GONE, Vote, vote_record
from bot.conversation.experts import POST_FAILED, POST_FAILED_HINT, SENT, ExpertsContext, ExpertsReply
from bot.conversation.parse import Ask, Command, Experts, Tips
from bot.conversation.replies import AnswerReply, ExportReply, Reply
from bot.core import Matcher
from bot.logs import log_request
from bot.store.store import Store
from bot.teams import cards
from bot.teams.experts_cards import expert_click, experts_reply_card, offer_expert, request_card
from bot.teams.sending import Replies, deliver
from bot.teams.settings import TeamsSettings
from bot.tips.commands import TipsContext

logger = logging.getLogger(__name__)

PLATFORM = "teams"
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_THREAD_SUFFIX = re.compile(r";messageid=\d+$")


def message_text(activity: MessageActivity) -> str:
    """The user's words: the bot's own @-mention removed, other mention tags and HTML markup reduced to text."""
    activity = activity.model_copy(deep=True)
    if activity.recipient is not None:
        activity.strip_mentions_text(StripMentionsTextOptions(account_id=activity.recipient.id))
    text = _TAG.sub("", activity.text or "")
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def conversation_ref(activity: Any) -> dict[str, Any]:
    """What a proactive post needs later: service URL, conversation (channel root, not a thread), bot and tenant."""
    conversation = activity.conversation
    return {
        "service_url": activity.service_url,
        "conversation_id": _THREAD_SUFFIX.sub("", conversation.id),
        "conversation_type": conversation.conversation_type,
        "bot_id": activity.recipient.id if activity.recipient else None,
        "bot_name": activity.recipient.name if activity.recipient else None,
        "tenant_id": tenant_id(activity),
        "channel_id": activity.channel_id,
    }


def tenant_id(activity: Any) -> str | None:
    """The Microsoft 365 tenant the activity came from."""
    if activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    data = activity.channel_data
    return data.tenant.id if data is not None and data.tenant is not None else None


def team_id(activity: Any) -> str | None:
    """The team for channel conversations, else the tenant (1:1 and group chats belong to no team)."""
    data = activity.channel_data
    if data is not None and data.team is not None and data.team.id:
        return data.team.id
    return tenant_id(activity)


@dataclass
class TeamsBot:
    """The handlers, with their dependencies: the matcher, optionally the store (feedback, misses, tips), and the
    replies sender (in the background, retried: `bot.teams.sending`)."""

    matcher: Matcher
    store: Store | None = None
    replies: Replies = field(default_factory=Replies)

    @functools.cached_property
    def conversation(self) -> Conversation:
        """The conversation layer over this matcher and store; misses are recorded off the reply path."""
        return Conversation(self.matcher, store=self.store, record_miss=lambda question, where: self._store_call(
            "record_miss", question=question, platform=PLATFORM, team_id=where.team_id),
            record_feedback=lambda vote, where: self._store_call("record_feedback", **vote_record(vote, where)))

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        """A message (parsed and answered by the conversation layer) or a card button click: reply with a card. A
        click on a topic or a vote updates the clicked card (its activity is the click's `replyToId`); an example
        question and an export are answered with new cards, as if typed."""
        activity = ctx.activity
        team, channel = team_id(activity), activity.conversation.id

        def send(card: cards.AdaptiveCard, what: str, replace: str | None = None) -> None:
            self.replies.send(ctx, card, what=what, team=team, channel=channel, replace=replace)

        clicked = activity.value.get(cards.ACTION_KEY) if isinstance(activity.value, dict) else None
        if clicked == cards.ASK_ACTION:  # an example question on the help card: asked as if typed
            send(await self._text(activity, Ask(str(activity.value.get("question", "")))), "example question reply")
            return
        if clicked == cards.EXPERT_ACTION:  # Ask an expert: posted to the experts' channel, the asker told
            send(await self._ask_expert(ctx), "ask an expert reply")
            return
        if clicked == cards.EXPORT_ACTION:  # a stack's Export: the full matrix as a Markdown table
            for card in self._export(activity, str(activity.value.get("services", ""))):
                send(card, "export")
            return
        if clicked == cards.FEEDBACK_ACTION:  # the clicked card redrawn with the thanks
            send(self._feedback(activity, activity.value), "feedback reply", activity.reply_to_id)
            return
        if clicked is not None:
            started = time.perf_counter()
            card, command, entry, score, outcome = await self._action(activity)
            send(card, f"{command} reply", activity.reply_to_id if clicked == cards.ANSWER_ACTION else None)
            log_request(platform=PLATFORM, team=team, channel=channel, command=command, entry=entry, score=score,
                        ms=(time.perf_counter() - started) * 1000, outcome=outcome)
            return
        send(await self._text(activity), "message reply")

    async def on_install(self, ctx: ActivityContext[InstalledActivity]) -> None:
        """Added to a chat or team: say hello with the help card."""
        self.replies.send(ctx, cards.help_card(), what="welcome", team=team_id(ctx.activity),
                          channel=ctx.activity.conversation.id)
        log_request(platform=PLATFORM, team=team_id(ctx.activity), channel=ctx.activity.conversation.id,
                    command="install", entry=None, score=None, ms=0.0, outcome="welcome")

    async def _text(self, activity: MessageActivity, asked: Command | None = None) -> cards.AdaptiveCard:
        parsed = asked or parse(message_text(activity))
        where = self._where(activity, "click" if asked else "message")
        if isinstance(parsed, Experts):
            return experts_reply_card(await asyncio.to_thread(self.conversation.experts, parsed,
                                                              self._experts_context(activity), where))
        if isinstance(parsed, Tips):
            reply: Reply = await asyncio.to_thread(self.conversation.tips, parsed, self._tips_context(activity), where)
        else:  # off the event loop: the follow-up context is read and written in the store
            reply = await asyncio.to_thread(self.conversation.reply, parsed, where)
        return cards.reply_card(reply, self.matcher.kb)

    async def on_card_action(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> AdaptiveCardInvokeResponse:
        """An Action.Execute click: an answer's Details, Why or Short answer (the card returned replaces the clicked
        card), or a quiz's owner button (the card returned replaces the quiz for the clicker alone, which is as
        private as Teams gets: it has no ephemeral messages)."""
        activity, data = ctx.activity, ctx.activity.value.action.data
        if data.get(cards.ACTION_KEY) == cards.VIEW_ACTION:  # Details, Why, Short answer: the clicked card updated
            return AdaptiveCardActionCardResponse(value=cards.reply_card(self._view(activity, data), self.matcher.kb))
        quiz_id, owner = data.get("quiz"), data.get("answer")
        ours = data.get(cards.ACTION_KEY) == cards.QUIZ_ACTION
        if not ours or not isinstance(quiz_id, int) or not isinstance(owner, str):  # stale or forged
            log_request(platform=PLATFORM, team=team_id(activity), channel=activity.conversation.id,
                        command="click:quiz", entry=None, score=None, ms=0.0, outcome="unknown")
            return AdaptiveCardActionMessageResponse(value=QUIZ_GONE)
        reply = await asyncio.to_thread(self.conversation.answer_quiz, quiz_id, owner,
                                        self._where(ctx.activity, "click"))
        return AdaptiveCardActionCardResponse(value=cards.reply_card(reply, self.matcher.kb))

    def _view(self, activity: AdaptiveCardInvokeActivity, data: dict[str, Any]) -> Reply:
        view = data.get("view") if data.get("view") in VIEWS else "short"
        service = data.get("service")
        return self.conversation.answer_view(str(data.get("entry", "")), service if isinstance(service, str) and
                                             service else None, str(data.get("question", "")), str(view),
                                             self._where(activity, "click"))

    def _feedback(self, activity: MessageActivity, data: dict[str, Any]) -> cards.AdaptiveCard:
        """A helpful / not helpful click: the clicker's one vote on the answer the button names (a second click
        changes it); the answer voted on, redrawn in its view with the thanks, or why nothing was recorded."""
        entry, service, view = data.get("entry"), data.get("service"), data.get("view")
        vote = Vote(helpful=data.get("helpful") is True, entry_id=entry if isinstance(entry, str) and entry else None,
                    service_id=service if isinstance(service, str) and service else None,
                    question=str(data.get("question") or ""), view=view if view in VIEWS else "short")
        reply = self.conversation.feedback(vote, self._where(activity, "click"))
        card = cards.reply_card(reply, self.matcher.kb)
        if not isinstance(reply, AnswerReply):
            return card
        return offer_expert(cards.voted_card(card), vote) if not vote.helpful and vote.entry_id else \
            cards.voted_card(card)

    def _export(self, activity: MessageActivity, services: str) -> list[cards.AdaptiveCard]:
        reply = self.conversation.export(services, self._where(activity, "click"))
        if isinstance(reply, ExportReply):
            return cards.export_cards(reply)
        return [cards.reply_card(reply, self.matcher.kb)]

    async def _action(self, activity: MessageActivity,
                      ) -> tuple[cards.AdaptiveCard, str, str | None, float | None, str]:
        data: dict[str, Any] = activity.value
        action = data.get(cards.ACTION_KEY)
        if action == cards.ANSWER_ACTION:
            service = data.get("service")
            answer = self.matcher.answer_entry(str(data.get("entry", "")),
                                               service if isinstance(service, str) and service else None)
            if answer is None:
                return cards.text_card("That topic no longer exists. Ask me again."), "click", None, None, "unknown"
            return cards.answer_card(answer), "click", answer.entry.id, answer.confidence, "answer"
        return cards.text_card("I did not understand that button. Type help."), "click", None, None, "unknown"

    @staticmethod
    def _where(activity: MessageActivity | AdaptiveCardInvokeActivity, via: str) -> Where:
        """The conversation is the place follow-ups continue: a personal chat as a DM (the asker's own), a
        channel's reply chain (its conversation id ends in `;messageid=` of the thread's first post) or a group
        chat as a thread everyone in it shares."""
        personal = activity.conversation.conversation_type == "personal"
        return Where(platform=PLATFORM, via=via, team_id=team_id(activity), channel_id=activity.conversation.id,
                     user_id=activity.from_.id if activity.from_ else None, thread=None if personal else "",
                     direct=personal)

    def _experts_context(self, activity: MessageActivity) -> ExpertsContext:
        """Who typed `experts ...` where. The Bot Framework does not say who owns a team, so nobody is an admin
        here: SRM_EXPERTS_SET_BY lists who may set it on Teams (`bot.conversation.experts`)."""
        ref = conversation_ref(activity)
        person = activity.from_
        return ExpertsContext(platform=PLATFORM, team_id=team_id(activity) or "", channel_id=ref["conversation_id"],
                              user_ids=tuple(i for i in (person.id, person.aad_object_id) if i),
                              is_admin=lambda: False, channel_name=activity.conversation.name,
                              conversation_ref=ref)

    async def _ask_expert(self, ctx: ActivityContext[MessageActivity]) -> cards.AdaptiveCard:
        """An Ask an expert click: the request card posted to the experts' channel (retried), and the card that
        tells the asker how it went."""
        activity = ctx.activity
        question, entry, service = expert_click(activity.value)
        request = await asyncio.to_thread(self.conversation.ask_expert, question, entry, service,
                                          self._where(activity, "click"))
        if isinstance(request, ExpertsReply):
            return experts_reply_card(request)
        ref = request.conversation_ref or {}
        kind = activity.conversation.conversation_type
        asked_in = "a personal chat" if kind == "personal" else f"a {kind or 'chat'}" + (
            f" ({activity.conversation.name})" if activity.conversation.name else "")
        card = request_card(request, activity.from_.name if activity.from_ else None, asked_in)
        post = MessageActivityInput().add_card(card)
        post.conversation = ConversationAccount(id=ref.get("conversation_id", ""), tenant_id=ref.get("tenant_id"))
        sent = bool(ref.get("service_url")) and await deliver(
            ctx, post, what="ask an expert request", team=team_id(activity), channel=request.channel_id,
            send=lambda: ctx.api.conversations.create_activity(ref["conversation_id"], post,
                                                               service_url=ref["service_url"]))
        return cards.text_card(SENT if sent else POST_FAILED.format(error="the channel did not accept it",
                                                                    hint=POST_FAILED_HINT))

    def _tips_context(self, activity: MessageActivity) -> TipsContext:
        ref = conversation_ref(activity)
        return TipsContext(platform=PLATFORM, team_id=team_id(activity) or "", channel_id=ref["conversation_id"],
                           user_id=activity.from_.id, user_tz=(activity.model_extra or {}).get("localTimezone"),
                           conversation_ref=ref)

    def _store_call(self, method: str, **kwargs: Any) -> None:
        """Record feedback or a miss on a worker thread without waiting: the reply never waits for the database
        (the store itself never raises; it queues, logs and retries when the database is down). Called from a
        worker thread (the conversation layer runs off the event loop), it records there."""
        if self.store is None:
            return
        record = functools.partial(getattr(self.store, method), **kwargs)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop in this thread: already off the reply path
            record()
        else:
            loop.run_in_executor(None, record)


def create_app(settings: TeamsSettings, matcher: Matcher, store: Store | None = None, **options: Any) -> App:
    """The Teams SDK app with our handlers registered; `options` go to `App` (tests pass a custom HTTP adapter)."""
    app = App(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        tenant_id=settings.tenant_id,
        dangerously_allow_unauthenticated_requests=settings.allow_unauthenticated,
        **options,
    )
    bot = TeamsBot(matcher=matcher, store=store)
    app.on_message(bot.on_message)
    app.on_install_add(bot.on_install)
    app.on_card_action(bot.on_card_action)
    return app
