"""Check every URL of the knowledge base (entry links, artifact URLs, service security pages): which are broken
(4xx, 5xx, unreachable) and which redirect. Tooling for maintainers and CI machines with internet (`srm kb links`).

Each URL is asked with HEAD, and with GET when a server refuses HEAD (403, 405, 501). Redirects are followed here,
hop by hop (urllib's own redirect handler turns HEAD into GET), up to MAX_REDIRECTS. Every request goes through a
`Fetch` function: `http_fetch` in production, anything with its shape in tests. Standard library only.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core import KnowledgeBase
from bot.core.yaml_lines import LineDict, LineList, load_with_lines

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_CONCURRENCY = 8
MAX_REDIRECTS = 10
HEAD_REFUSED = frozenset({403, 405, 501})
"""Statuses after which a HEAD is asked again as GET: servers that do not answer HEAD, or refuse it."""
USER_AGENT = "srm-bot-linkcheck/1 (+https://github.com/srm-bot; knowledge-base link check)"

Fetch = Callable[[str, str, float], tuple[int, str | None]]
"""(method, url, timeout) -> (HTTP status, Location header or None), without following redirects; raises OSError
(urllib.error.URLError, TimeoutError ...) when nothing answers."""


@dataclass(frozen=True)
class LinkUse:
    """One place a URL is held: `holder` (`entry security-groups`, `service ec2`, `artifact soc2`) and
    `location` (`entries/network.yaml:12`, or "" when the file line could not be found)."""

    url: str
    holder: str
    location: str = ""


@dataclass(frozen=True)
class LinkStatus:
    """What asking for a URL gave: the final status (None: unreachable), the redirects taken and any error."""

    url: str
    status: int | None
    redirects: tuple[tuple[int, str], ...] = ()
    error: str = ""

    @property
    def broken(self) -> bool:
        """4xx, 5xx, a redirect loop or nothing answering."""
        return self.status is None or self.status >= 400 or (300 <= self.status < 400)

    @property
    def final_url(self) -> str:
        """Where the redirects ended (the URL itself without any)."""
        return self.redirects[-1][1] if self.redirects else self.url

    def describe(self) -> str:
        """`broken (404)`, `unreachable (URLError: ...)`, `redirected (301) to https://...`, or `ok (200)`."""
        if self.status is None:
            return f"unreachable ({self.error})"
        if self.broken:
            detail = f"{self.status}: {self.error}" if self.error else str(self.status)
            return f"broken ({detail})" + (f" after redirects to {self.final_url}" if self.redirects else "")
        if self.redirects:
            return f"redirected ({self.redirects[0][0]}) to {self.final_url}"
        return f"ok ({self.status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to the caller, which follows it keeping the method."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def http_fetch(method: str, url: str, timeout: float) -> tuple[int, str | None]:
    """One real HTTP(S) request with urllib, redirects not followed; the body is never read."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers.get("Location")


def check_url(url: str, fetch: Fetch = http_fetch, timeout: float = DEFAULT_TIMEOUT_S) -> LinkStatus:
    """Ask for `url` (HEAD, then GET if HEAD is refused) and follow its redirects; never raises for network errors."""
    redirects: list[tuple[int, str]] = []
    current = url
    try:
        while True:
            status, location = fetch("HEAD", current, timeout)
            if status in HEAD_REFUSED:
                status, location = fetch("GET", current, timeout)
            if not (300 <= status < 400 and location):
                return LinkStatus(url, status, tuple(redirects))
            if len(redirects) == MAX_REDIRECTS:
                return LinkStatus(url, status, tuple(redirects), f"more than {MAX_REDIRECTS} redirects")
            current = urllib.parse.urljoin(current, location)
            redirects.append((status, current))
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timeouts, TLS, malformed replies
        reason = getattr(exc, "reason", None) or exc
        return LinkStatus(url, None, tuple(redirects), f"{type(exc).__name__}: {reason}")


