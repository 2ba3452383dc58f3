"""The language data the matcher reads questions with (`knowledge/language.yaml`), loaded and validated.

What a maintainer tunes lives in that file, not in Python: filler words, generic words, phrases joined into one
token, the cue words that say what kind of question it is, the words of the trade that are never typos, the
words naming one party's side of any shared control ("the AWS side", "our end"), and the wording of follow-ups
("and on Lambda?", "why?": `FollowUpCues`, read by `bot.conversation.parse`). It is read once per process from
the knowledge directory in use (`SRM_KNOWLEDGE_DIR`, else the shipped base); a base without its own file uses the
shipped one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from bot.core.paths import default_knowledge_dir, knowledge_file
from bot.core.yaml_lines import DataFileError, LineDict, LineList, load_data_file

CUE_KINDS = ("ownership", "pricing", "limits", "status", "general", "definition_openings", "how_to_openings",
             "how_to_verbs", "how_to_phrases", "condition_openings", "trailing_conditions", "back_references",
             "requests", "reported_asks", "second_asks", "alternatives", "either_or", "moves", "split_asks", "spans",
             "other_clouds")
FOLLOW_UP_KINDS = ("service_openings", "endings", "why")
FIELDS = ("filler", "generic", "service_generic", "joined", "prefixes", "phrasal_verbs", "cues", "known_words",
          "follow_ups", "sides")
SIDE_PARTIES = ("aws", "customer")
_FOLDED_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


@dataclass(frozen=True)
class FollowUpCues:
    """How a follow-up is worded, as folded phrases (lowercase words of letters and digits)."""

    service_openings: tuple[str, ...]
    """What opens a follow-up naming another service: "and on", "what about"."""
    endings: tuple[str, ...]
    """Words after that service that change nothing: "then", "instead"."""
    why: tuple[str, ...]
    """Whole messages asking why the previous answer is what it is: "why?", "how come?"."""

    @cached_property
    def _opening(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_alternatives(self.service_openings)}) (.+)$")

    @cached_property
    def _ending(self) -> re.Pattern[str]:
        return re.compile(rf" (?:{_alternatives(self.endings)})$")

    def service_follow_up(self, folded: str) -> str | None:
        """The words after an opening in folded text, endings removed ("and on aws lambda then" -> "aws lambda"),
        or None when it opens with no follow-up wording or nothing follows it."""
        found = self._opening.match(folded)
        if found is None:
            return None
        rest = found.group(1)
        while (shorter := self._ending.sub("", rest)) != rest:
            rest = shorter
        return rest

    def asks_why(self, folded: str) -> bool:
        """The whole of the folded text asks why."""
        return folded in self.why


@dataclass(frozen=True)
class Language:
    """The validated contents of a language file."""

    filler: frozenset[str]
    generic: tuple[str, ...]
    service_generic: tuple[str, ...]
    joined: tuple[tuple[str, str], ...]
    """(phrase, token) pairs, longest phrase first."""
    joined_at_end: tuple[tuple[str, str], ...]
    """(phrase, token) pairs joined only where the phrase ends the question (`at_end: true`), longest first."""
    cues: dict[str, tuple[str, ...]]
    known_words: frozenset[str]
    follow_ups: FollowUpCues
    sides: tuple[tuple[str, str], ...] = ()
    """(phrase, party) pairs naming one party's side of any shared control: "the AWS side", "our end"."""
    prefixes: tuple[tuple[str, str], ...] = ()
    """(prefix, words) pairs, longest prefix first: a word beginning with the prefix is read as those words and
    the rest of it ("awsserviceroleforecs" -> "service linked role for ecs")."""
    phrasal_verbs: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each form of a phrasal verb's verb and the particles it takes ("rolls" -> {"out"}): a question splitting
    the two by an object ("who rolls the patched AMI out?") is read with them together."""

    def cue(self, kind: str) -> re.Pattern[str]:
        """A pattern finding any cue of `kind` as whole words anywhere in folded text."""
        return _any_of(self.cues[kind])

    @property
    def definition(self) -> re.Pattern[str]:
        """A question that opens by asking what something is."""
        return re.compile(rf"^(?:{_alternatives(self.cues['definition_openings'])})\b")

    @property
    def asks_how(self) -> re.Pattern[str]:
        """A question that opens with "how do I", "how can we" ...: it asks for steps unless it asks who."""
        return re.compile(rf"^(?:{_alternatives(self.cues['how_to_openings'])})\b")

    @property
    def how_to(self) -> re.Pattern[str]:
        """A question that opens with a task verb, after an optional "how do I", or that asks for steps anywhere
        ("what are the console steps to ...")."""
        openings = _alternatives(self.cues["how_to_openings"])
        verbs, phrases = _alternatives(self.cues["how_to_verbs"]), _alternatives(self.cues["how_to_phrases"])
        return re.compile(rf"^(?:(?:{openings}) )?(?:{verbs})\b|\b(?:{phrases})\b")

    @property
    def second_ask(self) -> re.Pattern[str]:
        """Where raw question text starts asking a second thing ("..., and who picks the window?"), case ignored:
        group 1 is the asking word that begins the second question."""
        phrases = "|".join(r"\s+".join(map(re.escape, p.split()[:-1])) for p in
                           sorted(self.cues["second_asks"], key=len, reverse=True))
        return re.compile(rf"[,;]?\s+(?:{phrases})\s+({self._asking_words()})\b", re.IGNORECASE)

    @property
    def first_ask(self) -> re.Pattern[str]:
        """An asking word a second question may start with ("who"), as a whole word, case ignored."""
        return re.compile(rf"\b(?:{self._asking_words()})\b", re.IGNORECASE)

    def _asking_words(self) -> str:
        """The asking words the `second_asks` cues end on, as regex alternatives."""
        return _alternatives(tuple({p.split()[-1] for p in self.cues["second_asks"]}))

    @property
    def either_or(self) -> re.Pattern[str]:
        """Raw question text where a question's second alternative starts ("... by default, or do we have to ...?"),
        case ignored."""
        phrases = _raw_alternatives(self.cues["either_or"])
        return re.compile(rf",?\s+\b(?:{phrases})\b", re.IGNORECASE)

    @property
    def alternative(self) -> re.Pattern[str]:
        """Raw question text naming what is not chosen ("... instead of the default key"), from the cue to the end
        of its clause (a comma, a sentence's end or a bracket), case ignored."""
        phrases = _raw_alternatives(self.cues["alternatives"])
        return re.compile(rf"\b(?:{phrases})\b[^,;.?!()]*", re.IGNORECASE)

    @property
    def reporter(self) -> re.Pattern[str]:
        """Raw question text reporting someone else's question, from its sentence's start to the asking word that
        begins the question reported ("An auditor wants to know " in "An auditor wants to know who ..."), case
        ignored."""
        phrases = _raw_alternatives(self.cues["reported_asks"])
        return re.compile(rf"(?:^|(?<=[.!?:]\s))[^.!?:]*?\b(?:{phrases})\s+(?=(?:who|whose|whether|if|which)\b)",
                          re.IGNORECASE)

    @property
    def left_behind(self) -> re.Pattern[str]:
        """Raw question text moving something from one thing to another ("moving our sessions from Redis on EC2 to
        DynamoDB"), case ignored: group 1 is what it leaves behind ("from Redis on EC2")."""
        return re.compile(rf"\b(?:{_alternatives(self.cues['moves'])})\b[^,;.?!]*?\s(from\s[^,;.?!]*?)\s+to\s",
                          re.IGNORECASE)

    @property
    def condition(self) -> re.Pattern[str]:
        """Folded text opening with a condition or a time ("if", "before", "once"): the scene before a question."""
        return re.compile(rf"^(?:{_alternatives(self.cues['condition_openings'])})\b")


class LanguageError(DataFileError):
    """The language file is invalid; `problems` holds (line, message) pairs."""


def _alternatives(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def _raw_alternatives(phrases: tuple[str, ...]) -> str:
    """`phrases` as regex alternatives over raw question text, the longest first, any run of spaces between words."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


def _any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternatives(phrases)})\b")


def _words(value: Any) -> list[str] | None:
    """A list of phrases, or text of words separated by spaces; None when it is neither."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [" ".join(v.casefold().split()) for v in value]
    return None


def parse_language(file: Path) -> Language:
    """Read and check a language file; raises LanguageError naming the line of every problem."""
    problems: list[tuple[int, str]] = []
    data, duplicates = load_data_file(file, LanguageError)
    problems += duplicates
    if not isinstance(data, LineDict):
        raise LanguageError(file, [(1, f"must be a mapping of {', '.join(FIELDS)}")])
    for key in data:
        if key not in FIELDS:
            problems.append((data.line_of(key), f"unknown field '{key}' (known fields: {', '.join(FIELDS)})"))
    lists: dict[str, list[str]] = {}
    for key in ("filler", "generic", "service_generic", "known_words"):
        found = _words(data.get(key))
        if found is None:
            problems.append((data.line_of(key), f"field '{key}' must be a list of words"))
        lists[key] = found or []
    joined: list[tuple[str, str]] = []
    joined_at_end: list[tuple[str, str]] = []
    items = data.get("joined")
    if not isinstance(items, LineList):
        problems.append((data.line_of("joined"), "field 'joined' must be a list of {token, phrases}"))
        items = LineList()
    for line, item in zip(items.item_lines, items, strict=True):
        phrases = _words(item.get("phrases")) if isinstance(item, dict) else None
        token = item.get("token") if isinstance(item, dict) else None
        at_end = item.get("at_end", False) if isinstance(item, dict) else False
        if not isinstance(token, str) or not token.strip() or not phrases:
            problems.append((line, "each item of field 'joined' needs 'token' (text) and 'phrases' (a list)"))
            continue
        if not isinstance(at_end, bool):
            problems.append((line, "field 'at_end' of a joined item must be true or false"))
            continue
        for key in item:
            if key not in ("token", "phrases", "at_end"):
                problems.append((line, f"unknown field '{key}' in a joined item (known: token, phrases, at_end)"))
        for phrase in phrases:
            if not _FOLDED_PHRASE.fullmatch(phrase):
                # Questions are joined once folded, to lowercase words of letters and digits: "end-to-end" is read
                # as "end to end", so a phrase written otherwise could never be found.
                problems.append((line, f"joined phrase {phrase!r} must be lowercase words of letters and digits "
                                       "separated by single spaces, as a folded question reads"))
        (joined_at_end if at_end else joined).extend((p, " ".join(token.split())) for p in phrases)
    cues: dict[str, tuple[str, ...]] = {}
    raw_cues = data.get("cues")
    if not isinstance(raw_cues, LineDict):
        problems.append((data.line_of("cues"), f"field 'cues' must be a mapping with {', '.join(CUE_KINDS)}"))
        raw_cues = LineDict()
    for kind in CUE_KINDS:
        found = _words(raw_cues.get(kind)) if kind in raw_cues else None
        if not found:
            problems.append((raw_cues.line_of(kind), f"field 'cues' needs '{kind}', a non-empty list of phrases"))
        cues[kind] = tuple(found or ())
    for kind in raw_cues:
        if kind not in CUE_KINDS:
            problems.append((raw_cues.line_of(kind), f"unknown cue kind '{kind}' (known: {', '.join(CUE_KINDS)})"))
    follow_ups = _follow_ups(data, problems)
    sides = _sides(data, problems)
    prefixes = _prefixes(data, problems)
    phrasal_verbs = _phrasal_verbs(data, problems)
    if problems:
        raise LanguageError(file, sorted(problems))
    return Language(
        filler=frozenset(w.casefold() for w in lists["filler"]), generic=tuple(lists["generic"]),
        service_generic=tuple(lists["service_generic"]),
        joined=tuple(sorted(joined, key=lambda pair: -len(pair[0]))),
        joined_at_end=tuple(sorted(joined_at_end, key=lambda pair: -len(pair[0]))), cues=cues,
        known_words=frozenset(w.casefold() for w in lists["known_words"]), follow_ups=follow_ups, sides=sides,
        prefixes=tuple(sorted(prefixes, key=lambda pair: -len(pair[0]))), phrasal_verbs=phrasal_verbs,
    )


def _sides(data: LineDict, problems: list[tuple[int, str]]) -> tuple[tuple[str, str], ...]:
    """The optional `sides` mapping of a party ("aws", "customer") to the phrases naming its side."""
    raw = data.get("sides")
    if raw is None:
        return ()
    if not isinstance(raw, LineDict):
        problems.append((data.line_of("sides"), "field 'sides' must be a mapping of aws and customer to phrases"))
        return ()
    found: list[tuple[str, str]] = []
    for party in raw:
        phrases = _words(raw[party]) if isinstance(raw[party], list) else None
        if party not in SIDE_PARTIES:
            problems.append((raw.line_of(party), f"sides: '{party}' is not a party (known: aws, customer)"))
        elif not phrases:
            problems.append((raw.line_of(party), f"sides.{party} must be a non-empty list of phrases"))
        else:
            found += [(p, str(party)) for p in phrases]
    return tuple(found)


def _phrasal_verbs(data: LineDict, problems: list[tuple[int, str]]) -> dict[str, frozenset[str]]:
    """The optional `phrasal_verbs` list of "verb particle" phrases, each form of the verb written out."""
    raw = data.get("phrasal_verbs")
    if raw is None:
        return {}
    phrases = _words(raw)
    if phrases is None or any(len(p.split()) != 2 or not _FOLDED_PHRASE.fullmatch(p) for p in phrases):
        problems.append((data.line_of("phrasal_verbs"), "field 'phrasal_verbs' must be a list of two-word "
                         "phrases, a verb and its particle, lowercase as a folded question reads"))
        return {}
    particles: dict[str, set[str]] = {}
    for phrase in phrases:
        verb, particle = phrase.split()
        particles.setdefault(verb, set()).add(particle)
    return {verb: frozenset(taken) for verb, taken in particles.items()}


def _prefixes(data: LineDict, problems: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """The optional `prefixes` list of {prefix, words}: a folded word beginning and the folded words it reads as."""
    items = data.get("prefixes")
    if items is None:
        return []
    if not isinstance(items, LineList):
        problems.append((data.line_of("prefixes"), "field 'prefixes' must be a list of {prefix, words}"))
        return []
    found: list[tuple[str, str]] = []
    for line, item in zip(items.item_lines, items, strict=True):
        prefix = item.get("prefix") if isinstance(item, dict) else None
        words = item.get("words") if isinstance(item, dict) else None
        if (not isinstance(prefix, str) or not re.fullmatch(r"[a-z0-9]+", prefix)
                or not isinstance(words, str) or not _FOLDED_PHRASE.fullmatch(words)):
            problems.append((line, "each item of field 'prefixes' needs 'prefix' (one lowercase word of letters and "
                                   "digits) and 'words' (lowercase words separated by single spaces)"))
            continue
        for key in item:
            if key not in ("prefix", "words"):
                problems.append((line, f"unknown field '{key}' in a prefixes item (known: prefix, words)"))
        found.append((prefix, words))
    return found


def _follow_ups(data: LineDict, problems: list[tuple[int, str]]) -> FollowUpCues:
    """The `follow_ups` mapping: each kind a non-empty list of folded phrases; problems added with their lines."""
    raw = data.get("follow_ups")
    if not isinstance(raw, LineDict):
        problems.append((data.line_of("follow_ups"),
                         f"field 'follow_ups' must be a mapping with {', '.join(FOLLOW_UP_KINDS)}"))
        return FollowUpCues((), (), ())
    found: dict[str, tuple[str, ...]] = {}
    for kind in raw:
        if kind not in FOLLOW_UP_KINDS:
            problems.append((raw.line_of(kind),
                             f"unknown follow-up kind '{kind}' (known: {', '.join(FOLLOW_UP_KINDS)})"))
    for kind in FOLLOW_UP_KINDS:
        items = raw.get(kind)
        if not isinstance(items, LineList) or not items:
            line = raw.key_lines.get(kind, data.line_of("follow_ups"))
            problems.append((line, f"field 'follow_ups' needs '{kind}', a non-empty list of phrases"))
            items = LineList()
        phrases: list[str] = []
        for line, item in zip(items.item_lines, items, strict=True):
            if not isinstance(item, str) or not _FOLDED_PHRASE.fullmatch(item):
                problems.append((line, f"follow_ups.{kind}: {item!r} must be lowercase words of letters and digits "
                                       "separated by single spaces (no apostrophes or punctuation)"))
            elif item in phrases:
                problems.append((line, f"follow_ups.{kind}: {item!r} is listed twice"))
            else:
                phrases.append(item)
        found[kind] = tuple(phrases)
    return FollowUpCues(**found)


@cache
def language() -> Language:
    """The language of the knowledge base in use, read once per process."""
    return parse_language(knowledge_file(default_knowledge_dir(), "language.yaml"))
