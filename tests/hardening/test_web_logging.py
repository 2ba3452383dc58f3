"""The Procfile's web process logs cleanly (issue 13, fault 3 and start-up noise): gunicorn's own lines (its format
uses the process id) are written, never `--- Logging error ---`; a SIGTERM shuts it down quietly with exit 0; and
start-up prints no control-socket line and no Bolt warning about an unused token; the Teams process starts without
the SDK's preview warning."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from slack.conftest import SlackStandIn, command_body, post
from slack.standin import start_web
from teams.teams_harness import free_port, stop, teams_env

NOISE = ("--- Logging error ---", "Traceback", "Control", "`token` will be unused", "ERROR")


def test_gunicorn_logs_cleanly_and_a_sigterm_is_quiet(slack_api: SlackStandIn, tmp_path: Path) -> None:
    with start_web(slack_api, tmp_path) as web:
        reply = post(f"{web.url}/slack/events", command_body("security groups", response_url=slack_api.response_url(
            "log")))
        assert reply.status == 200
        web.process.send_signal(signal.SIGTERM)
        try:
            code = web.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"no exit within 30 s of SIGTERM:\n{web.log_text()[-3000:]}") from None
        log = web.log_text()
    assert code == 0, log[-3000:]
    assert "Starting gunicorn" in log and "Shutting down: Master" in log, log[-3000:]  # gunicorn's lines are there
    for noise in NOISE:
        assert noise not in log, f"{noise!r} in the log:\n{log[-4000:]}"


def test_the_teams_process_starts_without_the_sdk_preview_warning(tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "teams.log").open("wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "bot.teams.server"], cwd=tmp_path,
                                env=teams_env(tmp_path, PORT=str(port), SRM_LOG_LEVEL="INFO"), stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "Teams bot on port" not in (text := (tmp_path / "teams.log").read_text(errors="replace")):
            assert proc.poll() is None and time.monotonic() < deadline, text
            time.sleep(0.1)
    finally:
        stop(proc)
    text = (tmp_path / "teams.log").read_text(errors="replace")
    assert "ExperimentalWarning" not in text and "html_widget.py" not in text, text
