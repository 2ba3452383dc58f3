"""Adaptive Cards (schema 1.5, what Teams renders) for answers, did-you-mean choices, no match, help and tips.

Same answer object as the Block Kit renderer, same wording (`bot.core.presentation`). Every string that comes from
a user or from the knowledge base goes through `escape_markdown`, because TextBlocks render a Markdown subset.
Buttons carry `Action.Submit` data (`{"srm": "answer", ...}`), which Teams posts back as a message activity whose
`value` is that data (and whose `replyToId` is the clicked card's activity); `bot.teams.app` routes it and, for a
topic or a vote, updates the clicked card.
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
    ExecuteAction,
    SubmitAction,
    TextBlock,
)

from bot.conversation import quiz_wording, stack_wording
from bot.conversation.answer_view import Trust, short_answer, stale_days, trust, why_lines
from bot.conversation.parse import USAGE, usage_line
from bot.conversation.replies import (
    AnswerReply,
    CompareReply,
    ExportReply,
    HelpReply,
    QuizAnswerReply,
    Reply,
    ServicesReply,
    StackReply,
    TextReply,
    TipReply,
    TopicsReply,
    UnknownServicesReply,
    UsageReply,
)
from bot.core.answers import Ambiguous, Answer, Candidate, NoMatch, Result
from bot.core.matrix import Difference, Row, StackSummary
from bot.core.model import OWNERS, Entry, KnowledgeBase, Service, Tip
from bot.core.normalize import MAX_QUESTION_CHARS
from bot.core.presentation import (
    AMBIGUOUS_PROMPT,
    EXAMPLES,
    OWNER_EMOJI,
    artifact_label,
    checks_line,
    difference_lines,
    no_match_message,
    owner_label,
    service_line,
)
from bot.render.matrix_export import to_markdown
from bot.render.stack_text import checked_by
from bot.visible import visible

CARD_VERSION = "1.5"
ACTION_KEY = "srm"
"""The key in Action.Submit data that marks a click as ours; its value names the action."""
ANSWER_ACTION = "answer"
ASK_ACTION = "ask"
FEEDBACK_ACTION = "feedback"
QUIZ_ACTION = "quiz"
"""A quiz's owner button (an Action.Execute: Teams shows the card the bot returns to the clicker alone); its data
carries `quiz` (the quiz id) and `answer` (aws, customer or shared)."""
QUIZ_VERB = "srm.quiz"
VIEW_ACTION = "view"
"""An answer's Short answer, Details and Why buttons (Action.Execute: the card returned replaces the clicked card);
the data carries `view`, `entry`, `service` (maybe empty) and `question`."""
VIEW_VERB = "srm.view"
VIEW_LABELS = {"short": "Short answer", "details": "Details", "why": "Why"}
EXPORT_ACTION = "export"
"""A stack's Export button; its data carries `services`, the stack's ids comma-separated."""
MAX_CHOICES = 5
EXPERT_ACTION = "expert"
"""The Ask an expert button (Action.Submit); its data carries `question`, `entry` (the best guess, maybe empty) and
`service`."""

OWNER_STYLE = {"aws": "accent", "customer": "warning", "shared": "good"}

_MD_META = re.compile(r"([\\`*_\[\]()#>~|!&])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)


_DOUBLE_BRACE = re.compile(r"[{}](?=[{}])")
"""A brace followed by another: each gets a zero-width space after it, so no run of braces ("{{{") keeps a pair."""


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
    return _DOUBLE_BRACE.sub(lambda m: m.group(0) + "\u200b", text.replace("<", "<\u200b"))


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


def view_data(answer: Answer, view: str) -> dict[str, Any]:
    """The Action.Execute data of an answer's `view` button."""
    return {ACTION_KEY: VIEW_ACTION, "view": view, "entry": answer.entry.id,
            "service": answer.service.id if answer.service else "", "question": answer.question[:MAX_QUESTION_CHARS]}


FEEDBACK_THANKS = "Thanks for the feedback. Each person's vote counts once: clicking again changes it."


