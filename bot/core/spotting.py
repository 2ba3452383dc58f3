"""Find known phrases in a question: the layers it names, the sides of a shared control it names.

Phrases and questions are compared as Snowball stems of every word, filler included ("our staff" is not "AWS
staff"), and a phrase matches only where its words stand together in the question. Longer phrases are found
first and each word of the question serves one phrase, so "host OS" is the host layer and not also "OS".
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable

from bot.core.normalize import words

RECENT = 4
"""Texts whose phrases each spotter remembers: enough for the repeats within one question, never a cache of
questions."""


class PhraseSpotter:
    """Labels of the phrases that occur in a text. Build once; `find()` is thread-safe."""

    def __init__(self, phrases: Iterable[tuple[str, str]], shared: PhraseSpotter | None = None) -> None:
        """`phrases`: (phrase, label) pairs; several phrases may share a label. With `shared`, that spotter's
        phrases are found too, after these where two are as long; its entries are reused, not copied (one
        spotter per shared statement holds its layer's words)."""
        # By first stem: (the stems after it, the phrase's length, label); most phrases are one word, which the
        # first stem alone matches.
        self._by_first: dict[str, list[tuple[list[str] | tuple[()], int, str]]] = defaultdict(list)
        for phrase, label in phrases:
            stems = [sys.intern(s) for s in words(phrase)]
            if stems:
                self._by_first[stems[0]].append((stems[1:] if len(stems) > 1 else (), len(stems), label))
        for first, entries in (shared._by_first.items() if shared is not None else ()):
            self._by_first[first].extend(entries)
        for candidates in self._by_first.values():
            candidates.sort(key=lambda c: -c[1])
        self._recent: tuple[tuple[tuple[str, ...], tuple[tuple[int, int, str], ...]], ...] = ()

    def find(self, text: str) -> tuple[str, ...]:
        """The labels of every phrase found in `text`, in the order they occur; longer phrases are found first
        and each word serves one phrase."""
        return self.find_in(words(text))

    def find_in(self, stems: list[str], beyond: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The same for text already reduced to stems (`bot.core.normalize.words`), counting only phrases with a
        word outside `beyond`."""
        return tuple(dict.fromkeys(label for start, size, label in self._spans(stems)
                                   if not beyond.issuperset(stems[start:start + size])))

    def words_used(self, stems: list[str]) -> frozenset[str]:
        """The stems that the phrases found in `stems` are made of."""
        return frozenset(stems[i] for start, size, _ in self._spans(stems) for i in range(start, start + size))

    def _spans(self, stems: list[str]) -> tuple[tuple[int, int, str], ...]:
        """(start, size, label) of every phrase kept, in the order they occur. One question asks the same spotter
        about the same words several times, so the last few answers are kept (replaced whole: thread-safe)."""
        key = tuple(stems)
        recent = self._recent
        for asked, spans in recent:
            if asked == key:
                return spans
        spans = self._spans_uncached(stems)
        self._recent = ((key, spans), *recent[:RECENT - 1])
        return spans

    def _spans_uncached(self, stems: list[str]) -> tuple[tuple[int, int, str], ...]:
        found: list[tuple[int, int, str]] = []
        for start, stem_ in enumerate(stems):
            for rest, size, label in self._by_first.get(stem_, ()):
                if size == 1 or stems[start + 1:start + size] == rest:
                    found.append((size, start, label))
        if len(found) < 2:
            return tuple((start, size, label) for size, start, label in found)
        used: set[int] = set()
        kept: list[tuple[int, int, str]] = []
        for size, start, label in sorted(found, key=lambda f: (-f[0], f[1])):
            span = range(start, start + size)
            if not used.intersection(span):
                used.update(span)
                kept.append((start, size, label))
        return tuple(sorted(kept))
