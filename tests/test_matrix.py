"""The responsibility matrix, its short form and the comparison: rows checked against the knowledge base itself."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_loader import SG_SOURCE, SOURCED, write_base

from bot.cli import main
from bot.core import KnowledgeBase, load_knowledge
from bot.core.checks import checks_for
from bot.core.matrix import compare, matrix, stack_summary
from bot.core.ownership import decide
from bot.core.service_names import UnknownServices, resolve_services
from bot.render.matrix_export import COLUMNS, to_markdown

STACK = ("ec2", "rds", "s3")
RANK = {"customer": 0, "shared": 1, "aws": 2}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def csv_rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    out = tmp_path_factory.mktemp("matrix") / "matrix.csv"
    assert main(["matrix", "--services", ",".join(STACK), "--format", "csv", "--output", str(out)]) == 0
    return read_csv(out)


def expected_layer_owner(kb: KnowledgeBase, service_id: str, layer_id: str) -> str:
    """Independently of the code under test: the service's statement for the layer, else the category default."""
    service, layer = kb.service(service_id), kb.layer(layer_id)
    assert service is not None and layer is not None
    statement = service.statement_for(layer_id)
    return statement.owner if statement else layer.default_for(service.category)


def test_every_layer_and_every_overridden_entry_has_one_row_per_service(kb: KnowledgeBase,
                                                                         csv_rows: list[dict[str, str]]) -> None:
    keys = [(r["service"], "entry" if r["entry"] else "layer", r["entry"] or r["layer"]) for r in csv_rows]
    expected = {(s, "layer", layer.id) for s in STACK for layer in kb.layers}
    expected |= {(s, "entry", e.id) for s in STACK for e in kb.entries if e.override_for(s)}
    assert len(keys) == len(set(keys)) and set(keys) == expected


def test_each_rows_owner_is_what_ownership_decides(kb: KnowledgeBase, csv_rows: list[dict[str, str]]) -> None:
    for row in csv_rows:
        service = kb.service(row["service"])
        assert service is not None and row["service_name"] == service.name
        if row["entry"]:
            entry = kb.entry(row["entry"])
            assert entry is not None and row["layer"] == entry.layers[0]
            assert row["owner"] == decide(kb, entry, service).owner, row
        else:
            assert row["owner"] == expected_layer_owner(kb, row["service"], row["layer"]), row


def test_the_customers_duties_come_first_grouped_by_layer(kb: KnowledgeBase,
                                                           csv_rows: list[dict[str, str]]) -> None:
    order = {layer.id: i for i, layer in enumerate(kb.layers)}
    keys = [(RANK[r["owner"]], order[r["layer"]]) for r in csv_rows]
    assert keys == sorted(keys)
    assert csv_rows[0]["owner"] == "customer" and csv_rows[-1]["owner"] == "aws"


def test_parts_evidence_source_and_date_are_filled_for_the_owner(kb: KnowledgeBase,
                                                                 csv_rows: list[dict[str, str]]) -> None:
    for row in csv_rows:
        assert row["source"].startswith("https://") and len(row["verified"]) == 10
        assert (row["customer_does"] != "") == (row["owner"] != "aws"), row
        assert (row["aws_does"] != "") == (row["owner"] != "customer"), row
        if row["owner"] == "customer":
            assert row["evidence"] == "" and row["verified"]
    physical = next(r for r in csv_rows if r["service"] == "ec2" and r["layer"] == "physical-security"
                    and not r["entry"])
    assert physical["owner"] == "aws"
    assert "SOC 2" in physical["evidence"] and "data center controls" in physical["evidence"].lower()


def test_a_sourced_record_gives_its_row_its_own_source_and_date(tmp_path: Path) -> None:
    kb = load_knowledge(write_base(tmp_path, entries=SOURCED))
    ec2 = kb.service("ec2")
    assert ec2 is not None
    row = next(r for r in matrix(kb, [ec2]) if r.entry is not None and r.entry.id == "security-groups")
    assert (row.source, row.verified.isoformat()) == (SG_SOURCE, "2026-12-01")


def test_the_checks_on_a_row_are_the_ones_mapped_to_its_duty(kb: KnowledgeBase,
                                                             csv_rows: list[dict[str, str]]) -> None:
    for row in csv_rows:
        found = row["security_hub"].split("; ") if row["security_hub"] else []
        if row["owner"] == "aws":
            assert not found
            continue
        key = {"entry": row["entry"]} if row["entry"] else {"layer": row["layer"]}
        expected = [c.security_hub for c in checks_for(kb, row["service"], **key) if c.security_hub]
        assert found == expected
    ec2_guest_os = next(r for r in csv_rows if (r["service"], r["layer"], r["entry"]) == ("ec2", "guest-os", ""))
    assert "EC2.8" in ec2_guest_os["security_hub"] and "ec2-imdsv2-check" in ec2_guest_os["config_rules"]
    assert "AC-3" in ec2_guest_os["nist_800_53"].split("; ")
    assert "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8" in ec2_guest_os[
        "check_sources"].split("; ")


