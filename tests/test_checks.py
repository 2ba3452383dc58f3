"""`checks.yaml`: the shipped mappings are well-formed and sourced, and every problem is named with file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.core import KnowledgeBase, KnowledgeError, default_knowledge_dir, load_knowledge
from bot.core.checks import CONFIG_PAGES, SECURITY_HUB_PAGES, checks_for

GOOD = """\
- security_hub: EC2.8
  title: Amazon EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)
  security_hub_url: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8
  nist: [AC-3, AC-3(15)]
  config_rule: ec2-imdsv2-check
  config_url: https://docs.aws.amazon.com/config/latest/developerguide/ec2-imdsv2-check.html
  layers: [guest-os]
  entries: [imdsv2]
  services: [ec2]
  verified: 2026-12-02
"""


@pytest.fixture(scope="module")
def base_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(default_knowledge_dir(), root)
    return root


def problems_with(root: Path, checks: str) -> list[str]:
    (root / "checks.yaml").write_text(checks, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    return [str(p) for p in info.value.problems]


def test_the_shipped_checks_are_many_real_ids_each_with_its_aws_source(kb: KnowledgeBase) -> None:
    assert len(kb.checks) >= 40
    with_nist = [c for c in kb.checks if c.nist]
    assert len(with_nist) >= 40
    for check in kb.checks:
        assert check.layers or check.entries
        if check.security_hub:
            assert re.fullmatch(r"[A-Za-z0-9]+\.[0-9]+", check.security_hub)
            assert check.security_hub_url and check.security_hub_url.startswith(SECURITY_HUB_PAGES)
            anchor = check.security_hub.lower().replace(".", "-")
            assert check.security_hub_url.endswith(f"-controls.html#{anchor}")
        if check.config_rule:
            assert check.config_url == f"{CONFIG_PAGES}{check.config_rule}.html"
    ids = {c.security_hub for c in kb.checks}
    assert {"EC2.2", "EC2.8", "S3.1", "IAM.6", "RDS.3", "CloudTrail.1", "KMS.4"} <= ids


def test_well_known_mappings_point_at_the_right_duties(kb: KnowledgeBase) -> None:
    s3_public = {c.security_hub for c in checks_for(kb, "s3", entry="s3-bucket-access")}
    assert {"S3.1", "S3.2", "S3.3", "S3.8"} <= s3_public
    rds_encryption = checks_for(kb, "rds", layer="encryption-at-rest")
    assert "RDS.3" in {c.security_hub for c in rds_encryption}
    assert all(c.services == () or "rds" in c.services for c in rds_encryption)
    assert not checks_for(kb, "lambda", layer="guest-os"), "EC2's guest-OS checks must not leak onto Lambda"


def test_a_base_without_checks_yaml_loads_with_no_checks(base_copy: Path, tmp_path: Path) -> None:
    root = tmp_path / "knowledge"
    shutil.copytree(base_copy, root)
    (root / "checks.yaml").unlink()
    assert load_knowledge(root).checks == ()


def test_a_valid_record_loads(base_copy: Path) -> None:
    (base_copy / "checks.yaml").write_text(GOOD, encoding="utf-8")
    (check,) = load_knowledge(base_copy).checks
    assert check.labels == ("Security Hub EC2.8", "Config rule ec2-imdsv2-check")
    assert check.applies_to("ec2", layer="guest-os") and not check.applies_to("rds", layer="guest-os")


@pytest.mark.parametrize(("change", "expected"), [
    (("layers: [guest-os]", "layers: [guest]"),
     "checks.yaml:7: check 'EC2.8': field 'layers' names unknown layer 'guest'"),
    (("entries: [imdsv2]", "entries: [imdsv3]"),
     "checks.yaml:8: check 'EC2.8': field 'entries' names unknown entry 'imdsv3'"),
    (("services: [ec2]", "services: [ec3]"),
     "checks.yaml:9: check 'EC2.8': field 'services' names unknown service 'ec3'"),
    (("security_hub: EC2.8", "security_hub: EC2-8"),
     "checks.yaml:1: check 'EC2-8': field 'security_hub' must be a Security Hub control id such as EC2.8 "
     "(got 'EC2-8')"),
    (("nist: [AC-3, AC-3(15)]", "nist: [AC3]"),
     "checks.yaml:4: check 'EC2.8': field 'nist' must be a list of NIST SP 800-53 control ids such as AC-3 or "
     "SC-7(11)"),
    (("  verified: 2026-12-02\n", "  verified: yesterday\n"),
     "checks.yaml:10: check 'EC2.8': field 'verified' must be a date written YYYY-MM-DD"),
    (("  config_url: https://docs.aws.amazon.com/config/latest/developerguide/ec2-imdsv2-check.html\n", ""),
     "checks.yaml:5: check 'EC2.8': field 'config_rule' needs 'config_url', the page it comes from"),
    (("  layers: [guest-os]\n  entries: [imdsv2]\n", ""),
     "checks.yaml:1: check 'EC2.8': needs 'layers' or 'entries': the customer duties it verifies"),
    (("  title:", "  titel:"), "checks.yaml:2: check 'EC2.8': unknown field 'titel'"),
])
def test_each_problem_names_file_line_and_field(base_copy: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    found = problems_with(base_copy, GOOD.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_sources_must_be_awss_own_reference_pages(base_copy: Path) -> None:
    bad = GOOD.replace("https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8",
                       "https://docs.aws.amazon.com/ec2/latest/userguide/imds.html")
    bad = bad.replace("https://docs.aws.amazon.com/config", "https://example.com/config")
    found = problems_with(base_copy, bad)
    assert any(p.startswith("checks.yaml:3: check 'EC2.8': field 'security_hub_url' must be a page of the "
                            "Security Hub controls reference") for p in found), found
    assert any(p.startswith("checks.yaml:6: check 'EC2.8': field 'config_url' must link to an AWS domain")
               for p in found), found


def test_a_record_needs_a_control_or_a_rule_and_nist_needs_a_control(base_copy: Path) -> None:
    record = "- title: Nothing to run\n  nist: [AC-3]\n  layers: [guest-os]\n  verified: 2026-12-02\n"
    found = problems_with(base_copy, record)
    assert "checks.yaml:1: check '?': needs 'security_hub' (a control id) or 'config_rule' (a rule name)" in found
    assert any(p.startswith("checks.yaml:2: check '?': field 'nist'") for p in found), found


def test_a_control_mapped_twice_is_named_at_its_second_line(base_copy: Path) -> None:
    found = problems_with(base_copy, GOOD + "\n" + GOOD)
    assert found == ["checks.yaml:12: check 'EC2.8': mapped twice (first at line 1); list every duty it verifies "
                     "in one record"]


def test_yaml_errors_and_duplicate_keys_in_checks_yaml_have_lines(base_copy: Path) -> None:
    found = problems_with(base_copy, GOOD.replace("layers: [guest-os]", "layers: [guest-os"))
    assert any(p.startswith("checks.yaml:") and "YAML syntax error" in p for p in found), found
    found = problems_with(base_copy, GOOD.replace("  verified:", "  services: [rds]\n  verified:"))
    assert "checks.yaml:10: duplicate key 'services' (first at line 9)" in found


def test_an_answer_on_a_named_service_says_which_checks_verify_the_customer_s_part(matcher) -> None:
    from bot.core import Answer
    from bot.core.answers import result_to_dict
    from bot.core.presentation import checks_line

    answer = matcher.match("who patches the guest OS on EC2?")
    assert isinstance(answer, Answer) and answer.owner == "customer"
    line = checks_line(answer.checks)
    assert line is not None and line.startswith("Checked by: Security Hub") and "SSM.2" in line
    assert {c["security_hub"] for c in result_to_dict(answer)["checks"]} >= {"SSM.2"}
    aws_part = matcher.match("who patches the OS on Athena?")
    assert isinstance(aws_part, Answer) and aws_part.owner == "aws" and aws_part.checks == ()
