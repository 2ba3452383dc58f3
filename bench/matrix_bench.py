"""`srm matrix` for 10 services: warm (the knowledge base loaded, as in a running bot) and as a whole process.

Warm: resolving the ten names, building the matrix (every layer and overridden entry per service, with owners,
evidence and checks) and rendering it, per format, after a warm-up; median and p95 of --repeat runs. Baseline
measured in the same run: the `csv` module writing the same number of rows of the same width with constant cells
(the floor for producing that CSV at all).

Process: `python -m bot matrix --services ... --format csv` as a subprocess, after one warm-up run (files cached,
bytecode compiled), median and p95 of --runs runs; baseline `python -c pass`. Most of a process's time is
interpreter start-up, imports and loading the YAML knowledge base, the same for every `srm` command.

Run: python bench/matrix_bench.py [--repeat N] [--runs N]
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.core import load_knowledge
from bot.core.matrix import matrix
from bot.core.service_names import resolve_services
from bot.render.matrix_export import COLUMNS, FORMATS, render

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("ec2", "rds", "s3", "lambda", "dynamodb", "vpc", "iam", "kms", "cloudtrail", "eks")


def stats(samples: list[float]) -> tuple[float, float]:
    """Median and p95, in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def repeat(work: Callable[[], object], times: int) -> list[float]:
    """Wall seconds of each of `times` calls of `work`, after one warm-up call."""
    work()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return samples


def line(label: str, samples: list[float], baseline: list[float] | None = None) -> str:
    """One printed line: median and p95 in ms, and the median as a multiple of the baseline's."""
    median, p95 = stats(samples)
    ratio = f"{median / stats(baseline)[0]:>8.1f}x" if baseline else ""
    return f"{label:<52}{median:>10.2f}{p95:>10.2f}{ratio}"


def main() -> None:
    """Print the warm and the whole-process figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="warm runs per format (default 200)")
    parser.add_argument("--runs", type=int, default=10, help="whole-process runs (default 10)")
    args = parser.parse_args()

    started = time.perf_counter()
    kb = load_knowledge()
    load_ms = (time.perf_counter() - started) * 1000
    services = resolve_services(kb, SERVICES)
    rows = matrix(kb, services)
    print(f"{len(SERVICES)} services ({', '.join(SERVICES)}): {len(rows)} rows; load_knowledge() took "
          f"{load_ms:.0f} ms once")
    print(f"\n{'warm, in-process':<52}{'median ms':>10}{'p95 ms':>10}{'vs floor':>9}")

    def floor() -> str:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows([["x" * 40] * len(COLUMNS)] * len(rows))
        return buffer.getvalue()

    baseline = repeat(floor, args.repeat)
    print(line("baseline: csv.writer, same shape", baseline))
    print(line("matrix() alone", repeat(lambda: matrix(kb, resolve_services(kb, SERVICES)), args.repeat),
               baseline))
    for fmt in FORMATS:
        work = lambda fmt=fmt: render(matrix(kb, resolve_services(kb, SERVICES)), services, fmt)  # noqa: E731
        print(line(f"srm matrix --format {fmt} (resolve+build+render)", repeat(work, args.repeat), baseline))

    argv = [sys.executable, "-m", "bot", "matrix", "--services", ",".join(SERVICES), "--format", "csv"]
    print(f"\n{'whole process (' + str(args.runs) + ' runs after 1 warm-up)':<52}{'median ms':>10}{'p95 ms':>10}"
          f"{'vs bare':>9}")

    def run(command: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=True, timeout=120)

    bare = repeat(run([sys.executable, "-c", "pass"]), args.runs)
    print(line("baseline: python -c pass", bare))
    print(line("python -m bot matrix --services <10> (csv)", repeat(run(argv), args.runs), bare))


if __name__ == "__main__":
    main()
