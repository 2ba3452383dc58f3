"""The Teams SDK's FastAPI adapter with a screen in front of `/api/messages`.

Before anything is parsed or authenticated (the SDK reads any body whole, then checks the token), `BodyScreen`
refuses a body past MAX_BODY_BYTES with 413 (by its Content-Length before reading it, or as soon as a chunked body
passes it), one not complete within BODY_DEADLINE_S with 408, and one that is not JSON or nests deeper than
MAX_JSON_DEPTH with 400. Then the route refuses a JSON value that is not an activity with 400 (the SDK alone answers
such requests with 500)."""

from __future__ import annotations

import asyncio
import logging

from fastapi.responses import JSONResponse
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpResponse, HttpRouteHandler
from microsoft_teams.apps.http.fastapi_adapter import FastAPIAdapter
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.bodies import BODY_DEADLINE_S, BodyError, Disconnected, declared_length, load_json, read_body

logger = logging.getLogger(__name__)


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
        try:
            declared_length(scope.get("headers", []))
            body = await asyncio.wait_for(read_body(receive), BODY_DEADLINE_S)
            load_json(body)
        except BodyError as refused:
            logger.warning("refused a request to %s: %d %s", scope.get("path"), refused.status, refused.reason)
            await JSONResponse({"error": refused.reason}, status_code=refused.status)(scope, receive, send)
            return
        except TimeoutError:
            await JSONResponse({"error": "the body did not arrive in time"}, status_code=408)(scope, receive, send)
            return
        except Disconnected:
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the app the body already read, then whatever the client sends next (a disconnect)."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


class ScreenedFastAPIAdapter(FastAPIAdapter):
    """FastAPIAdapter whose routes refuse malformed bodies with 400 before the SDK handles them."""

    def __init__(self) -> None:
        super().__init__()
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
                logger.warning("refused a malformed activity (%d problems)", exc.error_count())
                return _bad_request("the body is not a valid activity")
            return await handler(request)

        super().register_route(method, path, screened)
