"""A way to a human on Slack: `/srm experts ...` (who may set it is checked with `users.info`: `is_admin` or
`is_owner`) and the Ask an expert button, whose request is posted to the experts' channel through the outbox
(retried); the asker is told once Slack accepted it, or why it finally failed."""

from __future__ import annotations

from logging import Logger
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.conversation.experts import POST_FAILED, POST_FAILED_HINT, SENT, ExpertsContext, ExpertsReply
from bot.conversation.parse import Experts
from bot.slack.answering import PLATFORM, Deps, acknowledge, where
from bot.slack.blocks import ACTION_ASK_EXPERT, parse_view_value
from bot.slack.escape import escape_mrkdwn, unescape_mrkdwn
from bot.slack.experts import render_experts_reply, render_request


def is_workspace_admin(client: WebClient, user_id: str) -> bool:
    """Whether Slack says `user_id` is an admin or owner of the workspace (`users.info`); raises when Slack does
    not answer, so the caller can say so."""
    user = client.users_info(user=user_id)["user"]
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def experts_message(deps: Deps, command: Experts, fields: dict[str, Any], client: WebClient, *,
                    via: str) -> dict[str, Any]:
    """The rendered answer to `experts ...` typed with `fields` (team_id, channel_id, user_id)."""
    user = fields.get("user_id") or ""
    ctx = ExpertsContext(platform=PLATFORM, team_id=fields.get("team_id") or "-",
                         channel_id=fields.get("channel_id") or "", user_ids=(user,),
                         is_admin=lambda: is_workspace_admin(client, user), channel_name=fields.get("channel_name"))
    reply = deps.conversation.experts(command, ctx, where(via, ctx.team_id, ctx.channel_id, user))
    return render_experts_reply(reply)


def answer_command(deps: Deps, command: Experts, fields: dict[str, Any], client: WebClient, respond: Respond,
                   logger: Logger, *, via: str) -> None:
    """`/srm experts ...`, answered through the response_url (it needs the database and maybe users.info)."""
    try:
        payload = {"response_type": "ephemeral", **experts_message(deps, command, fields, client, via=via)}
    except Exception:
        logger.exception("could not answer /srm experts")
        return
    deps.outbox.respond(respond.response_url, payload, what="/srm experts reply", team=fields.get("team_id"),
                        channel=fields.get("channel_id"))


def ask_expert(deps: Deps, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """An Ask an expert click: the request posted to the experts' channel, and the asker told how it went."""
    entry_id, service_id, carried = parse_view_value(str((body.get("actions") or [{}])[0].get("value") or ""))
    question = unescape_mrkdwn(carried)
    team = (body.get("team") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    request = deps.conversation.ask_expert(question, entry_id, service_id,
                                           where("click", team, channel, (body.get("user") or {}).get("id")))
    url = respond.response_url
    if isinstance(request, ExpertsReply):
        deps.outbox.respond(url, {"response_type": "ephemeral", "replace_original": False,
                                  **render_experts_reply(request)}, what="ask an expert reply", team=team,
                            channel=channel)
        return

    def told(text: str) -> dict[str, Any]:
        return {"text": escape_mrkdwn(text), "response_type": "ephemeral", "replace_original": False}

    sent = deps.outbox.reply(url, told(SENT), what="ask an expert: sent", team=team, channel=channel) if url \
        else None
    deps.outbox.post(client, "chat.postMessage", {"channel": request.channel_id, "unfurl_links": False,
                                                  **render_request(request)},
                     what="ask an expert request", team=team, channel=request.channel_id, then=sent,
                     otherwise=(lambda reason: deps.outbox.reply(
                         url, told(POST_FAILED.format(error=reason, hint=POST_FAILED_HINT)),
                         what="ask an expert: failed", team=team, channel=channel)) if url else None)


def register(app: App, deps: Deps) -> None:
    """Register the Ask an expert button (`/srm experts` is routed here by the command listener)."""

    def clicked(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ask_expert(deps, body, client, respond)

    app.action(ACTION_ASK_EXPERT)(ack=acknowledge, lazy=[clicked])
