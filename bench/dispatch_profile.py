"""Where a signed `/srm` question's time goes inside the web process, without HTTP: the WSGI app of `srm serve`
and the bare ack-only Bolt app called directly with the same signed requests, and the srm request's parts
(match, Block Kit rendering) timed on their own, uncached. Explains the ratios bench/http_bench.py prints.

Run: python bench/dispatch_profile.py [--requests 2000] [--cprofile]
With SRM_ANSWER_CACHE=0 in the environment, srm matches and renders every question afresh (as srm-nc in
bench/http_bench.py); by default the 50 questions repeat, so srm reuses their results and renderings.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import logging
import os
import pstats
import shutil
import tempfile
import time
from collections.abc import Callable
from typing import Any

from harness import BOT_TOKEN, SIGNING_SECRET, command_body, sign, slack_stand_in
from http_bench import questions

from bot.core import Matcher, load_knowledge
from bot.core.matcher import answer_cache_size
from bot.slack.blocks import _render


def wsgi_call(app: Callable[..., Any], body: bytes) -> None:
    """One signed POST /slack/events through `app`, as gunicorn would call it; stops unless it is a 200."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_TYPE": "application/x-www-form-urlencoded",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    environ.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in sign(body).items()})
    status: list[str] = []
    b"".join(app(environ, lambda s, headers: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"the app answered {status[0]}")


def per_call_ms(work: Callable[[int], object], count: int) -> float:
    """Mean milliseconds of `work(i)` over `count` calls, after one warm-up pass."""
    for i in range(min(count, 100)):
        work(i)
    started = time.perf_counter()
    for i in range(count):
        work(i)
    return (time.perf_counter() - started) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="calls per measurement (default 2000)")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions for srm")
    args = parser.parse_args()
    # The data directory and the log sink outlive main(): the store records misses from its own threads, which
    # the interpreter joins at exit, before atexit handlers run.
    data_dir = tempfile.mkdtemp(prefix="srm-bench-profile-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    devnull = open(os.devnull, "w")  # noqa: SIM115
    with slack_stand_in() as slack:
        os.environ.update({"SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_BOT_TOKEN": BOT_TOKEN,
                           "SLACK_API_URL": slack.api_url, "SRM_DATA_DIR": data_dir})
        from bench.bare_app import create_wsgi as bare_wsgi
        from bot.slack.wsgi import create_wsgi as srm_wsgi

        bare, srm = bare_wsgi(), srm_wsgi()
        logging.getLogger().handlers[0].setStream(devnull)  # the request log line is still formatted and written
        texts = questions()
        bodies = [command_body(t, response_url=slack.response_url("profile")) for t in texts]
        matcher = Matcher(load_knowledge(), cache_size=0)
        results = [matcher.match(t) for t in texts]
        n = args.requests
        rows = {
            "bare Bolt app: whole WSGI call": per_call_ms(lambda i: wsgi_call(bare, bodies[i % len(bodies)]), n),
            "srm: whole WSGI call": per_call_ms(lambda i: wsgi_call(srm, bodies[i % len(bodies)]), n),
            "  of which matcher.match()": per_call_ms(lambda i: matcher.match(texts[i % len(texts)]), n),
            "  of which rendering": per_call_ms(lambda i: _render(results[i % len(results)], True, None), n),
        }
        cache = f"answer cache of {answer_cache_size()}" if answer_cache_size() else "answer cache off"
        print(f"{len(texts)} distinct signed /srm questions, {n} calls each, in one process (no HTTP); srm: {cache}; "
              f"match and rendering timed uncached")
        for label, ms in rows.items():
            print(f"{label:<36}{ms:>8.3f} ms")
        if args.cprofile:
            profile = cProfile.Profile()
            profile.runcall(lambda: [wsgi_call(srm, bodies[i % len(bodies)]) for i in range(n)])
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
