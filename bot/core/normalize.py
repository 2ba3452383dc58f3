"""Turn what a person typed into the tokens the matcher compares.

The same functions normalize knowledge-base phrases at load and questions at ask time, so both sides always agree.
Steps: unescape chat markup once (Slack's `&amp;`, `<@U123>`, `<#C1|name>`, `<url|label>`), fold case and unicode,
join a few phrases whose small words carry the meaning ("of the cloud" / "in the cloud"), split into words, drop
filler words ("who is responsible for", "hey bot"), and reduce words to their Snowball stem
(securing, secure, security -> secur).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

MAX_QUESTION_CHARS = 500
"""Only the first 500 characters of a question are matched; a longer message is a paste, not a question."""

_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_WORD = re.compile(r"[a-z0-9]+")

# Phrases whose little words decide the meaning; joined into one token before filler words are dropped.
_JOINED_PHRASES = (
    (re.compile(r"\bof (?:vs|versus|or|and) in (?:the )?cloud\b"), " ofcloud incloud "),
    (re.compile(r"\bof (?:the )?cloud\b"), " ofcloud "),
    (re.compile(r"\bin (?:the )?cloud\b"), " incloud "),
    (re.compile(r"\bdynamo db\b"), " dynamodb "),
    (re.compile(r"\bdata cent(?:er|re)(s?)\b"), r" datacenter\1 "),
    # Switching something on is one idea however it is phrased ("turn on", "switch on", "activate", "enable").
    (re.compile(r"\b(?:turn|turns|turned|turning|switch|switches|switched|switching) on\b"), " enable "),
    (re.compile(r"\bactivat(?:e|es|ed|ing|ion)\b"), " enable "),
)

FILLER_WORDS = frozenset(
    """
    a an the of on in at to for from by with about into onto via vs versus per
    is are was were be been being am do does did doing has have had having get gets got
    i we you me us our ours my your yours it its this that these those there here they them their
    ourselves yourself yourselves themselves myself itself mine theirs
    who whose whom what which when where why how whats hows wheres
    can could should would will shall may might must need needs ought
    or and but if then than so as also too just really actually any some all each every
    please tell explain know let lets say says thanks thank thx ty cheers ok okay
    aws awss amazon amazons
    hey hi hello yo hiya bot question questions wondering anyone someone somebody anybody nobody everyone
    responsible responsibility responsibilities responsibile resposible accountable
    job task duty duties care take takes handle handles handled handling charge
    turn turns turning switch switches
    s t d ll re ve m isn aren doesn don didn wasn
    """.split()  # noqa: SIM905 - a word list reads best as text
)


GENERIC_WORDS = frozenset(("security", "secure", "securing", "secured", "protect", "protection", "safe", "safety"))
"""Words too general to identify a topic alone: a phrase needs at least one other content word."""


def unescape_chat(text: str) -> str:
    """Undo Slack's message escaping once: drop user/channel/special mentions, keep link labels."""

    def replace(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "!")):
            return " "
        if target.startswith("#"):
            return f" {label or ''} "
        return f" {label} " if label else " "

    return html.unescape(_SLACK_LINK.sub(replace, text))


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a word; words of three letters or fewer (acronyms: aws, ebs, sgs) are kept."""
    if len(word) <= 3 or word.isdigit():
        return word
    return _STEMMER.stemWord(word)


SWITCH_ON = stem("enable")
"""The stem every way of switching something on is normalized to. The matcher lets it add to phrases that use it
("turn on cloudtrail") and costs the others nothing; with a service name, it picks such a phrase's entry over the
service overview."""


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, unicode-folded text with the joined phrases applied; no markup, no punctuation rules yet."""
    folded = unicodedata.normalize("NFKD", text[:MAX_QUESTION_CHARS].casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")
    folded = " ".join(_WORD.findall(folded))
    for pattern, joined in _JOINED_PHRASES:
        folded = pattern.sub(joined, folded)
    return folded


def words(text: str) -> list[str]:
    """All stemmed words of `text`, filler included (used for alias identity)."""
    return [stem(w) for w in fold(text).split()]


def content_terms(text: str) -> list[tuple[str, str]]:
    """The words that carry meaning, filler dropped, each as (word as typed, stem)."""
    return [(w, stem(w)) for w in fold(text).split() if w not in FILLER_WORDS]


def content_words(text: str) -> list[str]:
    """The stems of the words that carry meaning."""
    return [s for _, s in content_terms(text)]


def distinctive_words(text: str) -> list[str]:
    """Content stems that are not merely generic ("security"): what can identify a topic."""
    return [s for s in content_words(text) if s not in _GENERIC_STEMS]


_GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)


def alias_key(text: str) -> str:
    """The identity of an alias: two aliases with the same key are the same alias."""
    return " ".join(words(text))


def question_text(raw: str) -> str:
    """The question as it should be matched: chat markup undone, whitespace collapsed, at most
    MAX_QUESTION_CHARS long (so nothing cached downstream keeps a pasted wall of text)."""
    return " ".join(unescape_chat(raw[: MAX_QUESTION_CHARS * 4]).split())[:MAX_QUESTION_CHARS]
