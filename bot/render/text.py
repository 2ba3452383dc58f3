"""Plain-text rendering for the terminal (`srm ask`)."""

from __future__ import annotations

import textwrap

from bot.conversation.answer_view import trust
from bot.core.answers import Ambiguous, Answer, Result
from bot.core.presentation import (
    AMBIGUOUS_PROMPT,
    artifact_label,
    checks_line,
    difference_lines,
    no_match_message,
    owner_label,
    service_line,
)

WIDTH = 100


def _wrap(text: str, initial: str = "", subsequent: str = "") -> str:
    # Never split a word or a URL at a hyphen: links must stay clickable and copyable.
    return textwrap.fill(text, WIDTH, initial_indent=initial, subsequent_indent=subsequent,
                         break_long_words=False, break_on_hyphens=False)


def _bullets(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return ["", title] + [_wrap(i, "  - ", "    ") for i in items]


def render_text(result: Result) -> str:
    """A readable, plain-text answer."""
    if isinstance(result, Answer):
        entry = result.entry
        lines = [entry.title, "=" * len(entry.title), f"Owner: {owner_label(result.owner)}"]
        if (line := service_line(result)) is not None:
            lines.append(_wrap(line))
        lines += ["", _wrap(entry.summary), "", _wrap(entry.explanation)]
        lines += _bullets("What you should do:", list(entry.customer_actions))
        if (checked := checks_line(result.checks)) is not None:
            lines.append(_wrap(checked))
        lines += _bullets("AWS features that help:", list(entry.aws_features))
        lines += _bullets("How it differs by service:", difference_lines(result))
        lines += _bullets("Evidence (audit artifacts):", [f"{artifact_label(a)}: {a.url}" for a in result.artifacts])
        lines += _bullets("Documentation:", [f"{link.title}: {link.url}" for link in result.links])
        if result.alternatives:
            lines += ["", "Related: " + ", ".join(c.entry.title for c in result.alternatives)]
        info = trust(result)
        lines += ["", " ".join(filter(None, (info.line + ".", info.warning)))]
        return "\n".join(lines)
    if isinstance(result, Ambiguous):
        return "\n".join([AMBIGUOUS_PROMPT] + [f"  - {c.entry.title}  (srm ask \"{c.entry.title}\")"
                                                         for c in result.candidates])
    lines = [no_match_message(result)]
    if result.suggestions:
        lines.append("Nearest topics: " + ", ".join(c.entry.title for c in result.suggestions))
    return "\n".join(lines)
