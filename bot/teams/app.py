"""The Teams SDK app: messages (1:1 or @-mention) answered with Adaptive Cards, button clicks, help and tip commands.

`create_app(settings, matcher, store=None)` builds a `microsoft_teams.apps.App` with our handlers; nothing runs and
nothing is contacted until `bot.teams.server.run()` starts it. The handlers only translate: text in, core answer,
card out (`bot.teams.cards`); the core knows nothing of Teams.
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

from microsoft_teams.api import InstalledActivity, MessageActivity
from microsoft_teams.api.activities.utils import StripMentionsTextOptions
from microsoft_teams.apps import ActivityContext, App

from bot.core import Answer, Matcher, NoMatch, outcome_of
from bot.core.tips import tip_of_the_day
from bot.logs import log_request
from bot.store.store import Store
from bot.teams import cards
from bot.teams.sending import Replies
from bot.teams.settings import TeamsSettings
from bot.tips.commands import TipsContext, handle_tips_command

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

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        """A message or a card button click: reply with a card."""
        started = time.perf_counter()
        activity = ctx.activity
        if isinstance(activity.value, dict) and cards.ACTION_KEY in activity.value:
            card, command, entry, score, outcome = await self._action(activity)
        else:
            card, command, entry, score, outcome = await self._text(activity)
        self.replies.send(ctx, card, what=f"{command} reply", team=team_id(activity),
                          channel=activity.conversation.id)
        log_request(platform=PLATFORM, team=team_id(activity), channel=activity.conversation.id, command=command,
                    entry=entry, score=score, ms=(time.perf_counter() - started) * 1000, outcome=outcome)

    async def on_install(self, ctx: ActivityContext[InstalledActivity]) -> None:
        """Added to a chat or team: say hello with the help card."""
        self.replies.send(ctx, cards.help_card(), what="welcome", team=team_id(ctx.activity),
                          channel=ctx.activity.conversation.id)
        log_request(platform=PLATFORM, team=team_id(ctx.activity), channel=ctx.activity.conversation.id,
                    command="install", entry=None, score=None, ms=0.0, outcome="welcome")

    async def _text(self, activity: MessageActivity) -> tuple[cards.AdaptiveCard, str, str | None, float | None, str]:
        text = message_text(activity)
        word, _, rest = text.partition(" ")
        word = word.lower()
        if word in ("", "help") and not rest:
            return cards.help_card(), "help", None, None, "help"
        if word == "tip" and not rest:
            tip = tip_of_the_day(self.matcher.kb)
            return cards.tip_card(tip, self.matcher.kb.entry(tip.entry)), "tip", tip.entry, None, "tip"
        if word == "tips":
            return cards.text_card(await self._tips_command(activity, rest)), "tips", None, None, "tips"
        return await self._answer(text, activity)

    async def _answer(self, question: str, activity: MessageActivity,
                      ) -> tuple[cards.AdaptiveCard, str, str | None, float | None, str]:
        result = self.matcher.match(question)
        if isinstance(result, NoMatch) and result.worth_recording:
            self._store_call("record_miss", question=result.question, platform=PLATFORM, team_id=team_id(activity))
        card = cards.answer_card(result) if isinstance(result, Answer) else cards.result_card(result)
        return card, "ask", *outcome_of(result)

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
        if action == cards.ASK_ACTION:
            return await self._answer(str(data.get("question", "")), activity)
        if action == cards.FEEDBACK_ACTION:
            helpful = bool(data.get("helpful"))
            entry = str(data.get("entry", ""))
            if self.matcher.answer_entry(entry) is None:  # a forged or stale button: nothing to record
                return cards.text_card("Thanks for the feedback."), "feedback", None, None, "unknown"
            self._store_call("record_feedback", entry_id=entry, helpful=helpful, platform=PLATFORM,
                             team_id=team_id(activity))
            return cards.text_card("Thanks for the feedback."), "feedback", entry, None, "feedback"
        return cards.text_card("I did not understand that button. Type help."), "click", None, None, "unknown"

    async def _tips_command(self, activity: MessageActivity, args: str) -> str:
        if self.store is None:
            return "Daily tips need the bot's database, which is not configured here."
        ref = conversation_ref(activity)
        ctx = TipsContext(platform=PLATFORM, team_id=team_id(activity) or "", channel_id=ref["conversation_id"],
                          user_id=activity.from_.id, user_tz=(activity.model_extra or {}).get("localTimezone"),
                          conversation_ref=ref)
        try:
            return await asyncio.to_thread(handle_tips_command, self.store, args, ctx)
        except Exception:
            logger.exception("tips command failed")
            return "Daily tips could not be changed just now (the database did not answer). Try again in a minute."

    def _store_call(self, method: str, **kwargs: Any) -> None:
        """Record feedback or a miss on a worker thread without waiting: the reply never waits for the database
        (the store itself never raises; it queues, logs and retries when the database is down)."""
        if self.store is not None:
            asyncio.get_running_loop().run_in_executor(None, functools.partial(getattr(self.store, method), **kwargs))


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
    return app