def feedback_data(helpful: bool, entry_id: str | None, service_id: str | None, question: str,
                  view: str = "short") -> dict[str, Any]:
    """The Action.Submit data of a helpful / not helpful button: the answer it votes on (no entry for a refusal),
    and the view the card shows, which the updated card keeps."""
    return {ACTION_KEY: FEEDBACK_ACTION, "helpful": helpful, "entry": entry_id or "", "service": service_id or "",
            "question": question[:MAX_QUESTION_CHARS], "view": view}


def _feedback_buttons(entry_id: str | None, service_id: str | None, question: str,
                      view: str = "short") -> list[SubmitAction]:
    return [SubmitAction(title="\U0001f44d Helpful", data=feedback_data(True, entry_id, service_id, question, view)),
            SubmitAction(title="\U0001f44e Not helpful",
                         data=feedback_data(False, entry_id, service_id, question, view))]


def voted_card(card: AdaptiveCard) -> AdaptiveCard:
    """`card` (the answer voted on, redrawn) with the thanks under its buttons: what the clicked card becomes."""
    card.body.append(_text(FEEDBACK_THANKS, is_subtle=True, size="Small"))
    return card


def _trust(info: Trust) -> list[CardElement]:
    """When the facts were verified, and the warning (in the attention colour) when that is too long ago."""
    body: list[CardElement] = [_text(info.line, is_subtle=True, size="Small", spacing="Small")]
    if info.warning:
        body.append(_text(info.warning, color="Attention", weight="Bolder", size="Small", spacing="None"))
    return body


def _short_body(answer: Answer, info: Trust) -> list[CardElement]:
    short = short_answer(answer, info)
    summary, why, facts, *warning = short.lines
    body: list[CardElement] = [_text(short.title, size="Large", weight="Bolder"), owner_badge(answer.owner),
                               _text(summary, weight="Bolder"), _text(why, spacing="Small"),
                               _text(facts, is_subtle=True, size="Small")]
    return body + [_text(line, color="Attention", weight="Bolder", size="Small", spacing="None") for line in warning]


def _details_body(answer: Answer, info: Trust) -> list[CardElement]:
    entry = answer.entry
    body: list[CardElement] = [_text(entry.title, size="Large", weight="Bolder"), owner_badge(answer.owner)]
    if (line := service_line(answer)) is not None:
        body.append(_text(line, weight="Bolder", spacing="Small"))
    body += [_text(entry.summary), _text(entry.explanation, spacing="Small")]
    body += _bullets("What you should do:", list(entry.customer_actions))
    if (checked := checks_line(answer.checks)) is not None:
        body.append(_text(checked, spacing="Small"))
    body += _bullets("AWS features that help:", list(entry.aws_features))
    body += _bullets("How it differs by service:", difference_lines(answer))
    body += _links("Evidence (audit artifacts):", [(artifact_label(a), a.url) for a in answer.artifacts])
    body += _links("Documentation:", [(link.title, link.url) for link in answer.links])
    if answer.alternatives:
        body.append(_text("Related:", weight="Bolder", spacing="Medium"))
        body.append(_choice_buttons(answer.alternatives, answer.service.id if answer.service else None))
    return [*body, *_trust(info)]


def _why_body(answer: Answer, info: Trust) -> list[CardElement]:
    lines = why_lines(answer, info)[: -2 if info.warning else -1]  # trust: the blocks below, with the warning
    return [_text(f"Why this answer: {answer.entry.title}", size="Large", weight="Bolder"),
            *[_text(line, spacing="Small") for line in lines], *_trust(info)]


_VIEW_BODIES = {"short": _short_body, "details": _details_body, "why": _why_body}


