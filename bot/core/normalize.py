"""Turn what a person typed into the tokens the matcher compares.

The same functions normalize knowledge-base phrases at load and questions at ask time, so both sides always agree.
Steps: unescape chat markup once (Slack's `&amp;`, `<@U123>`, `<#C1|name>`, `<url|label>`), fold case and unicode,
join a few phrases whose small words carry the meaning ("of the cloud" / "in the cloud"), split into words, drop
filler words ("who is responsible for", "hey bot"), and reduce words to their Snowball stem
(securing, secure, security -> secur). The word lists live in knowledge/language.yaml (`bot.core.language`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

from bot.core.language import language

MAX_QUESTION_CHARS = 500
"""Only the first 500 characters of a question are matched; a longer message is a paste, not a question."""

_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_WORD = re.compile(r"[a-z0-9]+")

_LANGUAGE = language()

FILLER_WORDS = _LANGUAGE.filler
"""Words dropped before matching (knowledge/language.yaml `filler`)."""

GENERIC_WORDS = frozenset(_LANGUAGE.generic)
"""Words too general to identify a topic alone: a phrase needs at least one other content word."""


def _by_first_word(pairs: tuple[tuple[str, str], ...]) -> dict[str, list[tuple[list[str], str]]]:
    """Joined phrases by their first word: (the words after it, the token), the longest phrase first."""
    found: dict[str, list[tuple[list[str], str]]] = {}
    for phrase, token in pairs:
        first, *rest = phrase.split()
        found.setdefault(first, []).append((rest, token))
    for candidates in found.values():
        candidates.sort(key=lambda candidate: -len(candidate[0]))
    return found


# Folded text is words of letters and digits between single spaces, so phrases are joined word by word, the
# longest first where several start at one word: one look-up a word, where an alternation of every phrase
# would try them all at every word.
_JOINED = _by_first_word(_LANGUAGE.joined)
# Phrases joined only where they end the question ("... our functions run on").
_JOINED_AT_END = _by_first_word(_LANGUAGE.joined_at_end)
# One pass splits every word opening with a prefix, the longest prefix first; only a word that goes on after it.
_PREFIXED = re.compile(r"\b(" + "|".join(re.escape(p) for p, _ in _LANGUAGE.prefixes) + r")(?=[a-z0-9])")
_PREFIX_WORDS = dict(_LANGUAGE.prefixes)
_CONDITION = _LANGUAGE.condition
_SECOND_ASK = _LANGUAGE.second_ask
_FIRST_ASK = _LANGUAGE.first_ask
_BACK_REFERENCE = _LANGUAGE.cue("back_references")
_ALTERNATIVE = _LANGUAGE.alternative
_LEFT_BEHIND = _LANGUAGE.left_behind
_REPORTER = _LANGUAGE.reporter
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


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
def plain_fold(text: str) -> str:
    """Lowercase, unicode-folded words as typed, no joined phrase applied: service names are read from these, so
    a phrase joined for its meaning never swallows part of a name ("Client VPN certificate" names Client VPN).
    A word opening with one of the language's prefixes is split after it ("AWSServiceRoleForECS" names ECS)."""
    folded = text[:MAX_QUESTION_CHARS].casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")
    folded = " ".join(_WORD.findall(folded))
    return _PREFIXED.sub(lambda match: _PREFIX_WORDS[match.group(1)] + " ", folded) if _PREFIX_WORDS else folded


_PHRASAL_VERBS = _LANGUAGE.phrasal_verbs
PARTICLE_GAP = 3
"""The most words a phrasal verb's object may put between the verb and its particle ("roll the patched AMI out")."""


