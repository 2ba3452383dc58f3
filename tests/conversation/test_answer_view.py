"""The short answer, the trust signals and the Why view: built once, held within 700 characters on every platform
for every entry of the shipped knowledge base, and warning when the facts are older than SRM_STALE_DAYS."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_loader import ENTRY, SG_OVERRIDE, write_base

from bot.conversation import Conversation, Where
from bot.conversation.answer_view import SHORT_LIMIT, short_answer, stale_days, trust, why_lines
from bot.conversation.replies import AnswerReply, TextReply
from bot.core import Answer, KnowledgeBase, Matcher, load_knowledge
from bot.core.answers import result_to_dict
from bot.render.text import render_text
from bot.slack.blocks import render_result
from bot.slack.blocks import visible_text as slack_visible
from bot.teams.cards import answer_card, card_json
from bot.teams.cards import visible_text as teams_visible

WHERE = Where(platform="test", via="click", team_id="T1", channel_id="C1", user_id="U1")


def every_answer(kb: KnowledgeBase, matcher: Matcher) -> Iterator[Answer]:
    """Every entry of `kb`, for no service and for each service it has a record for."""
    for entry in kb.entries:
        for service_id in (None, *(o.service for o in entry.overrides)):
            answer = matcher.answer_entry(entry.id, service_id)
            assert answer is not None
            yield answer


def test_every_short_answer_of_the_shipped_base_is_within_700_characters_on_every_platform(
        kb: KnowledgeBase, matcher: Matcher) -> None:
    checked = 0
    for answer in every_answer(kb, matcher):
        stale = trust(answer, today=dt.date.today() + dt.timedelta(days=400))  # the longest form: warned
        assert stale.warning
        short = short_answer(answer, stale)
        assert short.size <= SHORT_LIMIT, (answer.entry.id, short.size)
        shared = render_result(answer, shareable=True, shared_by="U0123456789")
        assert len(slack_visible(shared)) <= SHORT_LIMIT, (answer.entry.id, slack_visible(shared))
        card = teams_visible(card_json(answer_card(answer, "short", stale)))
        assert len(card) <= SHORT_LIMIT, (answer.entry.id, card)
        checked += 1
    assert checked > len(kb.entries)  # the services' records were checked too


def test_short_answer_has_owner_one_line_answer_why_evidence_and_verified_date(matcher: Matcher) -> None:
    answer = matcher.match("who patches the OS on RDS?")
    assert isinstance(answer, Answer) and answer.decision.rule == "service-entry"
    verified, _ = answer.verified
    assert verified is not None
    short = short_answer(answer, trust(answer, today=verified, max_days=180))
    summary, why, facts = short.lines
    assert short.owner == "aws" and summary == answer.entry.summary
    assert why == f"Why: {answer.decision.reason}" and why.startswith("Why: On Amazon RDS:")
    cited = {link.url for link in answer.links} | {answer.override.source} - {None}  # the record's own page too
    assert facts.startswith(f"{len(cited)} sources \u00b7 ")
    assert answer.verified == (answer.override.verified, "record")
    assert "audit report" not in facts and f"Facts verified {verified.isoformat()}" in facts
    text = slack_visible(render_result(answer))
    assert "What you should do" not in text and answer.entry.explanation[:60] not in text
    assert "What you should do" in slack_visible(render_result(answer, view="details"))


def test_evidence_counts_the_audit_reports(matcher: Matcher) -> None:
    answer = matcher.match("is physical security AWS's job?")
    assert isinstance(answer, Answer) and len(answer.artifacts) >= 2
    assert f", {len(answer.artifacts)} audit reports \u00b7 Facts verified" in short_answer(answer).lines[2]


def test_a_service_statement_dates_the_answer_it_decided(kb: KnowledgeBase, matcher: Matcher) -> None:
    answer = next(a for a in every_answer(kb, matcher) if a.decision.statement is not None)
    statement = answer.decision.statement
    assert statement is not None and answer.service is not None
    info = trust(answer, today=statement.verified, max_days=180)
    assert info.verified == statement.verified and info.by == f"the {answer.service.name} statement"


def test_stale_facts_warn_past_the_configured_age(matcher: Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = matcher.match("security groups")
    assert isinstance(answer, Answer)
    reviewed = answer.entry.verified
    assert reviewed is not None and answer.verified == (reviewed, "sources")
    assert trust(answer, today=reviewed + dt.timedelta(days=180), max_days=180).warning is None
    assert "180 days" in (trust(answer, today=reviewed + dt.timedelta(days=181), max_days=180).warning or "")
    old_links = tuple(dataclasses.replace(link, verified=dt.date(2020, 1, 1)) for link in answer.entry.links)
    old = dataclasses.replace(answer, entry=dataclasses.replace(answer.entry, links=old_links))
    monkeypatch.delenv("SRM_STALE_DAYS", raising=False)
    for text in (slack_visible(render_result(old)), teams_visible(card_json(answer_card(old))), render_text(old)):
        assert "Facts verified 2020-01-01" in text.replace("\\", "")
        assert "Older than 180 days" in text
    assert "Older than" not in slack_visible(render_result(answer))  # the shipped facts are recent
    age = (dt.date.today() - reviewed).days
    monkeypatch.setenv("SRM_STALE_DAYS", str(max(age - 1, 1)))
    if age >= 2:
        assert f"Older than {age - 1} days" in slack_visible(render_result(answer))


@pytest.mark.parametrize("raw", ["0", "-5", "six months", "1.5", "99999"])
def test_a_bad_stale_age_is_refused_with_a_clear_message(raw: str) -> None:
    with pytest.raises(ValueError, match="SRM_STALE_DAYS must be a whole number of days from 1 to 3650"):
        stale_days({"SRM_STALE_DAYS": raw})
    assert stale_days({}) == 180 and stale_days({"SRM_STALE_DAYS": " 30 "}) == 30


def test_why_names_the_match_its_score_the_service_the_layer_and_the_rule(matcher: Matcher) -> None:
    answer = matcher.match("who manages the guest os on athena?")
    assert isinstance(answer, Answer) and answer.service is not None
    lines = why_lines(answer)
    assert lines[0] == f"Matched: {answer.entry.title} ({answer.entry.id}), score {answer.confidence:.2f}"
    assert f"Service: {answer.service.name} ({answer.service.category})" in lines
    assert any(line.startswith("Layer: ") and line != "Layer: none" for line in lines)
    assert any(f"({answer.decision.rule})" in line for line in lines)
    assert f"Reason: {answer.decision.reason}"[:80] in "\n".join(lines)


def test_a_click_asks_the_carried_question_again_so_why_keeps_its_score(matcher: Matcher) -> None:
    conversation = Conversation(matcher)
    asked = matcher.match("who patches the OS on RDS?")
    assert isinstance(asked, Answer) and asked.service is not None
    reply = conversation.answer_view(asked.entry.id, asked.service.id, asked.question, "why", WHERE)
    assert isinstance(reply, AnswerReply) and reply.view == "why" and reply.result == asked
    # a question that no longer leads to the entry: the entry is answered for the service alone
    other = conversation.answer_view(asked.entry.id, "ec2", "security groups", "details", WHERE)
    assert isinstance(other, AnswerReply) and isinstance(other.result, Answer)
    assert other.result.entry.id == asked.entry.id and other.result.service is not None
    assert other.result.service.id == "ec2"
    assert isinstance(conversation.answer_view("no-such-entry", None, "", "details", WHERE), TextReply)


def test_a_view_click_is_one_request_line(matcher: Matcher, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="srm.request"):
        Conversation(matcher).answer_view("security-groups", None, "security groups", "why", WHERE)
    [line] = [r.getMessage() for r in caplog.records if r.name == "srm.request"]
    assert "command=click:why" in line and "entry=security-groups" in line and "outcome=answer" in line


def test_the_question_in_the_why_view_is_escaped_on_both_platforms(matcher: Matcher) -> None:
    answer = matcher.match("who patches the OS on RDS? A & B [x](https://evil.example)")
    assert isinstance(answer, Answer) and "A & B" in answer.question
    slack = slack_visible(render_result(answer, view="why"))
    assert "You asked: who patches the OS on RDS? A &amp; B" in slack and "A & B" not in slack
    teams = teams_visible(card_json(answer_card(answer, "why")))
    assert r"A \& B \[x\]\(https://evil.example\)" in teams and "[x](https" not in teams


def test_a_bad_stale_age_stops_the_process_as_it_starts() -> None:
    env = {**os.environ, "SRM_STALE_DAYS": "six months"}
    run = subprocess.run([sys.executable, "-c", "import bot.slack.blocks"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode != 0
    assert "SRM_STALE_DAYS must be a whole number of days from 1 to 3650, got 'six months'" in run.stderr


# --- the date an answer shows is the date of the claims it rests on ------------------------------------------------

def dated_base(tmp_path: Path, override: str) -> Matcher:
    """test_loader's small base: security groups with two links checked on different days (the older 2026-10-01),
    and `override` as its EC2 record."""
    entries = ENTRY.replace("""      verified: 2026-11-27
  artifacts:""", """      verified: 2026-11-27
    - title: Security group rules
      url: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
      verified: 2026-10-01
  artifacts:""").replace(SG_OVERRIDE, override)
    return Matcher(load_knowledge(write_base(tmp_path, entries=entries)))


SOURCED_EC2 = """\
    ec2:
      owner: customer
      note: Attached to instances.
      source: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security-groups.html
      verified: 2026-12-01
