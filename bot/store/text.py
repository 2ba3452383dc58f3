"""Text as every database can store it.

Chat platforms deliver JSON, and JSON may carry a lone UTF-16 surrogate (`"\\ud800"`) that Python decodes into a
`str` no UTF-8 encoder accepts; PostgreSQL also refuses NUL in text. Every string the store writes passes through
`storable()` first, so one odd message cannot make a record the driver fails to encode.
"""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
"""What a lone surrogate becomes (U+FFFD REPLACEMENT CHARACTER)."""
_UNSTORABLE = re.compile("[\ud800-\udfff]")


def storable_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD and NUL characters removed."""
    return _UNSTORABLE.sub(REPLACEMENT, text).replace("\x00", "")


def storable(value: Any) -> Any:
    """`value` with every string in it (also inside dicts, lists and tuples, keys included) made storable."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storable(item) for item in value)
    return value
