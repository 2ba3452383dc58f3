"""Follow-ups in Teams, over the real Teams process and the stand-in connector: a personal chat follows up as a DM,
a channel's reply chain (its conversation id) as a thread; "why?" shows the Why card of the last answer there."""

from __future__ import annotations

import uuid

from teams_harness import Connector, activity, card_of, card_texts, post

from bot.conversation.conversation import NOTHING_TO_EXPLAIN
from bot.core import Matcher
from bot.core.presentation import owner_label
from bot.teams.cards import escape_markdown


def say(teams_server: str, connector: Connector, conversation_id: str, text: str, *, channel: bool = False
        ) -> list[str]:
    """Post `text` in the conversation; the texts of the card the bot answers with."""
    before = len(connector.activities(conversation_id))
    body = activity(connector.url, text, conversation_id=conversation_id, channel=channel, mention=channel)
    assert post(teams_server, body) == 200
    return card_texts(card_of(connector.wait_for(conversation_id, before + 1)[before]))


def test_a_personal_chat_follows_up_on_the_same_topic(teams_server: str, connector: Connector,
                                                      matcher: Matcher) -> None:
    chat = f"a:{uuid.uuid4().hex}"
    first = say(teams_server, connector, chat, "who patches the guest OS on EC2?")
    assert first[0] == "Guest operating system patching"
    expected = matcher.answer_entry("guest-os-patching", "rds", question="who patches the guest OS on EC2?")
    assert expected is not None and expected.owner != matcher.match("who patches the guest OS on EC2?").owner
    rds = say(teams_server, connector, chat, "and on RDS?")
    assert rds[0] == "Guest operating system patching"
    assert any(owner_label(expected.owner).split(":")[0] in t for t in rds) and "RDS" in "\n".join(rds)
    why = "\n".join(say(teams_server, connector, chat, "why?"))
    assert escape_markdown("Matched: Guest operating system patching (guest-os-patching)") in why
    assert escape_markdown("Service: Amazon RDS") in why


def test_a_channel_reply_chain_follows_up_and_another_chain_does_not(teams_server: str,
                                                                     connector: Connector) -> None:
    root = f"19:{uuid.uuid4().hex}@thread.tacv2"
    chain, other = f"{root};messageid=1700000000001", f"{root};messageid=1700000000002"
    assert say(teams_server, connector, chain, "who patches the guest OS on EC2?", channel=True)[0] == (
        "Guest operating system patching")
    rds = say(teams_server, connector, chain, "what about RDS?", channel=True)
    assert rds[0] == "Guest operating system patching" and "RDS" in "\n".join(rds)
    assert say(teams_server, connector, other, "why?", channel=True) == [escape_markdown(NOTHING_TO_EXPLAIN)]
    # a new question in the chain is a new question
    new = say(teams_server, connector, chain, "who manages the firewall rules?", channel=True)
    assert new[0] != "Guest operating system patching"
