"""Measure the Teams round trip: from posting an activity to `/api/messages` until the reply reaches the connector.

Not a test (no timed assertion): run `python tests/teams/teams_latency.py [N]` from the checkout. It starts the
stand-in connector and the real Teams process (development mode, the test knowledge base), posts N questions one
after another (default 100) and prints p50, p90 and max in milliseconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from teams_harness import activity, post, start_connector, start_teams_server, stop

QUESTIONS = ("patch the os on rds", "security groups", "key rotation", "rotation", "who patches the guest os on ec2")


def measure(count: int) -> list[float]:
    """Round-trip times in milliseconds for `count` sequential questions (after 5 warm-up requests)."""
    connector, server = start_connector()
    with tempfile.TemporaryDirectory() as tmp:
        url, proc = start_teams_server(Path(tmp))
        try:
            times: list[float] = []
            for i in range(count + 5):
                body = activity(connector.url, QUESTIONS[i % len(QUESTIONS)])
                started = time.perf_counter()
                post(url, body)
                [reply] = connector.wait_for(body["conversation"]["id"], 1)
                if i >= 5:
                    times.append((reply.at - started) * 1000)
            return times
        finally:
            stop(proc)
            server.shutdown()


def main() -> int:
    """Print the percentiles."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    times = sorted(measure(count))
    p90 = times[int(len(times) * 0.9) - 1]
    print(f"{count} activities: p50 {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, max {times[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
