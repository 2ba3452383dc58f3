"""An answer's view buttons (Short answer, Details, Why): the clicked message shows the other view in place.

An ephemeral answer (to `/srm` or a shortcut) is replaced through the action's response_url with
`replace_original`; a message the bot posted (a mention's thread, a DM, a shared answer) is updated with
`chat.update`. Replies through the response_url go through the outbox (retried, a final failure logged); a
failed update is told to the clicker, never swallowed."""

from __future__ import annotations

import re
from logging import Logger
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.conversation.answer_view import VIEWS
from bot.slack.answering import Deps, acknowledge, where
from bot.slack.blocks import ACTION_VIEW, parse_view_value
from bot.slack.escape import escape_mrkdwn
from bot.slack.replies import render_reply

UPDATE_FAILED = "I could not update that message ({error}). Ask me again for a fresh answer."
_VIEW_ACTION = re.compile(f"^{ACTION_VIEW}_({'|'.join(VIEWS)})$")


def show_view(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
    """Answer a view button: render the answer it names in the clicked view and put it where the click came from."""
    clicked = (body.get("actions") or [{}])[0]
    found = _VIEW_ACTION.match(str(clicked.get("action_id") or ""))
    view = found.group(1) if found else "short"
    entry_id, service_id, question = parse_view_value(str(clicked.get("value") or ""))
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    team = (body.get("team") or {}).get("id")
    reply = deps.conversation.answer_view(entry_id, service_id, question, view,
                                          where("click", team, channel, (body.get("user") or {}).get("id")))
    ephemeral = bool(container.get("is_ephemeral"))
    rendered = render_reply(reply, deps.matcher.kb, shareable=ephemeral)
    if ephemeral or not container.get("message_ts"):
        deps.outbox.respond(respond.response_url, {"replace_original": True, **rendered}, what=f"{view} view",
                            team=team, channel=channel)
        return
    try:
        client.chat_update(channel=channel, ts=container["message_ts"], **rendered)
    except (SlackApiError, SlackRequestError, OSError) as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        logger.warning("chat.update of an answer's %s view failed: %s", view, error)
        deps.outbox.respond(respond.response_url, {"text": escape_mrkdwn(UPDATE_FAILED.format(error=error)),
                                                   "response_type": "ephemeral", "replace_original": False},
                            what=f"{view} view failure", team=team, channel=channel)


def register(app: App, deps: Deps) -> None:
    """Register the Short answer, Details and Why buttons."""

    def view(body: dict[str, Any], client: WebClient, respond: Respond, logger: Logger) -> None:
        show_view(deps, body, client, respond, logger)

    app.action(_VIEW_ACTION)(ack=acknowledge, lazy=[view])
