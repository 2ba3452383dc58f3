"""The `srm` command, run as a real process: JSON contract, batch order, exit codes, validation, packaging."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bot.core.yaml_lines import load_with_lines

ROOT = Path(__file__).resolve().parents[1]


def srm(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=60)


def ask_json(question: str) -> dict:
    done = srm("ask", "--json", question)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ec2_guest_os_patching_is_the_customers() -> None:
    data = ask_json("who patches the guest OS on EC2?")
    assert data["matched"] is True and data["owner"] == "customer" and data["service"] == "ec2"
    for key in ("question", "id", "title", "summary", "explanation", "confidence", "alternatives", "links",
                "artifacts"):
        assert key in data
    assert 0 <= data["confidence"] <= 1
    assert all(set(link) == {"title", "url"} for link in data["links"])


def test_rds_os_patching_is_aws() -> None:
    data = ask_json("who patches the OS on RDS?")
    assert (data["id"], data["owner"], data["default_owner"], data["service"]) == (
        "guest-os-patching", "aws", "customer", "rds")


def test_evidence_links_name_the_artifacts() -> None:
    data = ask_json("physical security of data centers")
    assert data["owner"] == "aws"
    assert data["artifacts"] and all({"id", "name", "url"} <= set(a) for a in data["artifacts"])


def test_the_weather_is_not_matched_and_gets_suggestions_key() -> None:
    data = ask_json("what's the weather")
    assert data["matched"] is False and "suggestions" in data


def test_plain_text_answer_is_readable() -> None:
    done = srm("ask", "security groups")
    assert done.returncode == 0
    assert "Owner: Customer: security IN the cloud" in done.stdout and "https://" in done.stdout


def test_batch_answers_in_order_one_json_per_line() -> None:
    questions = ["security groups", "what's the weather", "", "who patches the OS on RDS?", "hypervisor"]
    done = srm("ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["question"] for line in lines] == questions
    assert [line["matched"] for line in lines] == [True, False, False, True, True]


def test_ask_without_a_question_explains_usage() -> None:
    done = srm("ask")
    assert done.returncode == 64 and "srm ask \"security groups\"" in done.stderr


def test_unknown_command_is_a_usage_error() -> None:
    assert srm("frobnicate").returncode == 64


def test_validate_passes_on_the_shipped_base() -> None:
    done = srm("kb", "validate")
    assert done.returncode == 0 and done.stdout.startswith("ok: ") and not done.stderr


def test_validate_names_the_file_and_line_of_a_broken_line(tmp_path: Path) -> None:
    base = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", base)
    broken = base / "entries" / "infrastructure.yaml"
    lines = broken.read_text().splitlines()
    lines[5] = lines[5] + " : : ["
    broken.write_text("\n".join(lines))
    done = srm("kb", "validate", str(base))
    assert done.returncode == 1
    assert "entries/infrastructure.yaml:" in done.stderr and "YAML syntax error" in done.stderr


def test_validate_fails_on_an_override_without_a_source_naming_its_line_and_field(tmp_path: Path) -> None:
    base = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", base)
    entries = base / "entries" / "compute.yaml"
    data, _ = load_with_lines(entries.read_text())
    entry = next(e for e in data if e.get("services"))
    service, claim = next(iter(entry["services"].items()))
    dropped = {claim.line_of(name) for name in ("source", "verified", "since") if name in claim}
    lines = entries.read_text().split("\n")
    entries.write_text("\n".join(line for number, line in enumerate(lines, 1) if number not in dropped))
    done = srm("kb", "validate", str(base))
    assert done.returncode == 1 and not done.stdout
    for name in ("source", "verified"):
        assert (f"entries/compute.yaml:{claim.line}: entry '{entry['id']}' service '{service}': missing required "
                f"field '{name}'") in done.stderr

def test_an_invalid_base_stops_ask_with_the_problems(tmp_path: Path) -> None:
    base = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge", base)
    (base / "tips.yaml").write_text("- id: tip-x\n  entry: nowhere\n  text: hi\n")
    done = srm("ask", "security groups", env={"SRM_KNOWLEDGE_DIR": str(base)})
    assert done.returncode == 2 and "tips.yaml:2: tip 'tip-x': field 'entry' names unknown entry" in done.stderr


def test_export_has_every_part() -> None:
    done = srm("kb", "export", "--json")
    data = json.loads(done.stdout)
    assert set(data) == {"layers", "entries", "services", "artifacts", "tips"}
    assert {layer["id"] for layer in data["layers"]} >= {"guest-os", "host-os", "data", "identity"}
    guest = next(e for e in data["entries"] if e["id"] == "guest-os-patching")
    assert {"id", "title", "owner", "aliases", "summary", "services"} <= set(guest)
    assert guest["services"]["rds"]["owner"] == "aws"


def test_stats_counts_by_owner_service_and_artifact() -> None:
    out = srm("kb", "stats").stdout
    assert "by owner:" in out and "by service" in out and "by artifact" in out


def test_eval_reports_accuracy_by_kind() -> None:
    done = srm("eval", str(ROOT / "tests" / "questions" / "core.yaml"))
    assert done.returncode == 0
    assert all(kind in done.stdout for kind in ("phrase", "typo", "off-topic", "near-domain", "all"))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to copy the checkout")
def test_a_wheel_installed_outside_the_checkout_still_answers(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next(wheel_dir.glob("srm_bot-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        assert any(name.startswith("bot/_knowledge/entries/") for name in archive.namelist())
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("SRM_KNOWLEDGE_DIR", None)
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "security groups"], capture_output=True,
                          text=True, cwd=elsewhere, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["owner"] == "customer"
    located = subprocess.run([sys.executable, "-c", "import bot.core.loader as l; print(l.default_knowledge_dir())"],
                             capture_output=True, text=True, cwd=elsewhere, env=env)
    assert located.stdout.strip().startswith(str(site))
    evaluated = subprocess.run([sys.executable, "-m", "bot", "eval"], capture_output=True, text=True, cwd=elsewhere,
                               env=env, timeout=120)
    assert evaluated.returncode == 0, evaluated.stderr  # the question sets it defaults to ship in the wheel
    assert "all" in evaluated.stdout


def test_links_in_the_text_answer_are_never_split() -> None:
    out = srm("ask", "access keys rotation").stdout
    urls = [word for word in out.split() if word.startswith("https://")]
    assert urls and all(url.endswith((".html", "/")) for url in urls), urls
