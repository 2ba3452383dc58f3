"""What the HTTP and cold-start benchmarks share: the local Slack stand-in and the /healthz wait (from
tests/slack/standin.py), Slack's request signing (tests/slack/conftest.py), the web process started exactly as the
Procfile starts it, the bare Bolt app under the same gunicorn settings, and memory read from /proc. Everything
listens on, and talks to, 127.0.0.1 only."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.commands.serve import gunicorn_argv  # noqa: E402
from tests.slack.conftest import command_body, sign  # noqa: E402
from tests.slack.standin import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    SlackStandIn,
    free_port,
    procfile_argv,
    serve_stand_in,
    stop,
    wait_healthy,
)

__all__ = ["BOT_TOKEN", "ROOT", "SIGNING_SECRET", "Server", "command_body", "procfile_argv", "rss_mib", "sign",
           "slack_stand_in", "start_server", "worker_pids"]

START_TIMEOUT = 60.0


@contextmanager
def slack_stand_in() -> Iterator[SlackStandIn]:
    """The Slack Web API / response_url stand-in of the Slack tests, on a free loopback port."""
    with serve_stand_in(SlackStandIn()) as stand_in:
        yield stand_in


def bare_argv(port: int) -> list[str]:
    """The gunicorn command line `srm serve --http` runs, serving the bare ack-only Bolt app instead."""
    return [*gunicorn_argv(port)[:-1], "bot.slack.asgi:create_asgi('bench.bare_app:create_wsgi')"]


@dataclass
class Server:
    """A started web process: its URL, master pid and the seconds from spawn to the first 200 on /healthz."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    ready_seconds: float


def server_env(api_url: str, port: int, data_dir: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The production environment of the web process, with Slack's Web API at the local stand-in (plus `extra`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL", "SRM_"))}
    env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": api_url,
                "PORT": str(port), "SRM_DATA_DIR": data_dir,
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}", **(extra or {})})
    return env


@contextmanager
def start_server(name: str, argv_for_port: Callable[[int], list[str]], api_url: str,
                 extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start `argv_for_port(port)` on a free port, wait for /healthz, yield it, then stop it (TERM, then KILL).

    The process's own output goes to a temporary log, shown if it fails to start.
    """
    port = free_port()
    with tempfile.TemporaryDirectory(prefix=f"srm-bench-{name}-") as data_dir:
        log_path = Path(data_dir) / "server.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            env = server_env(api_url, port, data_dir, extra_env)
            process = subprocess.Popen(argv_for_port(port), env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_healthy(url, process, START_TIMEOUT, poll=0.005):
                raise RuntimeError(f"{name} did not answer /healthz:\n{log_path.read_text()[-3000:]}")
            yield Server(name, url, process, time.perf_counter() - started)
        finally:
            stop(process)


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of `pid` from /proc (VmRSS now, or VmHWM: the peak) in MiB."""
    return int(_status(pid)[field].split()[0]) / 1024


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the processes whose parent is `master`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_status(int(entry.name)).get("PPid", "0")) == master:
                    found.append(int(entry.name))
            except (OSError, ValueError):
                continue
    return sorted(found)
