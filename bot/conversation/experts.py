"""A way to a human: who may name the experts' channel (`SRM_EXPERTS_SET_BY`), the `experts` command's answers, and
an "Ask an expert" request, as platform-neutral data and wording that Slack and Teams only render.

`SRM_EXPERTS_SET_BY` is a comma-separated list: `admins` (the default: on Slack, the workspace's admins and owners,
as `users.info` says), `everyone`, and user ids (Slack `U...`; Teams the user's `29:...` id or Microsoft Entra
object id). The Bot Framework does not say who owns a team, so on Teams `admins` admits nobody by itself: list the
people who may set it by id (a refusal tells the asker their ids).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.answers import Answer
from bot.core.presentation import owner_label

LOGGER = logging.getLogger("srm.conversation")

SET_BY_ENV = "SRM_EXPERTS_SET_BY"
ADMINS, EVERYONE = "admins", "everyone"

NO_DATABASE = "The experts' channel needs the bot's database, which is not configured on this server."
FAILED = "Sorry, I could not reach the bot's database just now. Please try again in a minute."
SENT = "Sent to the experts' channel. Someone there will follow up with you."
NOT_SET = ("No experts' channel is set for this workspace yet, so I could not send it. An admin can name one: "
           "{how}.")
POST_FAILED = "I could not post your question to the experts' channel ({error}). {hint}"
POST_FAILED_HINT = "Invite me to that channel, or ask an admin to name another one."
CHECK_FAILED = "I could not check who you are just now ({error}), so the experts' channel is unchanged. Try again."
REQUEST_TITLE = "Question for the experts"


@dataclass(frozen=True)
class SetterPolicy:
    """Who may set the experts' channel: everyone, workspace admins and owners, and/or these user ids."""

    everyone: bool = False
    admins: bool = True
    users: frozenset[str] = frozenset()

    def allows(self, user_ids: tuple[str, ...], is_admin: Callable[[], bool]) -> bool:
        """Whether a person (known by `user_ids`) may set it; `is_admin` is asked only when it decides (it may call
        the platform and raise)."""
        if self.everyone or any(user in self.users for user in user_ids if user):
            return True
        return self.admins and is_admin()

    def describe(self) -> str:
        """Who may set it, in words."""
        parts = (["everyone"] if self.everyone else []) + (["workspace admins and owners"] if self.admins else [])
        if self.users:
            parts.append("the people the bot's operator listed")
        return " and ".join(parts) or "nobody"


def setter_policy(env: Mapping[str, str] | None = None) -> SetterPolicy:
    """The policy in SRM_EXPERTS_SET_BY (default `admins`); ValueError naming the variable for a word that is
    neither `admins`, `everyone` nor a user id."""
    raw = (os.environ if env is None else env).get(SET_BY_ENV, "").strip() or ADMINS
    words = [word.strip() for word in raw.split(",") if word.strip()]
    users = frozenset(word for word in words if word not in (ADMINS, EVERYONE))
    bad = [word for word in users if not word.replace(":", "").replace("-", "").replace("_", "").isalnum()]
    if bad or not words:
        raise ValueError(f"{SET_BY_ENV} must list admins, everyone and/or user ids, separated by commas; "
                         f"got {raw!r}")
    return SetterPolicy(everyone=EVERYONE in words, admins=ADMINS in words, users=users)


@dataclass(frozen=True)
class ExpertsContext:
    """Where `experts ...` was typed and by whom: the platform, team, channel (its name when known), the person's
    ids, how to ask the platform whether they are an admin (may raise), and (Teams) where a proactive post goes."""

    platform: str
    team_id: str
    channel_id: str
    user_ids: tuple[str, ...]
    is_admin: Callable[[], bool]
    channel_name: str | None = None
    conversation_ref: dict[str, Any] | None = None


@dataclass(frozen=True)
class ExpertsReply:
    """The `experts` command's answer. `outcome`: shown, none, set, cleared, unchanged, denied, check-failed,
    failed or no-database; `channel_id`/`channel_name` the channel concerned; `who` who may set it (denied)."""

    outcome: str
    channel_id: str | None = None
    channel_name: str | None = None
    set_by: str | None = None
    who: str = ""
    detail: str = ""
    user_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpertRequest:
    """An "Ask an expert" click to post: the question as asked, who asked where, the bot's best guess (maybe none),
    and the experts' channel (its id; Teams: its conversation reference)."""

    question: str
    user_id: str | None
    asked_in: str | None
    guess: Answer | None
    channel_id: str
    channel_name: str | None
    conversation_ref: dict[str, Any] | None


def guess_line(guess: Answer | None) -> str:
    """The bot's best guess, in words."""
    if guess is None:
        return "My best guess: none (no topic came close)."
    return f"My best guess: {guess.entry.title} ({owner_label(guess.owner)})."


