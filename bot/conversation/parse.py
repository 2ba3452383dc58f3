"""What was asked, read once for every platform: `help`, `list [owner]`, `services`, `tip`, `tips ...`,
`stack SERVICE...`, `compare SERVICE SERVICE`, `why`, a follow-up ("and on Lambda?"), or a question (`ask`).

Follow-ups are worded as knowledge/language.yaml's `follow_ups` says (`bot.core.language.FollowUpCues`), matched on
the whole message: "why?" and the like are `Why`; an opening such as "and on" or "what about" with words after it is
a `FollowUp`, which the conversation answers as the previous topic on that service when the words name one and there
is a previous answer, and as a new question otherwise.

A command written wrongly (`stack` with no service, `compare` with one, `list everyone`) is a `BadCommand` whose
reply says how to write it; words that read as a question ("list of services that encrypt ...", "services in
scope for PCI?") stay a question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.language import Language, language
from bot.core.model import OWNERS
from bot.core.normalize import fold, question_text


@dataclass(frozen=True)
class Help:
    """`help`, or nothing at all."""


@dataclass(frozen=True)
class ListTopics:
    """`list [aws|customer|shared]`."""

    owner: str | None = None


@dataclass(frozen=True)
class Services:
    """`services`: the services the bot knows."""


@dataclass(frozen=True)
class TipNow:
    """`tip`: today's tip."""


@dataclass(frozen=True)
class Tips:
    """`tips ...`: the daily tip subscription of the channel (`args` as typed, after `tips`)."""

    args: str


@dataclass(frozen=True)
class Stack:
    """`stack ec2 rds s3`: the services as typed (resolved, with did-you-mean, by the conversation)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Compare:
    """`compare ec2 lambda`: two services as typed."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Experts:
    """`experts` (show), `experts off`, `experts here` (this channel) or `experts #channel` (`set`: Slack sends the
    channel as `<#C123|name>`)."""

    action: str
    channel_id: str | None = None
    channel_name: str | None = None


@dataclass(frozen=True)
class Ask:
    """A question for the matcher (the raw text: the matcher unescapes it once)."""

    question: str


@dataclass(frozen=True)
class Why:
    """`why` (or "why?", "how come?"): the Why view of the previous answer here."""


@dataclass(frozen=True)
class FollowUp:
    """"and on Lambda?": `about` (the folded words after the opening, "lambda") and the message as typed, asked as
    a new question when `about` names no service or nothing was answered before."""

    about: str
    question: str


@dataclass(frozen=True)
class BadCommand:
    """A command written wrongly: what is wrong (may quote the user's words) and the usage of that command."""

    problem: str
    usage: str
    """A key of USAGE."""


Command = Help | ListTopics | Services | TipNow | Tips | Stack | Compare | Why | FollowUp | Experts | Ask | BadCommand

USAGE: dict[str, tuple[str, str]] = {
    "list": ("list [aws|customer|shared]", "browse the topics (all, or one owner's)"),
    "services": ("services", "the AWS services I know"),
    "tip": ("tip", "today's tip"),
    "tips": ("tips on [HH:MM] [time zone] [weekdays | every day] [quiz]",
             "a daily tip (or quiz) in this channel; tips off to stop, tips to see the setting"),
    "stack": ("stack ec2 rds s3 lambda", "what you own on that stack: counts and your checklist, with Export"),
    "compare": ("compare ec2 lambda", "the layers whose owner differs between two services"),
    "why": ("why", "what my last answer here matched and which rule decided; then \"and on Lambda?\" asks the same "
                   "for Lambda"),
    "experts": ("experts #channel", "where Ask an expert and the weekly digest go (Teams: experts here); experts "
                "off to clear it"),
    "help": ("help", "what I can do"),
}
"""Command key: (how to write it, what it does), in the order help lists them."""


def usage_line(key: str, prefix: str = "") -> str:
    """`Write it as: /srm stack ec2 rds s3 lambda` (`prefix` is the platform's way to address the bot)."""
    return f"Write it as: {prefix}{USAGE[key][0]}"


def service_names(text: str) -> tuple[str, ...]:
    """Service names typed after `stack` or `compare`: comma-separated when there is a comma (so multi-word names
    such as "elastic block store" survive), else one per word."""
    parts = text.split(",") if "," in text else text.split()
    return tuple(part.strip() for part in parts if part.strip())


_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$")
"""A Slack channel reference as Slack escapes it in command text and messages."""


def experts_command(rest: str) -> Experts | BadCommand:
    """What follows `experts`: nothing, `off`, `here`, or one channel."""
    if rest.lower() in ("", "off", "here"):
        return Experts(rest.lower() or "show")
    if found := _CHANNEL.match(rest):
        return Experts("set", found.group(1), found.group(2) or None)
    return BadCommand(f"{rest[:80]!r} is not a channel: type # and pick the channel from the list.", "experts")


def parse(text: str, words: Language | None = None) -> Command:
    """The command in `text` (a slash command's text, a mention without the bot's name, a DM); `words` is the
    language whose follow-up wording applies (default: the knowledge base's)."""
    first, _, rest = text.strip().partition(" ")
    word, rest = first.lower(), rest.strip()
    if word in ("", "help") and not rest:
        return Help()
    if word == "list":
        if not rest or rest.lower() in OWNERS:
            return ListTopics(rest.lower() or None)
        if len(rest.split()) == 1:
            return BadCommand(f"Unknown owner {rest!r}: the owners are aws, customer and shared.", "list")
    if word == "services" and not rest:
        return Services()
    if word == "tip" and not rest:
        return TipNow()
    if word == "tips":
        return Tips(rest)
    if word == "experts":
        return experts_command(rest)
    if word == "stack":
        names = service_names(rest)
        return Stack(names) if names else BadCommand("Name at least one service after stack.", "stack")
    if word == "compare":
        names = service_names(rest)
        if len(names) != 2:
            return BadCommand(f"Name exactly two services after compare (you named {len(names)}).", "compare")
        return Compare(names)
    return _follow_up(text, words or language()) or Ask(text)


def _follow_up(text: str, words: Language) -> Why | FollowUp | None:
    folded = fold(question_text(text))
    if words.follow_ups.asks_why(folded):
        return Why()
    about = words.follow_ups.service_follow_up(folded)
    return FollowUp(about, text) if about else None
