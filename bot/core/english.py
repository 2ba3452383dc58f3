"""Which words are English: a question word that is one is never read as a typo of another word.

The word list is pyspellchecker's English frequency dictionary (a well-kept package; the list ships inside it), read
once per process. Only words of four or more ASCII letters are kept: shorter words are never typo-corrected anyway.

The 127,000 words are kept as a sorted array of their 64-bit BLAKE2b digests and looked up by binary search: 4 MiB
of a web worker where a set of the words took 18 MiB (bench/RESULTS.md, web worker memory). Two words sharing a
digest are as unlikely as a random 64-bit collision among 127,000 values (about 1 in 10^9 per question word).
"""

from __future__ import annotations

import gzip
import re
from array import array
from bisect import bisect_left
from functools import cache
from hashlib import blake2b
from importlib import resources

_KEY = re.compile(rb'"([a-z]{4,})":')
"""A key of the JSON frequency dictionary made of four or more ASCII letters (a word worth keeping)."""


def _digest(word: bytes) -> int:
    return int.from_bytes(blake2b(word, digest_size=8).digest(), "little")


class WordDigests:
    """A read-only set of words, stored as the sorted 64-bit digests of their ASCII spelling."""

    def __init__(self, digests: array) -> None:
        self._digests = digests
        """Sorted, as `bisect` needs."""

    def __len__(self) -> int:
        return len(self._digests)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word.isascii():
            return False
        wanted = _digest(word.encode("ascii"))
        index = bisect_left(self._digests, wanted)
        return index < len(self._digests) and self._digests[index] == wanted


@cache
def english_words() -> WordDigests:
    """Every English word of four letters or more in pyspellchecker's English dictionary, lower case."""
    source = resources.files("spellchecker") / "resources" / "en.json.gz"
    with source.open("rb") as raw:
        text = gzip.decompress(raw.read())
    # The digests are made and sorted straight from the file's bytes: no set of 127,000 strings is ever built.
    return WordDigests(array("Q", sorted(_digest(m.group(1)) for m in _KEY.finditer(text))))
