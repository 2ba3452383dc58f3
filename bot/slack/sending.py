"""Replies to Slack, delivered off the listener threads: Web API posts (`chat.postMessage`, `views.publish`) and
`response_url` posts (shortcut answers, Share, did-you-mean picks, `/srm tips`) alike.

Each reply goes into the lane of its channel: a lane delivers in order, one reply at a time, on a small pool of
sender threads. A 429 parks the lane for `Retry-After` seconds (a timer, not a sleeping thread) and a 5xx or a
dropped connection for a short backoff, up to MAX_ATTEMPTS; meanwhile other channels' lanes go on. A call that
hangs holds one sender thread until the client's timeout (SLACK_API_TIMEOUT), never another channel's answer. A
reply that finally fails is logged at ERROR with its team, channel and what it was; a follow-up (Share's deletion of
the private answer) runs only after its reply went through.
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import logging
import threading
import time
import urllib.error
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.numbers import ascii_seconds

LOGGER = logging.getLogger("srm.slack.sending")
MAX_ATTEMPTS = 3
SENDER_THREADS = 8
BACKOFF_S = (0.5, 2.0)
"""Waits before the second and third attempt after a 5xx or a dropped connection."""
DEFAULT_RETRY_AFTER_S = 1.0
MAX_RETRY_AFTER_S = 120.0
"""A longer `Retry-After` is waited out only this long (Slack's are seconds to a minute)."""


class Retry(Exception):
    """One attempt failed in a way worth another after `after` seconds (None: the backoff)."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Failed(Exception):
    """An attempt failed in a way another attempt cannot mend (an `ok: false`, a 404 response URL, a timeout)."""


Attempt = Callable[[], None]
DELIVERED = "delivered"


@dataclass
class Delivery:
    """One reply: its attempt, what it is and where it goes (for the logs), and what follows once it succeeded."""

    attempt: Attempt
    what: str
    team: str | None
    channel: str | None
    then: Delivery | None = None
    otherwise: Callable[[str], Delivery] | None = None
    """What follows instead when it finally fails, given why (telling the person who asked)."""
    tries: int = 0


def _retry_after(headers: Any) -> float:
    value = ascii_seconds((headers or {}).get("Retry-After") or (headers or {}).get("retry-after"))
    return min(value if value is not None else DEFAULT_RETRY_AFTER_S, MAX_RETRY_AFTER_S)


def _network(exc: BaseException) -> Exception:
    if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
        return Failed(f"timed out ({type(exc).__name__})")  # it may have been delivered: never posted twice
    return Retry(f"connection error ({type(exc).__name__})")


NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, OSError)


def web_api_attempt(client: WebClient, method: str, payload: dict[str, Any]) -> Attempt:
    """One call of Web API `method` with `payload` through a copy of `client` that retries nothing itself."""
    bare = WebClient(token=client.token, base_url=client.base_url, timeout=client.timeout, retry_handlers=[])

    def attempt() -> None:
        try:
            bare.api_call(method, json=payload)
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429:
                raise Retry("rate limited (429)", _retry_after(exc.response.headers)) from exc
            if status >= 500:
                raise Retry(f"http_{status}") from exc
            raise Failed(f"{method}: {exc.response.get('error') or f'http_{status}'}") from exc
        except NETWORK_ERRORS as exc:
            raise _network(exc) from exc

    return attempt


def response_url_attempt(url: str, payload: dict[str, Any], timeout: int) -> Attempt:
    """One post of `payload` to a `response_url`."""
    client = WebhookClient(url, timeout=timeout, retry_handlers=[])

    def attempt() -> None:
        try:
            response = client.send_dict(payload)
        except NETWORK_ERRORS as exc:
            raise _network(exc) from exc
        if response.status_code == 429:
            raise Retry("rate limited (429)", _retry_after(response.headers))
        if response.status_code >= 500:
            raise Retry(f"http_{response.status_code}")
        if response.status_code != 200:
            raise Failed(f"response_url: http_{response.status_code} {str(response.body)[:100]}")

    return attempt


@dataclass
class _Lane:
    queue: deque[Delivery] = field(default_factory=deque)
    busy: bool = False
    """A sender thread is delivering from this lane, or the lane waits for a retry time."""


class Outbox:
    """Delivers replies lane by lane (one lane per channel) on SENDER_THREADS threads; see the module docstring."""

    def __init__(self, threads: int = SENDER_THREADS, timeout: int = 30) -> None:
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="srm-send")
        self._lanes: dict[str, _Lane] = {}
        self._guard = threading.Lock()
        self._timers = _Timers()

    def post(self, client: WebClient, method: str, payload: dict[str, Any], *, what: str, team: str | None,
             channel: str | None, lane: str | None = None, then: Delivery | None = None,
             otherwise: Callable[[str], Delivery] | None = None) -> None:
        """Call Web API `method` (e.g. chat.postMessage) with `payload`, in the lane of `channel` (or `lane`); then
        `then` once it went through, or `otherwise(reason)` when it finally failed."""
        self.submit(lane or channel or method, Delivery(web_api_attempt(client, method, payload), what, team, channel,
                                                        then=then, otherwise=otherwise))

    def reply(self, url: str, payload: dict[str, Any], *, what: str, team: str | None,
              channel: str | None) -> Delivery:
        """A post of `payload` to a response_url, to follow another delivery (`then`, `otherwise`)."""
        return Delivery(response_url_attempt(url, payload, self.timeout), what, team, channel)

    def respond(self, url: str | None, payload: dict[str, Any], *, what: str, team: str | None,
                channel: str | None, then: dict[str, Any] | None = None) -> None:
        """Post `payload` to `url` (a response_url), then the payload `then` to the same URL once it went through."""
        if not url:
            LOGGER.error("could not deliver %s team=%s channel=%s: the request had no response_url", what,
                         team or "-", channel or "-")
            return
        follow_up = None if then is None else Delivery(response_url_attempt(url, then, self.timeout),
                                                        f"{what} (follow-up)", team, channel)
        self.submit(channel or url, Delivery(response_url_attempt(url, payload, self.timeout), what, team, channel,
                                             then=follow_up))

    def submit(self, key: str, delivery: Delivery) -> None:
        """Queue `delivery` at the end of lane `key`."""
        with self._guard:
            lane = self._lanes.setdefault(key, _Lane())
            lane.queue.append(delivery)
            if lane.busy:
                return
            lane.busy = True
        self._pool.submit(self._drain, key)

    def _drain(self, key: str) -> None:
        """Deliver the head of lane `key` (a sender thread); go on with the next, park the lane, or free it."""
        while True:
            with self._guard:
                lane = self._lanes[key]
                if not lane.queue:
                    lane.busy = False
                    del self._lanes[key]
                    return
                delivery = lane.queue[0]
            outcome = self._deliver(delivery)
            if isinstance(outcome, float):
                self._timers.call_after(outcome, lambda: self._pool.submit(self._drain, key))
                return
            follow = delivery.then if outcome == DELIVERED else None
            if outcome != DELIVERED and delivery.otherwise is not None:
                follow = delivery.otherwise(outcome)
            with self._guard:
                lane.queue.popleft()
                if follow is not None:
                    lane.queue.appendleft(follow)

    def _deliver(self, delivery: Delivery) -> float | str:
        """Try `delivery` once: DELIVERED, the seconds to wait before the next attempt, or why it was given up
        (logged)."""
        delivery.tries += 1
        try:
            delivery.attempt()
        except Retry as retry:
            if delivery.tries < MAX_ATTEMPTS:
                LOGGER.warning("retrying %s team=%s channel=%s: %s (attempt %d of %d)", delivery.what,
                               delivery.team or "-", delivery.channel or "-", retry, delivery.tries, MAX_ATTEMPTS)
                return float(retry.after if retry.after is not None else BACKOFF_S[delivery.tries - 1])
            return self._give_up(delivery, str(retry))
        except Failed as failed:
            return self._give_up(delivery, str(failed))
        except Exception as exc:  # a bug or an unexpected client error: logged like any failure, the lane goes on
            return self._give_up(delivery, repr(exc))
        return DELIVERED

    def _give_up(self, delivery: Delivery, reason: str) -> str:
        skipped = " (not done: " + delivery.then.what + ")" if delivery.then is not None else ""
        LOGGER.error("could not deliver %s team=%s channel=%s after %d attempt(s): %s%s", delivery.what,
                     delivery.team or "-", delivery.channel or "-", delivery.tries, reason, skipped)
        return reason


class _Timers:
    """One thread that runs callbacks at their due times (a heap), so a wait never holds a sender thread."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[[], Any]]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        threading.Thread(target=self._run, name="srm-send-timers", daemon=True).start()

    def call_after(self, seconds: float, callback: Callable[[], Any]) -> None:
        """Run `callback` on the timer thread in `seconds`."""
        with self._wake:
            heapq.heappush(self._heap, (time.monotonic() + seconds, next(self._order), callback))
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._wake.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, callback = heapq.heappop(self._heap)
            try:
                callback()
            except RuntimeError:  # the sender pool is shut down: the process is exiting
                LOGGER.warning("a reply waiting for its retry was dropped: the process is stopping")
