"""The loader accepts a valid base and names file, line and field for every kind of bad data, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core import KnowledgeError, default_knowledge_dir, load_knowledge
from bot.core.loader import coverage_gaps

SG_SOURCE = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security-groups.html"
SG_OVERRIDE = (f'    ec2: {{owner: customer, note: Attached to instances., source: "{SG_SOURCE}", '
               'verified: 2026-12-01}\n')
"""The ec2 override of ENTRY (line 14): sourced and dated on one line, as every override must be."""
ENTRY = f"""\
- id: security-groups
  title: Security groups
  owner: customer
  summary: You write the rules.
  explanation: Security groups are virtual firewalls you configure.
  aliases: [SG, firewall rules]
  links:
    - title: Security groups
      url: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
      verified: 2026-11-27
  artifacts: [soc2]
  see_also: [host-os]
  services:
{SG_OVERRIDE.rstrip()}
  layers: [network-config]
- id: host-os
  title: Host operating system
  owner: aws
  summary: AWS patches the host.
  explanation: The host OS under the hypervisor is run by AWS.
  aliases: [host patching]
  links:
    - title: SRM
      url: https://aws.amazon.com/compliance/shared-responsibility-model/
      verified: 2026-11-27
  layers: [host-os]
"""
SERVICES = """\
- id: ec2
  name: Amazon EC2
  aliases: [elastic compute cloud]
  category: infrastructure
  summary: You run the guest OS.
  security_url: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security.html
"""
ARTIFACTS = """\
- id: soc2
  name: SOC 2 report
  attests: Controls over security.
  access: artifact
  how: Download from AWS Artifact.
  url: https://aws.amazon.com/compliance/soc-faqs/
"""
LAYERS = """\
- id: network-config
  name: Network configuration
  explanation: Your rules.
  defaults: {infrastructure: customer, managed: customer, abstracted: customer}
  words: [security groups]
  sources:
    - {title: SRM, url: "https://aws.amazon.com/compliance/shared-responsibility-model/", verified: 2026-12-02}
- id: host-os
  name: Host operating system
  explanation: AWS's hosts.
  defaults: {infrastructure: aws, managed: aws, abstracted: aws}
  words: [host os]
  sources:
    - {title: SRM, url: "https://aws.amazon.com/compliance/shared-responsibility-model/", verified: 2026-12-02}
"""
TIPS = """\
- id: tip-001
  entry: security-groups
  text: Review your security groups.
