"""Slack's rendering of "a way to a human": the `experts` command's replies, the Ask an expert button, the request
posted in the experts' channel and the weekly digest. Every user and knowledge text is escaped (`escape_mrkdwn`);
only ids the bot checked (`<#C..>`, `<@U..>`) go in as markup."""

from __future__ import annotations

import re
from typing import Any

from bot.conversation.experts import REQUEST_TITLE, ExpertRequest, ExpertsReply, guess_line, reply_text
from bot.slack.blocks import actions, bullets, clip, context, expert_button, header, message, section
from bot.slack.escape import escape_mrkdwn
from bot.tips.digest import Digest

HOW = "/srm experts #channel"
_ID = re.compile(r"^[A-Z0-9]+$")


def channel_mention(channel_id: str | None, name: str | None = None) -> str:
    """`<#C123>` for a channel id Slack gave (checked), else the escaped name."""
    if channel_id and _ID.match(channel_id):
        return f"<#{channel_id}>"
    return escape_mrkdwn(f"#{name}" if name else "the channel")


def render_experts_reply(reply: ExpertsReply) -> dict[str, Any]:
    """The `experts` command's answer, or why an Ask an expert request could not go out."""
    text = reply_text(reply, channel=channel_mention, escape=escape_mrkdwn, how=f"`{HOW}`")
    return message(text, [section(text)])


def render_request(request: ExpertRequest) -> dict[str, Any]:
    """What the experts' channel gets: the question (escaped), who asked (a mention) and where, the best guess."""
    asker = f"<@{request.user_id}>" if request.user_id and _ID.match(request.user_id) else "Someone"
    where = channel_mention(request.asked_in) if request.asked_in and request.asked_in[:1] in "CG" \
        else "a direct message"
    lines = [f"{asker} asked in {where}:", f">{clip(request.question or '(no question text)', 1500)}",
             escape_mrkdwn(guess_line(request.guess))]
    return message(escape_mrkdwn(f"{REQUEST_TITLE}: {request.question[:200]}"),
                   [header(REQUEST_TITLE), section("\n".join(lines)),
                    context(escape_mrkdwn("Reply to them directly; the bot does not follow this thread."))])


def render_digest(digest: Digest) -> dict[str, Any]:
    """The weekly digest: unanswered questions and Not helpful answers, most frequent first."""
    title = f"Weekly digest {digest.week}: what the bot could not answer"
    blocks = [header(title)]
    if digest.misses:
        blocks.append(section("*Unanswered questions* (times asked)\n"
                              + bullets(f"{question} ({count})" for question, count in digest.misses)))
    if digest.unhelpful:
        blocks.append(section("*Answers marked Not helpful* (times)\n"
                              + bullets(f"{title} ({count})" for title, count in digest.unhelpful)))
    if not digest.misses and not digest.unhelpful:
        blocks.append(section(escape_mrkdwn("A quiet week: every question was answered and nobody marked an "
                                            "answer Not helpful.")))
    blocks.append(context(escape_mrkdwn(f"Since {digest.since:%Y-%m-%d %H:%M} UTC. srm report misses and srm "
                                        "report feedback list more.")))
    return message(escape_mrkdwn(title), blocks)


def feedback_thanks(text: str, helpful: bool, question: str, entry_id: str | None,
                    service_id: str | None = None) -> dict[str, Any]:
    """The thanks for a feedback click; after Not helpful it offers Ask an expert, with the answer's question and
    entry as the bot's best guess."""
    if helpful:
        return {"text": escape_mrkdwn(text)}
    offer = escape_mrkdwn(f"{text} Want a person to look at it?")
    return message(offer, [section(offer), actions([expert_button(question, entry_id, service_id)])])
