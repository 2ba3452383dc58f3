"""`srm teams package`: the zip an admin uploads, built by the real command."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.cli import main

BOT_ID = "0b6f3c1e-2d4a-4f8b-9c7d-5e6f7a8b9c0d"


def srm(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=env, timeout=60)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_package_has_manifest_with_bot_id_and_commands_and_both_icons(tmp_path: Path) -> None:
    out = tmp_path / "app.zip"
    done = srm("teams", "package", "--out", str(out), "--bot-id", BOT_ID, "--website-url", "https://example.org/srm")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert png_size(archive.read("color.png")) == (192, 192)
        assert png_size(archive.read("outline.png")) == (32, 32)
    assert manifest["id"] == BOT_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert titles == ["help", "list", "services", "tip", "tips", "stack", "compare", "why", "experts"]
    assert all(len(c["title"]) <= 32 and 0 < len(c["description"]) <= 128 for c in bot["commandLists"][0]["commands"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["description"]["short"]) <= 80
    assert manifest["developer"]["privacyUrl"] == "https://example.org/srm"


def test_bad_or_missing_bot_id_is_refused_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CLIENT_ID", raising=False)
    monkeypatch.delenv("SRM_WEBSITE_URL", raising=False)
    cases = [
        (["--website-url", "https://e.org"], "--bot-id"),
        (["--bot-id", BOT_ID], "--website-url"),
        (["--bot-id", "not-a-guid", "--website-url", "https://e.org"], "GUID"),
        (["--bot-id", BOT_ID, "--website-url", "http://e.org"], "https"),
    ]
    for args, message in cases:
        assert main(["teams", "package", "--out", str(tmp_path / "app.zip"), *args]) == 2
        assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("*.zip"))
