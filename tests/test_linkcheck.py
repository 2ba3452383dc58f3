"""`srm kb links` and bot/linkcheck.py against a real local HTTP server: 200, a redirect, 404, 500, a server that
refuses HEAD (405, 403) but answers GET, a redirect loop and a closed port. The knowledge base only holds https
URLs on AWS's domains, so the command test maps those hosts to the local server in the one function every request
goes through (the real urllib request still runs)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_loader import ARTIFACTS, ENTRY, LAYERS, SERVICES, SG_SOURCE, SOURCED, write_base

from bot.cli import main
from bot.core import load_knowledge
from bot.linkcheck import MAX_REDIRECTS, check_url, check_urls, http_fetch, link_uses

ROUTES: dict[str, dict[str, tuple[int, str | None]]] = {
    # path: {method: (status, Location)}; a method missing from a route gets the "*" answer
    "/ok": {"*": (200, None)},
    "/moved": {"*": (301, "/ok")},
    "/moved-twice": {"*": (302, "/moved")},
    "/missing": {"*": (404, None)},
    "/error": {"*": (500, None)},
    "/no-head": {"HEAD": (405, None), "*": (200, None)},
    "/head-forbidden": {"HEAD": (403, None), "*": (200, None)},
    "/loop": {"*": (302, "/loop")},
    "/moved-to-missing": {"*": (308, "/missing")},
}


class LocalSite:
    """A local HTTP server answering ROUTES; `seen` lists (method, path) in arrival order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self) -> None:
                site.seen.append((self.command, self.path))
                route = ROUTES.get(self.path, {"*": (404, None)})
                status, location = route.get(self.command, route["*"])
                body = b"" if self.command == "HEAD" else b"page\n"
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_HEAD = do_GET = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    running = LocalSite()
    yield running
    running.close()


@pytest.fixture(scope="module")
def closed_url() -> str:
    """A URL on a loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


def test_a_live_page_is_ok_after_one_head(site: LocalSite) -> None:
    site.seen.clear()
    status = check_url(f"{site.url}/ok", timeout=5)
    assert (status.status, status.redirects, status.broken) == (200, (), False)
    assert site.seen == [("HEAD", "/ok")]


def test_redirects_are_followed_keeping_head_and_reported(site: LocalSite) -> None:
    site.seen.clear()
    status = check_url(f"{site.url}/moved-twice", timeout=5)
    assert status.status == 200 and not status.broken
    assert status.redirects == ((302, f"{site.url}/moved"), (301, f"{site.url}/ok"))
    assert status.describe() == f"redirected (302) to {site.url}/ok"
    assert site.seen == [("HEAD", "/moved-twice"), ("HEAD", "/moved"), ("HEAD", "/ok")]


@pytest.mark.parametrize("path", ["/no-head", "/head-forbidden"])
def test_a_refused_head_is_asked_again_with_get(site: LocalSite, path: str) -> None:
    site.seen.clear()
    status = check_url(f"{site.url}{path}", timeout=5)
    assert (status.status, status.broken) == (200, False)
    assert site.seen == [("HEAD", path), ("GET", path)]


@pytest.mark.parametrize(("path", "code"), [("/missing", 404), ("/error", 500)])
def test_client_and_server_errors_are_broken(site: LocalSite, path: str, code: int) -> None:
    status = check_url(f"{site.url}{path}", timeout=5)
    assert (status.status, status.broken, status.describe()) == (code, True, f"broken ({code})")


def test_a_redirect_to_a_missing_page_is_broken_and_says_where_it_ended(site: LocalSite) -> None:
    status = check_url(f"{site.url}/moved-to-missing", timeout=5)
    assert status.broken and status.describe() == f"broken (404) after redirects to {site.url}/missing"


def test_a_redirect_loop_is_broken(site: LocalSite) -> None:
    status = check_url(f"{site.url}/loop", timeout=5)
    assert status.broken and len(status.redirects) == MAX_REDIRECTS
    assert f"more than {MAX_REDIRECTS} redirects" in status.describe()


def test_a_closed_port_is_unreachable_not_an_exception(closed_url: str) -> None:
    status = check_url(closed_url, timeout=5)
    assert status.status is None and status.broken
    assert status.describe().startswith("unreachable (URLError: ") and "refused" in status.describe().lower()


def test_each_distinct_url_is_asked_once_however_often_it_is_held(site: LocalSite, closed_url: str) -> None:
    site.seen.clear()
    urls = [f"{site.url}/ok", f"{site.url}/missing", f"{site.url}/ok", closed_url, f"{site.url}/missing"]
    statuses = check_urls(urls, http_fetch, timeout=5, concurrency=3)
    assert {url: s.status for url, s in statuses.items()} == {f"{site.url}/ok": 200, f"{site.url}/missing": 404,
                                                              closed_url: None}
    assert sorted(site.seen) == [("HEAD", "/missing"), ("HEAD", "/ok")]


# --- the command, on a small knowledge base whose AWS URLs are served locally --------------------------------------

LOCAL_HOSTS = ("https://docs.aws.amazon.com", "https://aws.amazon.com")
GONE_HOST = "https://gone.aws.amazon.com"


@pytest.fixture
def local_web(site: LocalSite, closed_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests for the test knowledge base's AWS hosts go to the local server (GONE_HOST to the closed port)."""

    def fetch(method: str, url: str, timeout: float) -> tuple[int, str | None]:
        for host in LOCAL_HOSTS:
            url = url.replace(host, site.url, 1) if url.startswith(host + "/") else url
        return http_fetch(method, url.replace(GONE_HOST + "/", closed_url.removesuffix("gone"), 1), timeout)

    monkeypatch.setattr("bot.commands.kb.http_fetch", fetch)


