"""The responsibility matrix as a file an auditor opens: CSV, Markdown or JSON.

Platform-free on purpose: the terminal prints these, and a chat adapter can upload or embed the same bytes. The
CSV is RFC 4180 (the `csv` module's excel dialect: CRLF line ends, fields quoted when they hold a comma, quote or
line break), UTF-8, with a header row; `csv_bytes` adds the byte-order mark Excel needs to detect UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from bot.core.matrix import Row
from bot.core.model import OWNER_LABELS, Check, Service
from bot.core.presentation import artifact_label

COLUMNS: tuple[str, ...] = (
    "service", "service_name", "layer", "layer_name", "entry", "topic", "owner", "customer_does", "aws_does",
    "evidence", "source", "verified", "security_hub", "config_rules", "nist_800_53", "check_sources",
)
"""The CSV header, and the keys of every JSON row (which adds `checks`, each check in full)."""
LIST_SEPARATOR = "; "
FORMATS = ("csv", "markdown", "json")


def row_record(row: Row) -> dict[str, Any]:
    """One row as plain data: text, ISO dates, and lists for the multi-valued columns."""
    return {
        "service": row.service.id,
        "service_name": row.service.name,
        "layer": row.layer.id,
        "layer_name": row.layer.name,
        "entry": row.entry.id if row.entry else "",
        "topic": row.topic,
        "owner": row.owner,
        "customer_does": row.customer_does,
        "aws_does": row.aws_does,
        "evidence": [artifact_label(a) for a in row.artifacts],
        "source": row.source,
        "verified": row.verified.isoformat(),
        "security_hub": [c.security_hub for c in row.checks if c.security_hub],
        "config_rules": [c.config_rule for c in row.checks if c.config_rule],
        "nist_800_53": sorted({n for c in row.checks for n in c.nist}, key=_nist_order),
        "check_sources": [url for c in row.checks if (url := c.security_hub_url or c.config_url)],
    }


def _nist_order(control: str) -> tuple[str, int, int]:
    family, _, rest = control.partition("-")
    number, _, enhancement = rest.partition("(")
    return family, int(number), int(enhancement.rstrip(")") or 0)


def _cell(value: Any) -> str:
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)


def to_csv(rows: Sequence[Row]) -> str:
    """The matrix as CSV text: a header row, then one line per row; lists joined with "; "."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow(COLUMNS)
    for row in rows:
        record = row_record(row)
        writer.writerow([_cell(record[column]) for column in COLUMNS])
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Row], *, bom: bool = True) -> bytes:
    """The CSV encoded as UTF-8, with a byte-order mark unless `bom` is False (what spreadsheets open cleanly)."""
    return to_csv(rows).encode("utf-8-sig" if bom else "utf-8")


def to_json(rows: Sequence[Row], services: Sequence[Service]) -> str:
    """`{"services": [{id, name, category}], "columns": [...], "rows": [...]}` as indented JSON; each row also
    carries `checks`, every check with its title, NIST controls, source pages and date verified."""
    return json.dumps({
        "services": [{"id": s.id, "name": s.name, "category": s.category} for s in services],
        "columns": list(COLUMNS),
        "rows": [{**row_record(row), "checks": [_check_record(c) for c in row.checks]} for row in rows],
    }, ensure_ascii=False, indent=2)


def _check_record(check: Check) -> dict[str, Any]:
    return {"security_hub": check.security_hub, "config_rule": check.config_rule, "title": check.title,
            "nist_800_53": list(check.nist), "security_hub_url": check.security_hub_url,
            "config_url": check.config_url, "verified": check.verified.isoformat()}


_MARKDOWN_COLUMNS = (("Service", "service_name"), ("Layer", "layer_name"), ("Topic", "topic"),
                     ("Owner", "owner"), ("Customer does", "customer_does"), ("AWS does", "aws_does"),
                     ("Evidence", "evidence"), ("Checked by", "checks"), ("Source", "source"),
                     ("Verified", "verified"))


def to_markdown(rows: Sequence[Row]) -> str:
    """The matrix as one GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(title for title, _ in _MARKDOWN_COLUMNS) + " |",
             "|" + "---|" * len(_MARKDOWN_COLUMNS)]
    for row in rows:
        record = row_record(row)
        record["owner"] = OWNER_LABELS[row.owner].split(":")[0]
        record["checks"] = [label for check in row.checks for label in check.labels]
        lines.append("| " + " | ".join(_markdown_cell(record[key]) for _, key in _MARKDOWN_COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(value: Any) -> str:
    text = " ".join(_cell(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|") or "-"


def render(rows: Sequence[Row], services: Sequence[Service], fmt: str) -> str:
    """The matrix in `fmt` (one of FORMATS) as text."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "json":
        return to_json(rows, services) + "\n"
    if fmt == "markdown":
        return to_markdown(rows)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
