"""Find the knowledge-base entry a question is about, and the service it names.

The index is built once per knowledge base (`Matcher(kb)`); `Matcher.match(question)` then costs well under a
millisecond. How a question is scored:

1. The question is normalized (`bot.core.normalize`): markup undone, filler dropped, words stemmed. A word outside
   English and the knowledge base's vocabulary that is clearly one index word misspelled is respelled first, so
   layers, sides and cues read what was meant; the reply still quotes the question as typed.
2. Services are found by their names and aliases, tolerating typos ("lamda", "dynamo db", "cloud trail"), and by
   proper names written with their capitals ("Auto Scaling").
3. Every question word is matched to the index vocabulary with rapidfuzz (exact, or `fuzz.ratio` at least
   `Thresholds.typo_similarity` for words of five letters or more, compared as typed; a four-letter word with one
   slip or two neighbouring letters swapped, more strictly), and only phrases (titles, aliases, keywords) sharing
   a word are scored.
4. A phrase scores by how much of it the question covers and how much of the question it explains, each word
   weighted by its rarity, so a word the knowledge base never uses ("weather") counts against a match.
5. The best entry becomes an Answer, or the question is Ambiguous, or NoMatch, by the thresholds in
   `knowledge/thresholds.yaml` (`bot.core.thresholds`).
"""

from __future__ import annotations

import heapq
import math
import os
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.core.answers import Ambiguous, Answer, Candidate, NoMatch, Result
from bot.core.checks import ChecksIndex
from bot.core.english import english_words
from bot.core.language import language
from bot.core.model import Entry, KnowledgeBase, Link, Service, Side, Statement
from bot.core.normalize import (
    FILLER_WORDS,
    GENERIC_WORDS,
    SWITCH_ON,
    after_condition,
    alias_key,
    before_condition,
    content_terms,
    distinctive_words,
    final_sentence,
    fold,
    last_sentence,
    main_clause,
    not_chosen,
    plain_fold,
    question_text,
    stem,
    two_asks,
    without_alternative,
    without_left_behind,
    without_reporter,
    words,
)
from bot.core.ownership import Decision, decide, decide_layer
from bot.core.retrieval import TextIndex
from bot.core.spotting import PhraseSpotter
from bot.core.statements import StatementFinder
from bot.core.thresholds import Thresholds, thresholds

THRESHOLDS = thresholds()

ANSWER_CACHE_SIZE = 1024
"""Results kept per matcher for questions asked again (SRM_ANSWER_CACHE overrides it; 0 turns the cache off)."""
CACHED_QUESTION_CHARS = 300
"""Questions longer than this are matched afresh every time, so the cache holds at most ~300 KB of questions."""

RECENT_TEXTS = 16
"""Texts whose named services the matcher remembers: a question, its parts and clauses, while it is answered."""


def answer_cache_size() -> int:
    """The number of results a matcher keeps: SRM_ANSWER_CACHE if set (0 turns caching off), else the default."""
    configured = os.environ.get("SRM_ANSWER_CACHE", "").strip()
    if not configured:
        return ANSWER_CACHE_SIZE
    if not configured.isdigit():
        raise ValueError(f"SRM_ANSWER_CACHE must be a whole number of results (0 turns the cache off), "
                         f"not {configured!r}")
    return int(configured)

_LANGUAGE = language()
# The kinds of question that get no answer, and the cue of a question that asks who owns something
# (knowledge/language.yaml `cues`).
_PRICING = _LANGUAGE.cue("pricing")
_HOW_TO = _LANGUAGE.how_to
_LIMITS = _LANGUAGE.cue("limits")
_STATUS = _LANGUAGE.cue("status")
_DEFINITION = _LANGUAGE.definition
_GENERAL = _LANGUAGE.cue("general")
_OWNERSHIP = _LANGUAGE.cue("ownership")
_ASKS_HOW = _LANGUAGE.asks_how
_REQUEST = _LANGUAGE.cue("requests")
_SPLIT = _LANGUAGE.cue("split_asks")
_SPANS = _LANGUAGE.cue("spans")
_EITHER = _LANGUAGE.either_or
_OTHER_CLOUD = _LANGUAGE.cue("other_clouds")
_TYPED_WORD = re.compile(r"[A-Za-z]{4,}")
_SERVICE_GENERIC = frozenset(stem(w) for w in (*GENERIC_WORDS, *_LANGUAGE.service_generic))
_GENERIC = frozenset(stem(w) for w in GENERIC_WORDS)
_SCORE = itemgetter(1)
"""An entry's (score, words used) in score_entries' ranking."""
_OVERALL = stem("overall")
"""The token every way of saying "as a whole" is joined into (knowledge/language.yaml)."""


def _others(result: Result) -> tuple[Candidate, ...]:
    """The other topics a result found: an answer's alternatives, a "Did you mean"'s candidates, a refusal's
    suggestions."""
    if isinstance(result, Answer):
        return result.alternatives
    return result.candidates if isinstance(result, Ambiguous) else result.suggestions


class _Parts(NamedTuple):
    """The parties whose part of a layer a question names."""

    stated: tuple[str, ...]
    """By the words of the parts the service's own statement gives the layer."""
    worded: tuple[str, ...]
    """By words: the statement's parts, else the layer's sides."""
    named: tuple[str, ...]
    """By words, or by how the question opens ("is ... encrypted?" asks what the service does by itself)."""


@dataclass(frozen=True)
class _Phrase:
    entry: int
    tokens: tuple[str, ...]
    factor: float
    total: float = 1.0