def check_urls(urls: Iterable[str], fetch: Fetch = http_fetch, timeout: float = DEFAULT_TIMEOUT_S,
               concurrency: int = DEFAULT_CONCURRENCY) -> dict[str, LinkStatus]:
    """Check each distinct URL once, `concurrency` at a time; {url: status}."""
    unique = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="srm-links") as pool:
        return dict(zip(unique, pool.map(lambda u: check_url(u, fetch, timeout), unique), strict=True))


def link_uses(kb: KnowledgeBase) -> list[LinkUse]:
    """Every URL the knowledge base holds, in file order: services and their statements' sources, artifacts,
    layers' sources, then entries' links and the sources of their per-service overrides."""
    lines = _url_lines(Path(kb.root))
    uses = []
    for service in kb.services:
        uses.append(LinkUse(service.security_url, f"service {service.id}"))
        uses += [LinkUse(st.source, f"service {service.id} layer {st.layer}") for st in service.statements]
        uses += [LinkUse(side.source, f"service {service.id} layer {st.layer}") for st in service.statements
                 for side in st.sides if side.source]
    uses += [LinkUse(a.url, f"artifact {a.id}") for a in kb.artifacts]
    uses += [LinkUse(source.url, f"layer {layer.id}") for layer in kb.layers for source in layer.sources]
    uses += [LinkUse(link.url, f"entry {e.id}") for e in kb.entries for link in e.links]
    uses += [LinkUse(o.source, f"entry {e.id} service {o.service}") for e in kb.entries for o in e.overrides]
    return [LinkUse(u.url, u.holder, lines.get((u.holder, u.url), "")) for u in uses]


def _url_lines(root: Path) -> dict[tuple[str, str], str]:
    """{(holder, url): "file:line"} read from the YAML files with their lines (the first line when repeated)."""
    found: dict[tuple[str, str], str] = {}
    files = [("service", f) for f in (root / "services.yaml", *sorted((root / "services").glob("*.yaml")))]
    files += [("artifact", root / "artifacts.yaml"), ("layer", root / "layers.yaml")]
    files += [("entry", file) for file in sorted((root / "entries").glob("*.yaml"))]
    for kind, file in files:
        try:
            data, _ = load_with_lines(file.read_text(encoding="utf-8"))
        except (OSError, ValueError, yaml.YAMLError):  # it loaded a moment ago: an edit since, so no lines
            continue
        name = file.relative_to(root).as_posix()
        for record in data if isinstance(data, LineList) else ():
            if isinstance(record, LineDict):
                for holder, url, line in _record_urls(kind, record):
                    found.setdefault((holder, str(url)), f"{name}:{line}")
    return found


def _record_urls(kind: str, record: LineDict) -> list[tuple[str, object, int]]:
    """(holder, url, line) of every URL one record holds."""
    holder = f"{kind} {record.get('id')}"

    def listed(field: str) -> list[tuple[str, object, int]]:
        return [(holder, item.get("url"), item.line_of("url")) for item in record.get(field) or ()
                if isinstance(item, LineDict)]

    if kind == "service":
        statements = record.get("layers") if isinstance(record.get("layers"), LineDict) else LineDict()
        return [(holder, record.get("security_url"), record.line_of("security_url"))] + [
            (f"{holder} layer {layer}", st.get("source"), st.line_of("source"))
            for layer, st in statements.items() if isinstance(st, LineDict)]
    if kind == "artifact":
        return [(holder, record.get("url"), record.line_of("url"))]
    if kind == "layer":
        return listed("sources")
    overrides = record.get("services") if isinstance(record.get("services"), LineDict) else LineDict()
    return listed("links") + [(f"{holder} service {service}", o.get("source"), o.line_of("source"))
                              for service, o in overrides.items() if isinstance(o, LineDict) and "source" in o]


def report_lines(uses: Iterable[LinkUse], statuses: dict[str, LinkStatus]) -> list[str]:
    """One line per use of a broken or redirected URL: `file:line: holder: url: what happened`."""
    lines = []
    for use in uses:
        status = statuses[use.url]
        if status.broken or status.redirects:
            where = f"{use.location}: " if use.location else ""
            lines.append(f"{where}{use.holder}: {use.url}: {status.describe()}")
    return lines
