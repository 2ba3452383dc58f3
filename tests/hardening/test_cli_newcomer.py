"""A newcomer's first hour with `srm` (issue 13): usage errors show the subcommand's usage and exit 64, a batch
file that is not UTF-8 is named with its line, `srm eval` says where its question sets are, a report does not
create a database, and `srm kb validate` reports one broken file once, names an emptied one, refuses a file for a
directory plainly, and prints paths as read from where the user stands. Each runs `srm` as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from test_cli import ROOT, srm


def test_a_mistyped_option_shows_the_subcommands_usage_and_exits_64() -> None:
    done = srm("ask", "--jsn", "security groups")
    assert done.returncode == 64
    assert done.stderr.startswith("usage: srm ask ") and "unrecognized arguments: --jsn" in done.stderr


def test_usage_errors_exit_64_at_every_level() -> None:
    for args, usage in ((("report", "misses", "--limit", "x"), "usage: srm report misses"),
                        (("report",), "usage: srm report"), ((), "usage: srm "), (("ask",), "usage: srm ask"),
                        (("ask", "q", "--batch", "-"), "usage: srm ask"), (("kb", "validate", "a", "b"),
                                                                           "usage: srm kb validate")):
        done = srm(*args)
        assert (done.returncode, done.stderr.split("\n")[0].startswith(usage)) == (64, True), (args, done.stderr)


def test_a_batch_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_bytes("security groups\nwho patches the OS on RDS?\ncaf\xe9 menu\n".encode("latin-1"))
    done = srm("ask", "--json", "--batch", str(batch))
    assert done.returncode == 65
    assert f"srm ask: {batch}: line 3 is not UTF-8 (byte 0xe9 at column 4)" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) == 2  # the lines before it were answered


def test_a_missing_batch_file_is_a_usage_error(tmp_path: Path) -> None:
    done = srm("ask", "--batch", str(tmp_path / "nope.txt"))
    assert done.returncode == 64 and "cannot open" in done.stderr and "Traceback" not in done.stderr


def test_eval_says_where_the_question_sets_are_when_a_path_is_wrong(tmp_path: Path) -> None:
    done = srm("eval", str(tmp_path / "nope.yaml"))
    assert done.returncode == 64 and "tests/questions/ in the srm-bot source" in done.stderr


def test_a_report_does_not_create_a_database(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SRM_DATA_DIR")}
    done = subprocess.run([sys.executable, "-m", "bot", "report", "misses"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "No unanswered questions recorded: there is no database at" in done.stdout
    assert list(tmp_path.iterdir()) == []


def knowledge_copy(directory: Path) -> Path:
    base = directory / "kb"
    shutil.copytree(ROOT / "knowledge", base)
    return base


def test_one_yaml_syntax_error_is_one_problem_not_a_cascade(tmp_path: Path) -> None:
    base = knowledge_copy(tmp_path)
    broken = base / "entries" / "network.yaml"
    broken.write_text(broken.read_text().replace("\n", "\n  : [\n", 1))
    done = srm("kb", "validate", "kb", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert "unknown entry" not in done.stderr, lines
    assert lines[0].startswith("kb/entries/network.yaml:") and "YAML syntax error" in lines[0]
    assert lines[1].startswith("kb/entries/network.yaml:0: ") and "reference(s) to entry ids not checked" in lines[1]
    assert lines[2:] == ["2 problem(s) found"]


def test_an_emptied_file_is_named(tmp_path: Path) -> None:
    base = knowledge_copy(tmp_path)
    (base / "artifacts.yaml").write_text("")
    done = srm("kb", "validate", str(base), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("kb/artifacts.yaml:1: the file is empty: it must be a YAML list of artifact")
    assert "unknown artifact" not in done.stderr


def test_a_file_given_for_the_directory_says_so_and_where_the_directory_is() -> None:
    done = srm("kb", "validate", "knowledge/entries/network.yaml", cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.startswith("knowledge/entries/network.yaml:0: is a file, not a knowledge directory")
    assert "this file is in the knowledge directory knowledge\n" in done.stderr


def test_problem_paths_read_from_where_the_user_stands(tmp_path: Path) -> None:
    base = knowledge_copy(tmp_path)
    (base / "tips.yaml").write_text("- id: tip-x\n  entry: nowhere\n  text: hi\n")
    inside = srm("kb", "validate", ".", cwd=base)
    assert inside.stderr.startswith("tips.yaml:2: tip 'tip-x'"), inside.stderr
    above = srm("kb", "validate", "kb", cwd=tmp_path)
    assert above.stderr.startswith("kb/tips.yaml:2: tip 'tip-x'"), above.stderr
    elsewhere = srm("kb", "validate", str(base), cwd=ROOT)
    assert elsewhere.stderr.startswith(f"{base}/tips.yaml:2: tip 'tip-x'"), elsewhere.stderr