class Matcher:
    """A search index over one knowledge base. Build once; `match()` is thread-safe and allocation-light.

    A question asked again, word for word, gets the result computed the first time (the index never changes, so
    the result cannot): `cache_size` results are kept, least recently asked dropped first; None reads
    `answer_cache_size()`.
    """

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = THRESHOLDS, *,
                 cache_size: int | None = None) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self._entries = kb.entries
        self._phrases: list[_Phrase] = []
        phrase_texts: list[str] = []
        self._stem_of: dict[str, str] = {}
        self._exact: dict[str, int] = {}
        for index, entry in enumerate(kb.entries):
            texts = [(entry.title, 1.0)] + [(a, 1.0) for a in entry.aliases]
            texts += [(k, thresholds.keyword_factor) for k in entry.keywords]
            for text, factor in texts:
                self._exact.setdefault(alias_key(text), index)
                if not distinctive_words(text):
                    continue  # "what am I responsible for": answered by exact phrasing only, never fuzzily
                terms = content_terms(text)
                self._stem_of.update(terms)
                self._phrases.append(_Phrase(index, tuple(dict.fromkeys(s for _, s in terms)), factor))
                phrase_texts.append(text)

        entry_tokens: dict[str, set[int]] = defaultdict(set)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for phrase_index, phrase in enumerate(self._phrases):
            for token in phrase.tokens:
                entry_tokens[token].add(phrase.entry)
                self._postings[token].append(phrase_index)
        total = max(len(kb.entries), 1)
        self._idf = {t: math.log(1 + total / len(ids)) for t, ids in entry_tokens.items()}
        self._phrases = [
            _Phrase(p.entry, p.tokens, p.factor, sum(self._idf[t] for t in p.tokens))
            for p in self._phrases
        ]
        self._unknown_idf = math.log(1 + total)
        # The phrases' fields as plain lists: score_entries reads them for thousands of phrases on a large base.
        self._phrase_entry = [p.entry for p in self._phrases]
        weight = thresholds.phrase_weight
        self._cover_scale = [p.factor * weight / p.total for p in self._phrases]
        self._hit_scale = [p.factor * (1 - weight) for p in self._phrases]
        self._long_words = [w for w in self._stem_of if len(w) >= 5]
        self._short_words = [w for w in self._stem_of if 4 <= len(w) <= 5]
        # A four-letter index word with two neighbouring letters after the first swapped -> the word ("tset" and
        # "tets" -> "test"; "tiem" -> "time").
        self._swapped: dict[str, str] = {}
        for w in self._stem_of:
            for slip in _swaps(w) if len(w) == 4 else ():
                self._swapped.setdefault(slip, w)

        self._service_exact: dict[str, Service] = {}
        for service in kb.services:
            for alias in (service.name, *service.aliases, *_unprefixed(service.name)):
                self._service_exact.setdefault(_joined(alias), service)
            # A name of several words in the singular too ("a glue job" for "glue jobs"); one word alone never
            # ("instance" is no EC2).
            for alias in service.aliases:
                if len(alias.split()) > 1:
                    self._service_exact.setdefault(_joined(alias).removesuffix("s"), service)
        self._service_fuzzy = [a for a in self._service_exact if len(a) >= 5]
        # Every prefix of a name or alias (words joined), so a run of words can tell at once whether it starts a
        # longer one.
        self._name_prefixes = frozenset(key[:end] for key in self._service_exact for end in range(1, len(key)))
        # A one-word name written with capitals inside it ("WorkSpaces") is the product, even where the same word in
        # lower case is an everyday one that no alias may claim ("our Slack workspace").
        self._cased_names: dict[str, Service] = {}
        for service in kb.services:
            bare = _bare_name(service.name)
            if " " not in bare and re.search(r"[a-z][A-Z]", bare):
                self._cased_names.setdefault(bare, service)
                self._cased_names.setdefault(bare.removesuffix("s"), service)
        self._proper_names = tuple((re.compile(rf"(?<![\w'-]){re.escape(name)}(?![\w'-])"), service)
                                   for service in kb.services for name in service.proper_names)
        self._service_max_words = max((len(plain_fold(a).split()) for s in kb.services for a in s.aliases),
                                      default=1)
        self._real_words = _LANGUAGE.known_words | {w for s in kb.services for a in (s.name, *s.aliases)
                                                    for w in plain_fold(a).split()}
        self._similar = lru_cache(maxsize=8192)(self._similar_uncached)
        self._fuzzy_service = lru_cache(maxsize=8192)(self._fuzzy_service_uncached)
        self._spelling = lru_cache(maxsize=8192)(self._spelling_uncached)
        self._may_be_typo = lru_cache(maxsize=8192)(
            lambda word: not (len(word) < 4 or word in self._real_words or word in english_words()))
        # A question's services are read once to match it and again, with an answer's layers read without the
        # service's name, often several times a question: the last few texts are remembered, never a cache of
        # questions (the answer cache is that).
        self._named_services = lru_cache(maxsize=RECENT_TEXTS)(self._named_services_uncached)
        self._service_words = lambda text: self._named_services(text)[1]
        self._service_entries = {s.id: _service_entry(s, kb) for s in kb.services}
        overridden: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(kb.entries):
            for override in entry.overrides:
                overridden[override.service].add(index)
        self._overridden = {service_id: frozenset(ids) for service_id, ids in overridden.items()}
        # The service names each phrase carries ("WorkSpaces operating system updates"): a question naming another
        # service and not that one is not about the phrase ("RDS Custom operating system updates").
        self._phrase_service_words = [
            self._service_words(text) for text in phrase_texts]
        self._phrases_naming_services = frozenset(i for i, names in enumerate(self._phrase_service_words) if names)
        self._own_name_words = lru_cache(maxsize=1024)(lambda service_id: frozenset(
            w for name in (kb.service(service_id).name, *kb.service(service_id).aliases) for w in words(name)))
        self._text = TextIndex(kb)
        self._overview = kb.overview
        self._statements = StatementFinder(kb)
        self._checks = ChecksIndex(kb.checks)
        self._entry_index = {e.id: i for i, e in enumerate(kb.entries)}
        self._layer_spotter = PhraseSpotter((w, layer.id) for layer in kb.layers for w in layer.words)
        self._loose_layer_spotter = PhraseSpotter((w, layer.id) for layer in kb.layers for w in layer.loose_words)
        self._narrowing = [(layer.narrows, layer.id, frozenset(s for w in layer.narrowing_words for s in words(w)))
                           for layer in kb.layers if layer.narrows]
        self._name_words = {e.id: frozenset(s for phrase in (e.title, *e.aliases) for s in words(phrase))
                            for e in (*kb.entries, *self._service_entries.values())}
        self._own_layers: dict[str, tuple[str, ...]] = {}
        for layer in kb.layers:
            if layer.entry:
                self._own_layers[layer.entry] = (*self._own_layers.get(layer.entry, ()), layer.id)
        self._aws_everywhere = frozenset(layer.id for layer in kb.layers if layer.aws_everywhere)
        # The one-word names of the layers AWS owns everywhere ("nitro", "hypervisor", "hardware").
        self._infrastructure_words = frozenset(stems[0] for layer in kb.layers if layer.aws_everywhere
                                               for stems in map(words, layer.words) if len(stems) == 1)
        self._choice_layers = frozenset(layer.id for layer in kb.layers if layer.of_choices)
        # Layers whose loose words name them whatever they are said of; with the layers those words narrow to and
        # those stated with them, the layers a topic about them lies in.
        self._said_of_anything = frozenset(layer.id for layer in kb.layers if layer.said_of_anything)
        self._said_of_anything_related = self._said_of_anything | {
            layer.id for layer in kb.layers
            if layer.narrows in self._said_of_anything or layer.stated_with in self._said_of_anything}
        self._layer_side_spotters = {layer.id: _side_spotter(layer.sides) for layer in kb.layers if layer.sides}
        # A statement's sides are named by their own words only: the words naming any party's side ("our part")
        # already name the layer's. The layer's words compete for the question's words (labelled ""), so a longer
        # phrase of the layer's wins over a statement's phrase inside it: "if we dont supply our own key" says
        # nothing was chosen, whatever "own key" says on its own.
        layer_words = {layer.id: PhraseSpotter((w, "") for side in layer.sides for w in side.words)
                       for layer in kb.layers}
        self._statement_side_spotters = {
            (service.id, s.layer): PhraseSpotter(((w, side.owner) for side in s.sides for w in side.words),
                                                 shared=layer_words.get(s.layer))
            for service in kb.services for s in service.statements if s.sides}
        self._side_spotters = {e.id: _side_spotter(e.sides) for e in kb.entries if e.sides}
        self._record_side_spotters = {
            (e.id, o.service): PhraseSpotter((w, side.owner) for side in o.sides for w in side.words)
            for e in kb.entries for o in e.overrides if o.sides}
        size = answer_cache_size() if cache_size is None else cache_size
        self._match_cached = lru_cache(maxsize=size)(self._match) if size > 0 else self._match

    # --- words -------------------------------------------------------------------------------------------------

    def _typos_of(self, word: str, limit: int) -> list[tuple[str, float]]:
        """The index words (as typed) that `word`, itself no index, English or trade word, may be a typo of, with
        their similarity 0..100, best first; a four-letter word with two neighbouring letters swapped first of all."""
        if len(word) < 4 or word in self._real_words or word in english_words():
            return []  # only a word outside English and the trade's vocabulary is a typo ("watches" is a word)
        swapped = [(self._swapped[word], self.thresholds.swap_similarity)] if word in self._swapped else []
        if len(word) == 4:  # one slip in a four-letter word ("leat"): stricter, and only against similar lengths
            choices, cutoff = self._short_words, self.thresholds.short_typo_similarity
        else:
            choices, cutoff = self._long_words, self.thresholds.typo_similarity
        found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
        return swapped + [(typed, score) for typed, score, _ in found]

    def _similar_uncached(self, word: str, token: str) -> tuple[tuple[str, float], ...]:
        """Index stems that the question word (as typed, and its stem) stands for, with a similarity 0..1."""
        if token in self._postings:
            return ((token, 1.0),)
        best: dict[str, float] = {}
        for typed, score in self._typos_of(word, limit=3):
            stem_ = self._stem_of[typed]
            best[stem_] = max(best.get(stem_, 0.0), score / 100.0)
        return tuple(best.items())

    def _respelled(self, text: str) -> str:
        """`text` with every word that is a typo of a word the knowledge base uses written as that word, so that
        layers, sides and cues read what was meant ("netwrok infrastucture" is network infrastructure)."""
        return _TYPED_WORD.sub(lambda m: self._spelling(m.group().lower()) or m.group(), text)

    def _spelling_uncached(self, word: str) -> str | None:
        """The knowledge base's word that `word` is a typo of, if one is clearly closest: a swap of neighbouring
        letters, or a best match that no other word ties."""
        if stem(word) in self._postings:
            return None
        found = self._typos_of(word, limit=2)
        if not found or (word not in self._swapped and len(found) > 1 and found[1][1] == found[0][1]
                         and self._stem_of[found[1][0]] != self._stem_of[found[0][0]]):
            return None
        return found[0][0]

    def _fuzzy_service_uncached(self, gram: str) -> Service | None:
        """The service whose name `gram` (words joined) is a typo of, if any."""
        hit = process.extractOne(gram, self._service_fuzzy, scorer=fuzz.ratio,
                                 score_cutoff=self.thresholds.service_similarity)
        return self._service_exact[hit[0]] if hit else None

    def _weight(self, token: str) -> float:
        return self._idf.get(token, self._unknown_idf)

    # --- services ----------------------------------------------------------------------------------------------

    def detect_services(self, text: str) -> tuple[list[Service], frozenset[str]]:
        """Services named in `text` (first mention first) and the stemmed words that named them."""
        named, used = self._named_services(text)
        return list(named), used

    def _named_services_uncached(self, text: str) -> tuple[dict[Service, bool], frozenset[str]]:
        """The services named in `text`, first mention first, each with whether only a word that alone still means
        the whole service named it ("instances" is EC2), and the stemmed words that named them (cached: callers
        never change what it returns)."""
        raw = plain_fold(text).split()
        found: list[tuple[int, Service, bool]] = []
        used: set[int] = set()
        # Typos only: words that are all real ("security" is not "security ir") never name a service fuzzily, and a
        # word of three letters or fewer is never read as a typo ("instances up" is no "instances").
        typo = [self._may_be_typo(w) for w in raw]
        filler = [w in FILLER_WORDS for w in raw]
        fuzzy_words = self.thresholds.fuzzy_service_words
        longest = min(self._service_max_words + 1, len(raw))
        # Names written exactly, by where they start and how many words they take; a run of words that starts no
        # name stops growing.
        exact: dict[tuple[int, int], Service] = {}
        for start in range(len(raw)):
            gram = ""
            for end in range(start + 1, min(start + longest, len(raw)) + 1):
                gram += raw[end - 1]
                service = self._service_exact.get(gram) or self._service_exact.get(gram.rstrip("s"))
                if service is not None:
                    exact[end - start, start] = service
                if gram not in self._name_prefixes:
                    break
        for size in range(longest, 0, -1):
            starts = range(len(raw) - size + 1) if size <= fuzzy_words else [s for z, s in exact if z == size]
            for start in starts:
                end = start + size
                if used and not used.isdisjoint(range(start, end)):
                    continue
                service = exact.get((size, start))
                if (service is None and size <= fuzzy_words and not filler[start] and not filler[end - 1]
                        and any(typo[start:end]) and len(gram := "".join(raw[start:end])) >= 5):
                    service = self._fuzzy_service(gram)
                if service is not None:
                    used.update(range(start, end))
                    found.append((start, service, all(stem(w) in _SERVICE_GENERIC for w in raw[start:end])))
        for word in re.findall(r"[A-Za-z0-9]+", text.replace("'", "")):
            service = self._cased_names.get(word)
            if service is None:
                continue
            spot = next((i for i, w in enumerate(raw) if w == word.lower() and i not in used), None)
            if spot is not None:
                used.add(spot)
                found.append((spot, service, False))
        # A proper name beside another service named by its own name is that one's feature ("DynamoDB Auto
        # Scaling"), so its words keep their everyday meaning there.
        for pattern, service in self._proper_names if all(generic for *_, generic in found) else ():
            for found_at in pattern.finditer(text):
                before = plain_fold(text[:found_at.start()]).split()
                span = range(len(before), len(before) + len(plain_fold(found_at.group()).split()))
                if before and not used.intersection(span):
                    used.update(span)
                    found.append((span[0], service, False))
        named: dict[Service, bool] = {}
        for _, service, generic in sorted(found, key=lambda item: item[0]):
            named[service] = named.get(service, True) and generic
        return named, frozenset(stem(raw[i]) for i in used)

    # --- matching ----------------------------------------------------------------------------------------------

    def score_entries(self, text: str, service: Service | None = None,
                      service_words: frozenset[str] = frozenset()) -> list[Candidate]:
        """The entries sharing a word with `text` that can matter, best first, with their scores 0..1: every one
        scoring at least `Thresholds.answer`, and the best `max_candidates + 1` in any case."""
        terms = list({s: (w, s) for w, s in content_terms(text)}.values())
        tokens = [s for _, s in terms]
        similar = {s: dict(self._similar(w, s)) for w, s in terms}
        # The service's own name and "switch on" need no phrase of their own: they add to phrases using them and
        # cost the others nothing ("who turns on GuardDuty?" is about GuardDuty, switched on or not).
        explained = [t for t in tokens if t not in service_words and t != SWITCH_ON]
        explained_weight = sum(self._weight(t) for t in explained)
        # Scores are added up word by word over the posting lists, so the work follows the phrases actually touched.
        word_cover: dict[str, float] = {}  # index word -> how well the question covers it
        for t in tokens:
            for word, sim in similar[t].items():
                word_cover[word] = max(word_cover.get(word, 0.0), sim)
        # Per phrase id (dense, 0..n): lists index faster than dicts hash, which counts on a large base.
        size = len(self._phrase_entry)
        covered, used, hits = [0.0] * size, [0] * size, [0.0] * size
        # An explained word the index knows is covered and explains at once, in one pass over its phrases.
        known = {t for t in explained if t in self._postings}
        for word, sim in word_cover.items():
            gain = self._idf[word] * sim
            if word in known:
                for phrase_id in self._postings[word]:
                    covered[phrase_id] += gain
                    used[phrase_id] += 1
                    hits[phrase_id] += gain
                continue
            for phrase_id in self._postings[word]:
                covered[phrase_id] += gain
                used[phrase_id] += 1
        for t in explained:
            if t in known:
                continue
            w = self._weight(t)
            if len(similar[t]) == 1:  # a typo of one index word: its phrases get it at its similarity
                [(word, sim)] = similar[t].items()
                gain = w * sim
                for phrase_id in self._postings[word]:
                    hits[phrase_id] += gain
                continue
            best_sim: dict[int, float] = {}  # a typo standing for several index words: its best one per phrase
            for word, sim in similar[t].items():
                for phrase_id in self._postings[word]:
                    if sim > best_sim.get(phrase_id, 0.0):
                        best_sim[phrase_id] = sim
            for phrase_id, sim in best_sim.items():
                hits[phrase_id] += w * sim
        # Numbers alone ("2+2") and "switch on" alone never make an entry a candidate; they only add to a match
        # found by other words.
        candidates: set[int] = set()
        for word in {word for t in tokens if not t.isdigit() and t != SWITCH_ON for word in similar[t]}:
            candidates.update(self._postings[word])
        with_override = self._overridden.get(service.id, frozenset()) if service else frozenset()

        best: dict[int, tuple[float, int]] = {}
        entry_of = self._phrase_entry
        nothing = (0.0, 0)
        if service is not None:
            # A phrase naming a service counts where the question names that service too, not where it only uses
            # the word of its name as an everyday one: a "Managed Grafana workspace" is no Amazon WorkSpaces.
            phrase_services = self._phrase_service_words
            candidates.difference_update([phrase_id for phrase_id in candidates & self._phrases_naming_services
                                          if not phrase_services[phrase_id] & service_words])
        # score = factor * (weight * covered / total + (1 - weight) * hits / explained weight), its per-phrase
        # constants worked out once (`_cover_scale`, `_hit_scale`).
        cover_scale, hit_scale = self._cover_scale, self._hit_scale
        per_hit = 1 / explained_weight if explained_weight else 0.0
        bonus = self.thresholds.service_bonus
        for phrase_id in candidates:
            score = covered[phrase_id] * cover_scale[phrase_id] + (
                hits[phrase_id] * per_hit if explained_weight else 1.0) * hit_scale[phrase_id]
            entry = entry_of[phrase_id]
            if with_override and entry in with_override:
                score = min(score + bonus, 1.0)
            # Ties go to the phrase that uses more of the question, service names included ("SSE-KMS" beats "SSE").
            key = (score, used[phrase_id])
            if key > best.get(entry, nothing):
                best[entry] = key
        # Only the leaders are ever looked at: every entry good enough to answer (any of them can make the question
        # ambiguous), and enough others to offer as alternatives. A 10x base ties hundreds of entries for nothing.
        # Among equals, the topic the named service has a record for is that service's own ("kinesis sse with kms"
        # is Kinesis's stream encryption, not S3's SSE-KMS).
        def order(item: tuple[int, tuple[float, int]]) -> tuple[float, bool, int, int]:
            return -item[1][0], item[0] not in with_override, -item[1][1], item[0]

        answer = self.thresholds.answer
        ranked = sorted((item for item in best.items() if item[1][0] >= answer), key=order)
        if (wanted := self.thresholds.max_candidates + 1 - len(ranked)) > 0:
            others = [item for item in best.items() if item[1][0] < answer]
            if len(others) > wanted:  # only those scoring at least the wanted-th best score can be among the best
                floor = heapq.nlargest(wanted, others, key=_SCORE)[-1][1][0]
                others = [item for item in others if item[1][0] >= floor]
            ranked += sorted(others, key=order)[:wanted]
        return [Candidate(self._entries[i], score, words) for i, (score, words) in ranked]

    def match(self, raw_question: str) -> Result:
        """Answer `raw_question`: an Answer, Ambiguous or NoMatch (see the module docstring)."""
        if len(raw_question) > CACHED_QUESTION_CHARS:
            return self._match(raw_question)
        return self._match_cached(raw_question)

    def _match(self, raw_question: str) -> Result:
        asked = question_text(raw_question)
        result = self._match_text(without_reporter(self._respelled(asked)))
        # The reply quotes the question as it was typed, typos included.
        return replace(result, question=asked) if result.question != asked else result

    def _match_text(self, question: str) -> Result:
        """Match `question`, its markup removed and its typos respelled. A question asking two things ("who applies
        the patches, and who picks the window?") is answered part by part, where both parts find an answer."""
        asks = two_asks(question)
        parts = [self._match_text(ask) for ask in asks] if asks is not None else []
        if parts and all(isinstance(part, Answer) for part in parts):
            return _pair(question, *parts)
        return self._match_one(question)

    def _match_one(self, question: str) -> Result:
        """Match `question`, which asks one thing."""
        named, service_words = self._named_services(question)
        # Named beside another service, a building block (S3, KMS, EBS ...) is where that one keeps something, and
        # a service named only by a word such as "instances" is the other's: "unhealthy instances in an auto
        # scaling group" are about EC2 Auto Scaling.
        minor = {s for s, generic in named.items() if s.building_block or generic}
        # A service named beside one of its own variants ("EKS" beside "hybrid nodes", which are Amazon EKS Hybrid
        # Nodes) is that variant's parent: the question is about the variant.
        minor |= {s for s in named if any(other.name.startswith(s.name + " ") for other in named)}
        # A service whose resources another named service runs for you is that one's building block.
        minor |= {s for s in named if any(s.id in other.runs_on for other in named)}
        # A service named only as what the question moves away from ("moving from Redis on EC2 to DynamoDB") is
        # where things were, not what the question is about.
        if (moved := without_left_behind(question)) != question:
            minor |= set(named) - set(self._named_services(moved)[0])
        services = sorted(named, key=lambda s: s in minor)
        result = self._match_services(question, services, service_words)
        if services:
            result = self._part_named(question, result, services[0]) or result
        if isinstance(result, Answer) and len(services) > 1:
            subject = self._subject(result.entry, [s for s in services if s not in minor] or services)
            entry = result.entry
            if (len(entry.overrides) == 1 and entry.layers
                    and entry.overrides[0].service in {s.id for s in services if s is not subject}
                    and (statement := subject.statement_for(entry.layers[0])) is not None):
                # Another named service's own topic ("DynamoDB encryption") read on the subject, which keeps its
                # data there ("the data Service Catalog keeps in DynamoDB tables"): the subject's statement for
                # that layer answers.
                return self._layer_answer(question, (statement.layer,), subject, result) or result
            if subject is not result.service:
                # The topic's layer on the subject may not be the layer asked about, as on any named service.
                answer = self._answer(question, result.entry, subject, result.confidence, result.alternatives)
                return self._layer_instead(question, answer, subject, service_words) or answer
        return result

    def _part_named(self, question: str, result: Result, service: Service) -> Answer | None:
        """The layer of `service` whose statement has a part the question names by that part's own words, where no
        topic was found with confidence: the part answers ("who starts a zonal shift for our Network Load
        Balancer?" is the customer's part of ELB's resilience, whatever else "traffic" names). Only where the
        question names no other layer, by its words or loosely, and asks something (no refusal for pricing or
        limits), and only where one statement alone has a part named. A topic AWS owns on every service stands:
        "physical access to the buildings" is the data centers', whatever "access to" names on EC2."""
        if isinstance(result, NoMatch) and result.reason != "off-topic":
            return None
        if isinstance(result, Answer) and (result.confidence >= self.thresholds.answer
                                           or set(result.entry.layers) <= self._aws_everywhere):
            return None
        stems = words(question)
        named = {s.layer for s in service.statements
                 if s.sides and any(self._statement_side_spotters[service.id, s.layer].find_in(stems))}
        if len(named) != 1:
            return None
        [layer_id] = named
        if isinstance(result, Answer) and result.decision.layer is not None and result.decision.layer.id == layer_id:
            return None
        own_name = self._own_name_words(service.id)
        loose = set(self._loose_layers([s for s in stems if s not in own_name])) - self._choice_layers
        if (set(self._layer_spotter.find_in(stems)) | loose) - {layer_id}:
            return None
        return self._layer_answer(question, (layer_id,), service, result)

    def _subject(self, entry: Entry, services: list[Service]) -> Service:
        """Of several services named, the one the answer is about: the first with something to say on the entry,
        a record for it or a statement on its layer ("the vulnerabilities Inspector finds on my EC2 instances" are
        about EC2's guest OS; "CloudTrail log files in our S3 bucket" are CloudTrail's, though S3 has a record for
        encryption too), else the first named."""
        return next((s for s in services if entry.override_for(s.id) is not None
                     or any(s.statement_for(layer) for layer in entry.layers[:1])), services[0])

    def _match_services(self, question: str, services: list[Service], service_words: frozenset[str]) -> Result:
        """Match `question`, whose named services (first mention first) and their words are known."""
        t = self.thresholds
        folded = fold(question)
        service = services[0] if services else None
        exact = self._exact.get(alias_key(question))
        if exact is not None:
            return self._answer(question, self._entries[exact], service, 1.0, ())
        terms = content_terms(question)
        stems = {s for _, s in terms}
        if not stems:
            return NoMatch(question, (), "empty")
        ranked = self.score_entries(question, service, service_words)
        suggestions = tuple(c for c in ranked[: t.max_candidates] if c.score >= t.suggest)

        if service is None and _OTHER_CLOUD.search(folded):
            # Another provider's model, even asked in our words ("Google Cloud's shared responsibility model").
            return NoMatch(question, suggestions, "other-cloud")
        # What kind of question it is, its main clause says: "if the app goes down, does the service fail over by
        # itself?" asks no status.
        asked = fold(main) if (main := after_condition(question)) else folded
        if not _OWNERSHIP.search(folded):
            if _PRICING.search(asked):
                return NoMatch(question, suggestions, "pricing")
            if _HOW_TO.search(asked):
                return NoMatch(question, suggestions, "how-to")
            if _LIMITS.search(asked):
                return NoMatch(question, suggestions, "limits")
            # An outage named as a layer's own words ("to survive a Region outage") is about that layer.
            if _STATUS.search(asked) and not self._layer_spotter.find_in(words(question)):
                return NoMatch(question, suggestions, "status")
            if _GENERAL.search(asked):
                return NoMatch(question, suggestions, "general")

        whole_service = service is not None and not (stems - service_words - _SERVICE_GENERIC - {SWITCH_ON})
        if whole_service and _DEFINITION.search(folded) and not _OWNERSHIP.search(folded):
            return NoMatch(question, suggestions, "definition")
        # The question only names a service: its overview, unless an entry's phrase is exactly those words
        # ("shield advanced" is both a service name and a topic). "Switch on" may be part of that phrase: "who turns
        # on CloudTrail?" asks about the setting an entry's "turn on cloudtrail" describes, not all of CloudTrail.
        # Another service named after it only says what the setting is for: "who enables AWS Config for Security
        # Hub?" asks about turning on AWS Config.
        beside = ({w for s in services[1:] for w in self._own_name_words(s.id)} - self._own_name_words(service.id)
                  if service is not None else set())
        exact_topic = (bool(ranked) and ranked[0].score >= 0.999
                       and ranked[0].words >= len(stems - {SWITCH_ON} - beside))
        if service is not None and whole_service and not exact_topic:
            # A building block named beside the service only by its name stands for its layer there: "IAM for
            # Amazon MQ" is MQ's identity and access, not all of MQ.
            stood = next((s.stands_for for s in services[1:] if s.stands_for), None)
            if stood is not None and (found := self._layer_answer(
                    question, (stood,), service, NoMatch(question, suggestions, "off-topic"))) is not None:
                return found
            # "Cognito's security settings" are the settings of the whole service, which are yours; a verb alone
            # ("who configures EKS?") asks about the service as a whole.
            chosen = tuple(lid for lid in self._layer_spotter.find_in(words(question))
                           if lid in self._choice_layers)
            found = self._layer_answer(question, chosen, service, NoMatch(question, suggestions, "off-topic")
                                       ) if chosen else None
            entry = self._service_entries[service.id]
            return found or self._answer(question, entry, service, 1.0, tuple(ranked[: t.max_candidates]))

        overview = self._overview
        if service is None and overview is not None and stems & _GENERIC and stems <= _GENERIC | {_OVERALL}:
            # Nothing but generic words, perhaps "as a whole" ("who is responsible for security?", "cloud security,
            # aws or us?", "security in general"): the question is about the model as a whole, not any one topic that
            # happens to use them.
            return self._answer(question, overview, None, 1.0, tuple(ranked[: t.max_candidates]))

        result = self._decide(question, ranked, suggestions, service, terms, service_words)
        if isinstance(result, Ambiguous) or (isinstance(result, NoMatch) and result.reason == "off-topic"):
            # Full text may only overturn a refusal for a question that asks who owns something, asks about a
            # named service, or names a layer of the stack by its own words: "which instance type is best?" shares
            # words with entries (and a loose word of the guest OS) but asks nothing of them.
            question_stems = words(question)
            ownership = bool(_OWNERSHIP.search(folded))
            # A question about a named service that asks no steps ("is Textract output encrypted?") asks what that
            # service does, which its own statements answer; only a loose word that is not the service's own name
            # names a layer ("instances" is EC2 itself). Where full text found a topic, it stands.
            # Asked how to do what the service's own statement puts on the customer ("how do I keep a record of
            # Compute Optimizer's recommendations?"), that statement is the answer: the work is yours, and it says
            # what the work is.
            about_service = service is not None and (not _ASKS_HOW.search(folded) or any(
                (statement := service.statement_for(lid)) is not None and statement.owner == "customer"
                for lid in self._loose_layers([s for s in question_stems if s not in service_words])))
            named_by_words = self._layer_spotter.find_in(question_stems)
            asks = ownership or about_service or bool(named_by_words)
            asked_stems = self._asked_stems(question)
            layers = self._layers_named(self._without_infrastructure_names(asked_stems, service_words),
                                        () if ownership else service_words)
            own_name = service_words & self._own_name_words(service.id) if service is not None else frozenset()
            unnamed = [s for s in question_stems if s not in own_name]
            if own_name and named_by_words and not self._layer_spotter.find_in(unnamed):
                # A layer named only by the service's own name ("Network Firewall") gives way to one the rest of
                # the question names loosely and the service has a statement for ("accidentally deleting" it).
                # A word that names a service's resources ("instances") names no layer of its own here.
                asked = [s for s in unnamed if s not in _SERVICE_GENERIC]
                # Else the service's statement the rest of its words name, before the name's own layer.
                layers = tuple(lid for lid in self._loose_layers(asked) if service.statement_for(lid)) or (
                    (stated.layer,) if (stated := self._statement_worded(service, question, own_name)) else layers)
            elif own_name and (beyond := set(self._layer_spotter.find_in(
                    [s for s in asked_stems if s not in own_name]))) and beyond <= self._choice_layers:
                # The rest of the question asks about the settings chosen on the service: a layer its name names is
                # only what it is called ("Firewall Manager prereqs" are its prerequisites, not a firewall).
                layers = tuple(lid for lid in layers if lid in beyond) or layers
            if service is None:
                # Choosing is always about something: "who enables it?" names no setting of any service.
                layers = tuple(lid for lid in layers if lid not in self._choice_layers)
            refused = isinstance(result, NoMatch)
            # With no service named, topics that all give one owner outrank a layer named only loosely ("patching
            # in general" is patch management, whether the model's overview or the control itself is meant).
            agreed = (self._agreed(question, result) if isinstance(result, Ambiguous) and ownership
                      and service is None and not named_by_words else None)
            if isinstance(result, Ambiguous) or asks:
                result = self._second_opinion(question, result, service, [s for _, s in terms]) or result
            # The layer a question names outranks a weak guess at a topic outside it ("who maintains the OS on
            # Aurora?" is about the guest OS layer, whatever else its words touch). A layer alone answers only a
            # question that asks who owns it, or that is mostly the layer's own words ("compliance as a whole"):
            # "reset my laptop password" names identity too.
            # A weak guess inside the layer yields too when the question is mostly the layer's words: "compliance
            # with standards and regulations" is the layer's own topic, not one attestation that uses those words.
            mostly_layer = self._mostly_layer_words(question, service_words)
            # A layer that only says something is chosen ("who sets up ...") replaces a refusal, never a topic.
            # Full text's pick after the phrases refused is a guess, however high its own score, where it lies
            # outside every layer the question names by that layer's own words ("security monitoring of our
            # account" is not AWS's monitoring of its infrastructure).
            guess = refused and bool(named_by_words) and isinstance(result, Answer) and not (
                set(result.entry.layers) & set(named_by_words))
            weak = not isinstance(result, Answer) or (
                (result.confidence < t.answer or guess)
                and (not set(result.entry.layers) & set(layers) or mostly_layer)
                and not (layers and set(layers) <= self._choice_layers))
            asks_service = ownership or (about_service and not isinstance(result, Answer))
            # A short phrase naming a duty, with no question around it ("background checks for data center
            # staff"), is how an answer option reads: it asks whose duty that is.
            # A request of one's own ("reset my jira password pls") is no such phrase.
            duty = ("?" not in question and len(distinctive_words(question)) <= t.duty_words and bool(named_by_words)
                    and not _REQUEST.search(folded))
            layer_question = asks_service or (not _ASKS_HOW.search(folded) and (mostly_layer or duty))
            if weak and agreed is not None:
                result, weak = (result if isinstance(result, Answer) else agreed), False
            if weak and layers and layer_question and service is not None and not named_by_words and not (
                    set(layers) & set(self._loose_layers([s for s in question_stems if s not in own_name]))):
                # A layer named only by a word of the service's own name ("instances" in "Lambda Managed Instances")
                # says nothing of the question; the service's statement whose words it uses does ("functions that
                # don't trust each other" is what Lambda Managed Instances says of its virtualization).
                layers = (stated.layer,) if (stated := self._statement_worded(service, question, own_name)) else layers
            if weak and layers and layer_question:
                found = self._both_parts(question, named_by_words, service, result) or self._layer_answer(
                    question, layers, service, result)
                # A layer named as what is encrypted ("are CloudTrail log files encrypted ...?") gives way to the
                # encryption said of it, as any topic does.
                said = found and service and self._said_of_topic(question, found, service, service_words,
                                                                 found.entry.layers)
                return said or found or result
            if weak and not layers and service is not None and asks_service:
                result = self._statement_answer(question, service, service_words, result) or result
            if isinstance(result, Ambiguous) and ownership:
                result = self._agreed(question, result) or result
        if isinstance(result, Answer):
            return self._layer_instead(question, result, service, service_words) or result
        return result

    def _statement_worded(self, service: Service, question: str, own_name: frozenset[str]) -> Statement | None:
        """The statement of `service` the question's distinctive words, other than the service's own name, name
        best, if one does clearly enough."""
        t = self.thresholds
        return self._statements.best(service, [s for s in distinctive_words(question) if s not in own_name],
                                     minimum=t.statement_answer, margin=t.statement_margin, shared=t.statement_words)

    def _layer_instead(self, question: str, result: Answer, service: Service | None,
                       service_words: frozenset[str]) -> Answer | None:
        """An answer whose topic lies outside the layer the question is about, where the service's record or the
        stack says who owns that layer and says otherwise. A layer's own entry yields to another layer the question
        names that the service has a statement for, or that AWS owns on every service and the question names by its
        own words ("is the data DevOps Guru stores encrypted?" asks about encryption at rest, which DevOps Guru's
        record states, more than about whose data it is; "the servers that move data in AppFlow" are its hosts).
        Any other topic on a named service yields only to a layer named by its own words, not by the topic's or the
        service's ("Route 53" is not routing), that the service has a statement for or that AWS owns everywhere ("are
        EKS control plane logs sent to CloudWatch by default?" is EKS's logging)."""
        if result.entry.owner != "shared" and result.decision.side in result.entry.sides:
            # A part of a topic one party owns is named by what that party does ("publishes the base images"),
            # more precisely than any layer named beside it.
            return None
        own = self._own_layers.get(result.entry.id) or result.entry.layers
        stems = self._asked_stems(question)
        if result.entry.owner != "shared":
            # One party's topic, asked beside a layer of the other party's by that layer's own words ("who patches
            # the hypervisor and the guest OS?"): the question is about both parts of the shared topic.
            strict = self._layer_spotter.find_in([s for s in stems if s not in service_words])
            other = {"aws": "customer", "customer": "aws"}.get(result.owner)
            if set(own) & set(strict) and any(self._layer_owner(lid, service) == other
                                              for lid in strict if lid not in own):
                both = self._both_parts(question, strict, service, result)
                if both is not None:
                    return both
                if _SPANS.search(fold(question)):
                    # No topic has those two parts, but the question spans the stack between them: both parties
                    # hold a part of it, as the model itself says.
                    return self._answer(question, self._overview, service, self.thresholds.clarify,
                                        (Candidate(result.entry, result.confidence), *result.alternatives))
        if service is not None and (either := _EITHER.search(question)) is not None:
            # Two alternatives, the topic named only in the second ("is it encrypted out of the box, or do I have to
            # set up a customer managed key?"): the question asks whether the first holds, which the service's
            # statement for the layer the first names says.
            first = question[:either.start()]
            first_stems = [s for s in words(first) if s not in service_words]
            layers = tuple(lid for lid in self._layers_named(first_stems) if lid not in own)
            if layers and not set(first_stems) & self._name_words[result.entry.id]:
                found = self._layer_answer(first, layers, service, result)
                if found is not None:
                    return replace(found, question=result.question)
        if result.owner == "shared" and (_SPANS.search(folded := fold(question)) or _SPLIT.search(folded)):
            # A shared topic asked as a stretch of the stack, or as the split itself ("cluster health in general"),
            # keeps both its parts, whichever layer an end or the scene names.
            return None
        said = self._said_of_topic(question, result, service, service_words, own) if service is not None else None
        if said is not None:
            return said
        # The topic stands where the question names its layer, by words other than the service's name ("Resilience
        # Hub" names no resilience).
        # A topic that only says something is chosen yields to another layer the question names ("is the
        # replication traffic encrypted, or do we need to configure that?" asks about encryption in transit).
        named = set(self._layers_named([s for s in stems if s not in service_words]))
        if set(own) & named and not (set(own) <= self._choice_layers and named - self._choice_layers):
            return None
        # A layer that is one party's part of the topic is the topic's own too: "configuration management of
        # infrastructure devices" names AWS's part of configuration management, not the host OS instead.
        if named and named <= set(result.entry.side_layers):
            return None
        if result.entry.id in self._own_layers:
            unnamed = [s for s in stems if s not in service_words]
            strict = self._layer_spotter.find_in(unnamed)
            others = tuple(lid for lid in self._layers_beside(result.entry, unnamed)
                           if (lid in strict and lid in self._aws_everywhere)
                           or (service is not None and service.statement_for(lid)))
        elif service is not None:
            # A layer's phrase counts where one of its words is not the topic's own: "keep the history" of task
            # runs is more than the "keep" of log retention, "at-rest encryption" more than the topic "in-transit
            # encryption".
            topic_words = self._name_words[result.entry.id]
            without_own_name = [s for s in stems if s not in service_words & self._own_name_words(service.id)]
            strict = self._layer_spotter.find_in(without_own_name, topic_words)
            others = tuple(lid for lid in strict if lid in self._aws_everywhere or service.statement_for(lid))
            # A layer named loosely counts where the question narrows it to that layer ("is the traffic to Aurora
            # DSQL encrypted?" is encryption in transit), or where the service calls it shared and the question
            # names one part of it ("is data on instance store volumes encrypted?" asks what EC2 does by itself).
            without_services = [s for s in stems if s not in service_words]
            loose = self._loose_layers(without_services, topic_words)
            narrowed = set(loose) - set(self._loose_layer_spotter.find_in(without_services, topic_words))
            others = others or tuple(
                lid for lid in loose
                if (statement := service.statement_for(lid)) is not None
                and (lid in narrowed or result.confidence < self.thresholds.answer
                     or (statement.owner == "shared" and self._parts_named(lid, stems, question, service).named)))
        else:
            return None
        found = self._layer_answer(question, others, service, result) if others else None
        if found is not None and service is not None:
            # The layer found may itself be what is encrypted ("are CloudTrail log files encrypted ...?"), as in a
            # refusal's layer answer.
            found = self._said_of_topic(question, found, service, service_words, found.entry.layers) or found
        # Where both say the same, the topic the question's words found is the better answer, if they found it
        # with confidence: a weak guess ("streaming instances" read as a Kinesis stream) yields to the layer.
        keep = found is not None and found.owner == result.owner and result.confidence >= self.thresholds.answer
        return None if found is None or keep else found

    def _asked_stems(self, question: str) -> list[str]:
        """The stems of what a question asks: after a condition it, or the sentence that asks after a scene, opens
        with, where that clause names a layer by its words ("before an OS update is applied, who makes sure there
        is a backup?" asks about backups, and the update only says when; "We keep data on the instance store. If
        the server hardware fails, who has a backup?" too), else the whole question's."""
        last = last_sentence(question)
        for clause in (last, question) if last else (question,):
            if (main := main_clause(clause)) is not None and self._layer_spotter.find_in(asked := words(main)):
                return asked
        if last is not None and self._layer_spotter.find_in(asked := words(last)):
            return asked
        # What it names as not chosen it does not ask about ("when we haven't chosen a customer managed key").
        return words(without_alternative(question))

    def _said_of_topic(self, question: str, result: Answer, service: Service, service_words: frozenset[str],
                       own: tuple[str, ...]) -> Answer | None:
        """A layer whose loose words name it whatever they are said of, said of a topic outside it on `service`: the
        service's statement for that layer answers ("does the Serverless Application Repository encrypt uploaded
        packages?" asks about its encryption, not about the packages). The topic stands where it is about that
        layer already, or where the question names the topic's own layer by its words without naming a side of the
        encryption ("encrypting customer data stored in S3" is about the data you choose to encrypt)."""
        if set(own) & self._said_of_anything_related:
            return None
        stems = words(question)
        # Said in a scene before the question asks about another layer ("an origin encrypted with SSE-KMS ... who
        # gives the OAC permission to use the key?"), it is not what is asked.
        rest = [s for s in self._asked_stems(question)
                if s not in service_words and s not in self._name_words[result.entry.id]]
        # Narrowed to another layer ("is the traffic encrypted?"), the words no longer name this one.
        said = [lid for lid in self._loose_layers(rest) if lid in self._said_of_anything and service.statement_for(lid)]
        if not said:
            return None
        sided = self._parts_named(said[0], stems, question, service).named
        if not sided and set(own) & set(self._layers_named([s for s in stems if s not in service_words])):
            return None
        found = self._layer_answer(question, (said[0],), service, result)
        return found if found is not None and found.owner != result.owner else None

    def _agreed(self, question: str, result: Ambiguous) -> Answer | None:
        """"Did you mean" for a question asking who owns something, where every topic offered gives the same owner
        on the service named: the owner is not in doubt, so the leading topic answers ("who secures the origin
        behind CloudFront?" is the customer's whether it is about origin protection or origin TLS)."""
        answers = [self._answer(question, c.entry, result.service, c.score, ()) for c in result.candidates]
        if len({a.owner for a in answers}) != 1:
            return None
        best = answers[0]
        return replace(best, alternatives=tuple(c for c in result.candidates if c.entry is not best.entry))

    def _statement_answer(self, question: str, service: Service, service_words: frozenset[str],
                          result: Result) -> Answer | None:
        """No entry and no layer fits a question asking who does something on `service`: the service's own
        statement that explains the question names the layer, and that layer's entry answers."""
        t = self.thresholds
        # Only this service's own name is left out: another service named beside it is what the question asks
        # about on it ("connects a FinSpace environment through a transit gateway" is FinSpace's network).
        own = service_words & self._own_name_words(service.id)
        asked = [s for s in distinctive_words(question) if s not in own]
        statement = self._statements.best(service, asked, minimum=t.statement_answer, margin=t.statement_margin,
                                          shared=t.statement_words)
        return self._layer_answer(question, (statement.layer,), service, result) if statement else None

    def _without_infrastructure_names(self, stems: list[str], service_words: frozenset[str]) -> list[str]:
        """`stems` without the words of a service's name that name a layer AWS owns everywhere: a service named
        after AWS's infrastructure is not that infrastructure ("Nitro Enclaves" is no hypervisor)."""
        names = service_words & self._infrastructure_words
        return [s for s in stems if s not in names] if names else stems

    def _layers_named(self, stems: list[str], names: Collection[str] = ()) -> tuple[str, ...]:
        """The layers a question names by their words, else by their loose words other than `names`."""
        return self._layer_spotter.find_in(stems) or self._loose_layers([s for s in stems if s not in names])

    def _loose_layers(self, stems: list[str], beyond: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The layers loose words name (by a phrase with a word outside `beyond`), each narrowed where the question
        has a word that narrows it."""
        found = self._loose_layer_spotter.find_in(stems, beyond)
        # A word that narrows a layer counts where it is not the topic's own, even if the loose word it narrows is:
        # "traffic" makes the "encrypted" of a topic about encrypting model artifacts encryption in transit.
        anywhere = self._loose_layer_spotter.find_in(stems) if beyond else found
        for broad, narrow, narrowing in self._narrowing:
            if broad in found and narrowing.intersection(stems):
                found = tuple(dict.fromkeys(narrow if layer == broad else layer for layer in found))
            elif broad in anywhere and narrowing.intersection(stems) - beyond:
                found = tuple(dict.fromkeys((*found, narrow)))
        # A layer of choices says only that something is chosen; a layer saying what is chosen comes first
        # ("do we need to turn on encryption?" is about encryption).
        return tuple(sorted(found, key=lambda lid: lid in self._choice_layers))

    def _layers_beside(self, entry: Entry, stems: list[str]) -> tuple[str, ...]:
        """The layers a question about `entry` names: by their own words, else by loose words that are not the
        entry's own name ("patch" in "patch management" names the topic, not the layer of the service's software).
        A layer's own entry asked about with no other layer named asks about that layer ("who encrypts DataZone at
        rest?" asks about DataZone's encryption at rest, which its statement answers)."""
        strict = self._layer_spotter.find_in(stems)
        if strict:
            return strict
        named = self._name_words[entry.id]
        loose = self._loose_layers([s for s in stems if s not in named])
        own = self._own_layers.get(entry.id, ())
        # A layer that only says something is chosen ("without us enabling anything") leaves the question about the
        # layer's own entry first: "does Timestream encrypt data at rest without us enabling anything?" asks about
        # encryption at rest.
        if loose and set(loose) <= self._choice_layers:
            # The topic's own name can be what says which of its layers is asked: "do we have to enable
            # encryption?" of a topic on encryption and network isolation asks about its encryption.
            titled = tuple(lid for lid in self._loose_layers(stems) if lid in entry.layers)
            return tuple(dict.fromkeys((*own, *titled, *loose)))
        return loose or own

    def _parts_named(self, layer_id: str, stems: list[str], question: str, service: Service | None) -> _Parts:
        """The parties whose part of a layer a question names. A statement's parts come first: named by their
        words, they alone count ("is traffic between File Cache and an NFS data repository encrypted?" names File
        Cache's customer part, whatever "is" would say)."""
        spotter = self._statement_side_spotters.get((service.id, layer_id)) if service is not None else None
        if spotter is not None and (stated := tuple(owner for owner in spotter.find_in(stems) if owner)):
            # A part named in the condition the question opens with, or in the sentences before it asks, only sets
            # the scene, where what it asks names a part of its own ("once we turn on Multi-AZ, who keeps the
            # standby in sync?").
            main = (after_condition(question) or last_sentence(question)) if len(stated) > 1 else None
            asked = tuple(owner for owner in spotter.find_in(words(main)) if owner) if main else ()
            named = asked or stated
            if len(named) == 1 and (final := final_sentence(question)) is not None:
                named = self._asked_beyond_scene(layer_id, words(final), spotter, service) or named
            return _Parts(named, named, named)
        spotter = self._layer_side_spotters.get(layer_id)
        found = spotter.find_in(stems) if spotter else ()
        return _Parts((), found, tuple(dict.fromkeys(found + self._opened(layer_id, question))))

    def _asked_beyond_scene(self, layer_id: str, final: list[str], spotter: PhraseSpotter,
                            service: Service | None) -> tuple[str, ...]:
        """The parts of a layer that a question's last sentence (`final`, its words) names where it names none of
        the service's statement (whose part, named earlier, then only set the scene): by the layer's own side
        words, else by asking who chooses or sets something up, which is the choice's owner ("SES tries TLS by
        default. If we want it required, who sets that up?" asks about the customer's setting)."""
        if any(spotter.find_in(final)):
            return ()
        layer_spotter = self._layer_side_spotters.get(layer_id)
        if layer_spotter is not None and (sides := tuple(owner for owner in layer_spotter.find_in(final) if owner)):
            return sides
        chosen = [lid for lid in self._loose_layer_spotter.find_in(final) if lid in self._choice_layers]
        owner = self._layer_owner(chosen[0], service) if chosen else None
        return (owner,) if owner else ()

    def _opened(self, layer_id: str, question: str) -> tuple[str, ...]:
        """The parties whose side of a layer the question's opening names ("is ... encrypted?" asks what the
        service does by itself). How a question opens is how its main clause opens: "if nobody set a key, is it
        encrypted?" asks "is"."""
        folded = fold(after_condition(question) or question)
        layer = self.kb.layer(layer_id)
        return tuple(side.owner for side in (layer.sides if layer else ())
                     if any(folded == o or folded.startswith(o + " ") for o in side.openings))

    def _mostly_layer_words(self, question: str, service_words: frozenset[str]) -> bool:
        """Whether the layer phrases a question names make up at least half of its distinctive words (the
        service's name aside, and the words that only say something is done to it: "management and operation of
        IT controls" is all about the layer)."""
        distinctive = [s for s in distinctive_words(question) if s not in service_words and s not in _SERVICE_GENERIC]
        covered = self._layer_spotter.words_used(words(question))
        return bool(distinctive) and 2 * len(set(distinctive) & covered) >= len(set(distinctive))

    def _layer_answer(self, question: str, layers: tuple[str, ...], service: Service | None,
                      result: Result) -> Answer | None:
        """No entry fits, but the question names a layer of the stack ("the storage hardware under S3"): the
        layer's own entry answers, and the ownership model decides for the service."""
        layer = self.kb.layer(layers[0])
        entry = self.kb.entry(layer.entry) if layer and layer.entry else None
        if entry is None:
            return None
        return self._answer(question, entry, service, self.thresholds.clarify,
                            tuple(c for c in _others(result) if c.entry is not entry), layers=layers)

    def _layer_owner(self, layer_id: str, service: Service | None) -> str | None:
        """Who owns the layer on `service`, or on every service when none is named (None where that varies)."""
        layer = self.kb.layer(layer_id)
        if layer is None:
            return None
        if service is not None:
            return decide_layer(self.kb, service, layer).owner
        owners = {owner for _, owner in layer.defaults}
        return owners.pop() if len(owners) == 1 else None

    def _both_parts(self, question: str, layers: tuple[str, ...], service: Service | None,
                    result: Result) -> Answer | None:
        """Of the topics found, the shared one whose two parts the question names, by the layers named (`layers`) or
        by the parts' words, where it stays shared on `service`: "AWS configures its infrastructure devices and we
        configure our guest OSes" names both parts of configuration management, not the host OS alone."""
        named, stems = set(layers), words(question)
        found = [result] if isinstance(result, Answer) else []
        for candidate in [*found, *_others(result)]:
            entry = candidate.entry
            spotter = self._side_spotters.get(entry.id)
            worded = set(spotter.find_in(stems)) if spotter else set()
            # At least one part is named by its layer: a part's words alone ("automatically", "configure") are
            # how any question asks "AWS or us?".
            by_layer = [bool(named & set(side.layers)) for side in entry.sides]
            if entry.owner == "shared" and len(entry.sides) == 2 and any(by_layer) and all(
                    layered or side.owner in worded for layered, side in zip(by_layer, entry.sides, strict=True)):
                both = self._answer(question, entry, service, self.thresholds.clarify,
                                    tuple(c for c in _others(result) if c.entry is not entry), layers=layers)
                # On a service where both parts fall to one party, the topic is no longer shared by both.
                return both if both.owner == "shared" else None
        return None

    def _second_opinion(self, question: str, result: Ambiguous | NoMatch, service: Service | None,
                        stems: list[str]) -> Answer | None:
        """The full-text index's answer where the phrases found no clear topic: among "Did you mean" candidates,
        the one whose whole text explains the question clearly best; after a refusal, an entry whose text
        explains most of the question, well ahead of the next."""
        t = self.thresholds
        scores = self._text.scores(stems)
        if isinstance(result, Ambiguous):
            picked = sorted(((scores.get(self._entry_index[c.entry.id], 0.0), c) for c in result.candidates
                             if c.entry.id in self._entry_index), key=lambda pair: -pair[0])
            if picked and (len(picked) == 1 or picked[0][0] - picked[1][0] >= t.lexical_margin):
                best = picked[0][1]
                return self._answer(question, best.entry, service, best.score,
                                    tuple(c for c in result.candidates if c is not best))
            return None
        ranked = heapq.nlargest(2, scores.items(), key=lambda item: item[1])
        if not ranked:
            return None
        (index, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        enough_words = self._text.shared_words(index, stems) >= t.lexical_words
        if score >= t.lexical_answer and score - runner_up >= t.lexical_margin and enough_words:
            return self._answer(question, self._entries[index], service, score, result.suggestions)
        return None

    def _decide(self, question: str, ranked: list[Candidate], suggestions: tuple[Candidate, ...],
                service: Service | None, terms: list[tuple[str, str]], service_words: frozenset[str]) -> Result:
        """The phrases' verdict: an answer, "Did you mean", or a refusal, by the thresholds."""
        t = self.thresholds
        asked = [(w, s) for w, s in terms if s not in service_words]
        short_and_known = len(asked) <= t.vague_words and all(self._similar(w, s) for w, s in asked)
        if ranked and ranked[0].score < t.clarify and short_and_known and ranked[0].score >= t.suggest:
            # A word or two the knowledge base uses ("encryption"): on topic, just too short to pick one topic.
            vague = tuple(c for c in ranked[: t.max_candidates] if c.score >= ranked[0].score - t.ambiguity_margin)
            if len(vague) > 1:
                return Ambiguous(question, vague, service)
        if not ranked or ranked[0].score < t.clarify:
            return NoMatch(question, suggestions, "off-topic")
        if ranked[0].score < t.answer:
            vague = tuple(c for c in ranked[: t.max_candidates] if c.score >= t.clarify - t.ambiguity_margin)
            return Ambiguous(question, vague, service) if len(vague) > 1 else NoMatch(question, suggestions,
                                                                                        "off-topic")
        best = ranked[0]
        close = [c for c in ranked[1:]
                 if c.score >= t.answer and best.score - c.score < t.ambiguity_margin and c.words >= best.words]
        if close and best.score < 0.999:
            return Ambiguous(question, tuple([best, *close][: t.max_candidates]), service)
        alternatives = tuple(c for c in ranked[1 : t.max_candidates + 1] if c.score >= t.suggest)
        return self._answer(question, best.entry, service, best.score, alternatives)

    def answer_entry(self, entry_id: str, service_id: str | None = None, *, question: str | None = None,
                     confidence: float = 1.0) -> Answer | None:
        """The answer for a known entry (a button click, a tip's "Learn more", a follow-up naming another service),
        or None if the id is unknown. With `question` (the one that found the entry), the owner is decided for the
        layers and sides it names, and the answer carries it and `confidence`."""
        service = self.kb.service(service_id) if service_id else None
        entry = self.kb.entry(entry_id) or (self._service_entries.get(entry_id.removeprefix("service-")))
        if entry is None:
            return None
        if question is None:
            return self._answer(entry.title, entry, service, 1.0, ())
        return self._answer(question_text(question), entry, service, confidence, ())

    def _answer(self, question: str, entry: Entry, service: Service | None, confidence: float,
                alternatives: tuple[Candidate, ...], layers: tuple[str, ...] = ()) -> Answer:
        """The answer `entry` gives, its owner decided for `service` and the layers the question is about: `layers`
        when the answer was found through them, else those the question names (`_layers_beside`)."""
        stems = words(question)
        spotter = self._side_spotters.get(entry.id)
        names = self._service_words(question) if service is not None else frozenset()
        asked = layers or self._layers_beside(entry, self._without_infrastructure_names(stems, names))
        # Only a layer the decision can rest on can have a side named: the entry's and its sides', the asked ones,
        # and the layers those are stated with.
        relevant = {*entry.layers, *asked, *entry.side_layers}
        relevant |= {layer.stated_with for lid in tuple(relevant)
                     if (layer := self.kb.layer(lid)) is not None and layer.stated_with}
        # Sides named by their words; then with those the question's opening names too. What the question names
        # as not chosen names no side, and a question asking how the work is split names none at all.
        chosen = without_alternative(question)
        side_stems = words(chosen) if chosen != question else stems
        splits = bool(_SPLIT.search(fold(question)))
        parts = {} if splits else {
            lid: self._parts_named(lid, side_stems, chosen, service) for lid in relevant
            if lid in self._layer_side_spotters
            or (service is not None and (service.id, lid) in self._statement_side_spotters)}
        if chosen != question and (dropped := not_chosen(question)):
            # A question naming one party's part as not chosen, and no part otherwise, asks about the other part:
            # "who encrypts it when we haven't chosen a customer managed key?" asks what the service does by itself.
            for lid, part in parts.items():
                gone = self._parts_named(lid, words(dropped), dropped, service)
                if not part.named and len(gone.worded) == 1:
                    other = ("customer",) if gone.worded[0] == "aws" else ("aws",)
                    parts[lid] = _Parts(other if gone.stated else (), other, other)
        stated = {lid: part.stated for lid, part in parts.items() if part.stated}
        worded = {lid: part.worded for lid, part in parts.items() if part.worded}
        layer_sides = {lid: part.named for lid, part in parts.items() if part.named}
        named_sides = _sides_asked(spotter, side_stems, chosen, stated) if spotter and not splits else ()
        if not named_sides and not splits and entry.owner == "shared" and entry.sides and entry.layers:
            # A shared topic's sides open as its layer's do: "is the data in our DynamoDB table encrypted?" asks
            # what the service does by itself, which is AWS's side of DynamoDB's encryption.
            named_sides = tuple(o for o in self._opened(entry.layers[0], question) if entry.side(o) is not None)
        record = self._record_side_spotters.get((entry.id, service.id)) if service is not None else None
        recorded = record.find_in(side_stems) if record is not None and not splits else ()
        decision = decide(self.kb, entry, service, asked, named_sides, layer_sides, worded, stated, recorded)
        named = service.id if service else None
        differences = tuple(
            (s, o) for o in entry.overrides if o.service != named and (s := self.kb.service(o.service)) is not None
        )
        artifacts = tuple(a for a in map(self.kb.artifact, entry.artifacts) if a is not None)
        layer = decision.layer.id if decision.layer else (entry.layers[0] if entry.layers else None)
        checks = (self._checks.lookup(service.id, layer=layer, entry=entry.id)
                  if service is not None and decision.owner != "aws" else ())
        return Answer(
            question=question, entry=entry, owner=decision.owner, service=service, decision=decision,
            confidence=min(confidence, 1.0), alternatives=alternatives, artifacts=artifacts, differences=differences,
            checks=checks,
        )


_CATEGORY_PHRASES = {
    "infrastructure": "an infrastructure service: AWS runs the hardware and virtualization; what you run is yours",
    "managed": "a managed service: AWS runs more of the stack for you, and the notes below say what stays yours",
    "abstracted": "an abstracted service: you use it through its API, and your data and who can reach it stay yours",
}


_PART_OWNERS = {"aws": "AWS's", "customer": "yours", "shared": "shared"}


def _sides_asked(spotter: PhraseSpotter, stems: list[str], question: str,
                 stated: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The sides of a topic a question names by their words (`spotter` over its `stems`), less those named only
    where it sets the scene; `stated` holds the parts of the service's statements it names, by layer."""
    named = spotter.find_in(stems)
    if named and (ask := before_condition(question)) is not None:
        # A side named only in the condition a question ends with sets the scene: "does Batch update the AMIs
        # when a new ECS optimized AMI comes out?" asks who updates them, not who publishes them.
        named = spotter.find_in(words(ask))
    if len(named) > 1 and (asked := last_sentence(question)) is not None:
        # Both sides named, one in the sentences setting the scene: the question's is the one asked about
        # ("Shield Standard is active. Who writes the WAF rate-based rules?" asks about the customer's).
        return spotter.find_in(words(asked)) or named
    if (named and (asked := final_sentence(question)) is not None and not spotter.find_in(words(asked))
            and any(set(owners) - set(named) for owners in stated.values())):
        # A side named only in the scene gives way to the other party's part of the service's statement that
        # the question names, even of the scene ("AWS publishes a patched AMI. Who rolls it out?").
        return ()
    return named


def _pair(question: str, first: Answer, second: Answer) -> Answer:
    """The answer to a question asking two things, from the answers to each: the first's topic, and its owner
    where both parts have the same one, else Shared, saying whose each part is."""
    if first.owner == second.owner:
        return replace(first, question=question)
    reason = " ".join(f"The {ordinal} part is {_PART_OWNERS[part.owner]}: {part.decision.reason or part.entry.summary}"
                      for ordinal, part in (("first", first), ("second", second)))
    return replace(first, question=question, owner="shared", decision=Decision("shared", "parts", reason),
                   confidence=min(first.confidence, second.confidence),
                   checks=tuple(dict.fromkeys((*first.checks, *second.checks))))


def _side_spotter(sides: tuple[Side, ...]) -> PhraseSpotter:
    """Finds the sides of a shared control a question names: by their own words, or by the words naming any
    party's side (knowledge/language.yaml `sides`)."""
    return PhraseSpotter([*_LANGUAGE.sides, *((w, side.owner) for side in sides for w in side.words)])


def _swaps(word: str) -> tuple[str, ...]:
    """`word` with two neighbouring letters after the first swapped, each way that changes it ("test" -> "tset",
    "tets")."""
    return tuple(slip for i in range(1, len(word) - 1)
                 if (slip := word[:i] + word[i + 1] + word[i] + word[i + 2:]) != word)


def _bare_name(name: str) -> str:
    """A service's name without "AWS" or "Amazon" and without its parenthesis ("Network Firewall")."""
    bare = name.split(" (")[0]
    for prefix in ("AWS ", "Amazon "):
        bare = bare.removeprefix(prefix)
    return bare


def _unprefixed(name: str) -> tuple[str, ...]:
    """A service's name as people say it without "AWS" or "Amazon" and without its parenthesis ("Network Firewall",
    "Redshift Serverless"), where two words or more remain: one word alone is often an everyday word ("Connect",
    "Backup"), which only an alias written for it may stand for."""
    bare = _bare_name(name)
    return (bare,) if bare != name and len(bare.split()) > 1 else ()


def _joined(text: str) -> str:
    return "".join(plain_fold(text).split())


def _service_entry(service: Service, kb: KnowledgeBase) -> Entry:
    """A synthesized entry answering "who is responsible on <service>?" from the services catalog; its one link,
    the service's security page, is dated by the oldest of the service's statements."""
    related = tuple(e.id for e in kb.entries if e.override_for(service.id) is not None)
    return Entry(
        id=f"service-{service.id}",
        title=f"Security in {service.name}",
        owner="shared",
        summary=service.summary,
        explanation=f"{service.name} is {_CATEGORY_PHRASES[service.category]}. {service.summary}",
        aliases=(),
        links=(Link(f"Security in {service.name}", service.security_url,
                    min((s.verified for s in service.statements), default=None)),),
        see_also=related,
    )
