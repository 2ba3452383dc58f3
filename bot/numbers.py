"""Numbers read from headers and environment variables: ASCII digits only.

`str.isdigit()` accepts "²", "١٢" and fullwidth digits, which `int()` then refuses (or reads as a number nobody
typed); every header and setting the processes parse goes through these instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_DIGITS = re.compile(r"[0-9]+")
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def ascii_int(text: str | None) -> int | None:
    """`text` as a non-negative integer when it is at most 18 ASCII digits, else None."""
    if text is None or len(text) > 18 or not _DIGITS.fullmatch(text):
        return None
    return int(text)


def ascii_seconds(text: str | None) -> float | None:
    """A `Retry-After`-style number of seconds (ASCII digits, optionally a decimal part), else None."""
    if text is None or len(text) > 18 or not _SECONDS.fullmatch(text.strip()):
        return None
    return float(text)


def whole_number(env: Mapping[str, str], name: str, default: int, low: int, high: int, unit: str) -> int:
    """The setting `name` in `env`: `default` when unset, else ASCII digits from `low` to `high`; ValueError
    naming the variable and the value otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    value = ascii_int(raw)
    if value is None or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number of {unit} from {low} to {high}, got {raw!r}")
    return value
