"""Load the YAML knowledge base and validate all of it at once.

`load_knowledge(path)` returns a `KnowledgeBase` or raises `KnowledgeError` carrying every problem found, each
naming file, line and field. Nothing is checked again after load: the matcher and the adapters trust the result.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.core.language import parse_language
from bot.core.model import (
    ARTIFACT_ACCESS,
    CONTROL_TYPES,
    OWNERS,
    SERVICE_CATEGORIES,
    Artifact,
    Entry,
    KnowledgeBase,
    Layer,
    Link,
    Override,
    Service,
    Side,
    Source,
    Statement,
    Tip,
)
from bot.core.normalize import alias_key, distinctive_words, fold
from bot.core.paths import default_knowledge_dir, shipped_knowledge_dir
from bot.core.thresholds import parse_thresholds

__all__ = ["KnowledgeError", "Problem", "coverage_gaps", "default_knowledge_dir", "load_knowledge",
           "shipped_knowledge_dir"]
from bot.core.yaml_lines import DataFileError, LineDict, LineList, load_with_lines

AWS_DOMAINS = ("aws.amazon.com", "awsstatic.com", "repost.aws")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TIP_LENGTH = 300


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the knowledge base, located to a file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base at `root` is invalid; `problems` lists everything wrong with it (files relative to it)."""

    def __init__(self, problems: list[Problem], root: str | os.PathLike[str] = ".") -> None:
        self.problems = problems
        self.root = Path(root)
        super().__init__("\n".join(str(p) for p in problems))


def located_lines(problems: Iterable[Problem], root: str | os.PathLike[str]) -> list[str]:
    """Each problem as `file:line: message`, the file as the user standing in the working directory reads it:
    relative to it when the file is inside it, else absolute."""
    return [f"{shown_path(Path(root) / problem.file)}:{problem.line}: {problem.message}" for problem in problems]


def shown_path(path: Path) -> Path:
    """`path` relative to the working directory when it is inside it, else absolute."""
    here, path = Path.cwd(), path.absolute()
    return path.relative_to(here) if path.is_relative_to(here) else path


_UNKNOWN_REFERENCE = re.compile(r"unknown (\w+) '")
"""How every cross-reference problem names the kind it looked for ("names unknown entry 'x'")."""


# --- field checks: each returns an error message or None -------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be non-empty text"


def _identifier(value: Any) -> str | None:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        return "must be a lowercase kebab-case id (letters, digits and '-')"
    return None


def _text_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty text items"
    return None


def _one_of(choices: Iterable[str]) -> Callable[[Any], str | None]:
    allowed = tuple(choices)
    return lambda value: None if value in allowed else f"must be one of {', '.join(allowed)} (got {value!r})"


def _date(value: Any) -> str | None:
    return None if isinstance(value, dt.date) else "must be a date written YYYY-MM-DD"


def _verified(value: Any) -> str | None:
    """A day a claim was checked: a real date, and not one still to come."""
    if not isinstance(value, dt.date):
        return f"must be a date written YYYY-MM-DD (got {value!r})"
    return f"is {value.isoformat()}, a day still to come" if value > dt.date.today() else None


def check_url(value: Any) -> str | None:
    """Why `value` is not an https link on one of AWS's own domains, or None when it is."""
    if not isinstance(value, str):
        return "must be an https URL"
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        return f"must be an https URL (got {value!r})"
    host = parts.hostname.lower()
    if not any(host == d or host.endswith("." + d) for d in AWS_DOMAINS):
        return f"must link to an AWS domain ({', '.join(AWS_DOMAINS)}), not {host}"
    return None