"""


def write_base(root: Path, entries: str = ENTRY, services: str = SERVICES, artifacts: str = ARTIFACTS,
               tips: str = TIPS, layers: str = LAYERS) -> Path:
    (root / "entries").mkdir(parents=True)
    (root / "layers.yaml").write_text(layers)
    (root / "entries" / "network.yaml").write_text(entries)
    (root / "services.yaml").write_text(services)
    (root / "artifacts.yaml").write_text(artifacts)
    (root / "tips.yaml").write_text(tips)
    return root


def problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(root)
    return [str(p) for p in info.value.problems]


def test_the_shipped_knowledge_base_is_valid() -> None:
    kb = load_knowledge(default_knowledge_dir())
    assert len(kb.entries) >= 30
    assert all(entry.links for entry in kb.entries)


def test_a_valid_base_loads_with_overrides_and_references(tmp_path: Path) -> None:
    kb = load_knowledge(write_base(tmp_path))
    entry = kb.entry("security-groups")
    assert entry is not None and entry.owner == "customer"
    assert entry.override_for("ec2") is not None and entry.override_for("rds") is None
    assert kb.artifact("soc2") is not None and kb.tips[0].entry == "security-groups"


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = ENTRY.replace("  owner: customer\n", "  owner: [customer\n", 1)
    found = problems(write_base(tmp_path, entries=broken))
    assert any(p.startswith("entries/network.yaml:") and "YAML syntax error" in p for p in found)


def test_missing_and_unknown_fields_are_named_with_their_lines(tmp_path: Path) -> None:
    bad = ENTRY.replace("  summary: You write the rules.\n", "  sumary: You write the rules.\n", 1)
    found = problems(write_base(tmp_path, entries=bad))
    assert "entries/network.yaml:4: entry 'security-groups': unknown field 'sumary'" in found[0] + "".join(
        p[: p.index(" (known")] for p in found if "(known" in p)
    assert "entries/network.yaml:1: entry 'security-groups': missing required field 'summary'" in found


def test_owner_outside_the_three_values(tmp_path: Path) -> None:
    found = problems(write_base(tmp_path, entries=ENTRY.replace("owner: customer", "owner: amazon", 1)))
    assert found == ["entries/network.yaml:3: entry 'security-groups': field 'owner' must be one of aws, customer, "
                     "shared (got 'amazon')"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    root = write_base(tmp_path)
    (root / "entries" / "more.yaml").write_text(ENTRY.split("- id: host-os")[0].replace("[SG, firewall rules]",
                                                                                       "[security group rules]"))
    found = problems(root)
    assert any(p == "entries/network.yaml:1: entry 'security-groups': duplicate id (also at entries/more.yaml:1)"
               for p in found)


def test_one_alias_claimed_by_two_entries(tmp_path: Path) -> None:
    found = problems(write_base(tmp_path, entries=ENTRY.replace("[host patching]", "[Firewall Rules]")))
    assert found == ["entries/network.yaml:21: entry 'host-os': alias 'Firewall Rules' is already claimed by "
                     "entry 'security-groups'"]


def test_unknown_service_artifact_entry_references(tmp_path: Path) -> None:
    bad = ENTRY.replace("[soc2]", "[soc9]").replace("[host-os]", "[hostos]").replace("    ec2:", "    ec3:")
    found = problems(write_base(tmp_path, entries=bad, tips=TIPS.replace("security-groups", "nope")))
    assert "entries/network.yaml:11: entry 'security-groups': field 'artifacts' names unknown artifact 'soc9'" in found
    assert "entries/network.yaml:12: entry 'security-groups': field 'see_also' names unknown entry 'hostos'" in found
    assert "entries/network.yaml:14: entry 'security-groups': field 'services' names unknown service 'ec3'" in found
    assert "tips.yaml:2: tip 'tip-001': field 'entry' names unknown entry 'nope'" in found


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://docs.aws.amazon.com/x.html", "must be an https URL"),
        ("https://example.com/aws", "must link to an AWS domain"),
        ("https://aws.amazon.com.evil.io/x", "must link to an AWS domain"),
    ],
)
def test_links_must_be_https_on_aws_domains(tmp_path: Path, url: str, message: str) -> None:
    bad = ENTRY.replace("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html", url)
    found = problems(write_base(tmp_path, entries=bad))
    assert len(found) == 1 and found[0].startswith("entries/network.yaml:9: entry 'security-groups' link: field "
                                                   "'url'") and message in found[0]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    bad = ENTRY.replace("owner: customer", "owner: us", 1).replace("owner: aws", "owner: them", 1)
    found = problems(write_base(tmp_path, entries=bad, services=SERVICES.replace("infrastructure", "iaas")))
    assert len(found) == 3


def test_duplicate_yaml_keys_are_problems(tmp_path: Path) -> None:
    bad = ENTRY.replace("  title: Security groups\n", "  title: Security groups\n  title: SGs\n", 1)
    assert "entries/network.yaml:3: duplicate key 'title' (first at line 2)" in problems(write_base(tmp_path, bad))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    root = write_base(tmp_path)
    (root / "tips.yaml").unlink()
    assert problems(root) == ["tips.yaml:0: missing file (the knowledge base needs its tips)"]


def test_the_environment_variable_points_at_another_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_base(tmp_path / "kb")
    monkeypatch.setenv("SRM_KNOWLEDGE_DIR", str(root))
    assert load_knowledge().root == str(root)
    shutil.rmtree(root / "entries")
    monkeypatch.setenv("SRM_KNOWLEDGE_DIR", str(root))
    assert any("no entry files" in p for p in problems(root))


def test_a_base_without_tips_is_refused(tmp_path: Path) -> None:
    assert problems(write_base(tmp_path, tips="[]")) == [
        "tips.yaml:0: no tips: at least one is needed (App Home and `/srm tip` show one a day)"]


def test_an_emptied_file_is_named_as_empty(tmp_path: Path) -> None:
    assert problems(write_base(tmp_path, tips="")) == [
        "tips.yaml:1: the file is empty: it must be a YAML list of tip records (remove the file if it is not needed)"]


STATEMENTS = SERVICES + """\
  layers:
    network-config:
      owner: customer
      note: You write the rules.
      source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security.html
      verified: 2026-12-02
