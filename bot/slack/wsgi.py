"""The gunicorn entry point: `gunicorn 'bot.slack.wsgi:create_wsgi()'` (started by `srm serve --http`).

Serves Bolt at POST /slack/events (commands, events, interactivity), GET /slack/install and
/slack/oauth_redirect when OAuth is configured, and GET /healthz.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier

from bot.logs import configure_logging
from bot.slack.app import create_app
from bot.slack.settings import SlackSettings
from bot.store.store import WEB_WRITE_DELAY_S, Store

LOGGER = logging.getLogger("srm.slack")


def build_store() -> Store:
    """THE one place the Slack processes build their store: DATABASE_URL, else the SQLite file in SRM_DATA_DIR (the
    schema is created on first use), with feedback and misses written in the background (WEB_WRITE_DELAY_S)."""
    return Store(write_delay=WEB_WRITE_DELAY_S)


MAX_BODY_BYTES = 2 * 1024 * 1024
"""Slack's requests are a few kilobytes; anything past this is refused with 413 before it is read."""


def _plain(start_response: Callable[..., Any], status: str, text: str) -> list[bytes]:
    data = text.encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


def _malformed(body: str, content_type: str | None) -> str | None:
    """Why Bolt could not read `body` (not JSON, not a JSON object, a `payload` that is not one), or None."""
    if content_type != "application/json" and not body.startswith("{") and "payload" not in body:
        return None  # a plain form, as slash commands come: Bolt reads any string as one (parse_qsl)
    try:
        parsed = parse_body(body, content_type)
    except ValueError as exc:
        return type(exc).__name__
    return None if isinstance(parsed, dict) else f"a JSON {type(parsed).__name__}, not an object"


class SlackWsgi:
    """Bolt's WSGI handler plus GET /healthz, behind a screen that answers what Bolt cannot take with a 4xx.

    A POST is read once (413 past MAX_BODY_BYTES), its Slack signature checked (401: forged, unsigned, replayed or
    a timestamp that is not a number) and its body parsed (400 when malformed) before Bolt sees it; Bolt checks the
    signature again. Whatever Bolt still fails on (a signed payload missing fields it expects) is logged and gets 400.
    """

    def __init__(self, app: App, signing_secret: str | None = None) -> None:
        self.handler = SlackRequestHandler(app)
        self.verifier = SignatureVerifier(signing_secret) if signing_secret else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3")])
            return [b"ok\n"]
        if environ.get("REQUEST_METHOD") == "POST":
            refusal = self._screen(environ)
            if refusal is not None:
                return _plain(start_response, *refusal)
        try:
            return self.handler(environ, start_response)
        except Exception:
            LOGGER.exception("could not process a %s request to %s", environ.get("REQUEST_METHOD"),
                             environ.get("PATH_INFO"))
            return _plain(start_response, "400 Bad Request", "could not process this request\n")

    def _screen(self, environ: dict[str, Any]) -> tuple[str, str] | None:
        """(status, message) when a POST must be refused; otherwise its body is put back for Bolt and None."""
        length_text = environ.get("CONTENT_LENGTH") or "0"
        if not length_text.isdigit():
            return "400 Bad Request", "a Content-Length is required\n"
        if int(length_text) > MAX_BODY_BYTES:
            return "413 Payload Too Large", f"requests are limited to {MAX_BODY_BYTES} bytes\n"
        body = environ["wsgi.input"].read(int(length_text))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "400 Bad Request", "the body is not UTF-8\n"
        if self.verifier is not None:
            timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
            signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
            if not timestamp.isdigit() or not self.verifier.is_valid(body, timestamp, signature):
                return "401 Unauthorized", "invalid request\n"
        if (problem := _malformed(text, environ.get("CONTENT_TYPE"))) is not None:
            LOGGER.warning("refused a malformed signed request to %s: %s", environ.get("PATH_INFO"), problem)
            return "400 Bad Request", "malformed request body\n"
        return None


def create_wsgi(settings: SlackSettings | None = None) -> SlackWsgi:
    """The WSGI application, with settings from the environment unless given."""
    configure_logging()
    settings = settings or SlackSettings.from_env("http")
    return SlackWsgi(create_app(settings, store=build_store()), settings.signing_secret)