def _links(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of {title, url, verified}"
    return None


def _true(value: Any) -> str | None:
    return None if value is True else "must be true (leave the field out otherwise)"


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a mapping of service id to {owner, note, source, verified}"


def _layer_statements(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a mapping of layer id to {owner, note, source, verified}"


def _sides(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a mapping {aws: {...}, customer: {...}}"


def _defaults(value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != set(SERVICE_CATEGORIES):
        return f"must give an owner for each service category: {', '.join(SERVICE_CATEGORIES)}"
    bad = [c for c, owner in value.items() if owner not in OWNERS]
    return f"owner for {bad[0]!r} must be one of {', '.join(OWNERS)}" if bad else None


def _narrowing(value: Any) -> str | None:
    if not isinstance(value, dict) or set(value) != {"layer", "words"}:
        return "must be {layer, words}: the layer whose loose words it narrows, and the words that do it"
    return _identifier(value["layer"]) or _text_list(value["words"])


def _sources(value: Any) -> str | None:
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of {title, url, verified}"
    return None


Schema = dict[str, tuple[bool, Callable[[Any], str | None]]]

ENTRY_SCHEMA: Schema = {
    "id": (True, _identifier),
    "title": (True, _text),
    "owner": (True, _one_of(OWNERS)),
    "summary": (True, _text),
    "explanation": (True, _text),
    "aliases": (True, _text_list),
    "links": (True, _links),
    "keywords": (False, _text_list),
    "customer_actions": (False, _text_list),
    "aws_features": (False, _text_list),
    "control": (False, _one_of(CONTROL_TYPES)),
    "artifacts": (False, _text_list),
    "see_also": (False, _text_list),
    "services": (False, _mapping),
    "layers": (True, _text_list),
    "sides": (False, _sides),
    "overview": (False, _true),
}
SERVICE_SCHEMA: Schema = {
    "id": (True, _identifier),
    "name": (True, _text),
    "aliases": (True, _text_list),
    "category": (True, _one_of(SERVICE_CATEGORIES)),
    "summary": (True, _text),
    "security_url": (True, check_url),
    "layers": (False, _layer_statements),
    "building_block": (False, _true),
    "runs_on": (False, _text_list),
    "proper_names": (False, _text_list),
    "stands_for": (False, _identifier),
}
SIDE_OWNERS = ("aws", "customer")
LAYER_SCHEMA: Schema = {
    "id": (True, _identifier),
    "name": (True, _text),
    "explanation": (True, _text),
    "defaults": (True, _defaults),
    "words": (True, _text_list),
    "sources": (True, _sources),
    "entry": (False, _identifier),
    "loose_words": (False, _text_list),
    "narrows": (False, _narrowing),
    "of_choices": (False, _true),
    "said_of_anything": (False, _true),
    "stated_with": (False, _identifier),
    "sides": (False, _sides),
}
SOURCE_SCHEMA: Schema = {"title": (True, _text), "url": (True, check_url), "verified": (True, _verified)}
STATEMENT_SCHEMA: Schema = {
    "owner": (True, _one_of(OWNERS)),
    "note": (True, _text),
    "source": (True, check_url),
    "verified": (True, _verified),
    "since": (False, _date),
    "sides": (False, _sides),
}
SIDE_SCHEMA: Schema = {"layers": (False, _text_list), "words": (False, _text_list), "text": (True, _text),
                       "openings": (False, _text_list), "source": (False, check_url)}
REQUIRED_SERVICE_LAYERS: tuple[tuple[str, ...], ...] = (
    ("guest-os", "service-software"), ("encryption-at-rest",), ("identity",),
)
"""Every service states who patches (its OS or its software), who encrypts at rest, and its access model."""
ARTIFACT_SCHEMA: Schema = {
    "id": (True, _identifier),
    "name": (True, _text),
    "attests": (True, _text),
    "access": (True, _one_of(ARTIFACT_ACCESS)),
    "how": (True, _text),
    "url": (True, check_url),
}
TIP_SCHEMA: Schema = {
    "id": (True, _identifier),
    "entry": (True, _identifier),
    "text": (True, _text),
}
LINK_SCHEMA: Schema = {"title": (True, _text), "url": (True, check_url), "verified": (True, _verified)}
OVERRIDE_SCHEMA: Schema = STATEMENT_SCHEMA
"""An override is a claim like a service statement, so it takes the same fields: `source` (the AWS page that says
it) and `verified` (the day it was checked there) are required, and `since` is the date AWS changed that default."""
RETIRED_FIELDS = {"reviewed": "the entry-wide review date is gone: each link and override carries its own "
                              "'verified' date"}


class _Validator:
    """Collects problems while turning located YAML records into model objects."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.unread: dict[str, Path] = {}
        """Kinds of record (entry, service ...) with a file that could not be read, and the first such file."""
        self.unchecked: dict[str, int] = {}
        """References to those kinds left unchecked: the ids may be in the unread file, so an "unknown" would be
        an echo of its one problem, not a problem of its own."""

    def report(self, file: Path, line: int, message: str) -> None:
        reference = _UNKNOWN_REFERENCE.search(message)
        if reference and reference.group(1) in self.unread:
            self.unchecked[reference.group(1)] = self.unchecked.get(reference.group(1), 0) + 1
            return
        name = str(file.relative_to(self.root)) if file.is_relative_to(self.root) else str(file)
        self.problems.append(Problem(name, line, message))

    def report_unread(self, file: Path, kind: str, line: int, message: str) -> None:
        """A problem that keeps a whole file from being read; references to its kind are not checked after it."""
        self.report(file, line, message)
        self.unread.setdefault(kind, file)

    def report_unchecked(self) -> None:
        """One line per unread kind saying how many references to it were not checked."""
        for kind, count in self.unchecked.items():
            self.report(self.unread[kind], 0, f"{count} reference(s) to {kind} ids not checked: this file could "
                        "not be read, and the ids may be in it")

    def read_list(self, file: Path, kind: str) -> list[tuple[int, LineDict]]:
        """The records of one YAML file that must hold a list of mappings, with their lines."""
        try:
            data, duplicates = load_with_lines(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.report_unread(file, kind, line, f"YAML syntax error: {problem}")
            return []
        except UnicodeDecodeError as exc:
            line = file.read_bytes()[:exc.start].count(b"\n") + 1
            self.report_unread(file, kind, line, f"cannot read file: not UTF-8 (byte 0x{exc.object[exc.start]:02x})")
            return []
        except OSError as exc:
            self.report_unread(file, kind, 1, f"cannot read file: {exc.strerror or exc}")
            return []
        for line, message in duplicates:
            self.report(file, line, message)
        if data is None:
            self.report_unread(file, kind, 1, f"the file is empty: it must be a YAML list of {kind} records "
                               "(remove the file if it is not needed)")
            return []
        if not isinstance(data, LineList):
            self.report_unread(file, kind, getattr(data, "line", 1), f"must be a YAML list of {kind}")
            return []
        records = []
        for line, item in zip(data.item_lines, data, strict=True):
            if isinstance(item, LineDict):
                records.append((line, item))
            else:
                self.report(file, line, f"each item must be a mapping describing one {kind}")
        return records

    def check_fields(self, file: Path, record: LineDict, schema: Schema, what: str) -> bool:
        """Report missing, unknown and malformed fields; True when the record is usable."""
        ok = True
        for key in record:
            if key in RETIRED_FIELDS and key not in schema:
                self.report(file, record.line_of(key), f"{what}: field '{key}': {RETIRED_FIELDS[key]}")
            elif key not in schema:
                known = ", ".join(schema)
                self.report(file, record.line_of(key), f"{what}: unknown field '{key}' (known fields: {known})")
        for name, (required, check) in schema.items():
            if name not in record:
                if required:
                    self.report(file, record.line, f"{what}: missing required field '{name}'")
                    ok = False
                continue
            error = check(record[name])
            if error:
                self.report(file, record.line_of(name), f"{what}: field '{name}' {error}")
                ok = False
        return ok

    def links(self, file: Path, record: LineDict, what: str) -> tuple[Link, ...]:
        result = []
        items: LineList = record["links"]
        for line, item in zip(items.item_lines, items, strict=True):
            if not isinstance(item, LineDict):
                self.report(file, line, f"{what}: each item of field 'links' must be a mapping "
                            "{title, url, verified}")
            elif self.check_fields(file, item, LINK_SCHEMA, f"{what} link"):
                result.append(Link(item["title"].strip(), item["url"], item["verified"]))
        return tuple(result)

    def sources(self, file: Path, record: LineDict, what: str) -> tuple[Source, ...]:
        result = []
        items: LineList = record["sources"]
        for line, item in zip(items.item_lines, items, strict=True):
            if not isinstance(item, LineDict):
                self.report(file, line, f"{what}: each item of field 'sources' must be a mapping "
                            "{title, url, verified}")
            elif self.check_fields(file, item, SOURCE_SCHEMA, f"{what} source"):
                result.append(Source(item["title"].strip(), item["url"], item["verified"]))
        return tuple(result)

    def statements(self, file: Path, record: LineDict, what: str) -> tuple[Statement, ...]:
        result = []
        layers: LineDict = record.get("layers") or LineDict()
        for layer_id, value in layers.items():
            where = f"{what} layer '{layer_id}'"
            if not isinstance(value, LineDict):
                self.report(file, layers.line_of(layer_id), f"{where}: must be a mapping "
                            "{owner, note, source, verified}")
            elif self.check_fields(file, value, STATEMENT_SCHEMA, where):
                result.append(Statement(str(layer_id), value["owner"], " ".join(value["note"].split()),
                                        value["source"], value["verified"], value.get("since"),
                                        self.sides(file, value, where, of="statement")))
        return tuple(result)

    def sides(self, file: Path, record: LineDict, what: str, *, of: str = "entry") -> tuple[Side, ...]:
        """The sides of an entry (`of` "entry": a shared control's sides, or the parts of a one-party topic), of a
        service statement or an entry's record for a service ("statement", "record": their parts, named by words),
        or of a layer ("layer": the parts of any statement that calls the layer shared)."""
        result = []
        of_layer = of == "layer"
        sides: LineDict = record.get("sides") or LineDict()
        one_party = record.get("owner") != "shared"
        for owner, value in sides.items():
            where = f"{what} side '{owner}'"
            if owner not in SIDE_OWNERS:
                self.report(file, sides.line_of(owner), f"{where}: a side is 'aws' or 'customer'")
            elif not isinstance(value, LineDict):
                self.report(file, sides.line_of(owner), f"{where}: must be a mapping {{layers, words, text}}")
            elif self.check_fields(file, value, SIDE_SCHEMA, where):
                if value.get("openings") and not of_layer:
                    self.report(file, value.line_of("openings"), f"{where}: only a layer's sides have openings")
                if value.get("layers") and of != "entry":
                    self.report(file, value.line_of("layers"), f"{where}: a {of}'s side is named by words, not "
                                "layers")
                if of in ("statement", "record") and not value.get("words"):
                    self.report(file, value.line, f"{where}: a {of}'s side needs the words that name it")
                if of == "entry" and one_party and (value.get("layers") or not value.get("words")):
                    self.report(file, value.line, f"{where}: a part of a one-party entry is named by words only, "
                                "not layers")
                if value.get("source") and of not in ("statement", "record"):
                    self.report(file, value.line_of("source"), f"{where}: only a statement's or a record's side has "
                                "a source of its own")
                result.append(Side(owner, _texts(value, "layers"), _texts(value, "words"),
                                   " ".join(value["text"].split()), tuple(fold(o) for o in _texts(value, "openings")),
                                   value.get("source")))
        return tuple(result)

    def overrides(self, file: Path, record: LineDict, what: str) -> tuple[Override, ...]:
        result = []
        services: LineDict = record.get("services") or LineDict()
        for service_id, value in services.items():
            where = f"{what} service '{service_id}'"
            if not isinstance(value, LineDict):
                self.report(file, services.line_of(service_id), f"{where}: must be a mapping "
                            "{owner, note, source, verified}")
            elif self.check_fields(file, value, OVERRIDE_SCHEMA, where):
                result.append(Override(str(service_id), value["owner"], " ".join(value["note"].split()),
                                       value["source"], value["verified"], value.get("since"),
                                       self.sides(file, value, where, of="record")))
        return tuple(result)


def _texts(record: LineDict, name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in record.get(name) or ())


def load_knowledge(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base at `path` (default: `default_knowledge_dir()`).

    Raises `KnowledgeError` listing every problem when anything is wrong.
    """
    root = Path(path) if path is not None else default_knowledge_dir()
    v = _Validator(root)
    if root.is_file():
        holder = next((d for d in root.absolute().parents if (d / "layers.yaml").is_file()), None)
        hint = f"; this file is in the knowledge directory {shown_path(holder)}" if holder else ""
        raise KnowledgeError([Problem(str(root.absolute()), 0, "is a file, not a knowledge directory: give the "
                                      f"directory that holds layers.yaml, services.yaml and entries/{hint}")], root)
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root.absolute()), 0, "knowledge directory not found")], root)

    located: dict[str, dict[str, tuple[Path, int]]] = {
        "entry": {}, "service": {}, "artifact": {}, "tip": {}, "layer": {},
    }

    def first_seen(kind: str, file: Path, line: int, item_id: str) -> bool:
        seen = located[kind]
        if item_id in seen:
            other_file, other_line = seen[item_id]
            other = other_file.relative_to(root) if other_file.is_relative_to(root) else other_file
            v.report(file, line, f"{kind} '{item_id}': duplicate id (also at {other}:{other_line})")
            return False
        seen[item_id] = (file, line)
        return True

    def records(file: Path, kind: str, schema: Schema) -> Iterable[tuple[int, LineDict, str]]:
        if not file.exists():
            v.report(file, 0, f"missing file (the knowledge base needs its {kind}s)")
            return
        for line, record in v.read_list(file, kind):
            what = f"{kind} '{record.get('id', '?')}'"
            fields_ok = v.check_fields(file, record, schema, what)
            # A record with a usable id is registered even when other fields are wrong, so one mistake does not
            # cascade into "unknown entry" problems everywhere it is referenced.
            unique = _identifier(record.get("id")) is None and first_seen(kind, file, line, record["id"])
            if fields_ok and unique:
                yield line, record, what

    layer_records = list(records(root / "layers.yaml", "layer", LAYER_SCHEMA))
    layers = [
        Layer(r["id"], r["name"].strip(), " ".join(r["explanation"].split()),
              tuple((c, r["defaults"][c]) for c in SERVICE_CATEGORIES), _texts(r, "words"),
              v.sources(root / "layers.yaml", r, what), r.get("entry"), _texts(r, "loose_words"),
              (r.get("narrows") or {}).get("layer"), tuple((r.get("narrows") or {}).get("words", ())),
              r.get("of_choices") is True, r.get("said_of_anything") is True, r.get("stated_with"),
              v.sides(root / "layers.yaml", r, what, of="layer"))
        for _, r, what in layer_records
    ]
    service_files = [root / "services.yaml", *sorted((root / "services").glob("*.yaml"))]
    service_records = [(file, r, what) for file in service_files if file.exists() or file.name == "services.yaml"
                       for _, r, what in records(file, "service", SERVICE_SCHEMA)]
    services = [
        Service(r["id"], r["name"].strip(), _texts(r, "aliases"), r["category"], r["summary"].strip(),
                r["security_url"], v.statements(file, r, what), r.get("building_block") is True,
                _texts(r, "runs_on"), _texts(r, "proper_names"), r.get("stands_for"))
        for file, r, what in service_records
    ]
    artifacts = [
        Artifact(r["id"], r["name"].strip(), r["attests"].strip(), r["access"], r["how"].strip(), r["url"])
        for _, r, _ in records(root / "artifacts.yaml", "artifact", ARTIFACT_SCHEMA)
    ]
    entry_files = sorted((root / "entries").glob("*.yaml"))
    if not entry_files:
        v.report(root / "entries", 0, "no entry files (*.yaml) found")
    entries: list[tuple[Entry, Path, LineDict]] = []
    for file in entry_files:
        for _, r, what in records(file, "entry", ENTRY_SCHEMA):
            entry = Entry(
                id=r["id"], title=r["title"].strip(), owner=r["owner"], summary=r["summary"].strip(),
                explanation=r["explanation"].strip(), aliases=_texts(r, "aliases"),
                links=v.links(file, r, what), keywords=_texts(r, "keywords"),
                customer_actions=_texts(r, "customer_actions"), aws_features=_texts(r, "aws_features"),
                control=r.get("control"), artifacts=_texts(r, "artifacts"), see_also=_texts(r, "see_also"),
                overrides=v.overrides(file, r, what), source=str(file.relative_to(root)),
                layers=_texts(r, "layers"), sides=v.sides(file, r, what), overview=r.get("overview") is True,
            )
            entries.append((entry, file, r))
    overviews = [(file, r) for entry, file, r in entries if entry.overview]
    for file, r in overviews[1:]:
        v.report(file, r.line_of("overview"), f"entry '{r.get('id')}': only one entry may be the overview "
                                               f"(also entry '{overviews[0][1].get('id')}')")
    tips = [
        (Tip(r["id"], r["entry"], " ".join(r["text"].split())), r, file)
        for file in sorted(root.glob("tips*.yaml")) or [root / "tips.yaml"]
        for _, r, _ in records(file, "tip", TIP_SCHEMA)
    ]

    if not tips and not any(p.file.startswith("tips") for p in v.problems):
        v.report(root / "tips.yaml", 0, "no tips: at least one is needed (App Home and `/srm tip` show one a day)")
    for name, parse in (("language.yaml", parse_language), ("thresholds.yaml", parse_thresholds)):
        if (root / name).exists():
            try:
                parse(root / name)
            except DataFileError as exc:
                for line, message in exc.problems:
                    v.report(root / name, line, message)
    _check_references(v, root, entries, tips, located)
    _check_layers(v, root, layer_records, entries, service_records, located)
    _check_aliases(v, entries, services, located["service"])
    from bot.core.checks import read_checks  # here, not at the top: checks.py builds on this module's validator

    checks = read_checks(v, root, located)
    v.report_unchecked()
    if v.problems:
        raise KnowledgeError(v.problems, root)
    return KnowledgeBase(
        entries=tuple(e for e, _, _ in entries), services=tuple(services), artifacts=tuple(artifacts),
        tips=tuple(t for t, _, _ in tips), root=str(root), layers=tuple(layers), checks=checks,
    )


def coverage_gaps(kb: KnowledgeBase) -> list[Problem]:
    """Services missing a statement every service needs (patching, encryption at rest, access), located to the
    service's record: what `srm kb validate` reports besides errors, so a maintainer knows what to write next."""
    root = Path(kb.root)
    lines = _record_lines(root)
    gaps = []
    for service in kb.services:
        missing = [" or ".join(group) for group in REQUIRED_SERVICE_LAYERS
                   if not any(service.statement_for(layer) for layer in group)]
        if missing:
            file, line = lines.get(service.id, (root / "services.yaml", 0))
            name = str(file.relative_to(root)) if file.is_relative_to(root) else str(file)
            gaps.append(Problem(name, line, f"service '{service.id}': no statement for layer {', '.join(missing)}"))
    return gaps


def _record_lines(root: Path) -> dict[str, tuple[Path, int]]:
    """Where each service record starts, by id."""
    lines: dict[str, tuple[Path, int]] = {}
    for file in [root / "services.yaml", *sorted((root / "services").glob("*.yaml"))]:
        if not file.exists():
            continue
        data, _ = load_with_lines(file.read_text(encoding="utf-8"))
        for line, item in zip(data.item_lines, data, strict=True):
            if isinstance(item, LineDict) and isinstance(item.get("id"), str):
                lines[item["id"]] = (file, line)
    return lines


def _check_layers(
    v: _Validator,
    root: Path,
    layer_records: list[tuple[int, LineDict, str]],
    entries: list[tuple[Entry, Path, LineDict]],
    service_records: list[tuple[Path, LineDict, str]],
    located: dict[str, dict[str, tuple[Path, int]]],
) -> None:
    """Every layer an entry, a side or a service statement names must exist; a layer's entry must exist; so must
    the services a service runs on."""
    known = located["layer"]
    for _, record, what in layer_records:
        if record.get("entry") and record["entry"] not in located["entry"]:
            v.report(root / "layers.yaml", record.line_of("entry"), f"{what}: field 'entry' names unknown entry "
                     f"'{record['entry']}'")
        for field, named in (("narrows", (record.get("narrows") or {}).get("layer")),
                             ("stated_with", record.get("stated_with"))):
            if named and named not in known:
                v.report(root / "layers.yaml", record.line_of(field), f"{what}: field '{field}' names unknown layer "
                         f"'{named}'")
    for entry, file, record in entries:
        what = f"entry '{entry.id}'"
        for layer_id in entry.layers:
            if layer_id not in known:
                v.report(file, record.line_of("layers"), f"{what}: field 'layers' names unknown layer '{layer_id}'")
        sides: LineDict = record.get("sides") or LineDict()
        for side in entry.sides:
            for layer_id in side.layers:
                if layer_id not in known:
                    v.report(file, sides.line_of(side.owner), f"{what} side '{side.owner}': unknown layer "
                             f"'{layer_id}'")
    for file, record, what in service_records:
        statements: LineDict = record.get("layers") or LineDict()
        for layer_id in statements:
            if layer_id not in known:
                v.report(file, statements.line_of(layer_id), f"{what}: field 'layers' names unknown layer "
                         f"'{layer_id}'")
        if (layer_id := record.get("stands_for")) is not None and layer_id not in known:
            v.report(file, record.line_of("stands_for"), f"{what}: field 'stands_for' names unknown layer "
                     f"'{layer_id}'")
        for service_id in record.get("runs_on") or ():
            if service_id not in located["service"]:
                v.report(file, record.line_of("runs_on"), f"{what}: field 'runs_on' names unknown service "
                         f"'{service_id}'")


def _check_references(
    v: _Validator,
    root: Path,
    entries: list[tuple[Entry, Path, LineDict]],
    tips: list[tuple[Tip, LineDict, Path]],
    located: dict[str, dict[str, tuple[Path, int]]],
) -> None:
    """Every id an entry or tip names must exist."""
    for entry, file, record in entries:
        what = f"entry '{entry.id}'"
        for field_name, kind in (("artifacts", "artifact"), ("see_also", "entry")):
            for item_id in getattr(entry, field_name):
                if item_id not in located[kind]:
                    v.report(file, record.line_of(field_name), f"{what}: field '{field_name}' names unknown "
                             f"{kind} '{item_id}'")
        services: LineDict = record.get("services") or LineDict()
        for service_id in services:
            if service_id not in located["service"]:
                v.report(file, services.line_of(service_id),
                         f"{what}: field 'services' names unknown service '{service_id}'")
    for tip, record, tips_file in tips:
        if tip.entry not in located["entry"]:
            v.report(tips_file, record.line_of("entry"), f"tip '{tip.id}': field 'entry' names unknown entry "
                     f"'{tip.entry}'")
        if len(tip.text) > MAX_TIP_LENGTH:
            v.report(tips_file, record.line_of("text"), f"tip '{tip.id}': field 'text' is {len(tip.text)} "
                     f"characters; at most {MAX_TIP_LENGTH}")


def _check_aliases(
    v: _Validator,
    entries: list[tuple[Entry, Path, LineDict]],
    services: list[Service],
    service_lines: dict[str, tuple[Path, int]],
) -> None:
    """An alias (after normalization) may be claimed by one entry only."""
    owners: dict[str, str] = {}
    for entry, file, record in entries:
        for keyword in entry.keywords:
            if not distinctive_words(keyword):
                v.report(file, record.line_of("keywords"), f"entry '{entry.id}': keyword {keyword!r} is a filler or "
                         "generic word (who, responsible, aws, security ...) that cannot point to a topic")
        for alias in (entry.title, *entry.aliases):
            key = alias_key(alias)
            previous = owners.setdefault(key, entry.id)
            if previous != entry.id:
                v.report(file, record.line_of("aliases"),
                         f"entry '{entry.id}': alias {alias!r} is already claimed by entry '{previous}'")
    service_owners: dict[str, str] = {}
    for service in services:
        for alias in (service.id, service.name, *service.aliases):
            previous = service_owners.setdefault(alias_key(alias), service.id)
            if previous != service.id:
                file, line = service_lines[service.id]
                v.report(file, line, f"service '{service.id}': alias {alias!r} is already claimed by service "
                         f"'{previous}'")
