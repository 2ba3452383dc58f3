"""Activities as Teams sends them, posted to the running bot; the cards that reach the stand-in connector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from slack.standin import eventually
from teams_harness import BOT_ID, Connector, activity, card_actions, card_of, card_texts, post

from bot.core import Ambiguous, Answer, KnowledgeBase, Matcher, NoMatch
from bot.core.presentation import AMBIGUOUS_PROMPT, EXAMPLES, owner_label, service_line
from bot.core.tips import tip_of_the_day
from bot.store.store import Store
from bot.teams.cards import escape_markdown


def ask(teams_server: str, connector: Connector, text: str, **kwargs: object) -> dict:
    body = activity(connector.url, text, **kwargs)  # type: ignore[arg-type]
    assert post(teams_server, body) == 200
    [reply] = connector.wait_for(body["conversation"]["id"], 1)
    assert reply.body["type"] == "message"
    assert reply.body["from"]["id"] == BOT_ID
    return card_of(reply)


def test_direct_message_gets_answer_card_with_owner_and_links(teams_server: str, connector: Connector,
                                                             matcher: Matcher) -> None:
    expected = matcher.match("who patches the guest OS on EC2?")
    assert isinstance(expected, Answer) and expected.artifacts and expected.service is not None
    card = ask(teams_server, connector, "who patches the guest OS on EC2?")
    assert card["type"] == "AdaptiveCard" and float(card["version"]) <= 1.5
    texts = card_texts(card)
    assert texts[0] == expected.entry.title
    assert any(owner_label(expected.owner).split(":")[0] in t for t in texts)
    line = service_line(expected)
    assert line is not None and "Amazon EC2" in line
    assert any(t.startswith(escape_markdown(f"Why: {line}")[:60]) for t in texts)  # links: Details (test_teams_details)
    helpful = [a for a in card_actions(card) if a["data"].get("srm") == "feedback"]
    assert {a["data"]["helpful"] for a in helpful} == {True, False}


def test_channel_mention_is_stripped_and_reply_goes_to_the_thread(teams_server: str, connector: Connector,
                                                                 matcher: Matcher) -> None:
    body = activity(connector.url, "security groups", channel=True, mention=True)
    assert post(teams_server, body) == 200
    [reply] = connector.wait_for(body["conversation"]["id"], 1)
    assert card_texts(card_of(reply))[0] == matcher.match("security groups").entry.title


def test_user_text_is_escaped(teams_server: str, connector: Connector) -> None:
    card = ask(teams_server, connector, "[click](https://evil.example) **now** {{DATE(2017-02-14T06:08:39Z)}}")
    asked = next(t for t in card_texts(card) if t.startswith("You asked:"))
    assert "[click](https://evil.example)" not in asked
    assert r"\[click\]\(https://evil.example\)" in asked
    assert r"\*\*now\*\*" in asked
    assert "{{" not in asked


def test_ambiguous_question_offers_buttons_and_a_click_answers(teams_server: str, connector: Connector,
                                                               matcher: Matcher) -> None:
    question = "key rotation"
    expected = matcher.match(question)
    assert isinstance(expected, Ambiguous)
    card = ask(teams_server, connector, question)
    assert AMBIGUOUS_PROMPT in card_texts(card)
    buttons = [a for a in card_actions(card) if a["data"]["srm"] == "answer"]
    assert [b["title"] for b in buttons] == [c.entry.title for c in expected.candidates]
    choice = buttons[1]
    assert choice["type"] == "Action.Submit"
    clicked = ask(teams_server, connector, "", value=choice["data"])
    answer = matcher.answer_entry(choice["data"]["entry"], choice["data"].get("service"))
    assert card_texts(clicked)[0] == answer.entry.title
    assert choice["data"]["entry"] == expected.candidates[1].entry.id


def test_no_match_suggests_topics(teams_server: str, connector: Connector, matcher: Matcher) -> None:
    expected = matcher.match("key rotation moon")
    assert isinstance(expected, NoMatch) and expected.suggestions
    card = ask(teams_server, connector, "key rotation moon")
    picks = [a for a in card_actions(card) if a["data"]["srm"] == "answer"]
    assert [a["title"] for a in picks] == [c.entry.title for c in expected.suggestions]
    votes = [a["data"] for a in card_actions(card) if a["data"]["srm"] == "feedback"]
    assert [(v["helpful"], v["entry"], v["question"]) for v in votes] == [(True, "", "key rotation moon"),
                                                                           (False, "", "key rotation moon")]


def test_help_and_tip_commands(teams_server: str, connector: Connector, kb: KnowledgeBase) -> None:
    help_texts = "\n".join(card_texts(ask(teams_server, connector, "help")))
    assert all(escape_markdown(example) in help_texts for example in EXAMPLES)
    assert "tips on" in help_texts
    before = dt.date.today()
    tip_texts = card_texts(ask(teams_server, connector, "tip"))
    days = {before, dt.date.today()}
    assert {escape_markdown(tip_of_the_day(kb, day).text) for day in days} & set(tip_texts)


def test_an_unanswered_question_reaches_the_store(teams_server: str, teams_data_dir: Path,
                                                   connector: Connector) -> None:
    store = Store(f"sqlite:///{teams_data_dir / 'srm.sqlite3'}")
    ask(teams_server, connector, "what's the weather in lisbon")
    # Recording happens off the reply path: wait (bounded) for the row to land.
    assert eventually(lambda: "what's the weather in lisbon" in [row.key for row in store.top_misses()])


def test_list_and_services_and_a_bad_command_says_how_to_write_it(teams_server: str, connector: Connector,
                                                                  kb: KnowledgeBase) -> None:
    listed = "\n".join(card_texts(ask(teams_server, connector, "list customer")))
    customer = [e.title for e in kb.entries if e.owner == "customer"]
    assert customer and all(escape_markdown(title) in listed for title in customer)
    assert not any(escape_markdown(e.title) in listed for e in kb.entries if e.owner == "aws")
    services = "\n".join(card_texts(ask(teams_server, connector, "services")))
    assert all(escape_markdown(s.name) in services for s in kb.services)
    bad = card_texts(ask(teams_server, connector, "list <at>everyone</at>"))
    assert any("Unknown owner" in text for text in bad)
    assert escape_markdown("Write it as: list [aws|customer|shared]") in bad
