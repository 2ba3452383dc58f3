"""User text made safe to echo: characters that are invisible or reorder what is shown are dropped before the text
goes into Slack or Teams markup (a right-to-left override can make "exe.txt" read "txt.exe"; zero-width characters
hide words from readers and filters; NUL and other control characters break clients)."""

from __future__ import annotations

import re

_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters other than tab and newlines
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides and isolates
    "\u200b-\u200d\u2060-\u2064\ufeff]"  # zero-width spaces, joiners, word joiner, invisible operators, BOM
)


def visible(text: str) -> str:
    """`text` without control, bidirectional-control and zero-width characters (tabs and newlines are kept)."""
    return _HIDDEN.sub("", text)
