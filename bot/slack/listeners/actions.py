"""Button clicks: share an answer, pick a "did you mean" topic, help, a tip's "Learn more" (in a modal on App Home),
feedback, a quiz's answer (told to the clicker alone), and a stack's Export (the CSV uploaded to the conversation
through Slack's external upload flow)."""

from __future__ import annotations

import re
from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.conversation.conversation import QUIZ_GONE
from bot.conversation.replies import TextReply, UnknownServicesReply
from bot.render.matrix_export import csv_bytes
from bot.slack.answering import Deps, acknowledge, where
from bot.slack.blocks import (
    ACTION_EXPORT,
    ACTION_FEEDBACK,
    ACTION_HELP,
    ACTION_LEARN_MORE,
    ACTION_PICK,
    ACTION_QUIZ,
    ACTION_SHARE,
    parse_feedback,
    parse_quiz,
    parse_ref,
    render_modal,
    render_result,
)
from bot.slack.escape import escape_mrkdwn, unescape_mrkdwn
from bot.slack.experts import feedback_thanks
from bot.slack.pages import render_help
from bot.slack.replies import render_reply

_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
THANKS = "Thanks for the feedback! It helps us improve the answers."
UNKNOWN_TOPIC = "That topic is no longer in the knowledge base. Try `/srm help`."
EXPORT_FAILED = ("I could not upload the matrix here ({error}). If this is a channel, invite me to it; or run "
                 "`srm matrix --services {ids} --format csv` in a terminal.")


def _value(body: dict[str, Any]) -> str:
    return str((body.get("actions") or [{}])[0].get("value") or "")


def _answer_reply(deps: Deps, value: str, *, shareable: bool = False,
                  shared_by: str | None = None) -> dict[str, Any] | None:
    entry_id, service_id = parse_ref(value)
    answer = deps.matcher.answer_entry(entry_id, service_id)
    return None if answer is None else render_result(answer, shareable=shareable, shared_by=shared_by)


def _clicker(body: dict[str, Any]) -> str | None:
    user_id = str((body.get("user") or {}).get("id") or "")
    return user_id if _USER_ID.match(user_id) else None


