"""The matcher's thresholds (`knowledge/thresholds.yaml`), loaded and validated.

A maintainer tunes how sure the matcher must be in that file, not in Python; what each value means is documented on
`Thresholds`. It is read once per process from the knowledge directory in use (`SRM_KNOWLEDGE_DIR`, else the shipped
base); a base without its own file uses the shipped one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.core.paths import default_knowledge_dir, knowledge_file
from bot.core.yaml_lines import DataFileError, LineDict, load_data_file


@dataclass(frozen=True)
class Thresholds:
    """Every tuning constant of the matcher, read from `knowledge/thresholds.yaml`. Scores run from 0 to 1,
    similarities (rapidfuzz `fuzz.ratio`) from 0 to 100; counts are whole numbers of at least 1."""

    answer: float
    """The best entry must score at least this to be answered."""
    ambiguity_margin: float
    """If the runner-up is within this margin of the best (and above `answer`), the question is ambiguous."""
    clarify: float
    """Below `answer` but at least this: the question is on topic but vague, so offer "Did you mean"."""
    vague_words: int
    """A question of at most this many words, all known to the knowledge base, is vague rather than off-topic
    even below `clarify`: it gets "Did you mean" with the best candidates."""
    suggest: float
    """Entries scoring at least this are offered as alternatives or suggestions."""
    typo_similarity: float
    """rapidfuzz `fuzz.ratio` (0..100) at which two words of five letters or more count as the same word."""
    short_typo_similarity: float
    """The same for a four-letter word, compared with index words of four or five letters only."""
    swap_similarity: float
    """A four-letter word that is a four-letter index word with its two middle letters swapped ("tset" for "test")
    counts as that word with this similarity (`fuzz.ratio` scores a swap as two edits, 75). Only the middle pair:
    first and last letters in place keep real words apart ("sued" is not "used", "coed" not "code"), and other
    slips in four letters ("tent", "best" for "test") stay unmatched."""
    service_similarity: float
    """rapidfuzz `fuzz.ratio` at which a service alias with a typo still names the service."""
    phrase_weight: float
    """Share of the score for covering the phrase; the rest is for explaining the question."""
    keyword_factor: float
    """Keywords are looser than aliases: their scores are scaled by this."""
    service_bonus: float
    """Added to entries that have an override for the service the question names."""
    fuzzy_service_words: int
    """Service names of at most this many words are recognised with typos; longer ones must be exact."""
    max_candidates: int
    """At most this many candidates in an ambiguous result, suggestions or alternatives."""
    lexical_answer: float
    """When the phrases find no clear topic, the full-text score (`bot.core.retrieval`, 0..1: the share of the
    question's weight an entry's text explains) at which its best entry is answered instead."""
    lexical_words: int
    """... and uses at least this many of the question's words: one shared word is no evidence of a topic."""
    lexical_margin: float
    """... provided it leads the next entry's full-text score by this much; among "Did you mean" candidates, the
    lead that picks one of them."""
    statement_answer: float
    """A question naming a service and asking who does something no entry or layer names is answered from the
    service's statement (`bot.core.statements`) that explains at least this share of its distinctive words ..."""
    statement_words: int
    """... sharing at least this many of them ..."""
    statement_margin: float
    """... and leading the service's next statement by this much."""
    duty_words: int
    """A phrase with no question mark, at most this many distinctive words long, that names a layer by its words
    ("background checks for data center staff") reads as an answer option and asks whose duty it names."""




class ThresholdsError(DataFileError):
    """The thresholds file is invalid; `problems` holds (line, message) pairs."""


def _problem(name: str, kind: type, value: Any) -> str | None:
    """What is wrong with `value` for the threshold `name` of type `kind`, or None."""
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return None if ok else f"'{name}' must be a whole number of at least 1 (got {value!r})"
    top = 100 if name.endswith("_similarity") else 1
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= top
    return None if ok else f"'{name}' must be a number from 0 to {top} (got {value!r})"


def parse_thresholds(file: Path) -> Thresholds:
    """Read and check a thresholds file; raises ThresholdsError naming the line of every problem."""
    data, problems = load_data_file(file, ThresholdsError)
    fields = {f.name: int if f.type == "int" else float for f in dataclasses.fields(Thresholds)}
    if not isinstance(data, LineDict):
        raise ThresholdsError(file, [(1, "must be a mapping of threshold names to numbers")])
    for name in data:
        if name not in fields:
            problems.append((data.line_of(name), f"unknown threshold '{name}' (known: {', '.join(fields)})"))
        elif (problem := _problem(name, fields[name], data[name])) is not None:
            problems.append((data.line_of(name), problem))
    problems += [(1, f"missing threshold '{name}'") for name in fields if name not in data]
    if problems:
        raise ThresholdsError(file, sorted(problems))
    return Thresholds(**{name: kind(data[name]) for name, kind in fields.items()})


@cache
def thresholds() -> Thresholds:
    """The thresholds of the knowledge base in use, read once per process."""
    return parse_thresholds(knowledge_file(default_knowledge_dir(), "thresholds.yaml"))