def test_csv_on_stdout_is_rfc4180_utf8_with_a_bom() -> None:
    done = subprocess.run([sys.executable, "-m", "bot", "matrix", "--services", "ec2", "rds"], capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"\xef\xbb\xbf") and b"\r\n" in done.stdout
    rows = list(csv.reader(io.StringIO(done.stdout.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(COLUMNS) and all(len(r) == len(COLUMNS) for r in rows)
    assert any("," in cell for r in rows[1:] for cell in r), "no field needed quoting: the test proves nothing"
    plain = subprocess.run([sys.executable, "-m", "bot", "matrix", "--services", "s3", "--no-bom"],
                           capture_output=True, timeout=60)
    assert plain.stdout.startswith(b"service,")


def test_json_and_markdown_hold_the_same_rows(kb: KnowledgeBase, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["matrix", "--services", "lambda", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = matrix(kb, resolve_services(kb, ["lambda"]))
    assert [s["id"] for s in data["services"]] == ["lambda"] and data["columns"] == list(COLUMNS)
    assert [(r["layer"], r["entry"], r["owner"]) for r in data["rows"]] == [
        (r.layer.id, r.entry.id if r.entry else "", r.owner) for r in rows]
    checked = next(r for r in data["rows"] if r["checks"])
    assert [c["security_hub"] for c in checked["checks"] if c["security_hub"]] == checked["security_hub"]
    assert all(c["verified"] and (c["security_hub_url"] or c["config_url"]) for c in checked["checks"])
    table = to_markdown(rows).splitlines()
    assert len(table) == len(rows) + 2 and all(line.startswith("|") and line.endswith("|") for line in table)


def test_a_markdown_cell_cannot_break_the_table(kb: KnowledgeBase) -> None:
    row = matrix(kb, resolve_services(kb, ["ec2"]))[0]
    broken = row.__class__(**{**row.__dict__, "customer_does": "a | b\nc"})
    line = to_markdown([broken]).splitlines()[2]
    assert "a \\| b c" in line and line.count(" | ") == to_markdown([row]).splitlines()[2].count(" | ")


def test_unknown_services_are_named_with_suggestions_never_dropped(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownServices) as info:
        resolve_services(kb, ["ec2", "lamda", "rsd", "xyzzy"])
    suggestions = {name: [s.id for s in found] for name, found in info.value.suggestions.items()}
    assert suggestions["lamda"][0] == "lambda" and "rds" in suggestions["rsd"] and suggestions["xyzzy"] == []
    assert set(suggestions) == {"lamda", "rsd", "xyzzy"}


def test_names_resolve_by_id_name_and_alias_once_each(kb: KnowledgeBase) -> None:
    found = resolve_services(kb, ["EC2", "Amazon RDS", "elastic block store", "ec2", " "])
    assert [s.id for s in found] == ["ec2", "rds", "ebs"]


@pytest.mark.parametrize("argv", [["matrix", "--services", "ec2,ec3"], ["stack", "s3", "dynamo-db-x"],
                                  ["compare", "ec2", "lamda"]])
def test_an_unknown_service_on_the_command_line_exits_64_with_did_you_mean(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 64
    err = capsys.readouterr().err
    assert "unknown service" in err and "did you mean" in err and "write it as: srm " + argv[0] in err


@pytest.mark.parametrize("argv", [["matrix"], ["matrix", "--services", "ec2", "--format", "xls"], ["stack"],
                                  ["compare", "ec2"], ["compare", "ec2", "ec2"]])
def test_usage_errors_exit_64_saying_how_to_write_the_command(argv: list[str],
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 64
    assert f"write it as: srm {argv[0]}" in capsys.readouterr().err


def test_compare_lists_exactly_the_layers_whose_owner_differs(kb: KnowledgeBase) -> None:
    ec2, lam = resolve_services(kb, ["ec2", "lambda"])
    differences = compare(kb, ec2, lam)
    differing = {d.layer.id for d in differences}
    for layer in kb.layers:
        same = expected_layer_owner(kb, "ec2", layer.id) == expected_layer_owner(kb, "lambda", layer.id)
        assert (layer.id not in differing) == same, layer.id
    assert {"guest-os", "capacity-scaling"} <= differing and "physical-security" not in differing
    assert compare(kb, ec2, ec2) == ()


def test_srm_compare_prints_both_owners_of_each_differing_layer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "ec2", "lambda"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Amazon EC2 vs AWS Lambda:") and "Guest operating system" in out
    assert "Facilities and physical security" not in out


def test_stack_summary_counts_every_row_and_lists_only_the_customers_part(kb: KnowledgeBase) -> None:
    services = resolve_services(kb, ["ec2", "rds", "s3", "lambda"])
    rows = matrix(kb, services)
    summary = stack_summary(kb, services)
    assert sum(summary.counts.values()) == len(rows)
    assert summary.counts["aws"] == sum(1 for r in rows if r.owner == "aws") > 0
    listed = [r for _, group in summary.checklist for r in group]
    assert listed and all(r.owner != "aws" for r in listed)
    assert len(listed) == summary.counts["customer"] + summary.counts["shared"]
    assert all(r.layer.id == layer.id for layer, group in summary.checklist for r in group)


def test_srm_stack_prints_counts_and_a_checklist(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stack", "ec2", "rds", "s3", "lambda"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Stack: Amazon EC2, Amazon RDS, Amazon S3, AWS Lambda")
    assert " yours, " in out and "[ ] Amazon EC2" in out and "Checked by: Security Hub EC2.8" in out
