"""Lexical retrieval over all of an entry's text (BM25F-style), the matcher's second signal.

The phrase scorer (`bot.core.matcher`) rewards questions worded like an entry's title or aliases. People who never
saw those phrases ask in the words of the explanation, the customer's duties or a service's note instead ("who
keeps track of which key encrypted which object version?"). This index scores every entry over all of its text,
each field weighted by how strongly it names the topic, and reports a score normalized to 0..1: the share of the
question's weight that the entry explains, so a question full of words the knowledge base never uses scores low.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.core.model import Entry, KnowledgeBase
from bot.core.normalize import content_words


@dataclass(frozen=True)
class FieldWeights:
    """How much one occurrence of a word counts, by the field it appears in."""

    title: float = 3.0
    aliases: float = 2.0
    keywords: float = 1.5
    summary: float = 1.0
    explanation: float = 0.7
    duties: float = 0.5
    """customer_actions and aws_features"""
    notes: float = 0.5
    """service overrides' notes and the sides of a shared control"""
    layer_words: float = 0.3
    """the words of the entry's layers"""


K1 = 1.2
B = 0.75


class TextIndex:
    """BM25F over every entry's text. Build once; `scores()` is thread-safe."""

    def __init__(self, kb: KnowledgeBase, weights: FieldWeights = FieldWeights()) -> None:
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._vocabulary: list[frozenset[str]] = []
        lengths: list[float] = []
        for index, entry in enumerate(kb.entries):
            counts: Counter[str] = Counter()
            for text, weight in _fields(entry, kb, weights):
                for word in content_words(text):
                    counts[word] += weight
            lengths.append(sum(counts.values()))
            self._vocabulary.append(frozenset(counts))
            for word, tf in counts.items():
                postings[word].append((index, tf))
        self._size = max(len(kb.entries), 1)
        average = sum(lengths) / self._size if lengths else 1.0
        norm = [K1 * (1 - B + B * length / average) for length in lengths]
        self._idf = {w: math.log(1 + (self._size - len(p) + 0.5) / (len(p) + 0.5)) for w, p in postings.items()}
        self._unknown_idf = math.log(1 + (self._size + 0.5) / 0.5)
        # Each posting's BM25 term score is fixed once the index is built: a question only adds them up.
        self._weights = {w: [(i, self._idf[w] * tf * (K1 + 1) / (tf + norm[i])) for i, tf in posted]
                         for w, posted in postings.items()}
        self._entries_of = {w: tuple(i for i, _ in posted) for w, posted in postings.items()}

    def shared_words(self, index: int, stems: list[str]) -> int:
        """How many distinct question stems entry `index`'s text uses."""
        return len(self._vocabulary[index].intersection(stems))

    def scores(self, stems: list[str]) -> dict[int, float]:
        """Entry index -> score 0..1 for the question's content stems: the BM25 score over the best score the
        question's words could reach together (unknown words count against every entry). Numbers are left out:
        "2" is no evidence of SOC 2."""
        unique = [s for s in dict.fromkeys(stems) if not s.isdigit()]
        ideal = sum(self._idf.get(w, self._unknown_idf) * (K1 + 1) for w in unique)
        if not ideal:
            return {}
        # Added up in a list indexed by entry (faster than a dict), then read back for the entries touched.
        totals = [0.0] * self._size
        touched: set[int] = set()
        for word in unique:
            if (posted := self._weights.get(word)) is not None:
                for index, weight in posted:
                    totals[index] += weight
                touched.update(self._entries_of[word])
        return {index: totals[index] / ideal for index in touched}


def _fields(entry: Entry, kb: KnowledgeBase, w: FieldWeights) -> list[tuple[str, float]]:
    fields = [(entry.title, w.title), (entry.summary, w.summary), (entry.explanation, w.explanation)]
    fields += [(a, w.aliases) for a in entry.aliases] + [(k, w.keywords) for k in entry.keywords]
    fields += [(d, w.duties) for d in (*entry.customer_actions, *entry.aws_features)]
    fields += [(o.note, w.notes) for o in entry.overrides]
    fields += [(text, w.notes) for side in entry.sides for text in (side.text, *side.words)]
    fields += [(word, w.layer_words) for lid in entry.layers if (layer := kb.layer(lid)) for word in layer.words]
    return fields
