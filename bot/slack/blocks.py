"""Block Kit rendering of core answers, built as plain dicts (the JSON Slack takes) and kept within Slack's limits.

slack_sdk's Block Kit model classes cost more than the match itself per answer, so they serve as the test oracle
instead: tests/slack/test_blocks.py parses every rendered block into them and validates it.

Every string from a user or the knowledge base goes through `escape_mrkdwn` before it enters mrkdwn or the
`text` fallback. Limits kept here: 50 blocks per message (the SDK does not check it), 3,000 characters per
section, 150 per header, 75 per button label, and a total text budget so Slack never answers
`msg_blocks_too_long`; long explanations are cut with a "Read more" link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from slack_sdk.models.views import View

from bot.conversation import quiz_wording, stack_wording
from bot.conversation.answer_view import Trust, short_answer, stale_days, trust, why_lines
from bot.conversation.conversation import Vote
from bot.core.answers import Ambiguous, Answer, Candidate, NoMatch, Result
from bot.core.matcher import answer_cache_size
from bot.core.matrix import Difference, Row, StackSummary
from bot.core.model import Entry, Service, Tip
from bot.core.normalize import MAX_QUESTION_CHARS
from bot.core.presentation import (
    AMBIGUOUS_PROMPT,
    OWNER_EMOJI,
    artifact_label,
    checks_line,
    difference_lines,
    no_match_message,
    owner_label,
    service_line,
)
from bot.render.stack_text import checked_by
from bot.slack.escape import escape_mrkdwn, link
from bot.visible import visible

MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
VALUE_LIMIT = 2000
"""Characters of a button's value."""
ACTIONS_LIMIT = 25
EXPLANATION_BUDGET = 1200
LIST_BUDGET = 1500
MESSAGE_BUDGET = 12000
"""Upper bound on the JSON size of a message's blocks, far below where Slack rejects long messages."""
RENDER_CACHE_SIZE = 256
"""Renderings kept for results asked for again (the matcher reuses the result of a repeated question); at most the
answer cache's size (bot.core.matcher.answer_cache_size)."""

ACTION_SHARE = "srm_share"
ACTION_PICK = "srm_pick"
"""Prefix: did-you-mean and nearest-topic buttons are `srm_pick_0` .. `srm_pick_4` (unique per block)."""
ACTION_HELP = "srm_help"
ACTION_FEEDBACK = "srm_feedback"
ACTION_LEARN_MORE = "srm_learn_more"
ACTION_VIEW = "srm_view"
"""Prefix: an answer's view buttons are `srm_view_short`, `srm_view_details` and `srm_view_why`; each value is
`view_value(...)` (bot/slack/listeners/details.py answers them in place)."""
VIEW_LABELS = {"short": "Short answer", "details": "Details", "why": "Why"}
ACTION_ASK_EXPERT = "srm_ask_expert"
"""The Ask an expert button (bot/slack/listeners/experts.py); its value is `expert_value(...)`."""
HELPFUL, UNHELPFUL = "helpful", "unhelpful"


Block = dict[str, Any]
"""One Block Kit block as Slack's JSON. Built directly rather than with `slack_sdk.models` objects, whose generic
`to_dict()` cost more than matching the question (bench/dispatch_profile.py); the helpers below keep the limits."""


class RenderError(ValueError):
    """A rendered message would break one of Slack's limits (a bug in the renderer, never user input)."""


# --- references carried in button values ------------------------------------------------------------------------

def answer_ref(entry_id: str, service_id: str | None = None) -> str:
    """The button value naming an entry and, optionally, the service it was asked about: `entry@service`."""
    return f"{entry_id}@{service_id}" if service_id else entry_id


def parse_ref(value: str) -> tuple[str, str | None]:
    """`answer_ref` undone: (entry id, service id or None)."""
    entry_id, _, service_id = value.partition("@")
    return entry_id, service_id or None


def answer_value(entry_id: str, service_id: str | None, question: str) -> str:
    """A button value naming an answer: `entry@service|question`, the question as the matcher read it (at most its
    MAX_QUESTION_CHARS) escaped as Slack escapes message text, so no value holds live markup; the matcher reads the
    escapes back. Cut further if need be so that a feedback value stays within Slack's 2,000 characters."""
    ref = answer_ref(entry_id, service_id)
    asked = question[:MAX_QUESTION_CHARS]
    while len(carried := escape_mrkdwn(asked)) > VALUE_LIMIT - len(ref) - len(f"{UNHELPFUL}:|"):
        asked = asked[:-1]
    return f"{ref}|{carried}"


