"""YAML parsing that remembers the line of every mapping key and list item.

The knowledge-base validator needs to say *where* a problem is, so mappings load as `LineDict` (line of the mapping
and of each key) and sequences as `LineList` (line of each item). Duplicate keys, which plain PyYAML silently
overwrites, are collected as problems.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows the line of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


# libyaml's parser when PyYAML was built with it (five times faster); the pure-Python one otherwise.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in result:
            loader.duplicates.append((line, f"duplicate key '{key}' (first at line {result.key_lines[key]})"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_with_lines(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; return the data and a list of (line, message) for duplicate keys.

    Raises `yaml.YAMLError` (with `problem_mark`) on a syntax error.
    """
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.duplicates


class DataFileError(ValueError):
    """A data file of the knowledge base (language, thresholds) is invalid; `problems` holds (line, message) pairs."""

    def __init__(self, file: Path, problems: list[tuple[int, str]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}:{line}: {message}" for line, message in problems))


def load_data_file(file: Path, error: type[DataFileError]) -> tuple[Any, list[tuple[int, str]]]:
    """`load_with_lines` on `file`; a YAML syntax error raises `error` at its line."""
    try:
        return load_with_lines(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(file, [(mark.line + 1 if mark else 1, f"YAML syntax error: {exc}")]) from None
