"""The Teams SDK's FastAPI adapter with a screen in front of `/api/messages`.

Before anything is parsed or authenticated (the SDK reads any body whole, then checks the token), `BodyScreen`
refuses a body past MAX_BODY_BYTES with 413 (by its Content-Length before reading it, or as soon as a chunked body
passes it), one not complete within BODY_DEADLINE_S with 408, and one that is not JSON or nests deeper than
MAX_JSON_DEPTH with 400. Then the route refuses a JSON value that is not an activity with 400 (the SDK alone answers
such requests with 500)."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpResponse, HttpRouteHandler
from microsoft_teams.apps.http.fastapi_adapter import FastAPIAdapter
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.bodies import BODY_DEADLINE_S, BodyError, Disconnected, declared_length, load_json, read_body
from bot.logs import RequestLine, current_line, request_line


def _bad_request(reason: str) -> HttpResponse:
    return HttpResponse(status=400, body={"error": reason})


class BodyScreen:
    """ASGI middleware: every POST body read whole within limits and checked to be JSON before the app runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        with request_line("teams") as line:
            statuses: list[int] = []

            async def noting_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    statuses.append(message["status"])
                await send(message)

            try:
                await self._screened(scope, receive, noting_status, line)
            finally:
                line.write(statuses[-1] if statuses else 500)

    async def _screened(self, scope: Scope, receive: Receive, send: Send, line: RequestLine) -> None:
        line.command = f"POST {scope.get('path')}"
        try:
            declared_length(scope.get("headers", []))
            body = await asyncio.wait_for(read_body(receive), BODY_DEADLINE_S)
            parsed = load_json(body)
        except BodyError as refused:
            line.outcome = f"refused: {refused.reason}"
            await JSONResponse({"error": refused.reason}, status_code=refused.status)(scope, receive, send)
            return
        except TimeoutError:
            line.outcome = "refused: the body did not arrive in time"
            await JSONResponse({"error": "the body did not arrive in time"}, status_code=408)(scope, receive, send)
            return
        except Disconnected:
            line.outcome = "client gone"
            return
        line.team, line.channel, line.command = describe(parsed)
        await self.app(scope, _replay(body, receive), send)


def describe(activity: Any) -> tuple[str | None, str | None, str]:
    """(team, conversation, what) of a parsed activity for its log line: ids and the activity type only, never the
    user's text (the handler adds the command and answer once it knows them)."""
    if not isinstance(activity, dict):
        return None, None, "not an activity"
    conversation = activity.get("conversation") if isinstance(activity.get("conversation"), dict) else {}
    data = activity.get("channelData") if isinstance(activity.get("channelData"), dict) else {}
    team = data.get("team") if isinstance(data.get("team"), dict) else {}
    team_id = team.get("id") or conversation.get("tenantId")
    channel = conversation.get("id")
    return (team_id if isinstance(team_id, str) else None, channel if isinstance(channel, str) else None,
            str(activity.get("type"))[:40])


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the app the body already read, then whatever the client sends next (a disconnect)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


class ScreenedFastAPIAdapter(FastAPIAdapter):
    """FastAPIAdapter behind BodyScreen, whose routes refuse what is not an activity with 400 before the SDK
    handles it; serves on `port` without uvicorn's access log (BodyScreen writes each request's line)."""

    def __init__(self, port: int) -> None:
        def server(app: FastAPI) -> uvicorn.Server:  # the SDK's own settings, less uvicorn's access log
            return uvicorn.Server(uvicorn.Config(app=app, host="0.0.0.0", port=port, log_level="info",
                                                 access_log=False))

        super().__init__(app=FastAPI(), server_factory=server)
        self.app.add_middleware(BodyScreen)

    def register_route(self, method: HttpMethod, path: str, handler: HttpRouteHandler) -> None:
        """Register `handler` behind the screen: only a JSON object that validates as an activity reaches it."""

        async def screened(request: HttpRequest) -> HttpResponse:
            body = request["body"]
            if not isinstance(body, dict):
                return _bad_request("the body is not a JSON object")
            try:
                ActivityTypeAdapter.validate_python(body)  # what the SDK validates after answering 200
            except ValidationError as exc:
                line = current_line()
                if line is not None:
                    line.outcome = f"refused: not a valid activity ({exc.error_count()} problems)"
                return _bad_request("the body is not a valid activity")
            return await handler(request)

        super().register_route(method, path, screened)
