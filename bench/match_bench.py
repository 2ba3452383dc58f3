"""Matching benchmark: per-question latency p50/p99, index build time and memory, on the shipped knowledge base
and on synthetic bases 10x and 100x larger, against a plain rapidfuzz `process.extractOne` over entry titles.

Build time is measured untraced; memory is measured on a second, traced build (tracemalloc's peak: what the index
allocates) and as the process's resident set (VmRSS from /proc) once the matcher is built. The slowest questions
on the shipped base are listed to show where the p99 comes from.

Run: python bench/match_bench.py [--repeat N] [--largest 1|10|100]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import random
import statistics
import time
import tracemalloc
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core import KnowledgeBase, Matcher, load_knowledge
from bot.core.evaluation import load_questions

QUESTIONS = Path(__file__).resolve().parents[1] / "tests" / "questions"
TARGET_P99_MS = {"shipped": 1.0, "10x": 5.0}


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


def rss_mib() -> float:
    """This process's resident memory now (VmRSS from /proc), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def measure(kb: KnowledgeBase, questions: list[str], repeat: int,
            slowest: list[tuple[float, str]] | None = None) -> dict[str, float]:
    """One base's row; `slowest` (if given) receives (p50 seconds, question) for every question."""
    tracemalloc.start()
    Matcher(kb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.collect()
    started = time.perf_counter()
    matcher = Matcher(kb, cache_size=0)  # every pass matches afresh: the answer cache would time dict lookups
    build = time.perf_counter() - started
    rss = rss_mib()
    for q in questions:  # warm the word caches once, as a running bot would be
        matcher.match(q)
    ours: list[float] = []
    per_question: dict[str, list[float]] = {q: [] for q in questions}
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            matcher.match(q)
            elapsed = time.perf_counter() - t0
            ours.append(elapsed)
            per_question[q].append(elapsed)
    if slowest is not None:
        slowest.extend((statistics.median(times), q) for q, times in per_question.items())
    titles = [e.title for e in kb.entries]
    base: list[float] = []
    for _ in range(repeat):
        for q in questions:
            t0 = time.perf_counter()
            process.extractOne(q, titles, scorer=fuzz.WRatio)
            base.append(time.perf_counter() - t0)
    p50, p99 = percentiles(ours)
    b50, b99 = percentiles(base)
    return {"entries": len(kb.entries), "build_ms": build * 1000, "index_mib": peak / 2**20, "rss_mib": rss,
            "p50_ms": p50 * 1000, "p99_ms": p99 * 1000, "base_p50_ms": b50 * 1000, "base_p99_ms": b99 * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the question set (default 5)")
    parser.add_argument("--largest", type=int, choices=(1, 10, 100), default=100,
                        help="the largest base to measure, as a multiple of the shipped one (default 100)")
    args = parser.parse_args()
    kb = load_knowledge()
    questions = [q.q for q in load_questions(QUESTIONS)]
    print(f"{len(questions)} questions x {args.repeat} passes; baseline: rapidfuzz process.extractOne(WRatio) over "
          "entry titles")
    print(f"{'base':<10}{'entries':>8}{'build ms':>10}{'index MiB':>11}{'RSS MiB':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'base p50':>10}{'base p99':>10}{'p99/base':>10}  target")
    slowest: list[tuple[float, str]] = []
    for label, factor in (("shipped", 1), ("10x", 10), ("100x", 100))[:(1, 10, 100).index(args.largest) + 1]:
        row = measure(synthetic(kb, factor) if factor > 1 else kb, questions, args.repeat,
                      slowest if factor == 1 else None)
        target = TARGET_P99_MS.get(label)
        verdict = "-" if target is None else f"p99 <= {target:g} ms: {'meets' if row['p99_ms'] <= target else 'MISSES'}"
        print(f"{label:<10}{row['entries']:>8}{row['build_ms']:>10.1f}{row['index_mib']:>11.1f}{row['rss_mib']:>9.1f}"
              f"{row['p50_ms']:>9.3f}{row['p99_ms']:>9.3f}{row['base_p50_ms']:>10.3f}{row['base_p99_ms']:>10.3f}"
              f"{row['p99_ms'] / row['base_p99_ms']:>10.1f}  {verdict}", flush=True)
    print("slowest questions on the shipped base (median ms):")
    for seconds, question in sorted(slowest, reverse=True)[:5]:
        print(f"  {seconds * 1000:7.3f}  {question}")


if __name__ == "__main__":
    main()
