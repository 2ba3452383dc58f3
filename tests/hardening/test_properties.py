"""Any text at all through the matcher and both renderers: no exception, bounded time, output within Slack's and
Teams' limits, and no live mention, link or card function that the user typed."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.core import KnowledgeBase, Matcher
from bot.core.answers import Answer
from bot.slack.blocks import BUTTON_LIMIT, HEADER_LIMIT, MAX_BLOCKS, SECTION_LIMIT, render_result
from bot.teams.cards import card_json, result_card

CEILING_S = 2.0
"""Per call, generous: a match and a render take milliseconds (measured); only a pathological slowdown fails."""
SLACK_TEXT_LIMIT = 40_000
"""chat.postMessage truncates `text` past this."""
TEAMS_MESSAGE_BYTES = 28_000
"""Teams rejects a message (with its card) larger than about 28 KB."""

FRAGMENTS = [
    "<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<@W1|ada>", "<#C1|general>", "<!subteam^S1|@team>",
    "<https://evil.example|aws.amazon.com>", "<mailto:x@evil.example>", "&lt;!channel&gt;", "&amp;", "&gt;", "<",
    ">", "&", "|", "*bold*", "_it_", "~st~", "`code`", "```", "> quote", "[click](https://evil.example)",
    "![img](https://evil.example/x.png)", "<at>srm</at>", "{{DATE(2017-02-14T06:08:39Z)}}", "${x}", "\\", "\n",
    "\r\n", "\t", "\x00", "\x1b[31m", "\u202e", "\u200f", "\u2066", "\ufeff", "\u200b", "\U0001f469\u200d\U0001f4bb",
    "\U0001f600", "\u0627\u0644\u0623\u0645\u0627\u0646", "\u5b89\u5168", "e\u0301", "\ufdfd", "security groups",
    "who patches the OS on RDS?", "kms key rotation", "rds", "ec2", "lambda", "s3", "encryption", "pricing",
    "how do I", "what is", " ", "-", "1.", "#", "http://aws.amazon.com", "https://aws.amazon.com/compliance/",
]

texts = st.one_of(
    st.text(),  # any unicode (control characters, RTL, combining marks, astral emoji)
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=25).map(" ".join),
    st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 100_000)).map(lambda t: (t[0] * t[1])[:100_000]),
)

_SLACK_LINK = re.compile(r"<(https://[^|<>]+)\|[^<>]*>")
_MARKDOWN_LINK = re.compile(r"(?<!\\)\]\(([^)]*)\)")


def kb_urls(kb: KnowledgeBase) -> set[str]:
    """Every URL the knowledge base may link to: entry links, artifacts, services."""
    urls = {link.url for entry in kb.entries for link in entry.links}
    urls |= {artifact.url for artifact in kb.artifacts}
    return urls | {service.security_url for service in kb.services}


def mrkdwn_strings(node: Any) -> list[str]:
    """Every string Slack parses as mrkdwn (or as the notification `text`) in a message."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            found.append(node["text"])
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                found.append(value)  # the top-level fallback, and plain_text (escaped the same way)
            else:
                found.extend(mrkdwn_strings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(mrkdwn_strings(item))
    return found


def card_strings(node: Any) -> list[str]:
    """Every TextBlock text and action title in a card."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "title") and isinstance(value, str):
                found.append(value)
            elif key != "data":
                found.extend(card_strings(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(card_strings(item))
    return found


def timed(call: Any, *args: Any, **kwargs: Any) -> Any:
    started = time.perf_counter()
    result = call(*args, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < CEILING_S, f"{getattr(call, '__name__', call)} took {elapsed:.2f} s"
    return result


def check_slack(message: dict[str, Any], allowed: set[str]) -> None:
    assert 0 < len(message["blocks"]) <= MAX_BLOCKS
    assert len(message["text"]) <= SLACK_TEXT_LIMIT
    for block in message["blocks"]:  # Block Kit's per-block limits (the renderer builds plain dicts)
        text = (block.get("text") or {}).get("text", "")
        assert len(text) <= (HEADER_LIMIT if block["type"] == "header" else SECTION_LIMIT)
        elements = block.get("elements") or []
        assert len(elements) <= (25 if block["type"] == "actions" else 10)
        for element in elements:
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= BUTTON_LIMIT and len(element.get("value", "")) <= 2000
    for text in mrkdwn_strings(message):
        for url in _SLACK_LINK.findall(text):
            assert url in allowed, f"live link to {url!r}"
        rest = _SLACK_LINK.sub("", text)
        assert "<" not in rest and ">" not in rest, f"live Slack markup in {rest[:300]!r}"


def check_teams(card: dict[str, Any], allowed: set[str]) -> None:
    assert len(json.dumps(card).encode()) < TEAMS_MESSAGE_BYTES
    for text in card_strings(card.get("body", [])):
        assert "<at" not in text.lower(), f"a Teams mention tag in {text[:300]!r}"
        assert "{{" not in text and "}}" not in text, f"a card function in {text[:300]!r}"
        for url in _MARKDOWN_LINK.findall(text):
            assert url in allowed, f"live link to {url!r}"


@pytest.fixture(scope="module")
def allowed(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    urls = kb_urls(kb)
    slack = {u.replace("&", "&amp;") for u in urls}
    teams = {quote(u, safe=":/?#@!$&'*+,;=%-._~") for u in urls}
    return slack, teams


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=texts)
@example(text="")
@example(text="x" * 100_000)
@example(text="<" * 100_000)
@example(text="\u202e" * 100_000)
@example(text="<!channel> security groups <https://evil.example|aws.amazon.com> [x](https://evil.example)")
def test_any_text_is_matched_and_rendered_safely(matcher: Matcher, allowed: tuple[set[str], set[str]],
                                                 text: str) -> None:
    result = timed(matcher.match, text)
    check_slack(timed(render_result, result, shareable=True), allowed[0])
    check_teams(timed(lambda r: card_json(result_card(r)), result), allowed[1])
    if not isinstance(result, Answer):
        return
    shared = timed(render_result, result, shared_by="U123ABC")
    assert mrkdwn_strings(shared)[0] != ""
    check_slack({**shared, "blocks": shared["blocks"][1:]}, allowed[0])  # the first block credits <@U123ABC>


@settings(max_examples=150, deadline=None)
@given(entry_id=st.text(max_size=300), service_id=st.one_of(st.none(), st.text(max_size=300)))
def test_any_button_value_is_answered_or_refused(matcher: Matcher, allowed: tuple[set[str], set[str]],
                                                 entry_id: str, service_id: str | None) -> None:
    """A click carries a value we wrote, but a forged request can carry anything."""
    answer = timed(matcher.answer_entry, entry_id, service_id)
    if answer is not None:
        check_slack(render_result(answer, shareable=True), allowed[0])
        check_teams(card_json(result_card(answer)), allowed[1])