"""


def test_service_statements_and_layers_load(tmp_path: Path) -> None:
    root = write_base(tmp_path, services=STATEMENTS)
    (root / "services").mkdir()
    (root / "services" / "more.yaml").write_text(SERVICES.replace("id: ec2", "id: ec2-more").replace(
        "Amazon EC2", "Amazon EC2 More").replace("[elastic compute cloud]", "[more compute]"))
    kb = load_knowledge(root)
    ec2 = kb.service("ec2")
    assert ec2 is not None and ec2.statement_for("network-config") is not None
    assert ec2.statement_for("network-config").verified.isoformat() == "2026-12-02"
    assert kb.service("ec2-more") is not None
    assert kb.layer("host-os") is not None and kb.layer("host-os").default_for("managed") == "aws"


def test_a_shared_statement_s_sides_load_and_are_named_by_words(tmp_path: Path) -> None:
    sided = STATEMENTS.replace("      owner: customer\n", "      owner: shared\n") + (
        "      sides:\n"
        "        aws: {words: [managed rule groups], text: AWS keeps its managed rule groups current.}\n"
        "        customer: {words: [our rules], text: Your own rules are yours.}\n")
    kb = load_knowledge(write_base(tmp_path / "good", services=sided))
    statement = kb.service("ec2").statement_for("network-config")
    assert [(s.owner, s.words) for s in statement.sides] == [("aws", ("managed rule groups",)),
                                                              ("customer", ("our rules",))]
    one_party = sided.replace("      owner: shared\n", "      owner: customer\n")
    statement = load_knowledge(write_base(tmp_path / "one-party", services=one_party)).service(
        "ec2").statement_for("network-config")
    assert (statement.owner, [s.owner for s in statement.sides]) == ("customer", ["aws", "customer"])
    wordless = sided.replace("{words: [our rules], text:", "{text:")
    assert problems(write_base(tmp_path / "wordless", services=wordless)) == [
        "services.yaml:15: service 'ec2' layer 'network-config' side 'customer': a statement's side needs the words "
        "that name it"]


def test_a_service_runs_on_known_services_only(tmp_path: Path) -> None:
    running = SERVICES.replace("  category:", "  runs_on: [ec3]\n  category:", 1)
    assert problems(write_base(tmp_path / "bad", services=running)) == [
        "services.yaml:4: service 'ec2': field 'runs_on' names unknown service 'ec3'"]
    kb = load_knowledge(write_base(tmp_path / "good", services=running.replace("[ec3]", "[ec2]")))
    assert kb.service("ec2").runs_on == ("ec2",)


def test_a_building_block_stands_for_a_known_layer_only(tmp_path: Path) -> None:
    standing = SERVICES.replace("  category:", "  stands_for: networkconfig\n  category:", 1)
    assert problems(write_base(tmp_path / "bad", services=standing)) == [
        "services.yaml:4: service 'ec2': field 'stands_for' names unknown layer 'networkconfig'"]
    kb = load_knowledge(write_base(tmp_path / "good", services=standing.replace("networkconfig", "network-config")))
    assert kb.service("ec2").stands_for == "network-config"


def test_a_statement_without_its_source_is_named(tmp_path: Path) -> None:
    source = "      source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security.html\n"
    bad = STATEMENTS.replace(source, "")
    found = problems(write_base(tmp_path, services=bad))
    assert found == ["services.yaml:9: service 'ec2' layer 'network-config': missing required field 'source'"]


def test_a_statement_about_an_unknown_layer_is_named(tmp_path: Path) -> None:
    found = problems(write_base(tmp_path, services=STATEMENTS.replace("    network-config:", "    guestos:")))
    assert found == ["services.yaml:8: service 'ec2': field 'layers' names unknown layer 'guestos'"]


def test_an_entry_without_layers_is_named(tmp_path: Path) -> None:
    found = problems(write_base(tmp_path, entries=ENTRY.replace("  layers: [host-os]\n", "")))
    assert found == ["entries/network.yaml:16: entry 'host-os': missing required field 'layers'"]


def test_a_layer_needs_a_default_for_every_category(tmp_path: Path) -> None:
    bad = LAYERS.replace("{infrastructure: aws, managed: aws, abstracted: aws}", "{infrastructure: aws}")
    found = problems(write_base(tmp_path, layers=bad))
    assert found == ["layers.yaml:11: layer 'host-os': field 'defaults' must give an owner for each service "
                     "category: infrastructure, managed, abstracted"]


def test_a_layer_that_narrows_an_unknown_layer_is_named(tmp_path: Path) -> None:
    narrowing = "  words: [host os]\n  narrows: {layer: hostos, words: [traffic]}\n"
    found = problems(write_base(tmp_path, layers=LAYERS.replace("  words: [host os]\n", narrowing)))
    assert found == ["layers.yaml:13: layer 'host-os': field 'narrows' names unknown layer 'hostos'"]


def test_a_narrowing_needs_its_layer_and_words(tmp_path: Path) -> None:
    narrowing = "  words: [host os]\n  narrows: {layer: network-config}\n"
    found = problems(write_base(tmp_path, layers=LAYERS.replace("  words: [host os]\n", narrowing)))
    assert len(found) == 1 and found[0].startswith("layers.yaml:13: layer 'host-os': field 'narrows' must be")


def test_a_one_party_entry_s_parts_are_named_by_words_not_layers(tmp_path: Path) -> None:
    sided = ENTRY.replace("  layers: [host-os]\n", "  layers: [host-os]\n  sides:\n    aws: {text: AWS patches.}\n"
                          "    customer: {layers: [host-os], words: [reboots], text: You reboot.}\n")
    found = problems(write_base(tmp_path, entries=sided))
    assert found == [f"entries/network.yaml:{line}: entry 'host-os' side '{owner}': a part of a one-party entry is "
                     "named by words only, not layers" for line, owner in ((28, "aws"), (29, "customer"))]


def test_a_one_party_entry_s_parts_named_by_words_load(tmp_path: Path) -> None:
    sided = ENTRY.replace("  layers: [host-os]\n", "  layers: [host-os]\n  sides:\n"
                          "    customer: {words: [reboots], text: You reboot.}\n")
    host_os = next(e for e in load_knowledge(write_base(tmp_path, entries=sided)).entries if e.id == "host-os")
    assert [(side.owner, side.words) for side in host_os.sides] == [("customer", ("reboots",))]


def test_a_layer_s_sides_are_named_by_words_and_openings_not_by_layers(tmp_path: Path) -> None:
    sided = LAYERS.replace("  words: [host os]\n", "  words: [host os]\n  sides:\n"
                           "    aws: {words: [by default], openings: [is], text: AWS does it.}\n"
                           "    customer: {layers: [network-config], text: You do it.}\n")
    found = problems(write_base(tmp_path / "bad", layers=sided))
    assert found == ["layers.yaml:15: layer 'host-os' side 'customer': a layer's side is named by words, not layers"]
    kb = load_knowledge(write_base(tmp_path / "good", layers=sided.replace("layers: [network-config], ", "")))
    host = kb.layer("host-os")
    assert host is not None and host.side("aws") is not None and host.side("aws").openings == ("is",)


def test_only_a_layer_s_sides_have_openings(tmp_path: Path) -> None:
    sided = ENTRY.replace("  owner: aws\n", "  owner: shared\n", 1).replace(
        "  layers: [host-os]\n", "  layers: [host-os]\n  sides:\n    aws: {openings: [is], text: AWS patches.}\n")
    found = problems(write_base(tmp_path, entries=sided))
    assert found == ["entries/network.yaml:28: entry 'host-os' side 'aws': only a layer's sides have openings"]


def test_a_service_without_its_required_statements_is_a_gap_named_with_its_line(tmp_path: Path) -> None:
    kb = load_knowledge(write_base(tmp_path, services=STATEMENTS))
    assert [str(p) for p in coverage_gaps(kb)] == [
        "services.yaml:1: service 'ec2': no statement for layer guest-os or service-software, encryption-at-rest, "
        "identity"]


def test_only_one_entry_may_be_the_overview(tmp_path: Path) -> None:
    marked = ENTRY.replace("  owner: customer\n", "  owner: customer\n  overview: true\n", 1).replace(
        "  owner: aws\n", "  owner: aws\n  overview: true\n", 1)
    found = problems(write_base(tmp_path, entries=marked))
    assert found == ["entries/network.yaml:20: entry 'host-os': only one entry may be the overview "
                     "(also entry 'security-groups')"]


# --- every claim carries its source and the day it was verified ---------------------------------------------------

SOURCED = ENTRY.replace(SG_OVERRIDE, f"""\
    ec2:
      owner: customer
      note: Attached to instances.
      source: {SG_SOURCE}
      verified: 2026-12-01
