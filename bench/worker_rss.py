"""The web worker's memory after answering every question of the question sets once (issue 11: RSS <= 120 MB).

Starts the web process as shipped (the Procfile's `srm serve --http` command line), sends each distinct question of
`tests/questions/` as a signed `/srm` request, then prints every gunicorn worker's resident memory now (VmRSS) and
at its peak (VmHWM), beside the bare ack-only Bolt app under the same command line. Needs no wrk.

Run: python bench/worker_rss.py [--limit N]
"""

from __future__ import annotations

import argparse
import urllib.request

from harness import ROOT, bare_argv, gunicorn_argv, rss_mib, slack_stand_in, start_server, worker_pids

from bot.core.evaluation import load_questions
from tests.slack.conftest import command_body, sign


def questions(limit: int) -> list[str]:
    """Distinct question texts of the shipped question sets, at most `limit`."""
    found = dict.fromkeys(q.q for q in load_questions(ROOT / "tests" / "questions"))
    return list(found)[:limit]


def ask_all(url: str, response_url: str, texts: list[str]) -> int:
    """POST each text as a signed `/srm`; the number answered 200."""
    ok = 0
    for text in texts:
        body = command_body(text, response_url=response_url)
        request = urllib.request.Request(f"{url}/slack/events", data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", **sign(body)})
        with urllib.request.urlopen(request, timeout=10) as response:
            ok += response.status == 200
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="at most this many questions (default 2000)")
    args = parser.parse_args()
    texts = questions(args.limit)
    print(f"{len(texts)} distinct questions, each asked once as a signed /srm")
    print(f"{'server':8} {'answered':>9} {'worker':>8} {'RSS MiB':>8} {'peak MiB':>9}")
    with slack_stand_in() as api:
        for name, argv in (("bare", bare_argv), ("srm", gunicorn_argv)):
            with start_server(name, argv, api.url) as server:
                answered = ask_all(server.url, f"{api.url}/response/rss", texts)
                for pid in worker_pids(server.process.pid):
                    print(f"{name:8} {answered:>9} {pid:>8} {rss_mib(pid):>8.1f} {rss_mib(pid, 'VmHWM'):>9.1f}")


if __name__ == "__main__":
    main()
