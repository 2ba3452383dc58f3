"""Renderer properties: every knowledge-base entry renders to valid Block Kit within Slack's limits, and no user or
knowledge text can ping or disguise a link."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.conversation.conversation import Vote
from bot.core import Ambiguous, Answer, KnowledgeBase, Matcher
from bot.core.presentation import owner_label
from bot.core.tips import tip_of_the_day
from bot.slack.blocks import (
    BUTTON_LIMIT,
    HEADER_LIMIT,
    MAX_BLOCKS,
    MESSAGE_BUDGET,
    SECTION_LIMIT,
    clip,
    clip_escaped,
    feedback_value,
    parse_feedback,
    parse_ref,
    render_result,
    render_tip,
)
from bot.slack.escape import escape_mrkdwn, link
from bot.slack.pages import render_help, render_home, render_list, render_services

LINK = re.compile(r"<(https://[^<>|]+)\|[^<>]*>")
MENTION = re.compile(r"<@U[A-Z0-9]+>")


def texts(block: Any, kinds: tuple[str, ...] = ("mrkdwn", "plain_text")) -> list[str]:
    """Every text string of the given kinds inside a block, recursively."""
    if isinstance(block, dict):
        found = [block["text"]] if block.get("type") in kinds else []
        return found + [t for value in block.values() for t in texts(value, kinds)]
    if isinstance(block, list):
        return [t for item in block for t in texts(item, kinds)]
    return []


def assert_within_limits(message: dict[str, Any], max_blocks: int = MAX_BLOCKS) -> None:
    blocks = message["blocks"]
    assert message["text"] and 0 < len(blocks) <= max_blocks
    # The renderer builds plain dicts for speed; slack_sdk's Block Kit models are the oracle: each block must
    # parse into them and come back identical from their validating to_dict() (it raises past Slack's limits).
    for block in blocks:
        model = Block.parse(block)
        assert model is not None and model.to_dict() == block, block["type"]
    assert len(json.dumps(blocks, ensure_ascii=False)) <= MESSAGE_BUDGET or max_blocks > MAX_BLOCKS
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= SECTION_LIMIT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_LIMIT
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            assert len({e["action_id"] for e in block["elements"]}) == len(block["elements"])
            assert all(len(e["text"]["text"]) <= BUTTON_LIMIT for e in block["elements"])


def assert_no_live_markup(message: dict[str, Any], allowed_links: set[str]) -> None:
    """In mrkdwn and the fallback (plain_text is never parsed), the only `<...>` left are our own links (to URLs
    we chose) and the sharer's mention."""
    for text in [message["text"], *texts(message["blocks"], ("mrkdwn",))]:
        rest = LINK.sub(lambda m: "" if m.group(1) in allowed_links else m.group(0), text)
        rest = MENTION.sub("", rest)
        assert "<" not in rest and ">" not in rest, text


def kb_urls(kb: KnowledgeBase) -> set[str]:
    urls = {link.url for e in kb.entries for link in e.links} | {a.url for a in kb.artifacts}
    return urls | {s.security_url for s in kb.services}


def test_every_entry_renders_within_limits_with_and_without_each_service(kb: KnowledgeBase,
                                                                        matcher: Matcher) -> None:
    urls = kb_urls(kb)
    rendered = 0
    for entry in kb.entries:
        for service_id in [None, *(o.service for o in entry.overrides)]:
            answer = matcher.answer_entry(entry.id, service_id)
            assert isinstance(answer, Answer)
            for shareable in (False, True):
                message = render_result(answer, shareable=shareable, shared_by="U123" if shareable else None)
                assert_within_limits(message)
                assert_no_live_markup(message, urls)
                assert next(b for b in message["blocks"] if b["type"] == "header")["text"]["text"] == entry.title
                assert owner_label(answer.owner) in message["text"]
                rendered += 1
    assert rendered >= 2 * len(kb.entries)


def test_answer_card_has_badge_service_difference_evidence_docs_and_feedback(matcher: Matcher) -> None:
    answer = matcher.match("who patches the OS on RDS?")
    assert isinstance(answer, Answer) and answer.service is not None and answer.differences
    message = render_result(answer, view="details")
    all_text = "\n".join(texts(message["blocks"]))
    assert "*AWS: security OF the cloud*" in all_text
    assert f"On {answer.service.name}:" in all_text
    assert "How it differs on other services" in all_text
    assert "Documentation" in all_text
    if answer.artifacts:
        assert "Evidence (audit artifacts)" in all_text
    feedback = [b for b in message["blocks"] if b["type"] == "context_actions"]
    assert feedback[0]["elements"][0]["type"] == "feedback_buttons"
    assert parse_feedback(feedback[0]["elements"][0]["positive_button"]["value"]) == Vote(
        True, answer.entry.id, answer.service.id, "who patches the OS on RDS?")


def votes(message: dict[str, Any]) -> list[Vote | None]:
    """The votes a message's feedback buttons carry (helpful, then not helpful)."""
    return [parse_feedback(element[side]["value"]) for block in message["blocks"] if block["type"] == "context_actions"
            for element in block["elements"] for side in ("positive_button", "negative_button")]


def test_refusals_carry_feedback_naming_their_question(matcher: Matcher) -> None:
    ambiguous = matcher.match("encryption")
    assert isinstance(ambiguous, Ambiguous)
    assert votes(render_result(ambiguous)) == [Vote(True, None, None, "encryption"),
                                               Vote(False, None, None, "encryption")]
    assert votes(render_result(matcher.match("what is the weather in Paris"))) == [
        Vote(True, None, None, "what is the weather in Paris"), Vote(False, None, None, "what is the weather in Paris")]
    assert votes(render_result(matcher.match(""))) == []  # an empty message gets help: nothing to vote on


