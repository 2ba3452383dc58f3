"""Daily tips in Teams: `tips on` in a channel stores the conversation reference; the clock posts the tip once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from teams_harness import BOT_ID, Connector, activity, card_actions, card_of, card_texts, post, teams_env

from bot.core import KnowledgeBase
from bot.store.models import TipSubscription
from bot.store.store import Store
from bot.teams.cards import escape_markdown
from bot.teams.tip_sender import TeamsTipSender
from bot.tips.senders import DeliveryError


@pytest.fixture
def sender(monkeypatch: pytest.MonkeyPatch) -> TeamsTipSender:
    for name in ("CLIENT_ID", "CLIENT_SECRET", "TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    sender = TeamsTipSender()
    yield sender
    sender.close()


def test_tips_on_then_two_clock_passes_post_one_tip(teams_server: str, teams_data_dir: Path, connector: Connector,
                                                    kb: KnowledgeBase) -> None:
    body = activity(connector.url, "tips on 09:00 UTC every day", channel=True, mention=True)
    assert post(teams_server, body) == 200
    thread_id = body["conversation"]["id"]
    [confirmation] = connector.wait_for(thread_id, 1)
    assert "09:00 UTC" in " ".join(card_texts(card_of(confirmation)))

    store = Store(f"sqlite:///{teams_data_dir / 'srm.sqlite3'}")
    channel_root = thread_id.split(";")[0]
    sub = store.subscription("teams", "19:team@thread.tacv2", channel_root)
    assert sub is not None and sub.active
    assert sub.conversation_ref["service_url"] == connector.url
    assert sub.conversation_ref["bot_id"] == BOT_ID

    at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10, 0), tzinfo=dt.UTC)
    runs = [subprocess.run([sys.executable, "-m", "bot", "tips", "run", "--once", "--at", moment.isoformat()],
                           cwd=teams_data_dir, env=teams_env(teams_data_dir), capture_output=True, text=True,
                           timeout=120) for moment in (at, at + dt.timedelta(minutes=1))]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert "posted=1" in runs[0].stdout and "posted=0" in runs[1].stdout

    [tip_post] = connector.wait_for(channel_root, 1)
    assert len(connector.activities(channel_root)) == 1
    card = card_of(tip_post)
    delivered = store.deliveries(sub.id)
    assert len(delivered) == 1
    tip = next(t for t in kb.tips if t.id == delivered[0].tip_id)
    assert escape_markdown(tip.text) in card_texts(card)
    assert card_actions(card)[0]["data"] == {"srm": "answer", "entry": tip.entry}
    assert tip_post.body["from"]["id"] == BOT_ID


def _subscription(connector: Connector, conversation_id: str) -> TipSubscription:
    return TipSubscription(platform="teams", team_id="t", channel_id=conversation_id, conversation_ref={
        "service_url": connector.url, "conversation_id": conversation_id, "bot_id": BOT_ID})


@pytest.mark.parametrize(("status", "headers", "permanent", "retry_after"), [
    (429, {"Retry-After": "7"}, False, 7.0),
    (403, {}, True, None),
    (404, {}, True, None),
    (502, {}, False, None),
])
def test_connector_errors_become_delivery_errors(connector: Connector, kb: KnowledgeBase, sender: TeamsTipSender,
                                                 status: int, headers: dict[str, str], permanent: bool,
                                                 retry_after: float | None) -> None:
    connector.fail_next(status, headers)
    with pytest.raises(DeliveryError) as raised:
        sender.send(_subscription(connector, f"19:errors-{status}@thread.tacv2"), kb.tips[0], None)
    assert raised.value.permanent is permanent
    assert raised.value.retry_after == retry_after
    assert str(status) in raised.value.reason


def test_unreachable_connector_is_a_transient_error(kb: KnowledgeBase, sender: TeamsTipSender) -> None:
    sub = TipSubscription(platform="teams", team_id="t", channel_id="c", conversation_ref={
        "service_url": "http://127.0.0.1:9/", "conversation_id": "c", "bot_id": BOT_ID})
    with pytest.raises(DeliveryError) as raised:
        sender.send(sub, kb.tips[0], None)
    assert not raised.value.permanent and raised.value.reason.startswith("network")


def test_missing_conversation_reference_is_permanent(kb: KnowledgeBase, sender: TeamsTipSender) -> None:
    sub = TipSubscription(platform="teams", team_id="t", channel_id="c", conversation_ref=None)
    with pytest.raises(DeliveryError) as raised:
        sender.send(sub, kb.tips[0], None)
    assert raised.value.permanent


def test_quiz_tips_in_teams_count_one_answer_per_user(teams_server: str, teams_data_dir: Path,
                                                      connector: Connector, kb: KnowledgeBase) -> None:
    body = activity(connector.url, "tips on 09:00 UTC every day quiz", channel=True, mention=True)
    assert post(teams_server, body) == 200
    thread_id = body["conversation"]["id"]
    assert "as a quiz" in " ".join(card_texts(card_of(connector.wait_for(thread_id, 1)[0])))
    channel_root = thread_id.split(";")[0]
    at = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10, 0), tzinfo=dt.UTC)
    run = subprocess.run([sys.executable, "-m", "bot", "tips", "run", "--once", "--at", at.isoformat()],
                         cwd=teams_data_dir, env=teams_env(teams_data_dir), capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and "posted=1" in run.stdout, run.stderr
    [quiz_post] = connector.wait_for(channel_root, 1)
    buttons = {a["title"]: a for a in card_actions(card_of(quiz_post))}
    assert {a["type"] for a in buttons.values()} == {"Action.Execute"}
    assert set(buttons) == {"AWS", "Customer", "Shared"}
    title = next(t for t in card_texts(card_of(quiz_post)) if t.startswith("Who owns this: "))
    entry = next(e for e in kb.entries if escape_markdown(f"Who owns this: {e.title}?") == title)
    right = {"aws": "AWS", "customer": "Customer", "shared": "Shared"}[entry.owner]
    wrong = next(label for label in buttons if label != right)

    def click(label: str, user: str = "29:user-1") -> dict:
        """An Action.Execute click as Teams sends it (an adaptiveCard/action invoke); the invoke response."""
        invoke = {**activity(connector.url, conversation_id=thread_id), "type": "invoke", "name": "adaptiveCard/action",
                  "value": {"action": {"type": "Action.Execute", "verb": buttons[label]["verb"],
                                       "data": buttons[label]["data"]}, "trigger": "manual"}}
        invoke["from"] = {**invoke["from"], "id": user}
        request = urllib.request.Request(f"{teams_server}/api/messages", data=json.dumps(invoke).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read())

    posted_before = len(connector.activities(thread_id))
    first = click(right)
    assert first["type"] == "application/vnd.microsoft.card.adaptive"  # a card for the clicker alone
    assert any(t.startswith(escape_markdown("\u2705 Right!")) for t in card_texts(first["value"]))
    again = card_texts(click(wrong)["value"])
    assert any(t.startswith(escape_markdown("\u2705 Right!")) for t in again)
    assert any("first answer" in t for t in again)
    other = card_texts(click(wrong, "29:user-2")["value"])
    assert any(t.startswith(escape_markdown("\u274c Not quite.")) for t in other)
    assert len(connector.activities(thread_id)) == posted_before  # nothing was posted to the conversation
    buttons["forged"] = {**buttons[right], "data": {**buttons[right]["data"], "quiz": 99999}}
    assert card_texts(click("forged")["value"]) == ["That quiz is no longer open."]
