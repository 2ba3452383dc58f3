"""Teams' rendering of "a way to a human": the `experts` command's replies, the Ask an expert button, the request
card posted in the experts' channel and the weekly digest. Every user and knowledge text is escaped
(`escape_markdown`, through the card helpers)."""

from __future__ import annotations

from typing import Any

from microsoft_teams.cards import ActionSet, AdaptiveCard, CardElement, TextBlock

from bot.conversation.experts import REQUEST_TITLE, ExpertRequest, ExpertsReply, guess_line, reply_text
from bot.teams.cards import _bullets, _card, _text, escape_markdown, expert_button
from bot.tips.digest import Digest

HOW = "experts here (typed in that channel, mentioning me)"


def _channel(channel_id: str | None, name: str | None) -> str:
    return escape_markdown(name) if name else "this channel"


def experts_reply_card(reply: ExpertsReply) -> AdaptiveCard:
    """The `experts` command's answer, or why an Ask an expert request could not go out."""
    text = reply_text(reply, channel=_channel, escape=escape_markdown, how=HOW)
    return _card([TextBlock(text=text, wrap=True)], "Experts' channel")  # escaped by reply_text


def request_card(request: ExpertRequest, asker: str | None, asked_in: str) -> AdaptiveCard:
    """What the experts' channel gets: the question (escaped), who asked and where, the bot's best guess."""
    body: list[CardElement] = [
        _text(REQUEST_TITLE, size="Large", weight="Bolder"),
        _text(f"{asker or 'Someone'} asked in {asked_in}:", weight="Bolder"),
        _text(request.question or "(no question text)"),
        _text(guess_line(request.guess), spacing="Small"),
        _text("Reply to them directly; the bot does not follow this thread.", is_subtle=True, size="Small"),
    ]
    return _card(body, f"{REQUEST_TITLE}: {request.question[:200]}")


def digest_card(digest: Digest) -> AdaptiveCard:
    """The weekly digest: unanswered questions and Not helpful answers, most frequent first."""
    title = f"Weekly digest {digest.week}: what the bot could not answer"
    body: list[CardElement] = [_text(title, size="Large", weight="Bolder")]
    body += _bullets("Unanswered questions (times asked):", [f"{q} ({n})" for q, n in digest.misses])
    body += _bullets("Answers marked Not helpful (times):", [f"{t} ({n})" for t, n in digest.unhelpful])
    if not digest.misses and not digest.unhelpful:
        body.append(_text("A quiet week: every question was answered and nobody marked an answer Not helpful."))
    body.append(_text(f"Since {digest.since:%Y-%m-%d %H:%M} UTC.", is_subtle=True, size="Small"))
    return _card(body, title)


def offer_expert(card: AdaptiveCard, vote: Any) -> AdaptiveCard:
    """The card voted Not helpful on (`vote`: a `bot.conversation.conversation.Vote`), offering Ask an expert."""
    card.body.append(ActionSet(actions=[expert_button(vote.question, vote.entry_id, vote.service_id)]))
    return card


def expert_click(data: dict[str, Any]) -> tuple[str, str, str | None]:
    """(question, entry id, service id) from an Ask an expert click's data."""
    service = data.get("service")
    return str(data.get("question", "")), str(data.get("entry", "")), service if isinstance(service, str) and \
        service else None
