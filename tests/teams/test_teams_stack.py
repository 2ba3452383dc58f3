"""`stack` and `compare` in Teams, and Export as a Markdown table, through the real Teams process and connector."""

from __future__ import annotations

import json

import pytest
from teams_harness import Connector, activity, card_actions, card_of, card_texts, post
from test_teams_cards import SCHEMA_15_ELEMENTS, _types
from test_teams_messages import ask

from bot.conversation.replies import ExportReply
from bot.core import KnowledgeBase, load_knowledge
from bot.core.matrix import compare, matrix, stack_summary
from bot.core.service_names import resolve_services
from bot.render.matrix_export import to_markdown
from bot.teams.cards import EXPORT_ACTION, card_json, escape_markdown, export_cards, stack_card


def test_stack_card_counts_checklist_and_export_matches_the_markdown_matrix(teams_server: str, connector: Connector,
                                                                           kb: KnowledgeBase) -> None:
    services = resolve_services(kb, ["ec2", "rds"])
    summary = stack_summary(kb, services)
    card = ask(teams_server, connector, "stack ec2 rds")
    texts = "\n".join(card_texts(card))
    assert f"{summary.counts['customer']} yours" in texts and f"{summary.counts['aws']} AWS's" in texts
    assert all(escape_markdown(layer.name) in texts for layer, _ in summary.checklist)
    [export] = [a for a in card_actions(card) if a["data"].get("srm") == EXPORT_ACTION]
    assert export["data"]["services"] == "ec2,rds"
    body = activity(connector.url, value=export["data"])
    assert post(teams_server, body) == 200
    expected = [escape_markdown(line) for line in to_markdown(matrix(kb, services)).splitlines()]
    count = len(export_cards(ExportReply(services, matrix(kb, services))))
    rows: list[str] = []
    for part in connector.wait_for(body["conversation"]["id"], count):
        table = [t for t in card_texts(card_of(part)) if t.startswith("\\|")]
        assert table[:2] == expected[:2]  # every part repeats the header
        rows += table[2:]
    assert rows == expected[2:]


def test_compare_and_unknown_service(teams_server: str, connector: Connector, kb: KnowledgeBase) -> None:
    ec2, rds = resolve_services(kb, ["ec2", "rds"])
    differences = compare(kb, ec2, rds)
    texts = card_texts(ask(teams_server, connector, "compare ec2 rds"))
    assert all(escape_markdown(d.layer.name) in texts for d in differences)
    unknown = card_texts(ask(teams_server, connector, "stack ec3 [x](https://evil.example)"))
    assert escape_markdown("unknown service 'ec3'; did you mean ec2 (Amazon EC2)?") in unknown
    assert not any("[x](https://evil.example)" in t for t in unknown)
    assert escape_markdown("Write it as: stack ec2 rds s3 lambda") in unknown


@pytest.mark.parametrize("ids", [["ec2"], ["ec2", "rds", "s3", "lambda"],
                                 ["ec2", "rds", "s3", "lambda", "dynamodb", "ecs", "eks", "kms", "iam", "cloudtrail"]])
def test_stack_and_export_cards_stay_schema_15_and_under_teams_size_limit(ids: list[str]) -> None:
    shipped = load_knowledge()
    services = resolve_services(shipped, ids)
    cards = [stack_card(stack_summary(shipped, services)),
             *export_cards(ExportReply(services, matrix(shipped, services)))]
    for card in cards:
        data = card_json(card)
        assert _types(data) <= SCHEMA_15_ELEMENTS and len(json.dumps(data).encode()) < 28_000
    expected = [escape_markdown(line) for line in to_markdown(matrix(shipped, services)).splitlines()[2:]]
    texts = [card_texts(card_json(card)) for card in cards[1:]]
    rows = [t for part in texts for t in part[3:] if t.startswith("\\|")]
    assert rows == expected[:len(rows)]
    left = len(expected) - len(rows)
    assert not left or f"and {left} more rows" in texts[-1][-1]
