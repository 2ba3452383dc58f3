"""The checks that verify the customer's part: `checks.yaml`, validated, and the lookups over it.

Each record maps customer duties (layer ids and/or entry ids, optionally only on some services) to an AWS Security
Hub control and/or an AWS Config managed rule, each with the AWS reference page it comes from, the day it was
verified there, and the NIST SP 800-53 rev 5 controls Security Hub's reference lists for the control. The file is
optional: a knowledge base without it simply has no checks.

Validation reuses the loader's validator, so problems read like every other knowledge-base problem:
`checks.yaml:LINE: check 'EC2.8': field 'layers' names unknown layer 'guest'`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.core.loader import ID_PATTERN, Schema, _date, _identifier, _text, _text_list, _Validator, check_url
from bot.core.model import Check, KnowledgeBase
from bot.core.yaml_lines import LineDict

CHECKS_FILE = "checks.yaml"
SECURITY_HUB_ID = re.compile(r"^[A-Za-z0-9]+\.[0-9]+$")
NIST_ID = re.compile(r"^[A-Z]{2}-[0-9]+(\([0-9]+\))?$")
SECURITY_HUB_PAGES = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
CONFIG_PAGES = "https://docs.aws.amazon.com/config/latest/developerguide/"


def _security_hub_id(value: Any) -> str | None:
    ok = isinstance(value, str) and SECURITY_HUB_ID.match(value)
    return None if ok else f"must be a Security Hub control id such as EC2.8 (got {value!r})"


def _config_rule(value: Any) -> str | None:
    ok = isinstance(value, str) and ID_PATTERN.match(value)
    return None if ok else f"must be an AWS Config managed rule name such as ec2-imdsv2-check (got {value!r})"


def _nist(value: Any) -> str | None:
    if _text_list(value) or not all(NIST_ID.match(v) for v in value):
        return "must be a list of NIST SP 800-53 control ids such as AC-3 or SC-7(11)"
    return None


def _page_of(prefix: str, what: str) -> Any:
    def check(value: Any) -> str | None:
        error = check_url(value)
        if error is None and not urlsplit(value)._replace(fragment="").geturl().startswith(prefix):
            error = f"must be a page of {what} ({prefix}...), not {value!r}"
        return error

    return check


CHECK_SCHEMA: Schema = {
    "title": (True, _text),
    "security_hub": (False, _security_hub_id),
    "security_hub_url": (False, _page_of(SECURITY_HUB_PAGES, "the Security Hub controls reference")),
    "nist": (False, _nist),
    "config_rule": (False, _config_rule),
    "config_url": (False, _page_of(CONFIG_PAGES, "the AWS Config managed rules list")),
    "layers": (False, _text_list),
    "entries": (False, _text_list),
    "services": (False, _text_list),
    "verified": (True, _date),
}
_PAIRS = (("security_hub", "security_hub_url"), ("config_rule", "config_url"))
_REFERENCES = (("layers", "layer"), ("entries", "entry"), ("services", "service"))


def read_checks(v: _Validator, root: Path, located: Mapping[str, Mapping[str, Any]]) -> tuple[Check, ...]:
    """The checks of `root/checks.yaml` (none when the file is absent); problems go to `v`.

    `located` holds the ids the rest of the base defines, by kind ("layer", "entry", "service")."""
    file = root / CHECKS_FILE
    if not file.exists():
        return ()
    checks = []
    seen: dict[str, int] = {}
    for line, record in v.read_list(file, "check"):
        what = f"check '{record.get('security_hub') or record.get('config_rule') or '?'}'"
        if v.check_fields(file, record, CHECK_SCHEMA, what) and _consistent(v, file, record, what, located):
            key = record.get("security_hub") or f"config:{record['config_rule']}"
            if key in seen:
                v.report(file, line, f"{what}: mapped twice (first at line {seen[key]}); list every duty it "
                         "verifies in one record")
                continue
            seen[key] = line
            checks.append(_check(record))
    return tuple(checks)


def _consistent(v: _Validator, file: Path, record: LineDict, what: str,
                located: Mapping[str, Mapping[str, Any]]) -> bool:
    """The rules across fields: a control or rule, each with its page; a duty; ids that exist."""
    problems_before = len(v.problems)
    if not any(name in record for name, _ in _PAIRS):
        v.report(file, record.line, f"{what}: needs 'security_hub' (a control id) or 'config_rule' (a rule name)")
    for name, url in _PAIRS:
        if name in record and url not in record:
            v.report(file, record.line_of(name), f"{what}: field '{name}' needs '{url}', the page it comes from")
        elif url in record and name not in record:
            v.report(file, record.line_of(url), f"{what}: field '{url}' without '{name}'")
    if "nist" in record and "security_hub" not in record:
        v.report(file, record.line_of("nist"), f"{what}: field 'nist' lists what a Security Hub control maps to; "
                 "it needs 'security_hub'")
    if not record.get("layers") and not record.get("entries"):
        v.report(file, record.line, f"{what}: needs 'layers' or 'entries': the customer duties it verifies")
    for field_name, kind in _REFERENCES:
        for item_id in record.get(field_name) or ():
            if _identifier(item_id) is not None or item_id not in located[kind]:
                v.report(file, record.line_of(field_name), f"{what}: field '{field_name}' names unknown {kind} "
                         f"'{item_id}'")
    return len(v.problems) == problems_before


def _check(record: LineDict) -> Check:
    def texts(name: str) -> tuple[str, ...]:
        return tuple(item.strip() for item in record.get(name) or ())

    return Check(
        title=" ".join(record["title"].split()), verified=record["verified"], layers=texts("layers"),
        entries=texts("entries"), services=texts("services"), security_hub=record.get("security_hub"),
        security_hub_url=record.get("security_hub_url"), config_rule=record.get("config_rule"),
        config_url=record.get("config_url"), nist=texts("nist"),
    )


class ChecksIndex:
    """The checks by the duty (layer or entry) they verify: for looking up every row of a matrix at once."""

    def __init__(self, checks: tuple[Check, ...]) -> None:
        self._checks = checks
        self._by_duty: dict[tuple[str, str], list[int]] = {}
        for index, check in enumerate(checks):
            for key in [("layer", i) for i in check.layers] + [("entry", i) for i in check.entries]:
                self._by_duty.setdefault(key, []).append(index)

    def lookup(self, service_id: str, *, layer: str | None = None, entry: str | None = None) -> tuple[Check, ...]:
        """The checks that verify the customer's part of `layer` or `entry` on `service_id`, in file order."""
        indices = {*self._by_duty.get(("layer", layer or ""), ()), *self._by_duty.get(("entry", entry or ""), ())}
        return tuple(self._checks[i] for i in sorted(indices)
                     if self._checks[i].applies_to(service_id, layer=layer, entry=entry))


def checks_for(kb: KnowledgeBase, service_id: str, *, layer: str | None = None,
               entry: str | None = None) -> tuple[Check, ...]:
    """The checks that verify the customer's part of `layer` or `entry` on `service_id`, in file order."""
    return ChecksIndex(kb.checks).lookup(service_id, layer=layer, entry=entry)
