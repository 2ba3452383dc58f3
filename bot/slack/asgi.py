"""The web process's front: gunicorn's asyncio worker (`-k asgi`) reads every request whole on its event loop, so a
client that sends its headers and never finishes the body costs a coroutine, not a thread; only a complete request
is handed to the WSGI app (Bolt, `bot.slack.wsgi`) on a thread pool. Started by `srm serve --http` with the settings
in `bot.slack.gunicorn_conf`.

A body larger than MAX_BODY_BYTES is refused with 413 before it is read (by its Content-Length, or as soon as a
chunked body passes it) and a body not complete within BODY_DEADLINE_S gets 408.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import sys
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bot.bodies import BODY_DEADLINE_S, BodyError, Disconnected, declared_length, read_body
from bot.logs import RequestLine

WSGI_THREADS = 16
"""Threads running complete requests through Bolt (each takes a millisecond or two: Web API work is not done here)."""

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The PEP 3333 environ of a complete request (header bytes decoded as Latin-1, as WSGI servers do)."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"], "SCRIPT_NAME": "", "PATH_INFO": scope.get("path", "/"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"), "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]), "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]), "CONTENT_LENGTH": str(len(body)), "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"), "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif name != "CONTENT_LENGTH":
            key = f"HTTP_{name}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _run_wsgi(app: WsgiApp, environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Call the WSGI app once; (status code, headers, body)."""
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
        started[:] = [status, headers]
        return lambda _data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started
    return int(status.split(" ", 1)[0]), [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers], body


async def _respond(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BufferedWsgi:
    """An ASGI app that reads each request whole (bounded in size and time) and then runs `wsgi` on a thread."""

    def __init__(self, wsgi: WsgiApp, threads: int = WSGI_THREADS) -> None:
        self.wsgi = wsgi
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="srm-wsgi")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.shutdown(wait=True)
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            declared_length(scope.get("headers", []))
            body = await asyncio.wait_for(read_body(receive), BODY_DEADLINE_S)
        except BodyError as refused:
            await _refuse(send, refused.status, refused.reason)
            return
        except TimeoutError:
            await _refuse(send, 408, f"the request body did not arrive within {BODY_DEADLINE_S:.0f} s")
            return
        except Disconnected:
            return
        loop = asyncio.get_running_loop()
        status, headers, data = await loop.run_in_executor(self.pool, _run_wsgi, self.wsgi, _environ(scope, body))
        await _respond(send, status, headers, data)


async def _refuse(send: Send, status: int, text: str) -> None:
    """Answer `status` with `text`, and log the request's line (it never reaches the WSGI app, which logs the rest)."""
    line = RequestLine("slack", outcome=f"refused: {text}")
    data = f"{text}\n".encode()
    await _respond(send, status, [(b"content-type", b"text/plain; charset=utf-8"),
                                  (b"content-length", str(len(data)).encode()), (b"connection", b"close")], data)
    line.write(status)


def create_asgi(wsgi_factory: str = "bot.slack.wsgi:create_wsgi") -> BufferedWsgi:
    """The web process's ASGI app: the WSGI app that `wsgi_factory` ("module:function") builds, behind the buffer."""
    module, _, name = wsgi_factory.partition(":")
    return BufferedWsgi(getattr(importlib.import_module(module), name)())
