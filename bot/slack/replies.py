"""The conversation's platform-neutral replies (`bot.conversation.replies`) as Slack messages (text + blocks)."""

from __future__ import annotations

from typing import Any

from bot.conversation import stack_wording
from bot.conversation.parse import USAGE
from bot.conversation.replies import (
    AnswerReply,
    CompareReply,
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
from bot.core.model import KnowledgeBase
from bot.slack.blocks import (
    message,
    render_compare,
    render_quiz_answer,
    render_result,
    render_stack,
    render_tip,
    section,
)
from bot.slack.escape import escape_mrkdwn
from bot.slack.pages import render_help, render_list, render_services

PREFIX = "/srm "


def usage_message(problem_mrkdwn: str, usage: str) -> dict[str, Any]:
    """What was wrong (escaped mrkdwn) and how to write the command."""
    how = f"Write it as: `{PREFIX}{escape_mrkdwn(USAGE[usage][0])}`"
    return message(problem_mrkdwn.split("\n")[0], [section(f"{problem_mrkdwn}\n{how}")])


def render_reply(reply: Reply, kb: KnowledgeBase, *, shareable: bool = False,
                 shared_by: str | None = None) -> dict[str, Any]:
    """`{"text", "blocks"}` for ack(), respond() or chat.postMessage; `shareable` adds "Share in channel" to an
    answer (ephemeral replies), `shared_by` credits who shared it; an answer is shown in its reply's view."""
    if isinstance(reply, AnswerReply):
        return render_result(reply.result, shareable=shareable, shared_by=shared_by, view=reply.view)
    if isinstance(reply, HelpReply):
        return render_help()
    if isinstance(reply, TopicsReply):
        return render_list(kb, reply.owner)
    if isinstance(reply, ServicesReply):
        return render_services(kb)
    if isinstance(reply, TipReply):
        return render_tip(reply.tip, reply.entry)
    if isinstance(reply, StackReply):
        return render_stack(reply.summary)
    if isinstance(reply, CompareReply):
        return render_compare(reply.first, reply.second, reply.differences)
    if isinstance(reply, UsageReply):
        return usage_message(escape_mrkdwn(reply.problem), reply.usage)
    if isinstance(reply, UnknownServicesReply):
        lines = [escape_mrkdwn(line) for line in stack_wording.unknown_lines(reply.suggestions)]
        return usage_message("\n".join([*lines, f"`{PREFIX}services` {stack_wording.SERVICES_HINT}"]),
                             reply.usage)
    if isinstance(reply, QuizAnswerReply):
        return render_quiz_answer(reply.entry, reply.tip, reply.answer, reply.correct, reply.counted)
    if isinstance(reply, TextReply):
        return {"text": escape_mrkdwn(reply.text)}
    raise TypeError(f"no Slack rendering for {type(reply).__name__}")
