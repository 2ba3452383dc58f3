"""A knowledge base with an error stops the web and Teams processes at start-up, naming the file and the line.
(There is no live reload: a process serves the base it started with until it is restarted.)"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from slack.conftest import ROOT, SlackStandIn, free_port, procfile_command, web_env
from teams.teams_harness import teams_env

from bot.core.loader import default_knowledge_dir

BROKEN = {
    "a YAML syntax error": ("- id: broken-entry\n  title: a: b: c\n  owner: aws\n", 2),
    "an owner outside the three": (
        "- id: broken-entry\n  title: Broken\n  owner: nobody\n  summary: s\n  explanation: e\n"
        "  aliases: [broken thing]\n  links: [{title: t, url: 'https://aws.amazon.com/', verified: 2026-01-01}]\n",
        3),
}


def broken_knowledge(tmp_path: Path, content: str) -> Path:
    """A copy of the shipped knowledge base with one more entries file holding `content`."""
    copy = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), copy)
    (copy / "entries" / "zz-broken.yaml").write_text(content)
    return copy


def run_procfile(process: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    port = env["PORT"]
    argv = [part.replace("${PORT}", port).replace("$PORT", port) for part in shlex.split(procfile_command(process))]
    return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("error", BROKEN)
@pytest.mark.parametrize("process", ["web", "teams"])
def test_an_invalid_knowledge_base_stops_start_up_naming_file_and_line(slack_api: SlackStandIn, tmp_path: Path,
                                                                        process: str, error: str) -> None:
    content, line = BROKEN[error]
    knowledge = broken_knowledge(tmp_path, content)
    port = free_port()
    env = web_env(slack_api, port, tmp_path) if process == "web" else teams_env(tmp_path, PORT=str(port))
    env.update(SRM_KNOWLEDGE_DIR=str(knowledge),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    done = run_procfile(process, env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"zz-broken.yaml:{line}:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