""")
"""ENTRY with its ec2 override sourced: `ec2:` on line 14, `source:` on 17, `verified:` on 18."""


def test_an_override_loads_with_its_source_and_date(tmp_path: Path) -> None:
    kb = load_knowledge(write_base(tmp_path, entries=SOURCED.replace("      verified: 2026-12-01\n",
                                                                     "      verified: 2026-12-01\n"
                                                                     "      since: 2023-01-05\n")))
    override = kb.entry("security-groups").override_for("ec2")
    assert (override.source, override.verified.isoformat(), override.since.isoformat()) == (
        SG_SOURCE, "2026-12-01", "2023-01-05")


@pytest.mark.parametrize(("change", "problem"), [
    ((SG_SOURCE, "https://example.com/security-groups"),
     "17: entry 'security-groups' service 'ec2': field 'source' must link to an AWS domain (aws.amazon.com, "
     "awsstatic.com, repost.aws), not example.com"),
    ((SG_SOURCE, "http://docs.aws.amazon.com/sg.html"),
     "17: entry 'security-groups' service 'ec2': field 'source' must be an https URL (got "
     "'http://docs.aws.amazon.com/sg.html')"),
    (("verified: 2026-12-01", "verified: 2026-13-01"),
     "18: entry 'security-groups' service 'ec2': field 'verified' must be a date written YYYY-MM-DD (got "
     "'2026-13-01')"),
    (("verified: 2026-12-01", "verified: 2999-01-01"),
     "18: entry 'security-groups' service 'ec2': field 'verified' is 2999-01-01, a day still to come"),
    (("      verified: 2026-12-01\n", ""),
     "15: entry 'security-groups' service 'ec2': missing required field 'verified'"),
    ((f"      source: {SG_SOURCE}\n", ""),
     "15: entry 'security-groups' service 'ec2': missing required field 'source'"),
], ids=["not-aws", "not-https", "not-a-date", "future", "no-verified", "no-source"])
def test_a_badly_sourced_override_is_named_at_its_line(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    assert problems(write_base(tmp_path, entries=SOURCED.replace(*change))) == [f"entries/network.yaml:{problem}"]


@pytest.mark.parametrize("extra", ["", ", since: 2023-01-05"], ids=["bare", "since-alone"])
def test_an_override_without_its_source_and_date_is_an_error_at_its_line(tmp_path: Path, extra: str) -> None:
    bad = ENTRY.replace(SG_OVERRIDE, f"    ec2: {{owner: customer, note: Attached to instances.{extra}}}\n")
    assert problems(write_base(tmp_path, entries=bad)) == [
        f"entries/network.yaml:14: entry 'security-groups' service 'ec2': missing required field '{name}'"
        for name in ("source", "verified")]


@pytest.mark.parametrize(("change", "problem"), [
    (("      verified: 2026-11-27\n", ""), "8: entry 'security-groups' link: missing required field 'verified'"),
    (("verified: 2026-11-27", "verified: 27/11/2026"),
     "10: entry 'security-groups' link: field 'verified' must be a date written YYYY-MM-DD (got '27/11/2026')"),
], ids=["missing", "not-a-date"])
def test_a_link_without_its_date_is_named_at_its_line(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    found = problems(write_base(tmp_path, entries=ENTRY.replace(*change, 1)))
    assert found == [f"entries/network.yaml:{problem}"]


def test_the_old_entry_wide_review_date_says_what_replaced_it(tmp_path: Path) -> None:
    old = ENTRY.replace("  layers: [host-os]\n", "  layers: [host-os]\n  reviewed: 2026-11-27\n")
    assert problems(write_base(tmp_path, entries=old)) == [
        "entries/network.yaml:27: entry 'host-os': field 'reviewed': the entry-wide review date is gone: each link "
        "and override carries its own 'verified' date"]

