"""Posting a daily tip to a Teams conversation, proactively, from the clock process.

The subscription's `conversation_ref` (saved by `tips on`, see `bot.teams.app.conversation_ref`) says where: the
connector's service URL and the conversation (a channel root, a group chat or a 1:1 chat). The post goes through
the Teams SDK's API client (`app.api.conversations.create_activity`), which adds the bot's token from `CLIENT_ID`,
`CLIENT_SECRET` and `TENANT_ID`. Connector answers become `DeliveryError`s; retrying is the clock's job.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from microsoft_teams.api import Account, ConversationAccount, MessageActivityInput
from microsoft_teams.apps import App
from microsoft_teams.cards import AdaptiveCard

from bot.core.model import Entry, Tip
from bot.store.models import ExpertsChannel, TipSubscription
from bot.teams.cards import quiz_card, tip_card
from bot.teams.sending import retry_after
from bot.tips.digest import Digest
from bot.tips.quiz import QuizCard
from bot.tips.senders import DeliveryError

SEND_TIMEOUT_S = 60.0
PERMANENT_STATUSES = frozenset({403, 404})
"""The bot was removed from the conversation (403 BotNotInConversationRoster) or it no longer exists (404)."""


class TeamsTipSender:
    """Posts tips to Teams conversations; `send` is synchronous, the SDK's async client runs on a private loop."""

    platform = "teams"
    timeout = SEND_TIMEOUT_S

    def __init__(self, app: App | None = None, render: Callable[[Tip, Entry | None], AdaptiveCard] = tip_card) -> None:
        self.app = app or App()
        self.render = render
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="teams-tip-sender", daemon=True).start()

    def send(self, subscription: TipSubscription, tip: Tip, entry: Entry | None, *,
             quiz: QuizCard | None = None) -> str:
        """Post `tip` (or `quiz`, for a quiz subscription) to the subscription's conversation; return the new
        activity's id."""
        card = quiz_card(quiz) if quiz is not None else self.render(tip, entry)
        return self.post(subscription.conversation_ref, card, "run `tips on` in the conversation again")

    def send_digest(self, channel: ExpertsChannel, digest: Digest) -> str:
        """Post the experts' weekly digest to the team's experts' channel; return the new activity's id."""
        from bot.teams.experts_cards import digest_card

        return self.post(channel.conversation_ref, digest_card(digest), "run `experts here` in the channel again")

    def post(self, ref: dict[str, Any] | None, card: AdaptiveCard, fix: str) -> str:
        """Post `card` proactively to the conversation `ref` names; the new activity's id, or DeliveryError (`fix`
        says what to do when there is no reference)."""
        ref = ref or {}
        service_url, conversation_id = ref.get("service_url"), ref.get("conversation_id")
        if not service_url or not conversation_id:
            raise DeliveryError(f"no conversation reference: {fix}", permanent=True)
        activity = MessageActivityInput().add_card(card)
        activity.from_ = Account(id=ref.get("bot_id") or self.app.id or "", name=ref.get("bot_name"))
        activity.conversation = ConversationAccount(id=conversation_id, tenant_id=ref.get("tenant_id"))
        try:
            sent = self._run(self.app.api.conversations.create_activity(conversation_id, activity,
                                                                        service_url=service_url))
        except httpx.HTTPStatusError as exc:
            raise delivery_error(exc.response) from exc
        except (httpx.TransportError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"network: {type(exc).__name__}") from exc
        return str(sent.id)

    def _run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(SEND_TIMEOUT_S)
        except TimeoutError:
            future.cancel()  # never leave a post running after the clock has counted it as failed
            raise

    def close(self) -> None:
        """Stop the private event loop."""
        self._loop.call_soon_threadsafe(self._loop.stop)


def delivery_error(response: httpx.Response) -> DeliveryError:
    """Classify a connector error: rate limit (with Retry-After), bot gone from the conversation, or transient."""
    try:
        body = response.json()
    except ValueError:
        body = None
    code = body.get("error", {}).get("code") if isinstance(body, dict) and isinstance(body.get("error"), dict) \
        else None
    reason = f"http_{response.status_code}" + (f": {code}" if code else "")
    if response.status_code == 429:
        return DeliveryError(reason, retry_after=retry_after(response))
    return DeliveryError(reason, permanent=response.status_code in PERMANENT_STATUSES)