"""


def test_an_answer_without_a_service_is_dated_by_the_oldest_of_its_topics_sources(tmp_path: Path) -> None:
    answer = dated_base(tmp_path, SOURCED_EC2).answer_entry("security-groups", None)
    assert answer is not None
    assert trust(answer, today=dt.date(2026, 12, 2)).line == "Facts verified 2026-10-01 (the topic's sources)"
    assert result_to_dict(answer)["verified"] == "2026-10-01"


def test_a_services_record_dates_the_answer_it_decided(tmp_path: Path) -> None:
    answer = dated_base(tmp_path, SOURCED_EC2).answer_entry("security-groups", "ec2")
    assert answer is not None and answer.decision.rule == "service-entry"
    info = trust(answer, today=dt.date(2026, 12, 2))
    assert info.line == "Facts verified 2026-12-01 (the Amazon EC2 record for this topic)"
    data = result_to_dict(answer)
    assert data["verified"] == "2026-12-01"
    assert data["service_source"] == "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security-groups.html"
    # the two links, the EC2 security page and the page the record cites
    assert short_answer(answer, info).evidence == "4 sources, 1 audit report"
    assert "Facts verified 2026-12-01" in render_text(answer)


def test_an_old_source_makes_the_answer_stale_even_when_the_others_are_new(tmp_path: Path) -> None:
    answer = dated_base(tmp_path, SOURCED_EC2).answer_entry("security-groups", None)
    assert answer is not None
    assert trust(answer, today=dt.date(2026, 12, 2), max_days=60).warning  # 2026-10-01 is 62 days before
    assert trust(answer, today=dt.date(2026, 12, 2), max_days=62).warning is None
