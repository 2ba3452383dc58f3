"""The conversation layer: what was asked, parsed once for every platform, and the platform-neutral reply."""

from __future__ import annotations

import logging

import pytest

from bot.conversation import Conversation, Where, parse
from bot.conversation.parse import (
    USAGE,
    Ask,
    BadCommand,
    Compare,
    Help,
    ListTopics,
    Services,
    Stack,
    TipNow,
    Tips,
    usage_line,
)
from bot.conversation.replies import (
    AnswerReply,
    CompareReply,
    ExportReply,
    StackReply,
    TextReply,
    UnknownServicesReply,
    UsageReply,
)
from bot.core import Answer, KnowledgeBase, Matcher, NoMatch
from bot.core.matrix import compare, matrix, stack_summary
from bot.core.service_names import resolve_services

WHERE = Where(platform="test", via="cmd", team_id="T1", channel_id="C1", user_id="U1")


@pytest.mark.parametrize(("text", "expected"), [
    ("", Help()),
    ("  HELP ", Help()),
    ("list", ListTopics(None)),
    ("LIST  Customer", ListTopics("customer")),
    ("services", Services()),
    ("tip", TipNow()),
    ("tips", Tips("")),
    ("tips on 08:30 quiz", Tips("on 08:30 quiz")),
    ("stack ec2 rds s3 lambda", Stack(("ec2", "rds", "s3", "lambda"))),
    ("stack elastic block store, amazon rds", Stack(("elastic block store", "amazon rds"))),
    ("compare ec2 lambda", Compare(("ec2", "lambda"))),
    ("who patches the OS on RDS?", Ask("who patches the OS on RDS?")),
    ("list of services that encrypt at rest", Ask("list of services that encrypt at rest")),
    ("services in scope for PCI?", Ask("services in scope for PCI?")),
    ("tip of the day about KMS", Ask("tip of the day about KMS")),
])
def test_parse(text: str, expected: object) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "usage"), [
    ("list everyone", "list"), ("stack", "stack"), ("stack  , ,", "stack"), ("compare ec2", "compare"),
    ("compare ec2 rds s3", "compare"),
])
def test_a_bad_command_says_how_to_write_it(text: str, usage: str, matcher: Matcher) -> None:
    parsed = parse(text)
    assert isinstance(parsed, BadCommand) and parsed.usage == usage
    reply = Conversation(matcher).reply(parsed, WHERE)
    assert isinstance(reply, UsageReply) and reply.usage == usage
    assert usage_line(usage, "/srm ") == f"Write it as: /srm {USAGE[usage][0]}"


def test_stack_is_the_core_summary_and_logs_one_line(matcher: Matcher, kb: KnowledgeBase,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="srm.request"):
        reply = Conversation(matcher).reply(parse("stack ec2 rds s3 lambda"), WHERE)
    assert isinstance(reply, StackReply)
    services = resolve_services(kb, ["ec2", "rds", "s3", "lambda"])
    assert reply.summary == stack_summary(kb, services)
    [line] = [r.getMessage() for r in caplog.records if r.name == "srm.request"]
    assert "platform=test team=T1 channel=C1 command=cmd:stack outcome=stack entry=ec2,rds,s3,lambda" in line


def test_unknown_service_names_get_did_you_mean_never_a_silent_drop(matcher: Matcher) -> None:
    reply = Conversation(matcher).reply(parse("stack ec2 lamda <!channel>"), WHERE)
    assert isinstance(reply, UnknownServicesReply) and reply.usage == "stack"
    suggestions = dict(reply.suggestions)
    assert set(suggestions) == {"lamda", "<!channel>"}
    assert [s.id for s in suggestions["lamda"]][:1] == ["lambda"]


def test_compare_and_export(matcher: Matcher, kb: KnowledgeBase) -> None:
    conversation = Conversation(matcher)
    reply = conversation.reply(parse("compare ec2 lambda"), WHERE)
    ec2, lam = resolve_services(kb, ["ec2", "lambda"])
    assert isinstance(reply, CompareReply) and reply.differences == compare(kb, ec2, lam) and reply.differences
    same = conversation.reply(parse("compare ec2 ec2"), WHERE)
    assert isinstance(same, UsageReply) and same.usage == "compare"
    export = conversation.export("ec2,lambda", WHERE)
    assert isinstance(export, ExportReply) and export.rows == matrix(kb, (ec2, lam))
    assert isinstance(conversation.export("ec2,nope", WHERE), UnknownServicesReply)


def test_questions_are_matched_and_misses_recorded(matcher: Matcher) -> None:
    misses: list[tuple[str, Where]] = []
    conversation = Conversation(matcher, record_miss=lambda q, w: misses.append((q, w)))
    answer = conversation.reply(parse("who patches the guest OS on EC2?"), WHERE)
    assert isinstance(answer, AnswerReply) and isinstance(answer.result, Answer)
    miss = conversation.reply(parse("zorblax quantum frobnication of the flux capacitor"), WHERE)
    assert isinstance(miss, AnswerReply) and isinstance(miss.result, NoMatch)
    assert [w for _, w in misses] == ([WHERE] if miss.result.worth_recording else [])


def test_tips_without_a_store_say_so(matcher: Matcher) -> None:
    reply = Conversation(matcher).tips(Tips("on"), ctx=None, where=WHERE)
    assert isinstance(reply, TextReply) and "database" in reply.text
    with pytest.raises(ValueError, match="tips"):
        Conversation(matcher).reply(Tips(""), WHERE)
