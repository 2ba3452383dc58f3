"""Matching benchmark: per-question latency p50/p99, index build time and memory, on the shipped knowledge base
and on synthetic bases 10x and 100x larger, against a plain rapidfuzz `process.extractOne` over entry titles.

Run: python bench/match_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core import KnowledgeBase, Matcher, load_knowledge
from bot.core.evaluation import load_questions

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "questions"


def synthetic(kb: KnowledgeBase, factor: int, seed: int = 7) -> KnowledgeBase:
    """`factor` copies of every entry, each copy's title and aliases marked with its own invented word."""
    rng = random.Random(seed)
    letters = "bcdfghjklmnprstvz"
    vowels = "aeiou"

    def word() -> str:
        return "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(4))

    entries = list(kb.entries)
    for copy in range(1, factor):
        for entry in kb.entries:
            tag = word()
            entries.append(dataclasses.replace(
                entry, id=f"{entry.id}-x{copy}", title=f"{entry.title} {tag}",
                aliases=tuple(f"{a} {tag}" for a in entry.aliases), see_also=()))
    return KnowledgeBase(entries=tuple(entries), services=kb.services, artifacts=kb.artifacts, tips=kb.tips)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(kb: KnowledgeBase, questions: list[str], repeat: int) -> dict[str, float]:
    tracemalloc.start()
    started = time.perf_counter()
    matcher = Matcher(kb)
    build = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for q in questions:  # warm the word caches once, as a running bot would be
        matcher.match(q)
    ours: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            matcher.match(q)
            ours.append(time.perf_counter() - t0)
    titles = [e.title for e in kb.entries]
    base: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            process.extractOne(q, titles, scorer=fuzz.WRatio)
            base.append(time.perf_counter() - t0)
    p50, p99 = percentiles(ours)
    b50, b99 = percentiles(base)
    return {"entries": len(kb.entries), "build_ms": build * 1000, "index_mib": peak / 2**20,
            "p50_ms": p50 * 1000, "p99_ms": p99 * 1000, "base_p50_ms": b50 * 1000, "base_p99_ms": b99 * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the question set (default 5)")
    args = parser.parse_args()
    kb = load_knowledge()
    questions = [q.q for q in load_questions(QUESTIONS)]
    print(f"{len(questions)} questions x {args.repeat} passes; baseline: rapidfuzz process.extractOne(WRatio) over "
          "entry titles")
    print(f"{'base':<10}{'entries':>8}{'build ms':>10}{'index MiB':>11}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'base p50':>10}{'base p99':>10}{'p99/base':>10}")
    for label, factor in (("shipped", 1), ("10x", 10), ("100x", 100)):
        row = measure(synthetic(kb, factor) if factor > 1 else kb, questions, args.repeat)
        print(f"{label:<10}{row['entries']:>8}{row['build_ms']:>10.1f}{row['index_mib']:>11.1f}{row['p50_ms']:>9.3f}"
              f"{row['p99_ms']:>9.3f}{row['base_p50_ms']:>10.3f}{row['base_p99_ms']:>10.3f}"
              f"{row['p99_ms'] / row['base_p99_ms']:>10.1f}")


if __name__ == "__main__":
    main()
