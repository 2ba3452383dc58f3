"""Adaptive Card rendering: schema 1.5 elements only, shared wording, and escaping of user and knowledge text."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from teams_harness import card_actions, card_texts, elements

from bot.core import Answer, KnowledgeBase, Matcher
from bot.core.presentation import OWNER_EMOJI, owner_label, service_line
from bot.teams.cards import answer_card, card_json, escape_markdown, result_card, text_card, tip_card

SCHEMA_15_ELEMENTS = {"AdaptiveCard", "TextBlock", "Container", "ActionSet", "Action.Submit", "Action.OpenUrl",
                      "Action.Execute", "ColumnSet", "Column", "FactSet", "Image"}
MARKDOWN_SPECIALS = "\\`*_[]()#>~|!&"


def _types(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["type"]} if "type" in node else set()
        return found.union(*(_types(v) for k, v in node.items() if k != "data"))
    if isinstance(node, list):
        return set().union(*(_types(v) for v in node)) if node else set()
    return set()


@pytest.mark.parametrize("question", ["patch the os on rds", "key rotation", "rotation", "weather", ""])
def test_every_card_is_schema_15_and_small(matcher: Matcher, question: str) -> None:
    card = card_json(result_card(matcher.match(question)))
    assert card["version"] == "1.5"
    assert _types(card) <= SCHEMA_15_ELEMENTS
    assert len(json.dumps(card).encode()) < 28_000


def test_answer_card_uses_shared_wording(matcher: Matcher) -> None:
    answer = matcher.match("patch the os on rds")
    assert isinstance(answer, Answer) and answer.override is not None
    card = card_json(answer_card(answer, "details"))
    texts = card_texts(card)
    assert f"{OWNER_EMOJI[answer.owner]} {escape_markdown(owner_label(answer.owner))}" in texts
    assert escape_markdown(service_line(answer)) in texts
    assert elements(card, "Container")[0]["style"] == "accent"  # AWS owns patching on RDS


def test_knowledge_text_is_escaped(matcher: Matcher) -> None:
    answer = matcher.match("guest os patching")
    texts = card_texts(card_json(answer_card(answer, "details")))
    assert "*guest*" in answer.entry.explanation
    assert any(r"\(the \*guest\* OS\)" in t for t in texts)


def test_tip_markdown_arrives_literal(kb: KnowledgeBase) -> None:
    tip = next(t for t in kb.tips if t.id == "tip-b")
    card = card_json(tip_card(tip, kb.entry(tip.entry)))
    [text] = [t for t in card_texts(card) if "security groups" in t]
    assert "**no**" not in text and r"\*\*no\*\*" in text
    assert "[ever](https://example.com)" not in text
    assert card_actions(card) == [{"type": "Action.Submit", "title": "Learn more: Security groups",
                                   "data": {"srm": "answer", "entry": "firewall-rules"}}]


@pytest.mark.parametrize(("raw", "escaped"), [
    ("[x](https://evil.example)", r"\[x\]\(https://evil.example\)"),
    ("**bold** _it_ ~~s~~ `code`", r"\*\*bold\*\* \_it\_ \~\~s\~\~ \`code\`"),
    ("# heading\n> quote\n- item\n+ item\n1. item\n===",
     "\\# heading\n\\> quote\n\\- item\n\\+ item\n1\\. item\n\\==="),
    ("<at>Everyone</at>", "<\u200bat\\>Everyone<\u200b/at\\>"),
    ("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", "{\u200b{DATE\\(2017-02-14T06:08:39Z, SHORT\\)}\u200b}"),
    ("{{{x}}}", "{\u200b{\u200b{x}\u200b}\u200b}"),  # a run of braces keeps no pair
    ("&lt;at&gt;", "\\&lt;at\\&gt;"),
    ("back\\slash", "back\\\\slash"),
    ("kebab-case 3.5", "kebab-case 3.5"),
])
def test_escape_markdown(raw: str, escaped: str) -> None:
    assert escape_markdown(raw) == escaped


@given(st.text(alphabet=st.sampled_from(list(MARKDOWN_SPECIALS + "<>{}-+=1. \nab")), max_size=40))
def test_escaped_text_has_no_live_markup(raw: str) -> None:
    out = escape_markdown(raw)
    assert "<at" not in out and "{{" not in out and "}}" not in out
    stripped = out.replace("\u200b", "")
    literal, i = [], 0
    while i < len(stripped):  # every special is escaped, and dropping the escapes gives the user's text back
        if stripped[i] == "\\":
            literal.append(stripped[i + 1])
            i += 2
            continue
        assert stripped[i] not in MARKDOWN_SPECIALS
        literal.append(stripped[i])
        i += 1
    assert "".join(literal) == raw


def test_text_card_escapes_command_replies() -> None:
    assert card_texts(card_json(text_card("Unknown word '[x](y)'"))) == [r"Unknown word '\[x\]\(y\)'"]
