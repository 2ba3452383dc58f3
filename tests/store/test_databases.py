"""The PostgreSQL probe of the test suite: it looks where SRM_TEST_POSTGRES_URL points, host and port included."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def probe(url: str) -> str:
    """What `postgres_unavailable()` says in a fresh interpreter with SRM_TEST_POSTGRES_URL=url."""
    code = ("from store.databases import POSTGRES_URL, postgres_unavailable; "
            "print(POSTGRES_URL); print(postgres_unavailable())")
    done = subprocess.run([sys.executable, "-c", code], cwd=TESTS, capture_output=True, text=True, timeout=60,
                          env={"SRM_TEST_POSTGRES_URL": url, "PATH": "/usr/bin:/bin"}, check=True)
    return done.stdout


def test_the_probe_uses_the_host_and_port_of_the_url() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nothing listens on it
        said = probe(f"postgresql://someone@127.0.0.1:{port}/elsewhere")
    assert f"no PostgreSQL server answers at 127.0.0.1:{port}" in said


def test_a_url_without_a_port_gets_the_default_one_written_out() -> None:
    assert probe("postgresql://someone@localhost/db").splitlines()[0] == "postgresql://someone@localhost:5432/db"
