"""The web process's WSGI app, `create_wsgi()`; gunicorn serves it through `bot.slack.asgi` (`srm serve --http`).

Serves Bolt at POST /slack/events (commands, events, interactivity), GET /slack/install and
/slack/oauth_redirect when OAuth is configured, and GET /healthz.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier

from bot.bodies import BodyError
from bot.logs import RequestLine, configure_logging, request_line
from bot.slack.app import create_app
from bot.slack.screen import check_signature, content_length, describe, parse
from bot.slack.settings import SlackSettings
from bot.store.store import WEB_WRITE_DELAY_S, Store

LOGGER = logging.getLogger("srm.slack")


def build_store() -> Store:
    """THE one place the Slack processes build their store: DATABASE_URL, else the SQLite file in SRM_DATA_DIR (the
    schema is created on first use), with feedback and misses written in the background (WEB_WRITE_DELAY_S)."""
    return Store(write_delay=WEB_WRITE_DELAY_S)


def _plain(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


class SlackWsgi:
    """Bolt's WSGI handler plus GET /healthz, behind a screen that answers what Bolt cannot take with a 4xx.

    A POST is read once (413 past MAX_BODY_BYTES), its Slack signature checked (401: forged, unsigned, replayed or
    a timestamp that is not ASCII digits) and its body parsed and its fields' types checked (400 when malformed,
    nested too deep or ill-typed: `bot.slack.screen`) before Bolt sees it; Bolt checks the signature again.
    Whatever Bolt still fails on (a signed payload missing fields it expects) is logged and gets 400. Every request
    but /healthz gets one `srm.request` line: status, team, channel, what it was, and for a question answered within
    the request its outcome, entry and score (refusals say why).
    """

    def __init__(self, app: App, signing_secret: str | None = None) -> None:
        self.handler = SlackRequestHandler(app)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        with request_line("slack") as line:
            statuses: list[int] = []

            def noting_status(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                statuses.append(int(status[:3]))
                return start_response(status, headers, exc_info)

            try:
                return self._answer(environ, noting_status, line)
            finally:
                line.write(statuses[-1] if statuses else 500)

    def _answer(self, environ: dict[str, Any], start_response: Callable[..., Any],
                line: RequestLine) -> Iterable[bytes]:
        line.command = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                line.team, line.channel, line.command = describe(self._screen(environ))
            except BodyError as refusal:
                line.outcome = f"refused: {refusal.reason}"
                return _plain(start_response, f"{refusal.status} {HTTPStatus(refusal.status).phrase}",
                              refusal.reason + "\n")
        try:
            return self.handler(environ, start_response)
        except Exception:
            LOGGER.exception("could not process a %s request to %s", environ.get("REQUEST_METHOD"),
                             environ.get("PATH_INFO"))
            return _plain(start_response, "400 Bad Request", "could not process this request\n")

    def _screen(self, environ: dict[str, Any]) -> dict[str, Any]:
        """The parsed body of a POST, put back for Bolt to read again; BodyError when it must be refused."""
        body = environ["wsgi.input"].read(content_length(environ.get("CONTENT_LENGTH")))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyError(400, "the body is not UTF-8") from None
        if self.verifier is not None:
            check_signature(self.verifier, body, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
                            environ.get("HTTP_X_SLACK_SIGNATURE"))
        return parse(text, environ.get("CONTENT_TYPE"))


def create_wsgi(settings: SlackSettings | None = None) -> SlackWsgi:
    """The WSGI application, with settings from the environment unless given."""
    configure_logging()
    settings = settings or SlackSettings.from_env("http")
    return SlackWsgi(create_app(settings, store=build_store()), settings.signing_secret)
