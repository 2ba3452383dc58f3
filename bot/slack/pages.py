"""Block Kit for everything that is not an answer: `/srm help`, `list`, `services`, and the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from bot.conversation.parse import USAGE as COMMAND_USAGE
from bot.core.model import OWNERS, KnowledgeBase, Tip
from bot.core.presentation import EXAMPLES
from bot.slack.blocks import (
    SECTION_LIMIT,
    Block,
    badge,
    bullets,
    chunked_sections,
    clip_escaped,
    context,
    header,
    message,
    render_tip,
    section,
)
from bot.slack.escape import escape_mrkdwn

ABOUT = ("I answer *who is responsible for what* under the AWS Shared Responsibility Model: AWS secures the cloud "
         "itself, you secure what you put in it, and some duties are shared. Every answer names the owner, how it "
         "changes with the service (EC2, RDS, Lambda ...), what you should do, the audit reports that evidence "
         "AWS's side, and AWS's documentation.")

USAGE = "\n".join([
    "*How to ask*",
    "\u2022 `/srm <question>`: an answer only you see, with a button to share it",
    *(f"\u2022 `/srm {escape_mrkdwn(how)}`: {escape_mrkdwn(what)}" for how, what in COMMAND_USAGE.values()),
    "\u2022 Mention me in a channel (I answer in a thread) or send me a direct message",
    "\u2022 In a thread, use the message shortcut *Ask SRM about this message*",
])


def _examples() -> str:
    return "*Examples*\n" + "\n".join(f"\u2022 `/srm {escape_mrkdwn(e)}`" for e in EXAMPLES)


def render_help() -> dict[str, Any]:
    """Usage with examples (`/srm`, `/srm help`, the Help button)."""
    return message("How to ask srm-bot", [section(ABOUT), section(USAGE), section(_examples())])


DIVIDER: Block = {"type": "divider"}
PAGE_LIST_BUDGET = 9000
"""Characters of topic or service names on a help page (pages have more room than an answer card)."""
"""Characters of topic titles in one `/srm list` reply, shared by the owners shown; the rest is counted."""


def render_list(kb: KnowledgeBase, owner: str | None = None) -> dict[str, Any]:
    """The topic titles, grouped by owner (one owner when `owner` is given), cut to fit one message."""
    owners = (owner,) if owner else OWNERS
    blocks: list[Block] = [header("Topics" if owner is None else f"Topics owned by {owner}")]
    for each in owners:
        titles = [escape_mrkdwn(e.title) for e in kb.entries if e.owner == each]
        blocks.append(section(f"{badge(each)} ({len(titles)})"))
        listed = bullets(titles, PAGE_LIST_BUDGET // len(owners), escaped=True) or "(none)"
        blocks.extend(chunked_sections(listed.split("\n")))
    blocks.append(context("Ask about any of them: `/srm <topic>`"))
    return message("srm-bot topics", blocks)


def render_services(kb: KnowledgeBase) -> dict[str, Any]:
    """The services the bot knows by name, with their category."""
    names = [f"*{escape_mrkdwn(s.name)}* ({s.category})" for s in kb.services]
    blocks: list[Block] = [header("Services I know"), *chunked_sections(bullets(names, PAGE_LIST_BUDGET, escaped=True)
                                                                        .split("\n")),
                           context("Name one in a question to see how it changes the answer, e.g. "
                                   "`/srm who patches the OS on RDS?`")]
    return message("Services srm-bot knows", blocks)


def render_home(kb: KnowledgeBase, tip: Tip) -> dict[str, Any]:
    """The App Home view: what the bot does, how to ask, topics by owner, today's tip."""
    blocks: list[Block] = [header("srm-bot: who is responsible for X?"), section(ABOUT), section(USAGE),
                           section(_examples()), DIVIDER, header("Browse by owner")]
    for owner in OWNERS:
        titles = [escape_mrkdwn(e.title) for e in kb.entries if e.owner == owner]
        browse = f"{badge(owner)} ({len(titles)}, all of them: `/srm list {owner}`)\n"
        blocks.append(section(browse + (clip_escaped(", ".join(titles), SECTION_LIMIT - len(browse)) or "(none)")))
    blocks.append(DIVIDER)
    entry = kb.entry(tip.entry)
    if entry is not None:
        blocks.extend(render_tip(tip, entry)["blocks"])
    return View(type="home", blocks=blocks).to_dict()  # to_dict() checks the 100-block limit of a view
