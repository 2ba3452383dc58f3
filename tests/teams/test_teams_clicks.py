"""Card clicks in Teams, over the real Teams process and the stand-in connector: an Action.Submit click on a topic or
a vote arrives as a message activity whose `replyToId` names the clicked card, and the bot updates that card
(updateActivity: PUT /v3/conversations/{id}/activities/{activityId}) instead of posting a new one; a vote counts
once per person (a second click changes it) and is stored with the question asked, refusals included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slack.standin import eventually
from teams_harness import Connector, Received, activity, card_actions, card_of, card_texts, post

from bot.core import Ambiguous, Matcher, NoMatch
from bot.store.store import QuestionVotes, Store
from bot.teams.cards import FEEDBACK_THANKS, escape_markdown


def start(teams_server: str, connector: Connector, question: str) -> tuple[str, Received]:
    """Ask `question` in a new 1:1 chat: the conversation id and the bot's posted card."""
    message = activity(connector.url, question)
    assert post(teams_server, message) == 200
    conversation_id = message["conversation"]["id"]
    [posted] = connector.wait_for(conversation_id, 1)
    assert posted.method == "POST"
    return conversation_id, posted


def click(teams_server: str, connector: Connector, conversation_id: str, card: Received, data: dict[str, Any], *,
          user_id: str = "29:user-1") -> Received:
    """Click a button whose data is `data` on the bot's activity `card`, as Teams posts it; what reached the
    connector for it."""
    before = len(connector.activities(conversation_id))
    assert post(teams_server, activity(connector.url, conversation_id=conversation_id, value=data,
                                       reply_to_id=card.activity_id, user_id=user_id)) == 200
    return connector.wait_for(conversation_id, before + 1)[-1]


def buttons(received: Received, action: str) -> list[dict[str, Any]]:
    return [a["data"] for a in card_actions(card_of(received)) if a["data"].get("srm") == action]


def test_a_did_you_mean_pick_updates_the_clicked_card(teams_server: str, connector: Connector,
                                                      matcher: Matcher) -> None:
    expected = matcher.match("key rotation")
    assert isinstance(expected, Ambiguous)
    conversation_id, posted = start(teams_server, connector, "key rotation")
    pick = buttons(posted, "answer")[1]
    updated = click(teams_server, connector, conversation_id, posted, pick)
    assert updated.method == "PUT" and updated.activity_id == posted.activity_id
    assert updated.path.endswith(f"/activities/{posted.activity_id}")
    assert card_texts(card_of(updated))[0] == expected.candidates[1].entry.title
    assert [r.method for r in connector.activities(conversation_id)] == ["POST", "PUT"]  # nothing new posted


def test_a_vote_updates_the_card_with_thanks_and_counts_once_per_person(teams_server: str, teams_data_dir: Path,
                                                                        connector: Connector) -> None:
    store = Store(f"sqlite:///{teams_data_dir / 'srm.sqlite3'}")
    question = "who patches the guest OS on EC2?"
    conversation_id, posted = start(teams_server, connector, question)
    title = card_texts(card_of(posted))[0]
    helpful, not_helpful = buttons(posted, "feedback")
    assert (not_helpful["entry"], not_helpful["service"], not_helpful["question"]) == (
        "guest-os-patching", "ec2", question)

    updated = click(teams_server, connector, conversation_id, posted, not_helpful)
    assert updated.method == "PUT" and updated.activity_id == posted.activity_id
    texts = card_texts(card_of(updated))
    assert texts[0] == title and texts[-1] == escape_markdown(FEEDBACK_THANKS)  # the answer stays, thanked
    assert buttons(updated, "feedback") == [helpful, not_helpful]  # the vote can be changed from the new card
    click(teams_server, connector, conversation_id, updated, not_helpful)  # the same vote again: still one
    click(teams_server, connector, conversation_id, updated, not_helpful, user_id="29:user-2")

    def report() -> list[tuple[str | None, int, int, tuple[QuestionVotes, ...]]]:
        return [(r.key, r.count, r.extra, r.questions) for r in store.top_unhelpful()
                if r.key == "guest-os-patching"]

    asked = "who patches the guest os on ec2"
    assert eventually(lambda: report() == [("guest-os-patching", 2, 0, (QuestionVotes(asked, 2, 0),))])
    click(teams_server, connector, conversation_id, updated, helpful)  # user 1 changes their mind
    assert eventually(lambda: report() == [("guest-os-patching", 1, 1, (QuestionVotes(asked, 1, 1),))])
    assert [r.method for r in connector.activities(conversation_id)].count("POST") == 1
    store.engine.dispose()


def test_a_refusal_carries_votes_that_keep_its_question(teams_server: str, teams_data_dir: Path,
                                                       connector: Connector, matcher: Matcher) -> None:
    store = Store(f"sqlite:///{teams_data_dir / 'srm.sqlite3'}")
    question = "is the moon made of cheese"
    assert isinstance(matcher.match(question), NoMatch)
    conversation_id, posted = start(teams_server, connector, question)
    [_, not_helpful] = buttons(posted, "feedback")
    updated = click(teams_server, connector, conversation_id, posted, not_helpful)
    assert updated.method == "PUT"
    assert card_texts(card_of(updated))[-1] == escape_markdown(FEEDBACK_THANKS)
    assert eventually(lambda: [(r.count, r.questions) for r in store.top_unhelpful() if r.key is None] == [
        (1, (QuestionVotes(question, 1, 0),))])
    store.engine.dispose()


def test_when_the_update_is_refused_the_card_is_posted_instead(teams_server: str, connector: Connector) -> None:
    conversation_id, posted = start(teams_server, connector, "key rotation")
    pick = buttons(posted, "answer")[0]
    connector.fail_next(404)  # the clicked message was deleted meanwhile
    before = len(connector.activities(conversation_id))
    assert post(teams_server, activity(connector.url, conversation_id=conversation_id, value=pick,
                                       reply_to_id=posted.activity_id)) == 200
    [fallback] = connector.wait_for(conversation_id, before + 1)[before:]
    assert fallback.method == "POST" and card_texts(card_of(fallback))[0]


def test_a_click_without_reply_to_id_posts_a_new_card(teams_server: str, connector: Connector) -> None:
    conversation_id, posted = start(teams_server, connector, "key rotation")
    pick = buttons(posted, "answer")[0]
    assert post(teams_server, activity(connector.url, conversation_id=conversation_id, value=pick)) == 200
    assert [r.method for r in connector.wait_for(conversation_id, 2)] == ["POST", "POST"]