def knowledge(root: Path, monkeypatch: pytest.MonkeyPatch, *, sg_url: str, host_os_url: str, ec2_url: str,
              soc2_url: str) -> dict[str, str]:
    """A valid knowledge base at `root` with these four URLs; returns {url: "file:line"} for each."""
    entries = (ENTRY.replace("https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html", sg_url)
               .replace(SG_SOURCE, sg_url)  # the ec2 override cites the same page as the topic's link
               .replace("https://aws.amazon.com/compliance/shared-responsibility-model/", host_os_url))
    services = SERVICES.replace("https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security.html", ec2_url)
    artifacts = ARTIFACTS.replace("https://aws.amazon.com/compliance/soc-faqs/", soc2_url)
    # The layers' sources answer, so each test's verdict rests on the four URLs it chose.
    layers = LAYERS.replace("https://aws.amazon.com/compliance/shared-responsibility-model/",
                            "https://docs.aws.amazon.com/ok")
    write_base(root, entries=entries, services=services, artifacts=artifacts, layers=layers)
    monkeypatch.setenv("SRM_KNOWLEDGE_DIR", str(root))

    def where(name: str, text: str, url: str) -> str:
        return f"{name}:{next(n for n, line in enumerate(text.splitlines(), 1) if line.endswith(url))}"

    return {sg_url: where("entries/network.yaml", entries, sg_url),
            host_os_url: where("entries/network.yaml", entries, host_os_url),
            ec2_url: where("services.yaml", services, ec2_url), soc2_url: where("artifacts.yaml", artifacts, soc2_url)}


@pytest.mark.usefixtures("local_web")
def test_links_lists_broken_and_redirected_links_where_they_are_and_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sg, host_os = "https://docs.aws.amazon.com/ok", "https://aws.amazon.com/moved"
    ec2, soc2 = f"{GONE_HOST}/ec2-security", "https://docs.aws.amazon.com/missing"
    lines = knowledge(tmp_path, monkeypatch, sg_url=sg, host_os_url=host_os, ec2_url=ec2, soc2_url=soc2)
    assert main(["kb", "links", "--timeout", "5", "--concurrency", "2"]) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert out[0].startswith(f"{lines[ec2]}: service ec2: {ec2}: unreachable (URLError: ")
    assert out[1:] == [f"{lines[soc2]}: artifact soc2: {soc2}: broken (404)",
                       f"{lines[host_os]}: entry host-os: {host_os}: redirected (301) to https://aws.amazon.com/ok"]
    assert "4 URLs checked (7 uses): 2 broken, 1 redirected" in captured.err


@pytest.mark.usefixtures("local_web")
def test_links_passes_when_only_redirects_remain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    moved = "https://aws.amazon.com/moved"
    lines = knowledge(tmp_path, monkeypatch, sg_url="https://docs.aws.amazon.com/ok", host_os_url=moved,
                      ec2_url="https://docs.aws.amazon.com/no-head", soc2_url="https://docs.aws.amazon.com/ok")
    assert main(["kb", "links"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"{lines[moved]}: entry host-os: {moved}: redirected (301) to "
                                         "https://aws.amazon.com/ok"]
    assert "3 URLs checked (7 uses): 0 broken, 1 redirected" in captured.err


@pytest.mark.parametrize(("option", "value"), [("--timeout", "0"), ("--timeout", "soon"), ("--concurrency", "-2")])
def test_links_refuses_bad_options_with_a_message(option: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["kb", "links", option, value])
    assert exit_info.value.code == 64
    assert f"argument {option}" in capsys.readouterr().err


def test_the_page_a_services_record_cites_is_checked_where_it_is(tmp_path: Path) -> None:
    uses = link_uses(load_knowledge(write_base(tmp_path, entries=SOURCED)))
    assert [(u.holder, u.location) for u in uses if u.url == SG_SOURCE] == [
        ("entry security-groups service ec2", "entries/network.yaml:17")]
