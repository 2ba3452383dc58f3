"""HTTP benchmark: signed `/srm` questions against the web process exactly as the Procfile starts it, and against
a bare Bolt app that only acks (the ceiling) under the same gunicorn settings, at concurrency 1, 10 and 50.

Prints requests/s, p50/p99 latency, errors and memory per worker, and the ratios to the targets: srm throughput
>= 0.8x the bare app's and srm p50 <= 1.5x the bare app's p50, at every concurrency. A third server, srm-nc, is
srm with its answer cache off (SRM_ANSWER_CACHE=0): every question is matched and rendered afresh, as a question
nobody asked before is.

Needs wrk (Debian: `apt-get install -y wrk`). Run: python bench/http_bench.py [--duration 5] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from harness import (
    ROOT,
    Server,
    bare_argv,
    command_body,
    procfile_argv,
    rss_mib,
    sign,
    slack_stand_in,
    start_server,
    worker_pids,
)

from bot.commands.serve import gunicorn_argv
from bot.core.evaluation import load_questions

CONCURRENCY = (1, 10, 50)
QUESTIONS = 50
"""Distinct signed `/srm` questions the load generator cycles through, spread over the question sets."""
WARMUP_SECONDS = 2
THROUGHPUT_TARGET = 0.8
P50_TARGET = 1.5

LUA = """
local bodies = {%(bodies)s}
local signatures = {%(signatures)s}
local timestamp = "%(timestamp)s"
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "/slack/events", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = timestamp,
    ["X-Slack-Signature"] = signatures[i],
  }, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "seconds": %%f, "p50_ms": %%f, "p99_ms": %%f, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def questions() -> list[str]:
    """QUESTIONS questions taken evenly from the project's question sets."""
    every = [q.q for q in load_questions(ROOT / "tests" / "questions")]
    step = max(1, len(every) // QUESTIONS)
    return every[::step][:QUESTIONS]


def lua_script(texts: list[str], response_url: str) -> str:
    """A wrk script sending each question as a form-encoded `/srm`, signed once now (valid for 5 minutes)."""
    timestamp = int(time.time())
    bodies = [command_body(text, response_url=response_url) for text in texts]
    signatures = [sign(body, timestamp)["X-Slack-Signature"] for body in bodies]
    return LUA % {"bodies": ", ".join(f"[[{b.decode()}]]" for b in bodies),
                  "signatures": ", ".join(f'"{s}"' for s in signatures), "timestamp": timestamp}


def check_answers(server: Server, texts: list[str], response_url: str, expect_json: bool) -> None:
    """Send each question once and stop unless every reply is 200 (and, for srm, an ephemeral answer)."""
    for text in texts:
        body = command_body(text, response_url=response_url)
        request = urllib.request.Request(f"{server.url}/slack/events", data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if status != 200 or (expect_json and json.loads(payload).get("response_type") != "ephemeral"):
            sys.exit(f"{server.name} answered {text!r} with {status}: {payload[:200]!r}")


def wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, float]:
    """One fixed-length wrk run; its summary from the script's `done` hook."""
    argv = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "5s",
            "-s", str(script), f"{url}/slack/events"]
    output = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    result = json.loads(line[4:])
    result["rps"] = result["requests"] / result["seconds"]
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    return result


def memory(server: Server) -> tuple[float, float]:
    """(current RSS, peak RSS) in MiB of the largest gunicorn worker."""
    workers = worker_pids(server.process.pid)
    return max(rss_mib(p) for p in workers), max(rss_mib(p, "VmHWM") for p in workers)


def cpu_seconds(server: Server) -> float:
    """CPU time (user + system) used so far by the gunicorn master and its workers."""
    total = 0
    for pid in (server.process.pid, *worker_pids(server.process.pid)):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / os.sysconf("SC_CLK_TCK")


def measured(server: Server, script: Path, connections: int, seconds: int) -> dict[str, float]:
    """One warm-up and one measured wrk run, with the server's CPU milliseconds per request and its memory."""
    wrk(server.url, script, connections, WARMUP_SECONDS)
    before = cpu_seconds(server)
    row = wrk(server.url, script, connections, seconds)
    row["cpu_ms"] = (cpu_seconds(server) - before) * 1000 / max(row["requests"], 1)
    row["rss"], row["peak"] = memory(server)
    return row


