"""Rendered size of every answer of the shipped knowledge base, in each view (short, details, why) on Slack and Teams.

Every entry is answered for no service and for each service it has a record for (as a click would), rendered by
`bot.slack.blocks.render_result` and `bot.teams.cards.answer_card`, and measured as the text a reader sees
(`visible_text`: headers, sections, contexts and TextBlocks, not buttons): characters, lines and words; median,
p90 and max. The short answer's limit is 700 characters (bot.conversation.answer_view.SHORT_LIMIT).

    python bench/answer_sizes.py
"""

from __future__ import annotations

import statistics
from collections.abc import Callable

from bot.conversation.answer_view import SHORT_LIMIT, VIEWS
from bot.core import Answer, Matcher, load_knowledge
from bot.slack.blocks import render_result
from bot.slack.blocks import visible_text as slack_text
from bot.teams.cards import answer_card, card_json
from bot.teams.cards import visible_text as teams_text


def p90(values: list[int]) -> int:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


def main() -> None:
    """Print the table."""
    matcher = Matcher(load_knowledge())
    answers: list[Answer] = []
    for entry in matcher.kb.entries:
        for service_id in (None, *(o.service for o in entry.overrides)):
            answer = matcher.answer_entry(entry.id, service_id)
            if answer is not None:
                answers.append(answer)
    renderers: dict[str, Callable[[Answer, str], str]] = {
        "slack": lambda a, view: slack_text(render_result(a, view=view)),
        "teams": lambda a, view: teams_text(card_json(answer_card(a, view))),
    }
    print(f"{len(answers)} answers ({len(matcher.kb.entries)} entries, each also for every service it has a "
          f"record for); short limit {SHORT_LIMIT} characters")
    print(f"{'platform':8} {'view':8} {'chars median':>12} {'p90':>6} {'max':>6} {'lines median':>12} "
          f"{'words median':>12} {'over limit':>10}")
    for platform, render in renderers.items():
        for view in VIEWS:
            texts = [render(a, view) for a in answers]
            chars = [len(t) for t in texts]
            over = sum(c > SHORT_LIMIT for c in chars) if view == "short" else "-"
            print(f"{platform:8} {view:8} {statistics.median(chars):>12.0f} {p90(chars):>6} {max(chars):>6} "
                  f"{statistics.median(t.count(chr(10)) + 1 for t in texts):>12.0f} "
                  f"{statistics.median(len(t.split()) for t in texts):>12.0f} {over:>10}")


if __name__ == "__main__":
    main()
