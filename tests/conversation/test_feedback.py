"""Votes in the conversation layer: the clicker's vote is recorded with what names the answer (entry, service,
question), the answer voted on comes back in its view for platforms that redraw the clicked message, and nothing is
recorded for a topic that is gone or a vote on nothing; one log line each."""

from __future__ import annotations

import logging

import pytest

from bot.conversation import Conversation, Where
from bot.conversation.conversation import Vote, vote_record
from bot.conversation.replies import AnswerReply, TextReply
from bot.core import Answer, Matcher, NoMatch

WHERE = Where(platform="test", via="click", team_id="T1", channel_id="C1", user_id="U1")


MISSES: list[str] = []


def recording(matcher: Matcher) -> tuple[Conversation, list[tuple[Vote, Where]]]:
    """A conversation whose votes land in the list returned and whose misses in MISSES (emptied first)."""
    votes: list[tuple[Vote, Where]] = []
    MISSES.clear()
    conversation = Conversation(matcher, record_miss=lambda question, where: MISSES.append(question),
                                record_feedback=lambda vote, where: votes.append((vote, where)))
    return conversation, votes


def test_a_vote_is_recorded_and_the_answer_comes_back_in_its_view(matcher: Matcher,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    conversation, votes = recording(matcher)
    vote = Vote(False, "guest-os-patching", "rds", "who patches the OS on RDS?", view="details")
    with caplog.at_level(logging.INFO, logger="srm.request"):
        reply = conversation.feedback(vote, WHERE)
    assert isinstance(reply, AnswerReply) and reply.view == "details"
    assert isinstance(reply.result, Answer) and reply.result.question == "who patches the OS on RDS?"
    assert votes == [(vote, WHERE)]
    assert vote_record(vote, WHERE) == {"entry_id": "guest-os-patching", "helpful": False, "platform": "test",
                                        "team_id": "T1", "user_id": "U1", "service_id": "rds",
                                        "question": "who patches the OS on RDS?"}
    [line] = [r.getMessage() for r in caplog.records if "command=click:feedback" in r.getMessage()]
    assert "outcome=not-helpful" in line and "entry=guest-os-patching" in line


def test_a_vote_on_a_refusal_asks_again_without_counting_a_second_miss(matcher: Matcher) -> None:
    conversation, votes = recording(matcher)
    reply = conversation.feedback(Vote(True, None, None, "what is the weather in Paris"), WHERE)
    assert isinstance(reply, AnswerReply) and isinstance(reply.result, NoMatch)
    assert len(votes) == 1 and MISSES == []  # the miss was counted when it was asked, not again per vote


@pytest.mark.parametrize("vote", [Vote(False, "no-such-topic", None, "x"), Vote(False, None, None, "  ")])
def test_nothing_is_recorded_for_a_topic_that_is_gone_or_a_vote_on_nothing(matcher: Matcher, vote: Vote) -> None:
    conversation, votes = recording(matcher)
    assert isinstance(conversation.feedback(vote, WHERE), TextReply)
    assert votes == []
