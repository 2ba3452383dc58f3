"""Which words are English: a question word that is one is never read as a typo of another word.

The word list is pyspellchecker's English frequency dictionary (a well-kept package; the list ships inside it), read
once per process. Only words of four letters or more are kept: shorter words are never typo-corrected anyway.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources


@cache
def english_words() -> frozenset[str]:
    """Every English word of four letters or more in pyspellchecker's English dictionary, lower case."""
    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        frequencies: dict[str, int] = json.load(text)
    return frozenset(w for w in frequencies if len(w) >= 4 and w.isalpha() and w.isascii())