def _particles_joined(folded: list[str]) -> list[str]:
    """The words with each phrasal verb's particle moved up to its verb, over an object of a few words that holds
    no other phrasal verb or particle: "who rolls the patched ami out" reads "who rolls out the patched ami"."""
    moved = list(folded)
    for at, word in enumerate(moved):
        particles = _PHRASAL_VERBS.get(word)
        if not particles or (at + 1 < len(moved) and moved[at + 1] in particles):
            continue
        for end in range(at + 2, min(at + 2 + PARTICLE_GAP, len(moved))):
            if moved[end - 1] in _PHRASAL_VERBS or moved[end - 1] in particles:
                break
            if moved[end] in particles:
                moved.insert(at + 1, moved.pop(end))
                break
    return moved


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lowercase, unicode-folded text with phrasal verbs put together and the joined phrases applied; no markup,
    no punctuation rules yet."""
    folded = plain_fold(text).split()
    if _PHRASAL_VERBS:
        folded = _particles_joined(folded)
    for start, word in enumerate(folded):
        ends = _JOINED_AT_END.get(word)
        if ends and (token := next((t for rest, t in ends if folded[start + 1:] == rest), None)) is not None:
            folded[start:] = token.split()
            break
    joined: list[str] = []
    at = 0
    while at < len(folded):
        word = folded[at]
        for rest, token in _JOINED.get(word, ()):
            if folded[at + 1:at + 1 + len(rest)] == rest:
                joined.append(token)
                at += 1 + len(rest)
                break
        else:
            joined.append(word)
            at += 1
    return " ".join(joined)


def words(text: str) -> list[str]:
    """All stemmed words of `text`, filler included (used for alias identity): a new list each call."""
    return list(_stems(text))


@lru_cache(maxsize=256)
def _stems(text: str) -> tuple[str, ...]:
    # The texts of the questions being answered now: one question asks for the same words many times.
    return tuple(stem(w) for w in fold(text).split())


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


_CLAUSE_END = re.compile(r",\s|\s[-\u2013\u2014]+\s|;\s")
"""Where a clause set off by punctuation ends: a comma, a dash between spaces, a semicolon."""


def after_condition(question: str) -> str | None:
    """The clause after the condition a question opens with ("If nobody set anything, is it encrypted?" ->
    "is it encrypted?"), or None when it opens with no condition set off by punctuation."""
    end = _CLAUSE_END.search(question)
    if end is None or not _CONDITION.match(plain_fold(question[:end.start()])):
        return None
    return question[end.end():].strip() or None


_TRAILING_CONDITION = _LANGUAGE.cue("trailing_conditions")


def before_condition(question: str) -> str | None:
    """What a question asks before a condition it ends with ("does Batch update the AMIs when a new AMI comes
    out?" -> "does Batch update the AMIs"), or None when no condition follows the ask."""
    folded = plain_fold(question)
    end = _TRAILING_CONDITION.search(folded)
    return folded[:end.start()].strip() or None if end is not None else None


def main_clause(question: str) -> str | None:
    """What a question asks after the condition it opens with ("Before an OS update is applied, who takes a
    backup?" asks who takes a backup), or None when it opens with no condition, or the clause after it points back
    to it ("When a disk fails, who wipes the data on it?")."""
    return _unless_pointing_back(after_condition(question))


def final_sentence(question: str) -> str | None:
    """The last of a question's sentences, where earlier ones set its scene, or None for one sentence."""
    sentences = _SENTENCE_END.split(question.strip())
    return sentences[-1] if len(sentences) > 1 else None


def last_sentence(question: str) -> str | None:
    """The last of a question's sentences, where earlier ones set its scene ("We pin only the major version. Who
    keeps the minor versions current?"), or None for one sentence, or a last one that points back to the scene."""
    return _unless_pointing_back(final_sentence(question))


def _unless_pointing_back(clause: str | None) -> str | None:
    return clause if clause is not None and not _BACK_REFERENCE.search(plain_fold(clause)) else None


def without_alternative(question: str) -> str:
    """`question` without what it names as not chosen ("who sets a customer managed key instead of the default
    encryption?" -> "who sets a customer managed key?") or as left behind ("we switched the stream from on-demand
    to provisioned" -> "we switched the stream to provisioned"): the words that say which part of a split is
    asked."""
    return _ALTERNATIVE.sub("", without_left_behind(question))


def not_chosen(question: str) -> str:
    """What `question` names as not chosen ("who encrypts it when we haven't chosen a customer managed key?" ->
    "haven't chosen a customer managed key"), its clauses joined, or "" when it names nothing so."""
    return " ".join(match.group(0) for match in _ALTERNATIVE.finditer(question))


def without_reporter(question: str) -> str:
    """`question` without who reports it ("An auditor wants to know who patches it?" -> "who patches it?"): the
    reporter names no topic."""
    return _REPORTER.sub("", question)


def without_left_behind(question: str) -> str:
    """`question` without what it moves something away from ("moving from Redis on EC2 to DynamoDB" -> "moving
    to DynamoDB"), unchanged when it moves nothing."""
    found = _LEFT_BEHIND.search(question)
    return question if found is None else question[:found.start(1)] + question[found.end(1):]


def two_asks(question: str) -> tuple[str, str] | None:
    """A question asking two things in one sentence, as two questions, each with the scene set before the first
    ask ("On RDS, who applies the patches, and who picks the window?" -> "On RDS, who applies the patches?", "On
    RDS, who picks the window?"), or None when it asks one thing."""
    second = _SECOND_ASK.search(question)
    first = _FIRST_ASK.search(question, 0, second.start()) if second is not None else None
    if second is None or first is None:
        return None
    scene = question[:first.start()]
    return question[:second.start()].rstrip(" ,;") + "?", scene + question[second.start(1):]


def question_text(raw: str) -> str:
    """The question as it should be matched: chat markup undone, whitespace collapsed, at most
    MAX_QUESTION_CHARS long (so nothing cached downstream keeps a pasted wall of text)."""
    return " ".join(unescape_chat(raw[: MAX_QUESTION_CHARS * 4]).split())[:MAX_QUESTION_CHARS]
