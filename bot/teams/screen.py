"""The Teams SDK's FastAPI adapter with a screen in front of `/api/messages`: a body that is not JSON, not a JSON
object or not an activity gets 400 (the SDK alone answers such requests with 500)."""

from __future__ import annotations

import json
import logging

from fastapi import Request
from fastapi.responses import JSONResponse
from microsoft_teams.api.activities import ActivityTypeAdapter
from microsoft_teams.apps.http.adapter import HttpMethod, HttpRequest, HttpResponse, HttpRouteHandler
from microsoft_teams.apps.http.fastapi_adapter import FastAPIAdapter
from pydantic import ValidationError

logger = logging.getLogger(__name__)


def _bad_request(reason: str) -> HttpResponse:
    return HttpResponse(status=400, body={"error": reason})


class ScreenedFastAPIAdapter(FastAPIAdapter):
    """FastAPIAdapter whose routes refuse malformed bodies with 400 before the SDK handles them."""

    def __init__(self) -> None:
        super().__init__()

        async def not_json(_request: Request, exc: Exception) -> JSONResponse:
            logger.warning("refused a request whose body is not JSON: %s", type(exc).__name__)
            return JSONResponse({"error": "the body is not JSON"}, status_code=400)

        self.app.add_exception_handler(json.JSONDecodeError, not_json)
        self.app.add_exception_handler(UnicodeDecodeError, not_json)

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