def test_a_vote_fits_slacks_2000_characters_and_old_buttons_still_read(matcher: Matcher) -> None:
    longest = "\U0001f600" * 2000  # a paste: the value keeps the 500 characters the matcher reads
    for value in (feedback_value(False, "x" * 128, "y" * 64, longest), feedback_value(True, None, None, longest)):
        assert len(value) <= 2000
        assert parse_feedback(value).question == longest[:500]
    markup = feedback_value(False, "x" * 128, "y" * 64, "<!channel> & " * 100)  # escaped, it outgrows 2,000
    assert len(markup) <= 2000 and "<!channel>" not in markup
    assert parse_feedback(markup).question.startswith("&lt;!channel&gt; &amp; ")
    assert parse_feedback("unhelpful:security-groups") == Vote(False, "security-groups", None, "")
    assert parse_feedback("helpful:") is None and parse_feedback("maybe:security-groups") is None


def test_ambiguous_and_no_match_render_buttons(matcher: Matcher) -> None:
    ambiguous = render_result(matcher.match("encryption"))
    buttons = [e for b in ambiguous["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert 2 <= len(buttons) <= 5
    assert all(parse_ref(b["value"])[0] for b in buttons)
    no_match = render_result(matcher.match("what is the weather in Paris"))
    assert "srm_help" in json.dumps(no_match["blocks"])


def test_a_repeated_rendering_is_reused_but_its_message_belongs_to_the_caller(matcher: Matcher) -> None:
    result = matcher.match("who patches the guest OS on EC2?")
    first = render_result(result, shareable=True)
    first["response_type"] = "in_channel"  # what a caller may do with the message it gets
    second = render_result(result, shareable=True)
    assert "response_type" not in second
    assert second["blocks"] is first["blocks"]
    assert render_result(result)["blocks"] != second["blocks"]  # no "Share in channel" button without shareable


def test_pages_render_within_limits(kb: KnowledgeBase) -> None:
    tip = tip_of_the_day(kb)
    for message in (render_help(), render_list(kb), render_services(kb), *(render_list(kb, o) for o in
                                                                           ("aws", "customer", "shared"))):
        assert_within_limits(message)
    home = render_home(kb, tip)
    assert home["type"] == "home" and len(home["blocks"]) <= 100
    for each in kb.tips:
        assert_within_limits(render_tip(each, kb.entry(each.entry)))


def test_render_tip_learn_more_button(kb: KnowledgeBase) -> None:
    tip = kb.tips[0]
    message = render_tip(tip, kb.entry(tip.entry))
    button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert (button["action_id"], button["value"]) == ("srm_learn_more", tip.entry)


PIECES = [*"ab <>&|!@#*_~`\n", "<!channel>", "<@U1>", "&amp;", "<https://evil.example|x>", "é", "word "]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=200).map(lambda parts: "".join(parts) * 12)


@settings(max_examples=60, deadline=None)
@given(title=HOSTILE, explanation=HOSTILE, action=HOSTILE)
def test_hostile_or_huge_knowledge_text_still_renders_safely(matcher: Matcher, title: str, explanation: str,
                                                              action: str) -> None:
    base = matcher.answer_entry("security-groups")
    assert base is not None
    entry = dataclasses.replace(base.entry, title=title or "t", summary=explanation, explanation=explanation,
                                customer_actions=(action,) * 30, aws_features=(explanation,) * 30)
    message = render_result(dataclasses.replace(base, entry=entry), shareable=True)
    assert_within_limits(message)
    assert_no_live_markup(message, {link.url for link in base.links} | {a.url for a in base.artifacts})


@given(st.text(max_size=3000), st.integers(min_value=40, max_value=3000))
def test_clip_never_exceeds_the_limit_or_splits_an_entity(raw: str, limit: int) -> None:
    clipped = clip(raw, limit, "https://docs.aws.amazon.com/x")
    assert len(clipped) <= limit
    if len(escape_mrkdwn(raw)) <= limit:
        assert clipped == escape_mrkdwn(raw)
    assert not re.search(r"&(?!amp;|lt;|gt;)", clipped)


def test_pages_of_a_huge_knowledge_base_are_cut_to_fit(kb: KnowledgeBase) -> None:
    many = tuple(dataclasses.replace(e, id=f"{e.id}-{i}") for i in range(12) for e in kb.entries)
    big = KnowledgeBase(entries=many, services=kb.services * 4, artifacts=kb.artifacts, tips=kb.tips)
    for owner in (None, "aws", "customer", "shared"):
        listed = render_list(big, owner)
        assert_within_limits(listed)
        assert "more" in listed["blocks"][-2]["text"]["text"]
    assert_within_limits(render_services(big))
    home = render_home(big, kb.tips[0])
    assert len(home["blocks"]) <= 100
    assert all(len(t) <= SECTION_LIMIT for t in texts(home["blocks"], ("mrkdwn",)))


def test_clip_escaped_never_leaves_half_a_link() -> None:
    text = "see " + link("https://docs.aws.amazon.com/x.html", "a long label with spaces in it") + " and more"
    for limit in range(5, len(text)):
        clipped = clip_escaped(text, limit)
        assert len(clipped) <= limit and clipped.count("<") == clipped.count(">"), clipped