def view_value(answer: Answer) -> str:
    """The value of an answer's view buttons (`answer_value`), so a click can ask its question again."""
    return answer_value(answer.entry.id, answer.service.id if answer.service else None, answer.question)


def parse_view_value(value: str) -> tuple[str, str | None, str]:
    """`answer_value` undone: (entry id, service id or None, question)."""
    ref, _, question = value.partition("|")
    entry_id, service_id = parse_ref(ref)
    return entry_id, service_id, question


def feedback_value(helpful: bool, entry_id: str | None, service_id: str | None = None, question: str = "") -> str:
    """The value of a feedback button: `helpful:` or `unhelpful:` and the answer voted on (`answer_value`; the entry
    is empty for a refusal)."""
    return f"{HELPFUL if helpful else UNHELPFUL}:{answer_value(entry_id or '', service_id, question)}"


def parse_feedback(value: str) -> Vote | None:
    """The vote a feedback button carries, or None when the value is not one. Buttons posted before votes named
    the question (`helpful:<entry id>`) still read: their question is empty."""
    verdict, _, answer = value.partition(":")
    entry_id, service_id, question = parse_view_value(answer)
    if verdict not in (HELPFUL, UNHELPFUL) or not (entry_id or question.strip()):
        return None
    return Vote(verdict == HELPFUL, entry_id or None, service_id, question)


# --- text helpers ------------------------------------------------------------------------------------------------

