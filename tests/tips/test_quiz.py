"""Quiz tips on SQLite and PostgreSQL: `tips on ... quiz`, the clock posting "Who owns X?" through the real Slack
sender to the stand-in, one counted answer per user (also when clicks race), and the next quiz's tally."""

from __future__ import annotations

import datetime as dt
import threading

from bot.core import KnowledgeBase
from bot.slack.blocks import ACTION_QUIZ, parse_quiz
from bot.slack.tip_sender import SlackTipSender, TokenSource
from bot.store.store import Claim, Store
from bot.tips.clock import TipClock
from bot.tips.commands import TipsContext, handle_tips_command
from bot.tips.quiz import Tally, answer, prepare, tally
from tips.slack_standin import SlackStandIn, error

CTX = TipsContext(platform="slack", team_id="T1", channel_id="CQ", user_id="U1", user_tz="UTC")
MONDAY = dt.datetime(2026, 11, 30, 9, 5, tzinfo=dt.UTC)


def clock(store: Store, kb: KnowledgeBase, slack: SlackStandIn) -> TipClock:
    sender = SlackTipSender(TokenSource(bot_token="xoxb-test"), api_url=slack.url, timeout=30)
    return TipClock(store, kb, {"slack": sender}, sleep=lambda _: None)


def quiz_buttons(post) -> dict[str, tuple[int, str]]:
    return {e["action_id"]: parse_quiz(e["value"]) for b in post.blocks if b["type"] == "actions"
            for e in b["elements"]}


def test_tips_on_quiz_is_kept_shown_and_turned_off_by_a_plain_tips_on(store: Store) -> None:
    reply = handle_tips_command(store, "on 09:00 UTC quiz", CTX, now=MONDAY - dt.timedelta(days=3))
    assert reply.startswith("Daily tips are on for this channel: 09:00 UTC, weekdays, as a quiz.")
    assert store.subscription("slack", "T1", "CQ").quiz
    assert "as a quiz" in handle_tips_command(store, "status", CTX, now=MONDAY)
    handle_tips_command(store, "on 09:00 UTC", CTX, now=MONDAY)
    assert not store.subscription("slack", "T1", "CQ").quiz
    assert "[quiz]" in handle_tips_command(store, "on quizz", CTX, now=MONDAY)  # a typo changes nothing


def test_the_clock_posts_a_quiz_and_the_next_quiz_shows_how_the_channel_did(
        store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn) -> None:
    handle_tips_command(store, "on 09:00 UTC every day quiz", CTX, now=MONDAY - dt.timedelta(days=1))
    assert clock(store, tips_kb, slack).run_pass(lambda: MONDAY).posted
    (first,) = slack.posts
    entry = tips_kb.entry("guest-os-patching")  # tip-a's entry, owned by the customer
    assert f"Who owns this: {entry.title}?" in first.text
    buttons = quiz_buttons(first)
    assert set(buttons) == {f"{ACTION_QUIZ}_{o}" for o in ("aws", "customer", "shared")}
    quiz_id = buttons[f"{ACTION_QUIZ}_customer"][0]
    assert "Last quiz" not in str(first.blocks)  # the first quiz has no previous one
    assert answer(store, tips_kb, quiz_id, "U1", "customer").correct
    assert not answer(store, tips_kb, quiz_id, "U2", "aws").correct
    again = answer(store, tips_kb, quiz_id, "U1", "aws")  # a second click by U1 does not count again
    assert (again.counted, again.answer, again.correct) == (False, "customer", True)
    assert tally(store, quiz_id) == Tally(answered=2, correct=1)
    assert answer(store, tips_kb, quiz_id, "U3", "everyone") is None
    assert answer(store, tips_kb, quiz_id + 1000, "U3", "aws") is None
    clock(store, tips_kb, slack).run_pass(lambda: MONDAY + dt.timedelta(days=1))
    second = slack.posts[-1]
    assert "Last quiz: 2 people answered, 1 got it right (50%)." in str(second.blocks)
    assert quiz_buttons(second)[f"{ACTION_QUIZ}_aws"][0] != quiz_id


def test_a_retried_post_asks_the_same_quiz(store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn) -> None:
    handle_tips_command(store, "on 09:00 UTC every day quiz", CTX, now=MONDAY - dt.timedelta(days=1))
    slack.script("CQ", error("internal_error", status=500))
    assert clock(store, tips_kb, slack).run_pass(lambda: MONDAY).posted
    (post,) = slack.posts
    sub = store.subscription("slack", "T1", "CQ")
    delivery = store.delivery(sub.id, MONDAY.date())
    claim = Claim(delivery.id, sub.id, delivery.local_date, delivery.tip_id, delivery.claim_token, delivery.attempts)
    again = prepare(store, claim, tips_kb.entry("guest-os-patching"), MONDAY)
    assert again.id == quiz_buttons(post)[f"{ACTION_QUIZ}_aws"][0]


def test_racing_clicks_by_one_user_count_once(store: Store, tips_kb: KnowledgeBase, slack: SlackStandIn) -> None:
    handle_tips_command(store, "on 09:00 UTC every day quiz", CTX, now=MONDAY - dt.timedelta(days=1))
    clock(store, tips_kb, slack).run_pass(lambda: MONDAY)
    quiz_id = quiz_buttons(slack.posts[0])[f"{ACTION_QUIZ}_aws"][0]
    start = threading.Barrier(8)
    outcomes = []

    def click(owner: str) -> None:
        start.wait()
        outcomes.append(answer(store, tips_kb, quiz_id, "U9", owner))

    threads = [threading.Thread(target=click, args=(("aws", "customer", "shared")[i % 3],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(o.counted for o in outcomes) == 1
    assert len({o.answer for o in outcomes}) == 1
    assert tally(store, quiz_id).answered == 1