def experts_reply(store: Any | None, action: str, channel_id: str | None, channel_name: str | None,
                  ctx: ExpertsContext, policy: SetterPolicy | None = None) -> ExpertsReply:
    """The answer to `experts` (`action` show), `experts off`, `experts #channel` (set, with the channel's id and
    name) or `experts here` (the channel typed in): shown, set or cleared in the store, when the policy allows."""
    from bot.store import experts as saved  # the store is imported only where it is used

    if store is None:
        return ExpertsReply("no-database")
    policy = policy or setter_policy()
    try:
        current = saved.experts_channel(store, ctx.platform, ctx.team_id)
        if action == "show":
            if current is None:
                return ExpertsReply("none", who=policy.describe())
            return ExpertsReply("shown", current.channel_id, current.channel_name, current.set_by)
        try:
            allowed = policy.allows(ctx.user_ids, ctx.is_admin)
        except Exception as exc:  # the platform did not answer whether this person is an admin: say so
            LOGGER.warning("experts: could not check the setter: %s", type(exc).__name__)
            return ExpertsReply("check-failed", detail=type(exc).__name__)
        if not allowed:
            return ExpertsReply("denied", who=policy.describe(), user_ids=ctx.user_ids)
        if action == "off":
            cleared = saved.clear_experts_channel(store, ctx.platform, ctx.team_id)
            return ExpertsReply("cleared" if cleared else "unchanged")
        target, name = (ctx.channel_id, ctx.channel_name) if action == "here" else (channel_id, channel_name)
        assert target, "the parser gives `set` a channel id"
        ref = ctx.conversation_ref if action == "here" else None
        row = saved.set_experts_channel(store, platform=ctx.platform, team_id=ctx.team_id, channel_id=target,
                                        channel_name=name, set_by=ctx.user_ids[0] if ctx.user_ids else "-",
                                        conversation_ref=ref)
        return ExpertsReply("set", row.channel_id, row.channel_name, row.set_by)
    except Exception:
        LOGGER.exception("experts: the store failed")
        return ExpertsReply("failed")


def expert_request(store: Any | None, question: str, guess: Answer | None, platform: str, team_id: str | None,
                   asked_in: str | None, user_id: str | None) -> ExpertRequest | ExpertsReply:
    """What an "Ask an expert" click posts, or why it cannot: no database, no experts' channel (`not-set`), or the
    database failed."""
    from bot.store import experts as saved

    if store is None:
        return ExpertsReply("no-database")
    try:
        channel = saved.experts_channel(store, platform, team_id or "-")
    except Exception:
        LOGGER.exception("experts: the store failed")
        return ExpertsReply("failed")
    if channel is None:
        return ExpertsReply("not-set")
    return ExpertRequest(question, user_id, asked_in, guess, channel.channel_id, channel.channel_name,
                         channel.conversation_ref)


def reply_text(reply: ExpertsReply, *, channel: Callable[[str | None, str | None], str],
               escape: Callable[[str], str], how: str) -> str:
    """The `experts` reply (or an Ask-an-expert refusal) in words: `escape` applied to every part of ours, and
    `channel(id, name)` (the platform's markup for a channel, inserted as it is) where the channel is named; `how`
    is how to set one on this platform (`/srm experts #channel`)."""
    from bot.tips.digest import digest_schedule  # when the digest goes out, for the wording

    where = channel(reply.channel_id, reply.channel_name) if reply.channel_id else ""
    after = escape(f": Ask an expert posts there, and the weekly digest of unanswered questions and Not helpful "
                   f"answers goes there on {digest_schedule().describe()}.")
    texts = {
        "shown": escape("The experts' channel is ") + where + after,
        "set": escape("The experts' channel is now ") + where + after,
        "none": escape(f"No experts' channel is set. {reply.who.capitalize()} can name one: {how}."),
        "not-set": escape(NOT_SET.format(how=how)),
        "cleared": escape("The experts' channel is cleared: Ask an expert and the weekly digest are off."),
        "unchanged": escape("No experts' channel was set, so nothing changed."),
        "denied": escape(f"Only {reply.who} may change the experts' channel."
                         + (f" The bot's operator can allow you by adding {' or '.join(reply.user_ids)} to "
                            f"{SET_BY_ENV}." if reply.user_ids else "")),
        "check-failed": escape(CHECK_FAILED.format(error=reply.detail)),
        "failed": escape(FAILED),
        "no-database": escape(NO_DATABASE),
    }
    return texts[reply.outcome]


setter_policy()  # a bad SRM_EXPERTS_SET_BY stops the process as it starts, naming the variable