def _channel(body: dict[str, Any]) -> str | None:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(team id, channel id) of a click, for the logs."""
    return (body.get("team") or {}).get("id"), _channel(body)


def upload_export(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
    """Export: the stack's full matrix as CSV, uploaded to the conversation (getUploadURLExternal, the bytes to
    the upload URL, completeUploadExternal with the channel); a failure is told to the clicker, never swallowed."""
    value, user = _value(body), _clicker(body)
    reply = deps.conversation.export(value, where("click", (body.get("team") or {}).get("id"), _channel(body), user))
    team, channel = _where(body)
    if isinstance(reply, UnknownServicesReply):
        deps.outbox.respond(respond.response_url, {"response_type": "ephemeral", "replace_original": False,
                                                   **render_reply(reply, deps.matcher.kb)},
                            what="export", team=team, channel=channel)
        return
    ids = ",".join(s.id for s in reply.services)
    names = ", ".join(s.name for s in reply.services)
    by = f"<@{user}> exported the" if user else "The"
    container = body.get("container") or {}
    try:
        client.files_upload_v2(
            channel=_channel(body), file=csv_bytes(reply.rows), filename=f"srm-matrix-{ids.replace(',', '-')}.csv",
            title=f"Responsibility matrix: {names}", thread_ts=container.get("thread_ts"),
            initial_comment=f"{by} customer responsibility matrix for {escape_mrkdwn(names)} "
                            f"({len(reply.rows)} rows).")
    except (SlackApiError, SlackRequestError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.warning("export upload failed for %s: %s", ids, error)
        deps.outbox.respond(respond.response_url, {"text": escape_mrkdwn(EXPORT_FAILED.format(error=error, ids=ids)),
                                                   "response_type": "ephemeral", "replace_original": False},
                            what="export failure", team=team, channel=channel)


def open_topic(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """A "Learn more" click on App Home (a view, which has no response_url): the topic's full answer in a modal
    (views.open with the click's trigger_id), through the outbox; a refusal by Slack is logged there."""
    entry_id, service_id = parse_ref(_value(body))
    view = render_modal(deps.matcher.answer_entry(entry_id, service_id), UNKNOWN_TOPIC)
    user = _clicker(body)
    deps.outbox.post(client, "views.open", {"trigger_id": body.get("trigger_id"), "view": view},
                     what="learn more modal", team=(body.get("team") or {}).get("id"), channel=None,
                     lane=f"home:{user}")


def register(app: App, deps: Deps) -> None:
    """Register every button of the srm messages."""

    def reply_to(body: dict[str, Any], respond: Respond, what: str, payload: dict[str, Any],
                 then: dict[str, Any] | None = None) -> None:
        team, channel = _where(body)
        deps.outbox.respond(respond.response_url, payload, what=what, team=team, channel=channel, then=then)

    def share(body: dict[str, Any], respond: Respond) -> None:
        reply = _answer_reply(deps, _value(body), shared_by=_clicker(body))
        if reply is None:
            reply_to(body, respond, "share", {"text": UNKNOWN_TOPIC, "response_type": "ephemeral",
                                              "replace_original": False})
            return
        # the private answer is deleted only once the channel has the shared one
        reply_to(body, respond, "share", {"response_type": "in_channel", "replace_original": False,
                                          "delete_original": False, **reply}, then={"delete_original": True})

    def pick(body: dict[str, Any], respond: Respond) -> None:
        ephemeral = bool((body.get("container") or {}).get("is_ephemeral"))
        reply = _answer_reply(deps, _value(body), shareable=ephemeral)
        if reply is None:
            reply_to(body, respond, "pick", {"text": UNKNOWN_TOPIC, "response_type": "ephemeral",
                                             "replace_original": False})
        else:
            reply_to(body, respond, "pick", {"replace_original": True, **reply})

    def learn_more(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if (body.get("container") or {}).get("type") == "view":  # App Home has no response_url: open a modal
            open_topic(deps, body, client)
            return
        reply = _answer_reply(deps, _value(body), shareable=True)
        reply_to(body, respond, "learn more", {"response_type": "ephemeral", "replace_original": False,
                                               **(reply or {"text": UNKNOWN_TOPIC})})

    def show_help(body: dict[str, Any], respond: Respond) -> None:
        reply_to(body, respond, "help", {"response_type": "ephemeral", "replace_original": False, **render_help()})

    def ack_feedback(ack: Ack, body: dict[str, Any], logger: Logger) -> None:
        ack()
        vote = parse_feedback(_value(body))
        if vote is None:
            logger.warning("feedback click with an unreadable value %r", escape_mrkdwn(_value(body))[:100])
            return
        team, channel = _where(body)
        if isinstance(deps.conversation.feedback(vote, where("click", team, channel, _clicker(body))), TextReply):
            logger.warning("feedback click for an unknown entry id (%d characters) ignored", len(vote.entry_id or ""))

    def thank(body: dict[str, Any], respond: Respond) -> None:
        if (vote := parse_feedback(_value(body))) is not None:  # Not helpful: offered Ask an expert
            thanks = feedback_thanks(THANKS, vote.helpful, unescape_mrkdwn(vote.question), vote.entry_id,
                                     vote.service_id)
            reply_to(body, respond, "feedback thanks", {"response_type": "ephemeral", "replace_original": False,
                                                        **thanks})

    def answer_quiz(body: dict[str, Any], respond: Respond) -> None:
        parsed = parse_quiz(_value(body))
        if parsed is None:
            reply_to(body, respond, "quiz", {"text": QUIZ_GONE, "response_type": "ephemeral",
                                             "replace_original": False})
            return
        team, channel = _where(body)
        reply = deps.conversation.answer_quiz(*parsed, where("click", team, channel, _clicker(body)))
        reply_to(body, respond, "quiz answer", {"response_type": "ephemeral", "replace_original": False,
                                                **render_reply(reply, deps.matcher.kb)})

    def export(body: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        upload_export(deps, body, client, respond, logger)

    app.action(ACTION_SHARE)(ack=acknowledge, lazy=[share])
    app.action(ACTION_EXPORT)(ack=acknowledge, lazy=[export])
    app.action(re.compile(f"^{ACTION_QUIZ}_(aws|customer|shared)$"))(ack=acknowledge, lazy=[answer_quiz])
    app.action(re.compile(f"^{ACTION_PICK}_[0-9]+$"))(ack=acknowledge, lazy=[pick])
    app.action(ACTION_LEARN_MORE)(ack=acknowledge, lazy=[learn_more])
    app.action(ACTION_HELP)(ack=acknowledge, lazy=[show_help])
    app.action(ACTION_FEEDBACK)(ack=ack_feedback, lazy=[thank])
