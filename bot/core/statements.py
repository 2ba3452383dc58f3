"""Finding the one statement of a service's record that a question is about.

A question can name a service and ask who does something there in words no entry and no layer uses ("who runs the
query engine in Clean Rooms?", "who upgrades the Kafka version of an MSK cluster?"). The service's own statements
say who does what on it, in the words of its documentation; the statement that explains most of the question,
clearly ahead of the service's others, names the layer the question is about, and so the answer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from bot.core.model import KnowledgeBase, Service, Statement
from bot.core.normalize import distinctive_words


class StatementFinder:
    """Scores a question against each statement of a service. Build once per knowledge base; thread-safe."""

    def __init__(self, kb: KnowledgeBase) -> None:
        names = {layer.id: layer.name for layer in kb.layers}
        self._words: dict[tuple[str, str], frozenset[str]] = {
            (service.id, s.layer): frozenset(distinctive_words(f"{names.get(s.layer, '')} {s.note}"))
            for service in kb.services for s in service.statements
        }
        document_frequency: Counter[str] = Counter(w for words in self._words.values() for w in words)
        size = max(len(self._words), 1)
        self._idf = {w: math.log(1 + size / n) for w, n in document_frequency.items()}
        self._unknown_idf = math.log(1 + size)

    def best(self, service: Service, question_words: Iterable[str], *, minimum: float, margin: float,
             shared: int) -> Statement | None:
        """The statement of `service` that explains at least `minimum` of the question's weight (0..1), shares at
        least `shared` of its words (all of them, where the question has fewer), and leads the service's next
        statement by `margin`; else None."""
        asked = set(question_words)
        total = sum(self._idf.get(w, self._unknown_idf) for w in asked)
        if not total:
            return None
        scored = sorted(
            ((sum(self._idf[w] for w in asked & words) / total, len(asked & words), statement)
             for statement in service.statements
             if (words := self._words.get((service.id, statement.layer), frozenset()))),
            key=lambda item: -item[0],
        )
        if not scored:
            return None
        score, overlap, statement = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if score >= minimum and overlap >= min(shared, len(asked)) and score - runner_up >= margin:
            return statement
        return None
