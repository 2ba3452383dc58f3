"""gunicorn settings of the web process (`srm serve --http` runs `gunicorn --config python:bot.slack.gunicorn_conf`).

The asyncio worker (`asgi`, gunicorn's own) holds every connection on an event loop, so slow or stalled clients
cost a coroutine each, not one of a few threads: `bot.slack.asgi` hands Bolt only complete requests. One worker
per core (`WEB_CONCURRENCY` overrides): Python runs one thread at a time per process. Workers share Slack retry
de-duplication through the database (`slack_events`), so a retry reaching another worker is still answered once.
"""

from __future__ import annotations

import os

from bot.numbers import ascii_int

worker_class = "asgi"
workers = ascii_int(os.environ.get("WEB_CONCURRENCY")) or os.cpu_count() or 1
worker_connections = 1000
"""Open connections per worker; past it, new ones wait in the listen backlog."""
timeout = 30
"""A worker that does not report for this long is restarted; also the longest wait for one body chunk."""
graceful_timeout = 10
keepalive = 5
control_socket_disable = True
"""No `gunicornc` control socket: nothing uses it, and its start-up line is noise."""
accesslog = None
"""The app logs one line per request itself (`srm.request`), refused ones included."""
