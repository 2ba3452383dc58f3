"""Adaptive Cards (schema 1.5, what Teams renders) for answers, did-you-mean choices, no match, help and tips.

Same answer object as the Block Kit renderer, same wording (`bot.core.presentation`). Every string that comes from
a user or from the knowledge base goes through `escape_markdown`, because TextBlocks render a Markdown subset.
Buttons carry `Action.Submit` data (`{"srm": "answer", ...}`), which Teams posts back as a message activity whose
`value` is that data; `bot.teams.app` routes it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from microsoft_teams.cards import (
    ActionSet,
    AdaptiveCard,
    CardElement,
    Container,
    SubmitAction,
    TextBlock,
)

from bot.core.answers import Ambiguous, Answer, Candidate, NoMatch, Result
from bot.core.model import Entry, Tip
from bot.core.normalize import MAX_QUESTION_CHARS
from bot.core.presentation import (
    AMBIGUOUS_PROMPT,
    EXAMPLES,
    OWNER_EMOJI,
    artifact_label,
    difference_lines,
    no_match_message,
    owner_label,
    service_line,
)
from bot.visible import visible

CARD_VERSION = "1.5"
ACTION_KEY = "srm"
"""The key in Action.Submit data that marks a click as ours; its value names the action."""
ANSWER_ACTION = "answer"
ASK_ACTION = "ask"
FEEDBACK_ACTION = "feedback"
MAX_CHOICES = 5

OWNER_STYLE = {"aws": "accent", "customer": "warning", "shared": "good"}
HELP_COMMANDS = (
    ("help", "what I can do"),
    ("tip", "today's tip"),
    ("tips on [HH:MM] [time zone] [weekdays | every day]", "a daily tip in this conversation"),
    ("tips off", "stop the daily tip"),
    ("tips", "the daily tip setting here"),
)

_MD_META = re.compile(r"([\\`*_\[\]()#>~|!&])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """`text` as literal characters in a TextBlock: no links, emphasis, headings, lists, mentions or functions.

    Invisible and reordering characters are dropped (`bot.visible`); Markdown metacharacters get a backslash; a
    list, heading or setext marker at the start of a line is escaped;
    `<` gets a zero-width space after it so `<at>` can never form a Teams mention tag; `{{` is split the same way
    so Adaptive Card text functions such as `{{DATE(...)}}` never run.
    """
    text = _MD_META.sub(r"\\\1", visible(text))
    text = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if not m.group(2).isdigit()
                           else f"{m.group(1)}{m.group(2)}\\", text)
    return text.replace("<", "<\u200b").replace("{{", "{\u200b{").replace("}}", "}\u200b}")


def _safe_url(url: str) -> str:
    """A URL that cannot break out of Markdown link syntax (spaces and parentheses percent-encoded)."""
    return quote(url, safe=":/?#@!$&'*+,;=%-._~")


def _text(text: str, **style: Any) -> TextBlock:
    return TextBlock(text=escape_markdown(text), wrap=True, **style)


def _heading(text: str) -> TextBlock:
    return TextBlock(text=escape_markdown(text), wrap=True, weight="Bolder", spacing="Medium")


def _bullets(title: str, items: list[str]) -> list[CardElement]:
    """A bold heading and a Markdown list of escaped items (nothing when `items` is empty)."""
    if not items:
        return []
    return [_heading(title), TextBlock(text="\n".join(f"- {escape_markdown(i)}" for i in items), wrap=True,
                                       spacing="Small")]


def _links(title: str, links: list[tuple[str, str]]) -> list[CardElement]:
    """A heading and a list of Markdown links: escaped titles, URLs from the validated knowledge base."""
    if not links:
        return []
    lines = [f"- [{escape_markdown(label)}]({_safe_url(url)})" for label, url in links]
    return [_heading(title), TextBlock(text="\n".join(lines), wrap=True, spacing="Small")]


def answer_data(entry_id: str, service_id: str | None = None) -> dict[str, Any]:
    """Action.Submit data that asks for the answer to `entry_id` (optionally for a service)."""
    data: dict[str, Any] = {ACTION_KEY: ANSWER_ACTION, "entry": entry_id}
    if service_id:
        data["service"] = service_id
    return data


def _choice_buttons(candidates: tuple[Candidate, ...], service_id: str | None) -> ActionSet:
    return ActionSet(actions=[SubmitAction(title=c.entry.title, data=answer_data(c.entry.id, service_id))
                              for c in candidates[:MAX_CHOICES]])


def _card(body: list[CardElement], fallback: str) -> AdaptiveCard:
    return AdaptiveCard(version=CARD_VERSION, body=body, fallback_text=fallback)


def owner_badge(owner: str) -> Container:
    """The owner, coloured by who owns it: an emoji and the shared label in a styled container."""
    return Container(style=OWNER_STYLE[owner], items=[
        TextBlock(text=f"{OWNER_EMOJI[owner]} {escape_markdown(owner_label(owner))}", wrap=True, weight="Bolder"),
    ])


def answer_card(answer: Answer) -> AdaptiveCard:
    """The full answer: title, owner badge, service note, summary and explanation, actions, evidence, links."""
    entry = answer.entry
    body: list[CardElement] = [_text(entry.title, size="Large", weight="Bolder"), owner_badge(answer.owner)]
    if (line := service_line(answer)) is not None:
        body.append(_text(line, weight="Bolder", spacing="Small"))
    body += [_text(entry.summary), _text(entry.explanation, spacing="Small")]
    body += _bullets("What you should do:", list(entry.customer_actions))
    body += _bullets("AWS features that help:", list(entry.aws_features))
    body += _bullets("How it differs by service:", difference_lines(answer))
    body += _links("Evidence (audit artifacts):", [(artifact_label(a), a.url) for a in answer.artifacts])
    body += _links("Documentation:", [(link.title, link.url) for link in answer.links])
    if answer.alternatives:
        body.append(_text("Related:", weight="Bolder", spacing="Medium"))
        body.append(_choice_buttons(answer.alternatives, answer.service.id if answer.service else None))
    body.append(ActionSet(separator=True, actions=[
        SubmitAction(title="\U0001f44d Helpful", data={ACTION_KEY: FEEDBACK_ACTION, "entry": entry.id,
                                                      "helpful": True}),
        SubmitAction(title="\U0001f44e Not helpful", data={ACTION_KEY: FEEDBACK_ACTION, "entry": entry.id,
                                                          "helpful": False}),
    ]))
    return _card(body, f"{entry.title}: {owner_label(answer.owner)}")


def _you_asked(question: str) -> list[CardElement]:
    """The question echoed back, cut to the characters the matcher reads (a pasted page never swells the card)."""
    if not question.strip():
        return []
    shown = question if len(question) <= MAX_QUESTION_CHARS else question[:MAX_QUESTION_CHARS] + "\u2026"
    return [_text(f"You asked: {shown}", is_subtle=True, size="Small")]


def ambiguous_card(result: Ambiguous) -> AdaptiveCard:
    """"Did you mean" with one button per candidate; a click answers it."""
    body: list[CardElement] = [*_you_asked(result.question), _text(AMBIGUOUS_PROMPT, weight="Bolder"),
                               _choice_buttons(result.candidates, result.service.id if result.service else None)]
    return _card(body, AMBIGUOUS_PROMPT)


def no_match_card(result: NoMatch) -> AdaptiveCard:
    """Why nothing matched, and the nearest topics as buttons."""
    message = no_match_message(result)
    body: list[CardElement] = [*_you_asked(result.question), _text(message)]
    if result.suggestions:
        body += [_text("Nearest topics:", weight="Bolder", spacing="Medium"), _choice_buttons(result.suggestions, None)]
    return _card(body, message)


def result_card(result: Result) -> AdaptiveCard:
    """The card for whatever the matcher returned."""
    if isinstance(result, Answer):
        return answer_card(result)
    if isinstance(result, Ambiguous):
        return ambiguous_card(result)
    return no_match_card(result)


def help_card() -> AdaptiveCard:
    """What the bot does, example questions and the commands."""
    body: list[CardElement] = [
        _text("Ask me who is responsible for something in AWS under the Shared Responsibility Model. In a channel, "
              "@-mention me first.", weight="Bolder"),
        *_bullets("For example:", list(EXAMPLES)),
        *_bullets("Commands:", [f"{command}: {what}" for command, what in HELP_COMMANDS]),
        ActionSet(actions=[SubmitAction(title=example, data={ACTION_KEY: ASK_ACTION, "question": example})
                           for example in EXAMPLES[:3]]),
    ]
    return _card(body, "Ask me who is responsible for something in AWS.")


def tip_card(tip: Tip, entry: Entry | None) -> AdaptiveCard:
    """A tip with a "Learn more" button that answers the tip's entry."""
    body: list[CardElement] = [_text("\U0001f4a1 Tip of the day", weight="Bolder", size="Medium"), _text(tip.text)]
    if entry is not None:
        body.append(ActionSet(actions=[SubmitAction(title=f"Learn more: {entry.title}", data=answer_data(entry.id))]))
    return _card(body, f"Tip: {tip.text}")


def text_card(text: str) -> AdaptiveCard:
    """A plain message (command replies) as one escaped TextBlock."""
    return _card([_text(text)], text)


def card_json(card: AdaptiveCard) -> dict[str, Any]:
    """The card as the JSON Teams receives."""
    return card.model_dump(by_alias=True, exclude_none=True)