def clip(raw: str, limit: int, more_url: str | None = None) -> str:
    """`raw` escaped and, if longer than `limit`, cut at a word boundary with "…" (and a Read more link)."""
    escaped = escape_mrkdwn(raw)
    if len(escaped) <= limit:
        return escaped
    suffix = "\u2026" + (f" {link(more_url, 'Read more')}" if more_url else "")
    if len(suffix) > limit // 2:  # a limit too small for the link as well keeps the text and drops the link
        suffix = "\u2026"
    room, cut = limit - len(suffix), 0
    for char in raw:  # the longest prefix whose escaped form fits (an escaped `<` takes four characters)
        room -= len(escape_mrkdwn(char))
        if room < 0:
            break
        cut += 1
    head = raw[:cut]
    if " " in head[len(head) // 2:]:
        head = head[: head.rindex(" ")]
    return escape_mrkdwn(head.rstrip()) + suffix


def bullets(items: Iterable[str], budget: int = LIST_BUDGET, *, escaped: bool = False) -> str:
    """A bulleted mrkdwn list within `budget` characters; items that do not fit become "…and N more"."""
    items = list(items)
    lines: list[str] = []
    used = 0
    for index, item in enumerate(items):
        text = item if escaped else clip(item, budget // 2)
        line = f"\u2022 {text}"
        if used + len(line) + 1 > budget - 20 and index:
            lines.append(f"\u2026and {len(items) - index} more")
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


def section(mrkdwn: str) -> Block:
    """A mrkdwn section; the caller has escaped and budgeted the text (checked against the 3,000 limit)."""
    if len(mrkdwn) > SECTION_LIMIT:
        raise RenderError(f"section text of {len(mrkdwn)} characters exceeds {SECTION_LIMIT}")
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def chunked_sections(lines: Sequence[str], limit: int = SECTION_LIMIT) -> list[Block]:
    """Escaped mrkdwn lines packed into as few sections as fit the per-section limit."""
    blocks: list[Block] = []
    current: list[str] = []
    for line in lines:
        if current and len("\n".join([*current, line])) > limit:
            blocks.append(section("\n".join(current)))
            current = []
        current.append(line[:limit])
    if current:
        blocks.append(section("\n".join(current)))
    return blocks


def plain_text(text: str) -> dict[str, Any]:
    """A plain_text object (Slack shows it as typed: no markup is parsed)."""
    return {"type": "plain_text", "text": text, "emoji": True}


def header(text: str) -> Block:
    """A header block, its plain text cut to Slack's 150 characters."""
    cut = text if len(text) <= HEADER_LIMIT else text[: HEADER_LIMIT - 1] + "\u2026"
    return {"type": "header", "text": plain_text(cut)}


def context(mrkdwn: str) -> Block:
    """A context block of one mrkdwn text (escaped by the caller), cut like `clip_escaped`."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_escaped(mrkdwn)}]}


def actions(elements: Sequence[dict[str, Any]]) -> Block:
    """An actions block (at most 25 elements)."""
    if not 0 < len(elements) <= ACTIONS_LIMIT:
        raise RenderError(f"an actions block needs 1 to {ACTIONS_LIMIT} elements, got {len(elements)}")
    return {"type": "actions", "elements": list(elements)}


def button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    """A button whose plain-text label is cut to Slack's 75 characters."""
    label = label if len(label) <= BUTTON_LIMIT else label[: BUTTON_LIMIT - 1] + "\u2026"
    element = {"type": "button", "text": plain_text(label), "action_id": action_id, "value": value}
    if style:
        element["style"] = style
    return element


def badge(owner: str) -> str:
    """The owner badge: emoji and "AWS: security OF the cloud" (or Customer / Shared) in bold."""
    return f"{OWNER_EMOJI[owner]} *{escape_mrkdwn(owner_label(owner))}*"


def visible_text(rendered: dict[str, Any]) -> str:
    """The text a reader sees in a rendered message: its headers, sections and contexts (not buttons), one per
    line; what the short answer's 700-character limit counts."""
    parts: list[str] = []
    for block in rendered["blocks"]:
        if block["type"] in ("header", "section"):
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [element["text"] for element in block["elements"] if "text" in element]
    return "\n".join(parts)


def message(text: str, blocks: Sequence[Block]) -> dict[str, Any]:
    """`{"text", "blocks"}` for chat.postMessage, ack() or respond(), checked against Slack's message limits."""
    if not 0 < len(blocks) <= MAX_BLOCKS:
        raise RenderError(f"a message needs 1 to {MAX_BLOCKS} blocks, got {len(blocks)}")
    size = len(json.dumps(blocks, ensure_ascii=False))
    if size > MESSAGE_BUDGET:
        raise RenderError(f"message blocks of {size} characters exceed the budget of {MESSAGE_BUDGET}")
    return {"text": text, "blocks": list(blocks)}


# --- answers -----------------------------------------------------------------------------------------------------

def feedback_block(entry_id: str | None, service_id: str | None, question: str) -> Block:
    """Slack's native thumbs up / down feedback buttons for one answer (`entry_id` None: a refusal)."""
    return {"type": "context_actions", "elements": [{
        "type": "feedback_buttons", "action_id": ACTION_FEEDBACK,
        "positive_button": {"text": plain_text("Helpful"), "accessibility_label": "This answer was helpful",
                            "value": feedback_value(True, entry_id, service_id, question)},
        "negative_button": {"text": plain_text("Not helpful"), "accessibility_label": "This answer was not helpful",
                            "value": feedback_value(False, entry_id, service_id, question)},
    }]}


def _trust_block(info: Trust) -> Block:
    """When the facts were verified, and the warning when that is too long ago."""
    text = escape_mrkdwn(info.line)
    if info.warning:
        text += f"\n*{escape_mrkdwn(info.warning)}*"
    return context(text)


def _view_actions(answer: Answer, view: str, shareable: bool) -> Block:
    """The buttons of an answer: its two other views, and "Share in channel" for an ephemeral answer."""
    value = view_value(answer)
    elements = [button(label, f"{ACTION_VIEW}_{name}", value) for name, label in VIEW_LABELS.items() if name != view]
    if shareable:
        ref = answer_ref(answer.entry.id, answer.service.id if answer.service else None)
        elements.append(button("Share in channel", ACTION_SHARE, ref, "primary"))
    return actions(elements)


def _short_blocks(answer: Answer, info: Trust) -> list[Block]:
    short = short_answer(answer, info)
    summary, why, facts, *warning = short.lines
    return [header(short.title), section(f"{badge(answer.owner)}\n*{escape_mrkdwn(summary)}*\n{escape_mrkdwn(why)}"),
            context("\n".join([escape_mrkdwn(facts), *(f"*{escape_mrkdwn(line)}*" for line in warning)]))]


def _details_blocks(answer: Answer, info: Trust) -> list[Block]:
    entry = answer.entry
    more_url = answer.links[0].url if answer.links else None
    blocks: list[Block] = [header(entry.title), section(badge(answer.owner))]
    if (line := service_line(answer)) is not None:
        blocks.append(section(clip(line, LIST_BUDGET)))
    explanation = f"*{clip(entry.summary, 500)}*\n{clip(entry.explanation, EXPLANATION_BUDGET, more_url)}"
    blocks.append(section(explanation))
    if entry.customer_actions:
        blocks.append(section("*What you should do*\n" + bullets(entry.customer_actions)))
    if (checked := checks_line(answer.checks)) is not None:
        blocks.append(section(escape_mrkdwn(checked)))
    if entry.aws_features:
        blocks.append(section("*AWS features that help*\n" + bullets(entry.aws_features)))
    if differences := difference_lines(answer):
        blocks.append(section("*How it differs on other services*\n" + bullets(differences)))
    if answer.artifacts:
        evidence = [f"{link(a.url, artifact_label(a))}: {clip(a.attests, 200)}" for a in answer.artifacts]
        blocks.append(section("*Evidence (audit artifacts)*\n" + bullets(evidence, escaped=True)))
    if answer.links:
        docs = [link(item.url, item.title) for item in answer.links]
        blocks.append(section("*Documentation*\n" + bullets(docs, escaped=True)))
    if answer.alternatives:
        related = ", ".join(escape_mrkdwn(c.entry.title) for c in answer.alternatives)
        blocks.append(context(f"Related: {related}"))
    blocks.append(_trust_block(info))
    return blocks


def _why_blocks(answer: Answer, info: Trust) -> list[Block]:
    lines = why_lines(answer, info)[: -2 if info.warning else -1]  # trust: the block below, with its warning
    return [header(f"Why this answer: {answer.entry.title}"), section(clip("\n".join(lines), SECTION_LIMIT - 100)),
            _trust_block(info)]


_VIEW_BLOCKS = {"short": _short_blocks, "details": _details_blocks, "why": _why_blocks}


def _answer_blocks(answer: Answer, view: str, shareable: bool, shared_by: str | None, info: Trust) -> list[Block]:
    blocks = _VIEW_BLOCKS[view](answer, info)
    if shared_by:
        blocks.insert(0, context(f"Shared by <@{shared_by}>"))
    service_id = answer.service.id if answer.service else None
    return [*blocks, _view_actions(answer, view, shareable), feedback_block(answer.entry.id, service_id,
                                                                             answer.question)]


def clip_escaped(mrkdwn: str, limit: int = 2000) -> str:
    """Already-escaped mrkdwn cut to `limit` characters without splitting an entity or a link."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    head = mrkdwn[: limit - 1]
    head = head[: max(head.rfind(" "), 0)]  # entities (&amp;) hold no space, so a cut at a space never splits one
    if head.rfind("<") > head.rfind(">"):  # the cut fell inside a link's label: drop the whole link
        head = head[: head.rfind("<")].rstrip()
    return head + "\u2026"


def answer_text(answer: Answer) -> str:
    """The notification fallback of an answer: title, owner and the summary (or the service's note), escaped."""
    if answer.decision.reason:
        return escape_mrkdwn(f"{answer.entry.title}: {owner_label(answer.owner)}. {answer.decision.reason}")
    return escape_mrkdwn(f"{answer.entry.title}: {owner_label(answer.owner)}. {answer.entry.summary}")


def _pick_buttons(candidates: Sequence[Candidate], service_id: str | None) -> list[dict[str, Any]]:
    return [
        button(c.entry.title, f"{ACTION_PICK}_{index}", answer_ref(c.entry.id, service_id))
        for index, c in enumerate(candidates[:5])
    ]


def _ambiguous(result: Ambiguous) -> dict[str, Any]:
    service_id = result.service.id if result.service else None
    blocks: list[Block] = [
        section(f"{escape_mrkdwn(AMBIGUOUS_PROMPT)}\n_You asked: {clip(result.question, 500)}_"),
        actions(_pick_buttons(result.candidates, service_id)),
        feedback_block(None, service_id, result.question),
    ]
    titles = ", ".join(c.entry.title for c in result.candidates[:5])
    return message(escape_mrkdwn(f"{AMBIGUOUS_PROMPT} {titles}"), blocks)


def expert_value(question: str, entry_id: str | None = None, service_id: str | None = None) -> str:
    """The Ask an expert button's value (`answer_value`, read by `parse_view_value`), without hidden characters."""
    return answer_value(entry_id or "", service_id, visible(question))


def expert_button(question: str, entry_id: str | None = None, service_id: str | None = None) -> dict[str, Any]:
    """The Ask an expert button for a question (and the bot's best guess at it)."""
    return button("Ask an expert", ACTION_ASK_EXPERT, expert_value(question, entry_id, service_id))


def _no_match(result: NoMatch) -> dict[str, Any]:
    reason = no_match_message(result)
    text = escape_mrkdwn(reason)
    if result.question:
        text += f"\n_You asked: {clip(result.question, 500)}_"
    blocks: list[Block] = [section(text)]
    elements: list[dict[str, Any]] = []
    if result.suggestions:
        blocks.append(section("Nearest topics:"))
        elements = _pick_buttons(result.suggestions, None)
    elements.append(button("Help: how to ask", ACTION_HELP, "help"))
    if result.worth_recording:  # a refusal is not a dead end: a person can take the question
        elements.append(expert_button(result.question, result.suggestions[0].entry.id if result.suggestions else None))
    blocks.append(actions(elements))
    if result.question.strip():  # an empty message gets help, not a vote
        blocks.append(feedback_block(None, None, result.question))
    return message(escape_mrkdwn(reason), blocks)


def render_result(result: Result, *, shareable: bool = False, shared_by: str | None = None,
                  view: str = "short") -> dict[str, Any]:
    """An Answer, Ambiguous or NoMatch as `{"text": fallback, "blocks": [...]}`; an answer in `view`: the short
    answer, its details or why (`bot.conversation.answer_view.VIEWS`), with when its facts were verified.

    `shareable` adds the "Share in channel" button (for ephemeral answers to `/srm` and shortcuts);
    `shared_by` (a Slack user id, already validated) credits who shared an answer in the channel.
    Results are immutable, so the last RENDER_CACHE_SIZE renderings are reused; the blocks are shared between
    callers and must not be changed.
    """
    info = trust(result, max_days=stale_days()) if isinstance(result, Answer) else None
    return dict(_render_cached(result, shareable, shared_by, view, info))


def _render(result: Result, shareable: bool, shared_by: str | None, view: str, info: Trust | None) -> dict[str, Any]:
    if isinstance(result, Answer):
        assert info is not None
        return message(answer_text(result), _answer_blocks(result, view, shareable, shared_by, info))
    if isinstance(result, Ambiguous):
        return _ambiguous(result)
    return _no_match(result)


MODAL_TITLE = "Learn more"
"""The title of the modal a topic opens in (Slack allows 24 characters)."""


def render_modal(answer: Answer | None, missing: str) -> dict[str, Any]:
    """A modal (views.open) with an answer's details, today's full answer, for a surface with no message to
    answer in (App Home); `missing` is what it says when the topic is gone. No buttons: a modal has no thread."""
    blocks = [section(escape_mrkdwn(missing))] if answer is None else _details_blocks(
        answer, trust(answer, max_days=stale_days()))
    return View(type="modal", title=MODAL_TITLE, close="Close", blocks=blocks).to_dict()  # checks a modal's limits


_render_cached = lru_cache(maxsize=min(RENDER_CACHE_SIZE, answer_cache_size()))(_render)
"""SRM_ANSWER_CACHE=0 turns this cache off with the matcher's."""


def render_tip(tip: Tip, entry: Entry) -> dict[str, Any]:
    """A tip with its entry's owner and a "Learn more" button (`srm_learn_more`, value: the entry id)."""
    blocks: list[Block] = [
        section(f"\U0001f4a1 *Tip of the day*\n{clip(tip.text, 1000)}"),
        context(f"{escape_mrkdwn(entry.title)} \u00b7 {badge(entry.owner)}"),
        actions([button("Learn more", ACTION_LEARN_MORE, entry.id)]),
    ]
    return message(escape_mrkdwn(f"Tip: {tip.text}"), blocks)


# --- stacks: the short form, two services compared, unknown service names ------------------------------------------

ACTION_EXPORT = "srm_export"
"""The Export button of a stack; its value is the stack's service ids, comma-separated."""
CHECKLIST_BUDGET = 9000
"""Characters of checklist lines in one stack message; the duties past it are counted and left to Export."""
CHECKLIST_ITEM = 110
"""Characters of one duty's text in the checklist (the full text is in the export)."""


def _checklist_line(row: Row) -> str:
    whose, what = stack_wording.duty(row)
    line = f"{stack_wording.CHECKLIST_BOX} *{escape_mrkdwn(whose)}*: {clip(what, CHECKLIST_ITEM)}"
    if (checks := checked_by(row)) is not None:
        line += f"\n      _{clip(checks, 200)}_"
    return line


def render_stack(summary: StackSummary) -> dict[str, Any]:
    """A stack's short form: counts per owner, the customer's duties as a checklist by layer (with what checks
    each), and an Export button for the full matrix."""
    blocks: list[Block] = [
        header(f"Stack: {stack_wording.names(summary.services)}"),
        section(f"{escape_mrkdwn(stack_wording.counts(summary))}\n*{stack_wording.CHECKLIST_HEADING}*"),
    ]
    used, left = 0, sum(len(rows) for _, rows in summary.checklist)
    for layer, rows in summary.checklist:
        lines = []
        for row in rows:
            line = _checklist_line(row)
            if used + len(line) > CHECKLIST_BUDGET or len(blocks) >= MAX_BLOCKS - 4:
                break
            lines.append(line)
            used += len(line)
        if not lines:
            break
        left -= len(lines)
        blocks.extend(chunked_sections([f"*{escape_mrkdwn(layer.name)}*", *lines]))
    if left:
        blocks.append(context(escape_mrkdwn(stack_wording.more_duties(left))))
    blocks.append(context(escape_mrkdwn(stack_wording.export_hint(summary.services))))
    blocks.append(actions([button("Export (CSV)", ACTION_EXPORT, stack_wording.ids(summary.services), "primary")]))
    return message(escape_mrkdwn(stack_wording.fallback(summary)), blocks)


def render_compare(first: Service, second: Service, differences: Sequence[Difference]) -> dict[str, Any]:
    """The layers whose owner differs between two services, each with both sides."""
    summary = escape_mrkdwn(stack_wording.compare_summary(first, second, len(differences)))
    if not differences:
        return message(summary, [section(summary)])
    blocks: list[Block] = [header(f"{first.name} vs {second.name}"), section(summary)]
    for difference in differences[:MAX_BLOCKS - 3]:
        sides = [f"{OWNER_EMOJI[decision.owner]} *{escape_mrkdwn(service.name)}*: "
                 f"{clip(stack_wording.side(service, decision), 600)}"
                 for service, decision in ((first, difference.first), (second, difference.second))]
        blocks.append(section("\n".join([f"*{escape_mrkdwn(difference.layer.name)}*", *sides])))
    return message(summary, blocks)


# --- quiz tips ---------------------------------------------------------------------------------------------------

ACTION_QUIZ = "srm_quiz"
"""Prefix: the owner buttons of a quiz are `srm_quiz_aws`, `srm_quiz_customer`, `srm_quiz_shared`; each value is
`<quiz id>:<owner>`."""


def quiz_value(quiz_id: int, owner: str) -> str:
    """The value of a quiz's owner button."""
    return f"{quiz_id}:{owner}"


def parse_quiz(value: str) -> tuple[int, str] | None:
    """(quiz id, owner) from a quiz button's value, or None when it is not one."""
    quiz_id, _, owner = value.partition(":")
    if not quiz_id.isdigit() or owner not in {o for o, _ in quiz_wording.OWNER_BUTTONS}:
        return None
    return int(quiz_id), owner


def render_quiz(quiz: Any) -> dict[str, Any]:
    """A quiz tip (`bot.tips.quiz.QuizCard`): "Who owns X?" with AWS / Customer / Shared buttons, and how the
    channel did on the last quiz."""
    asked = quiz_wording.question(quiz.entry)
    blocks: list[Block] = []
    if quiz.previous is not None:
        blocks.append(context(escape_mrkdwn(quiz_wording.tally_text(quiz.previous.answered, quiz.previous.correct))))
    blocks += [
        section(f"\U0001f9e0 *Quiz of the day*\n*{clip(asked, 500)}*"),
        actions([button(label, f"{ACTION_QUIZ}_{owner}", quiz_value(quiz.id, owner))
                 for owner, label in quiz_wording.OWNER_BUTTONS]),
        context(escape_mrkdwn(f"{quiz_wording.ONE_ANSWER} Only you see whether you were right.")),
    ]
    return message(escape_mrkdwn(f"Quiz: {asked}"), blocks)


def render_quiz_answer(entry: Entry, tip: Tip | None, answer: str, correct: bool, counted: bool) -> dict[str, Any]:
    """The clicker's answer to a quiz: right or not, the right owner and why, and a "Learn more" button."""
    verdict = quiz_wording.verdict(correct)
    lines = [f"*{escape_mrkdwn(verdict)}* {escape_mrkdwn(entry.title)}: {badge(entry.owner)}"]
    if not counted:
        lines.append(f"_{escape_mrkdwn(quiz_wording.already_answered(answer))}_")
    blocks: list[Block] = [section("\n".join(lines)),
                           section(clip(quiz_wording.explanation(entry, tip.text if tip else None), 1500)),
                           actions([button("Learn more", ACTION_LEARN_MORE, entry.id)])]
    return message(escape_mrkdwn(f"{entry.title}: {owner_label(entry.owner)}"), blocks)
