"""The HTTP benchmark's ceiling: a bare Bolt app that only acknowledges `/srm`, served by Bolt's own WSGI handler
(plus GET /healthz, so the benchmarks can tell when it is up) under the gunicorn settings of `srm serve --http`.

Served by `gunicorn 'bench.bare_app:create_wsgi()'` from the repository root; reads SLACK_SIGNING_SECRET,
SLACK_BOT_TOKEN and SLACK_API_URL (Bolt's authorization calls `auth.test` there once, as it does for the srm app).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient


def create_wsgi() -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    """Bolt with request verification on and `process_before_response=True`, one `/srm` listener that acks."""
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, token_verification_enabled=False,
              process_before_response=True)

    @app.command("/srm")
    def ack_only(ack: Ack) -> None:
        ack()

    handler = SlackRequestHandler(app)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "3")])
            return [b"ok\n"]
        return handler(environ, start_response)

    return wsgi
