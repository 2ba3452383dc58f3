"""Cold start: `srm ask "security groups"` as a whole process, and the web process (the Procfile's `web:` line) from
spawn to its first 200 on /healthz.

Baselines measured in the same run: the bare interpreter (`python -c pass`) for the CLI, and the bare ack-only
Bolt app under the same gunicorn settings for the web process. Also prints where the CLI's time goes (imports,
loading the knowledge base, building the matcher), each phase timed in a fresh process.

Run: python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import ROOT, bare_argv, procfile_argv, slack_stand_in, start_server

QUESTION = "security groups"
PHASES = f"""
import json, time
QUESTION = {QUESTION!r}
t0 = time.perf_counter()
import bot.cli
t1 = time.perf_counter()
bot.cli.build_parser()
t1b = time.perf_counter()
from bot.core import Matcher, load_knowledge
kb = load_knowledge()
t2 = time.perf_counter()
matcher = Matcher(kb)
t3 = time.perf_counter()
matcher.match(QUESTION)
t4 = time.perf_counter()
print(json.dumps({{"import bot.cli": t1 - t0, "build_parser() (imports every subcommand)": t1b - t1,
                   "load_knowledge()": t2 - t1b, "Matcher(kb)": t3 - t2, "first match": t4 - t3}}))
"""


def timed(argv: list[str], expect: str | None = None) -> float:
    """Wall seconds for one run of `argv`; stops the benchmark if it fails or prints the wrong thing."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or (expect is not None and expect not in done.stdout):
        sys.exit(f"`{' '.join(argv)}` failed ({done.returncode}):\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
    return elapsed


def row(label: str, samples: list[float], baseline: list[float] | None = None) -> str:
    """One printed line: median and min in ms, and the median as a multiple of the baseline's."""
    median = statistics.median(samples)
    ratio = f"{median / statistics.median(baseline):>9.1f}x" if baseline else f"{'':>10}"
    return f"{label:<52}{median * 1000:>10.0f}{min(samples) * 1000:>10.0f}{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    args = parser.parse_args()
    python = sys.executable
    srm = str(Path(python).parent / "srm")
    interpreter = [timed([python, "-c", "pass"]) for _ in range(args.runs)]
    ask = [timed([srm, "ask", QUESTION], expect="Security groups") for _ in range(args.runs)]
    phases = [json.loads(subprocess.run([python, "-c", PHASES], capture_output=True, text=True, cwd=ROOT,
                                        check=True, timeout=120).stdout) for _ in range(args.runs)]
    web: dict[str, list[float]] = {"bare": [], "srm": []}
    with slack_stand_in() as slack:
        for _ in range(args.runs):
            for name, argv in (("bare", bare_argv), ("srm", procfile_argv)):
                with start_server(name, argv, slack.api_url) as server:
                    web[name].append(server.ready_seconds)
    print(f"{args.runs} runs each; wall time from spawn")
    print(f"{'':<52}{'median ms':>10}{'min ms':>10}{'vs base':>10}")
    print(row("baseline: python -c pass", interpreter))
    print(row(f'srm ask "{QUESTION}"', ask, interpreter))
    for phase in phases[0]:
        print(row(f"  of which {phase}", [p[phase] for p in phases]))
    print(row("baseline: bare Bolt app, spawn to /healthz 200", web["bare"]))
    print(row("srm web (Procfile web:), spawn to /healthz 200", web["srm"], web["bare"]))


if __name__ == "__main__":
    main()