def answer_card(answer: Answer, view: str = "short", info: Trust | None = None) -> AdaptiveCard:
    """An answer in `view` (`bot.conversation.answer_view.VIEWS`): the short answer (owner, one-line answer, why,
    evidence), today's full answer, or why this answer; each says when its facts were verified (`info`, default
    `trust(answer)` with SRM_STALE_DAYS), and has buttons for the other two views and for feedback."""
    entry = answer.entry
    info = info or trust(answer, max_days=stale_days())
    body = _VIEW_BODIES[view](answer, info)
    body.append(ActionSet(separator=True, actions=[
        *[ExecuteAction(title=label, verb=VIEW_VERB, data=view_data(answer, name))
          for name, label in VIEW_LABELS.items() if name != view],
        *_feedback_buttons(entry.id, answer.service.id if answer.service else None, answer.question, view),
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
    service_id = result.service.id if result.service else None
    body: list[CardElement] = [*_you_asked(result.question), _text(AMBIGUOUS_PROMPT, weight="Bolder"),
                               _choice_buttons(result.candidates, service_id),
                               ActionSet(separator=True, actions=_feedback_buttons(None, service_id, result.question))]
    return _card(body, AMBIGUOUS_PROMPT)


def expert_button(question: str, entry_id: str | None = None, service_id: str | None = None) -> SubmitAction:
    """The Ask an expert button for a question (and the bot's best guess at it)."""
    return SubmitAction(title="Ask an expert", data={ACTION_KEY: EXPERT_ACTION, "question": visible(question)[
        :MAX_QUESTION_CHARS], "entry": entry_id or "", "service": service_id or ""})


def no_match_card(result: NoMatch) -> AdaptiveCard:
    """Why nothing matched, the nearest topics as buttons, and Ask an expert (a person can take the question)."""
    message = no_match_message(result)
    body: list[CardElement] = [*_you_asked(result.question), _text(message)]
    if result.suggestions:
        body += [_text("Nearest topics:", weight="Bolder", spacing="Medium"), _choice_buttons(result.suggestions, None)]
    actions = _feedback_buttons(None, None, result.question) if result.question.strip() else []
    if result.worth_recording:  # a person can take the question
        actions.append(expert_button(result.question, result.suggestions[0].entry.id if result.suggestions else None))
    if actions:
        body.append(ActionSet(separator=True, actions=actions))
    return _card(body, message)


def result_card(result: Result, view: str = "short") -> AdaptiveCard:
    """The card for whatever the matcher returned (an answer in `view`)."""
    if isinstance(result, Answer):
        return answer_card(result, view)
    if isinstance(result, Ambiguous):
        return ambiguous_card(result)
    return no_match_card(result)


def help_card() -> AdaptiveCard:
    """What the bot does, example questions and the commands."""
    body: list[CardElement] = [
        _text("Ask me who is responsible for something in AWS under the Shared Responsibility Model. In a channel, "
              "@-mention me first.", weight="Bolder"),
        *_bullets("For example:", list(EXAMPLES)),
        *_bullets("Commands:", [f"{command}: {what}" for command, what in USAGE.values()]),
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


def visible_text(card: dict[str, Any]) -> str:
    """The text a reader sees on a card (`card_json`): every TextBlock outside its ActionSets, one per line; what
    the short answer's 700-character limit counts."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ActionSet":
                return
            if node.get("type") == "TextBlock":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card["body"])
    return "\n".join(found)


LIST_BUDGET = 9000
"""Characters of topic or service names in one list card; the rest are counted."""


def _capped(items: list[str], budget: int = LIST_BUDGET) -> list[str]:
    """`items` while they fit `budget` characters, then "…and N more"."""
    kept: list[str] = []
    used = 0
    for index, item in enumerate(items):
        if used + len(item) > budget:
            return [*kept, f"\u2026and {len(items) - index} more"]
        kept.append(item)
        used += len(item) + 3
    return kept


def list_card(kb: KnowledgeBase, owner: str | None = None) -> AdaptiveCard:
    """The topic titles grouped by owner (one owner when `owner` is given); a click on none is needed: ask."""
    owners = (owner,) if owner else OWNERS
    body: list[CardElement] = [_text("Topics" if owner is None else f"Topics owned by {owner}", size="Large",
                                     weight="Bolder")]
    for each in owners:
        titles = [e.title for e in kb.entries if e.owner == each]
        body.append(owner_badge(each))
        body += _bullets(f"{len(titles)} topics:", _capped(titles, LIST_BUDGET // len(owners)))
    body.append(_text("Ask about any of them by name.", is_subtle=True, size="Small"))
    return _card(body, "srm-bot topics")


def services_card(kb: KnowledgeBase) -> AdaptiveCard:
    """The services the bot knows by name, with their category."""
    names = [f"{s.name} ({s.category})" for s in kb.services]
    body: list[CardElement] = [_text("Services I know", size="Large", weight="Bolder"),
                               *_bullets(f"{len(names)} services:", _capped(names)),
                               _text("Name one in a question to see how it changes the answer, e.g. "
                                     "who patches the OS on RDS?", is_subtle=True, size="Small")]
    return _card(body, "Services srm-bot knows")


def usage_card(problem: str, usage: str) -> AdaptiveCard:
    """What was wrong with a command and how to write it."""
    return _card([_text(problem), _text(usage_line(usage), weight="Bolder")], problem)


def unknown_services_card(reply: UnknownServicesReply) -> AdaptiveCard:
    """One line per unknown service name, with "did you mean" for each, and how to write the command."""
    lines = stack_wording.unknown_lines(reply.suggestions)
    body = [_text(line) for line in lines]
    body += [_text(usage_line(reply.usage), weight="Bolder"),
             _text(f"services {stack_wording.SERVICES_HINT}", is_subtle=True, size="Small")]
    return _card(body, lines[0] if lines else "Unknown service")


def reply_card(reply: Reply, kb: KnowledgeBase) -> AdaptiveCard:
    """The card for any reply of the conversation layer but an export (`export_cards`: maybe several)."""
    if isinstance(reply, AnswerReply):
        return result_card(reply.result, reply.view)
    if isinstance(reply, HelpReply):
        return help_card()
    if isinstance(reply, TopicsReply):
        return list_card(kb, reply.owner)
    if isinstance(reply, ServicesReply):
        return services_card(kb)
    if isinstance(reply, TipReply):
        return tip_card(reply.tip, reply.entry)
    if isinstance(reply, UsageReply):
        return usage_card(reply.problem, reply.usage)
    if isinstance(reply, UnknownServicesReply):
        return unknown_services_card(reply)
    if isinstance(reply, TextReply):
        return text_card(reply.text)
    if isinstance(reply, QuizAnswerReply):
        return quiz_answer_card(reply)
    if isinstance(reply, StackReply):
        return stack_card(reply.summary)
    if isinstance(reply, CompareReply):
        return compare_card(reply.first, reply.second, reply.differences)
    raise TypeError(f"no Teams card for {type(reply).__name__}")


CHECKLIST_BUDGET = 12000
"""Characters of checklist lines in one stack card (cards stay under Teams' 28 KB); the rest are counted."""
CHECKLIST_ITEM = 110
EXPORT_CARD_BUDGET = 14000
"""Characters of Markdown table per export card; a larger matrix is split over several cards."""
MAX_EXPORT_CARDS = 6


def _short(text: str, limit: int) -> str:
    """`text` cut at a word boundary to `limit` characters, with "…" (escaped later, like any text)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head[: head.rindex(" ")] if " " in head else head) + "\u2026"


def _duty(row: Row) -> str:
    whose, what = stack_wording.duty(row)
    line = f"{stack_wording.CHECKLIST_BOX} {whose}: {_short(what, CHECKLIST_ITEM)}"
    checks = checked_by(row)
    return f"{line} ({checks})" if checks else line


def stack_card(summary: StackSummary) -> AdaptiveCard:
    """A stack's short form: counts per owner, the customer's duties as a checklist by layer, and Export."""
    body: list[CardElement] = [
        _text(f"Stack: {stack_wording.names(summary.services)}", size="Large", weight="Bolder"),
        _text(stack_wording.counts(summary)),
        _text(stack_wording.CHECKLIST_HEADING, weight="Bolder", spacing="Medium"),
    ]
    used, left = 0, sum(len(rows) for _, rows in summary.checklist)
    for layer, rows in summary.checklist:
        items: list[str] = []
        for row in rows:
            line = _duty(row)
            if used + len(line) > CHECKLIST_BUDGET:
                break
            items.append(line)
            used += len(line)
        if not items:
            break
        left -= len(items)
        body += _bullets(layer.name, items)
    if left:
        body.append(_text(stack_wording.more_duties(left), weight="Bolder"))
    body.append(_text(stack_wording.export_hint(summary.services), is_subtle=True, size="Small"))
    body.append(ActionSet(actions=[SubmitAction(title="Export (Markdown table)", data={
        ACTION_KEY: EXPORT_ACTION, "services": stack_wording.ids(summary.services)})]))
    return _card(body, stack_wording.fallback(summary))


def compare_card(first: Service, second: Service, differences: tuple[Difference, ...]) -> AdaptiveCard:
    """The layers whose owner differs between two services, both sides of each."""
    summary = stack_wording.compare_summary(first, second, len(differences))
    if not differences:
        return text_card(summary)
    body: list[CardElement] = [_text(f"{first.name} vs {second.name}", size="Large", weight="Bolder"),
                               _text(summary)]
    for difference in differences:
        body.append(_heading(difference.layer.name))
        for service, decision in ((first, difference.first), (second, difference.second)):
            side = _short(stack_wording.side(service, decision), 600)
            body.append(_text(f"{OWNER_EMOJI[decision.owner]} {service.name}: {side}", spacing="Small"))
    return _card(body, summary)


def export_cards(reply: ExportReply) -> list[AdaptiveCard]:
    """The stack's full matrix as a Markdown table (the text of `srm matrix --format markdown`), one line per
    monospace TextBlock so it copies as typed; split over cards of EXPORT_CARD_BUDGET characters, each repeating
    the header, at most MAX_EXPORT_CARDS (the rest counted, with the terminal command)."""
    names = stack_wording.names(reply.services)
    head, separator, *rows = to_markdown(reply.rows).splitlines()
    chunks: list[list[str]] = [[]]
    used = 0
    for row in rows:
        if used + len(row) > EXPORT_CARD_BUDGET and chunks[-1]:
            chunks.append([])
            used = 0
        chunks[-1].append(row)
        used += len(row)
    shown = chunks[:MAX_EXPORT_CARDS]
    result = []
    for index, chunk in enumerate(shown, 1):
        part = f" (part {index} of {len(shown)})" if len(shown) > 1 else ""
        body: list[CardElement] = [_text(f"Responsibility matrix: {names}{part}", weight="Bolder")]
        body += [TextBlock(text=escape_markdown(line), wrap=True, font_type="Monospace", spacing="None", size="Small")
                 for line in (head, separator, *chunk)]
        result.append(_card(body, f"Responsibility matrix: {names}{part}"))
    left = sum(len(chunk) for chunk in chunks[MAX_EXPORT_CARDS:])
    if left:
        ids = stack_wording.ids(reply.services)
        result[-1].body.append(_text(f"\u2026and {left} more rows: srm matrix --services {ids} --format markdown "
                                     "in a terminal has them all.", weight="Bolder"))
    return result


def quiz_card(quiz: Any) -> AdaptiveCard:
    """A quiz tip (`bot.tips.quiz.QuizCard`): "Who owns X?" with AWS / Customer / Shared buttons (Action.Execute,
    so the answer card replaces the quiz for the clicker only), and how the conversation did on the last quiz."""
    asked = quiz_wording.question(quiz.entry)
    body: list[CardElement] = []
    if quiz.previous is not None:
        body.append(_text(quiz_wording.tally_text(quiz.previous.answered, quiz.previous.correct), is_subtle=True,
                          size="Small"))
    body += [_text("\U0001f9e0 Quiz of the day", weight="Bolder", size="Medium"), _text(asked, weight="Bolder"),
             ActionSet(actions=[ExecuteAction(title=label, verb=QUIZ_VERB, data={ACTION_KEY: QUIZ_ACTION,
                                                                                 "quiz": quiz.id, "answer": owner})
                                for owner, label in quiz_wording.OWNER_BUTTONS]),
             _text(quiz_wording.ONE_ANSWER, is_subtle=True, size="Small")]
    return _card(body, f"Quiz: {asked}")


def quiz_answer_card(reply: QuizAnswerReply) -> AdaptiveCard:
    """The clicker's answer to a quiz, shown to them alone in place of the quiz: right or not, the right owner and
    why, and a "Learn more" button."""
    entry = reply.entry
    body: list[CardElement] = [_text(f"{quiz_wording.verdict(reply.correct)} {entry.title}:", weight="Bolder"),
                               owner_badge(entry.owner)]
    if not reply.counted:
        body.append(_text(quiz_wording.already_answered(reply.answer), is_subtle=True))
    body.append(_text(quiz_wording.explanation(entry, reply.tip.text if reply.tip else None)))
    body.append(ActionSet(actions=[SubmitAction(title=f"Learn more: {entry.title}", data=answer_data(entry.id))]))
    return _card(body, f"{entry.title}: {owner_label(entry.owner)}")