def median_row(runs: list[dict[str, float]]) -> dict[str, float]:
    """The median of each figure over the rounds; errors are summed."""
    row = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    row["errors"] = sum(run["errors"] for run in runs)
    return row


def srm_gunicorn() -> list[str]:
    """The gunicorn command line `srm serve --http` execs (shown with $PORT for the port)."""
    return [part.replace(":0", ":$PORT") for part in gunicorn_argv(0)[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=5, help="seconds per load run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per server and concurrency, taking turns; "
                        "the medians are shown (default 3)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: it is the load generator of this benchmark and not part of srm-bot's "
                 "runtime.\nInstall it with `sudo apt-get install -y wrk` (Debian/Ubuntu) or "
                 "`brew install wrk` (macOS), then run this again.")
    texts = questions()
    with slack_stand_in() as slack, tempfile.TemporaryDirectory(prefix="srm-bench-wrk-") as tmp, \
            start_server("bare", bare_argv, slack.api_url) as bare, \
            start_server("srm", procfile_argv, slack.api_url) as srm, \
            start_server("srm-nc", procfile_argv, slack.api_url, {"SRM_ANSWER_CACHE": "0"}) as uncached:
        response_url = slack.response_url("bench")
        check_answers(bare, texts, response_url, expect_json=False)
        check_answers(srm, texts, response_url, expect_json=True)
        check_answers(uncached, texts, response_url, expect_json=True)
        servers = (bare, srm, uncached)
        print(f"srm: `{' '.join(procfile_argv(0))}` (Procfile web:) -> `{' '.join(srm_gunicorn())}`")
        print(f"bare: `{' '.join(bare_argv(0)[1:]).replace(':0', ':$PORT')}`")
        print(f"{len(texts)} distinct signed /srm questions, wrk on 127.0.0.1, {args.rounds} round(s) of "
              f"{args.duration} s per server and concurrency, medians shown; CPU ms: the server's CPU time per "
              f"request; RSS per worker after the run (peak); srm-nc: srm with SRM_ANSWER_CACHE=0, every question "
              f"matched and rendered afresh")
        print(f"{'conc':>4} {'server':<7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>8}{'errors':>8}{'RSS MiB':>9}"
              f"{'peak':>7}   {'rps/bare':>8} {'p50/bare':>8}  verdict")
        misses = 0  # counted for srm as shipped; srm-nc shows what the answer cache is worth
        for connections in CONCURRENCY:
            script = Path(tmp) / f"srm-{connections}.lua"
            script.write_text(lua_script(texts, response_url))  # signed afresh per concurrency: well within 5 min
            runs: dict[str, list[dict[str, float]]] = {server.name: [] for server in servers}
            for _ in range(args.rounds):  # the servers take turns, so a busy moment on the machine hits them all
                for server in servers:
                    runs[server.name].append(measured(server, script, connections, args.duration))
            rows = {name: median_row(server_runs) for name, server_runs in runs.items()}
            for name, row in rows.items():
                line = (f"{connections:>4} {name:<7}{row['rps']:>9.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
                        f"{row['cpu_ms']:>8.2f}{row['errors']:>8}{row['rss']:>9.1f}{row['peak']:>7.1f}")
                if name != "bare":
                    rps_ratio = row["rps"] / rows["bare"]["rps"]
                    p50_ratio = row["p50_ms"] / rows["bare"]["p50_ms"]
                    ok = rps_ratio >= THROUGHPUT_TARGET and p50_ratio <= P50_TARGET and row["errors"] == 0
                    misses += not ok and name == "srm"
                    line += f"   {rps_ratio:>8.2f} {p50_ratio:>8.2f}  {'meets' if ok else 'MISSES'}"
                print(line, flush=True)
        print(f"targets: srm req/s >= {THROUGHPUT_TARGET}x bare, srm p50 <= {P50_TARGET}x bare, no errors: "
              f"{'met at every concurrency' if not misses else f'missed at {misses} concurrency level(s)'}")


if __name__ == "__main__":
    main()
