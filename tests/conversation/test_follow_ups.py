"""Follow-ups in the conversation layer: "and on Lambda?" answers the previous topic for Lambda, "why?" shows the
previous answer's Why view, a real question is a new question, and contexts expire (time injected, no sleeps)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from bot.conversation import Conversation, Where, parse
from bot.conversation.conversation import NOTHING_TO_EXPLAIN
from bot.conversation.follow_ups import (
    Context,
    Expiry,
    MemoryContexts,
    Place,
    StoredContexts,
    expiry,
)
from bot.conversation.parse import Ask, FollowUp, Why
from bot.conversation.replies import AnswerReply, HelpReply, TextReply
from bot.core import Answer, Matcher

THREAD = Where(platform="slack", via="app_mention", team_id="T1", channel_id="C1", user_id="U1", thread="17.1")
DM = Where(platform="slack", via="dm", team_id="T1", channel_id="D1", user_id="U1", direct=True)
T0 = dt.datetime(2026, 12, 2, 9, 0)


class Clock:
    """Now, as the test sets it."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def answered(reply: object) -> tuple[str, str | None, str]:
    """(entry id, service id, view) of an answer reply."""
    assert isinstance(reply, AnswerReply) and isinstance(reply.result, Answer), reply
    return reply.result.entry.id, reply.result.service.id if reply.result.service else None, reply.view


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The conversation's clock (when an answer is remembered) and the contexts' (when they are read)."""
    clock = Clock()
    monkeypatch.setattr("bot.conversation.conversation.utcnow", clock)
    return clock


@pytest.fixture
def conversation(matcher: Matcher, clock: Clock) -> Conversation:
    return Conversation(matcher, contexts=MemoryContexts(Expiry(), clock=clock))


@pytest.mark.parametrize(("text", "expected"), [
    ("and on Lambda?", FollowUp("lambda", "and on Lambda?")),
    ("What about RDS?", FollowUp("rds", "What about RDS?")),
    ("and for S3", FollowUp("s3", "and for S3")),
    ("How about Amazon EKS then?", FollowUp("amazon eks", "How about Amazon EKS then?")),
    ("why?", Why()),
    ("Why is that?", Why()),
    ("how come", Why()),
    ("why is the customer responsible for IAM?", Ask("why is the customer responsible for IAM?")),
    ("who patches the OS on RDS?", Ask("who patches the OS on RDS?")),
    ("and", Ask("and")),
])
def test_follow_up_wording_is_parsed_from_the_language_file(text: str, expected: object) -> None:
    assert parse(text) == expected


def test_and_on_lambda_answers_the_previous_topic_for_lambda(conversation: Conversation) -> None:
    assert answered(conversation.reply(parse("who patches the OS on RDS?"), THREAD)) == (
        "guest-os-patching", "rds", "short")
    reply = conversation.reply(parse("and on Lambda?"), THREAD)
    assert answered(reply) == ("guest-os-patching", "lambda", "short")
    assert reply.result.owner == "aws" and "Lambda" in (reply.result.decision.reason or "")
    assert answered(conversation.reply(parse("what about EC2"), THREAD))[:2] == ("guest-os-patching", "ec2")
    assert conversation.reply(parse("what about EC2"), THREAD).result.owner == "customer"


def test_a_follow_up_keeps_the_questions_layer_and_score(conversation: Conversation, matcher: Matcher) -> None:
    first = conversation.reply(parse("who manages the hypervisor on EC2?"), THREAD)
    follow = conversation.reply(parse("and on Lambda?"), THREAD)
    assert isinstance(first.result, Answer) and isinstance(follow.result, Answer)
    assert follow.result.entry.id == first.result.entry.id and follow.result.service.id == "lambda"
    assert follow.result.confidence == first.result.confidence
    assert follow.result.decision.layer == matcher.answer_entry(
        first.result.entry.id, "lambda", question=first.result.question).decision.layer


def test_after_a_service_overview_the_follow_up_is_the_other_services_overview(conversation: Conversation) -> None:
    assert answered(conversation.reply(parse("lambda"), DM))[:2] == ("service-lambda", "lambda")
    assert answered(conversation.reply(parse("and on RDS?"), DM))[:2] == ("service-rds", "rds")


def test_why_shows_the_why_view_of_the_last_answer_here(conversation: Conversation) -> None:
    conversation.reply(parse("who patches the OS on RDS?"), THREAD)
    conversation.reply(parse("and on Lambda?"), THREAD)
    assert answered(conversation.reply(parse("why?"), THREAD)) == ("guest-os-patching", "lambda", "why")
    slash = Where(platform="slack", via="/srm", team_id="T1", channel_id="C1", user_id="U1", direct=True)
    # `/srm why` in the channel: the asker's last answer there, although it was given in a thread
    assert answered(conversation.reply(parse("why"), slash)) == ("guest-os-patching", "lambda", "why")
    someone_else = Where(platform="slack", via="/srm", team_id="T1", channel_id="C1", user_id="U2", direct=True)
    assert conversation.reply(parse("why"), someone_else) == TextReply(NOTHING_TO_EXPLAIN)


def test_why_with_no_previous_answer_says_to_ask_first(conversation: Conversation) -> None:
    for where in (THREAD, DM):
        assert conversation.reply(parse("why?"), where) == TextReply(NOTHING_TO_EXPLAIN)
    assert "Ask me a question first" in NOTHING_TO_EXPLAIN


def test_a_new_question_in_the_thread_is_a_new_question(conversation: Conversation) -> None:
    conversation.reply(parse("who patches the OS on RDS?"), THREAD)
    assert answered(conversation.reply(parse("who rotates KMS keys?"), THREAD))[0] != "guest-os-patching"
    # "what about" with a topic, not a service: asked as typed
    reply = conversation.reply(parse("what about encryption at rest?"), THREAD)
    assert answered(reply)[0] == "encryption-at-rest"
    # the new answer is what the thread follows up now
    assert answered(conversation.reply(parse("and on S3?"), THREAD))[:2] == ("encryption-at-rest", "s3")


def test_without_a_previous_answer_a_follow_up_is_asked_as_typed(conversation: Conversation,
                                                                 matcher: Matcher) -> None:
    reply = conversation.reply(parse("and on Lambda?"), DM)
    assert isinstance(reply, AnswerReply) and reply.result == matcher.match("and on Lambda?")


def test_follow_ups_stay_in_their_place(conversation: Conversation) -> None:
    conversation.reply(parse("who patches the OS on RDS?"), THREAD)
    other_thread = Where(platform="slack", via="app_mention", team_id="T1", channel_id="C1", user_id="U1",
                         thread="99.9")
    other_dm = Where(platform="slack", via="dm", team_id="T1", channel_id="D2", user_id="U2", direct=True)
    for where in (other_thread, other_dm):
        assert conversation.reply(parse("why?"), where) == TextReply(NOTHING_TO_EXPLAIN)
    shortcut = Where(platform="slack", via="shortcut", team_id="T1", channel_id="C1", user_id="U1")
    assert shortcut.places == [] and shortcut.follows is None


def test_a_dm_context_expires_30_minutes_after_the_last_answer(conversation: Conversation, clock: Clock) -> None:
    conversation.reply(parse("who patches the OS on RDS?"), DM)
    clock.now = T0 + dt.timedelta(minutes=29)
    assert answered(conversation.reply(parse("why?"), DM))[2] == "why"  # the conversation goes on: 30 more minutes
    clock.now = T0 + dt.timedelta(minutes=58)
    assert answered(conversation.reply(parse("and on Lambda?"), DM))[:2] == ("guest-os-patching", "lambda")
    clock.now = T0 + dt.timedelta(minutes=88, seconds=1)
    assert conversation.reply(parse("why?"), DM) == TextReply(NOTHING_TO_EXPLAIN)
    assert answered(conversation.reply(parse("and on Lambda?"), DM))[:2] == ("service-lambda", "lambda")


def test_a_thread_context_expires_after_7_days(conversation: Conversation, clock: Clock) -> None:
    threads = [Where(platform="slack", via="app_mention", team_id="T1", channel_id="C1", user_id="U1", thread=ts)
               for ts in ("1.0", "2.0")]
    for thread in threads:
        conversation.reply(parse("who patches the OS on RDS?"), thread)
    clock.now = T0 + dt.timedelta(days=6, hours=23)
    assert answered(conversation.reply(parse("and on Lambda?"), threads[0]))[:2] == ("guest-os-patching", "lambda")
    clock.now = T0 + dt.timedelta(days=7, seconds=1)
    assert conversation.reply(parse("why?"), threads[1]) == TextReply(NOTHING_TO_EXPLAIN)


def test_overheard_thread_messages_are_answered_only_when_for_the_bot(conversation: Conversation) -> None:
    unanswered_thread = Where(platform="slack", via="thread", team_id="T1", channel_id="C1", user_id="U2",
                              thread="42.0")
    assert conversation.overheard("who patches the OS on RDS?", unanswered_thread) is None
    conversation.reply(parse("who patches the OS on RDS?"), THREAD)
    reply_in_thread = Where(platform="slack", via="thread", team_id="T1", channel_id="C1", user_id="U2",
                            thread="17.1")
    for chatter in ("thanks!", "ok, I'll tell the DBA team", "help", "tips on", "lol"):
        assert conversation.overheard(chatter, reply_in_thread) is None, chatter
    assert answered(conversation.overheard("and on Lambda?", reply_in_thread))[:2] == ("guest-os-patching", "lambda")
    assert answered(conversation.overheard("why?", reply_in_thread))[2] == "why"
    assert answered(conversation.overheard("who rotates KMS keys?", reply_in_thread))[0] == "kms-key-rotation"


def test_help_is_still_help(conversation: Conversation) -> None:
    assert isinstance(conversation.reply(parse(""), THREAD), HelpReply)


def test_a_follow_up_logs_one_line_with_its_kind(conversation: Conversation,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    conversation.reply(parse("who patches the OS on RDS?"), THREAD)
    with caplog.at_level(logging.INFO, logger="srm.request"):
        conversation.reply(parse("and on Lambda?"), THREAD)
        conversation.reply(parse("why?"), THREAD)
    lines = [r.getMessage() for r in caplog.records if r.name == "srm.request"]
    assert len(lines) == 2
    assert "command=app_mention:follow-up outcome=answer entry=guest-os-patching" in lines[0]
    assert "command=app_mention:why outcome=answer entry=guest-os-patching" in lines[1]


def test_memory_contexts_are_bounded_least_recent_first() -> None:
    memory = MemoryContexts(Expiry(), limit=2, clock=Clock())
    places = [Place("slack", "T1", f"C{i}", "", "U1") for i in range(3)]
    for place in places:
        memory.remember([place], Context("guest-os-patching", None, "q", T0))
    assert memory.recall(places[0]) is None
    assert memory.recall(places[1]) is not None and memory.recall(places[2]) is not None


def test_a_store_that_fails_falls_back_to_this_processs_memory(caplog: pytest.LogCaptureFixture) -> None:
    class Down:
        def session(self) -> None:
            raise ConnectionError("the database is down")

    contexts = StoredContexts(Down(), Expiry(), clock=Clock())
    place = Place("slack", "T1", "C1", "17.1", "")
    with caplog.at_level(logging.WARNING, logger="srm.conversation.follow_ups"):
        contexts.remember([place], Context("guest-os-patching", "rds", "q", T0))
        assert contexts.recall(place) == Context("guest-os-patching", "rds", "q", T0)
    assert "could not store a follow-up context" in caplog.text
    assert "could not read a follow-up context" in caplog.text


@pytest.mark.parametrize(("env", "expected"), [
    ({}, Expiry(dt.timedelta(days=7), dt.timedelta(minutes=30))),
    ({"SRM_FOLLOW_UP_THREAD_DAYS": "2", "SRM_FOLLOW_UP_DM_MINUTES": "5"},
     Expiry(dt.timedelta(days=2), dt.timedelta(minutes=5))),
])
def test_expiry_settings(env: dict[str, str], expected: Expiry) -> None:
    assert expiry(env) == expected


@pytest.mark.parametrize(("env", "message"), [
    ({"SRM_FOLLOW_UP_DM_MINUTES": "0"}, "SRM_FOLLOW_UP_DM_MINUTES must be a whole number of minutes from 1 to 1440, "
                                        "got '0'"),
    ({"SRM_FOLLOW_UP_THREAD_DAYS": "a week"}, "SRM_FOLLOW_UP_THREAD_DAYS must be a whole number of days from 1 to "
                                              "365, got 'a week'"),
    ({"SRM_FOLLOW_UP_THREAD_DAYS": "\u0667"}, "SRM_FOLLOW_UP_THREAD_DAYS must be a whole number"),
])
def test_a_bad_expiry_setting_is_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expiry(env)
