"""Button clicks: share an answer, pick a "did you mean" topic, help, a tip's "Learn more", and feedback."""

from __future__ import annotations

import re
from logging import Logger
from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.answering import Deps, acknowledge
from bot.slack.blocks import (
    ACTION_FEEDBACK,
    ACTION_HELP,
    ACTION_LEARN_MORE,
    ACTION_PICK,
    ACTION_SHARE,
    parse_feedback,
    parse_ref,
    render_result,
)
from bot.slack.escape import escape_mrkdwn
from bot.slack.pages import render_help

_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")
THANKS = "Thanks for the feedback! It helps us improve the answers."
UNKNOWN_TOPIC = "That topic is no longer in the knowledge base. Try `/srm help`."


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


def _where(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """(team id, channel id) of a click, for the logs."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return (body.get("team") or {}).get("id"), channel


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

    def learn_more(body: dict[str, Any], respond: Respond) -> None:
        reply = _answer_reply(deps, _value(body), shareable=True)
        reply_to(body, respond, "learn more", {"response_type": "ephemeral", "replace_original": False,
                                               **(reply or {"text": UNKNOWN_TOPIC})})

    def show_help(body: dict[str, Any], respond: Respond) -> None:
        reply_to(body, respond, "help", {"response_type": "ephemeral", "replace_original": False, **render_help()})

    def ack_feedback(ack: Ack, body: dict[str, Any], logger: Logger) -> None:
        ack()
        parsed = parse_feedback(_value(body))
        if parsed is None:
            logger.warning("feedback click with an unreadable value %r", escape_mrkdwn(_value(body))[:100])
            return
        helpful, entry_id = parsed
        if deps.matcher.answer_entry(entry_id) is None:
            logger.warning("feedback click for an unknown entry id (%d characters) ignored", len(entry_id))
            return
        team_id = (body.get("team") or {}).get("id")
        deps.recorder.feedback(entry_id=entry_id, helpful=helpful, team_id=team_id)

    def thank(body: dict[str, Any], respond: Respond) -> None:
        if parse_feedback(_value(body)) is not None:
            reply_to(body, respond, "feedback thanks", {"text": THANKS, "response_type": "ephemeral",
                                                        "replace_original": False})

    app.action(ACTION_SHARE)(ack=acknowledge, lazy=[share])
    app.action(re.compile(f"^{ACTION_PICK}_[0-9]+$"))(ack=acknowledge, lazy=[pick])
    app.action(ACTION_LEARN_MORE)(ack=acknowledge, lazy=[learn_more])
    app.action(ACTION_HELP)(ack=acknowledge, lazy=[show_help])
    app.action(ACTION_FEEDBACK)(ack=ack_feedback, lazy=[thank])
