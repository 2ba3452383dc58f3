"""Ablation (issue 11, item 3): does a semantic signal from static word vectors earn its place in the matcher?

In one run, on the same knowledge base, every question set is answered by the matcher alone (`Matcher.match`) and
by fused variants that leave the matcher untouched and act only on its result:

- `rescue`: where the matcher refuses as off-topic, or answers "Did you mean", on a question that asks who owns
  something, the entry whose text is closest in meaning answers when its cosine is at least `--min-cos` and leads
  the next entry's by `--margin`;
- `tiebreak`: only "Did you mean": the candidate closest in meaning is answered when it leads the next candidate
  by `--margin`; no refusal is ever overturned;
- `fused`: where `rescue` acts, a fused score per entry, `--alpha` x the full-text (BM25F) score + (1 - alpha) x
  the cosine, answers its best entry when that is at least `--min-fused` and leads by `--margin`.

An entry picked this way gets its owner from the matcher's own answer path (`bot.core.ownership.decide`, with the
service, layers and sides the question names). Printed per set: accuracy for each variant, the off-topic /
near-domain items (those whose right reply is no answer), the paraphrase groups held (every wording one owner,
the group's), the time the semantic step adds per question (p50/p99, over every question; and the embedding
alone) and the process memory the vectors add (RSS).

The default thresholds were chosen with `--grid` on the tuning sets only, ../shared/eval/dev-external.jsonl and
bench/vector_sanity.jsonl; the blind, service and entry-keyed sets and the paraphrase groups were never used to
choose them. The result and the verdict (not shipped) are in bench/RESULTS.md, "Semantic vectors: ablation".

Run: python bench/vector_ablation.py --vectors PATH [--grid] [--changes] [--pooling text|fields] [--layer-words]
     [--weak] [--rescue MIN_COS MARGIN] [--tiebreak MARGIN] [--fused ALPHA MIN_FUSED MARGIN]
(PATH: a file that scripts/distill_vectors.py writes; needs numpy in the venv, which the bot does not.)
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bot.core import Answer, Matcher, load_knowledge  # noqa: E402
from bot.core.answers import Ambiguous, NoMatch, Result  # noqa: E402
from bot.core.evaluation import Question, describe, is_correct, load_questions  # noqa: E402
from bot.core.language import language  # noqa: E402
from bot.core.normalize import content_terms, fold, question_text  # noqa: E402

QUESTIONS = ROOT / "tests" / "questions"
DEV = ROOT.parent / "shared" / "eval" / "dev-external.jsonl"
SANITY = ROOT / "bench" / "vector_sanity.jsonl"
"""22 questions written for this ablation: words the knowledge base never uses ("who keeps the lights on in the
server halls?") and off-topic ones ("who keeps the office plants watered?"). Used with dev-external to choose."""
GROUPS = ROOT / "tests" / "paraphrases" / "groups.yaml"
_OWNERSHIP = language().cue("ownership")


@dataclass(frozen=True)
class Rule:
    """One fusion rule and its thresholds."""

    name: str
    min_cos: float = 0.55
    margin: float = 0.05
    alpha: float = 0.5
    min_fused: float = 0.45
    weak: bool = False
    """Also reconsider the matcher's weak answers (confidence below `Thresholds.clarify`: the full-text second
    opinion's), keeping them unless the rule's pick is clearly ahead."""


class Fused:
    """The matcher's result, overturned by one fusion rule where the rule says so."""

    def __init__(self, matcher: Matcher, semantic, rule: Rule) -> None:
        self.matcher = matcher
        self.semantic = semantic
        self.rule = rule
        self._index = {e.id: i for i, e in enumerate(matcher.kb.entries)}

    def match(self, raw: str) -> Result:
        """The fused result for `raw`."""
        return self.refine(raw, self.matcher.match(raw))

    def refine(self, raw: str, result: Result) -> Result:
        """Overturn `result` (the matcher's, for `raw`) when the rule picks an entry."""
        refused = isinstance(result, NoMatch) and result.reason == "off-topic"
        weak = self.rule.weak and isinstance(result, Answer) and result.confidence < self.matcher.thresholds.clarify
        if not (isinstance(result, Ambiguous) or refused or weak):
            return result
        question = question_text(raw)
        rule = self.rule
        if rule.name == "tiebreak":
            if not isinstance(result, Ambiguous):
                return result
            scores = self.semantic.scores(question)
            picked = sorted(((float(scores[self._index[c.entry.id]]), c) for c in result.candidates
                             if c.entry.id in self._index), key=lambda pair: -pair[0])
            if picked and (len(picked) == 1 or picked[0][0] - picked[1][0] >= rule.margin):
                return self._answer(question, picked[0][1].entry, picked[0][0])
            return result
        if not _OWNERSHIP.search(fold(question)):
            return result
        scores = self.semantic.scores(question)
        if rule.name == "fused":
            lexical = self.matcher._text.scores([s for _, s in content_terms(question)])
            for index, value in lexical.items():
                scores[index] = rule.alpha * value + (1 - rule.alpha) * scores[index]
            others = [i for i in range(len(scores)) if i not in lexical]
            scores[others] *= 1 - rule.alpha
            minimum = rule.min_fused
        else:
            minimum = rule.min_cos
        top = scores.argsort()[-2:][::-1]
        best, runner_up = float(scores[top[0]]), float(scores[top[1]])
        if best >= minimum and best - runner_up >= rule.margin:
            entry = self.matcher.kb.entries[int(top[0])]
            if weak and entry is result.entry:
                return result
            return self._answer(question, entry, best)
        return result

    def _answer(self, question: str, entry, score: float) -> Answer:
        services, _ = self.matcher.detect_services(question)
        return self.matcher._answer(question, entry, services[0] if services else None, score, ())


def rss_kib() -> int:
    """This process's resident set (VmRSS), KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def question_sets() -> dict[str, list[Question]]:
    """Every set the ablation reads, by name; the entry-keyed YAML sets together."""
    sets = {"dev-external (tuning)": load_questions(DEV), "own sanity (tuning)": load_questions(SANITY),
            "blind-3": load_questions(QUESTIONS / "blind-3.jsonl")}
    for path in sorted(QUESTIONS.glob("services-*.jsonl")):
        sets[path.stem] = load_questions(path)
    sets["entry-keyed yaml (all)"] = [q for p in sorted(QUESTIONS.glob("*.yaml")) for q in load_questions(p)]
    return sets


def accuracy(match: Callable[[str], Result], questions: list[Question]) -> tuple[int, int, int, int]:
    """(correct, total, correct among no-answer items, no-answer items)."""
    correct = refusal_correct = refusals = 0
    for q in questions:
        ok = is_correct(q, match(q.q))
        correct += ok
        if q.wants_no_answer:
            refusals += 1
            refusal_correct += ok
    return correct, len(questions), refusal_correct, refusals


def groups_held(match: Callable[[str], Result]) -> tuple[int, int]:
    """Paraphrase groups whose every wording gets the group's owner, and the number of groups."""
    groups = yaml.safe_load(GROUPS.read_text(encoding="utf-8"))
    held = 0
    for group in groups:
        owners = [r.owner if isinstance(r := match(w), Answer) else None for w in group["wordings"]]
        held += owners == [group["owner"]] * len(owners)
    return held, len(groups)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "-"


def grid(matcher: Matcher, semantic) -> None:
    """Thresholds tried on the tuning sets only (dev-external and the sanity set): accuracy and no-answer items."""
    tuning = {"dev": load_questions(DEV), "sanity": load_questions(SANITY)}

    def line(match: Callable[[str], Result]) -> str:
        parts = []
        for name, questions in tuning.items():
            c, n, rc, rn = accuracy(match, questions)
            parts.append(f"{name} {pct(c, n)} (no-answer {rc}/{rn})")
        return ", ".join(parts)

    print(f"matcher alone: {line(matcher.match)}")
    cosines = (0.5, 0.55, 0.6, 0.65, 0.7)
    settings = [Rule("rescue", c, m, weak=w)
                for c, m, w in itertools.product(cosines, (0.03, 0.06, 0.1), (False, True))]
    settings += [Rule("tiebreak", margin=m) for m in (0.0, 0.02, 0.05, 0.1)]
    settings += [Rule("fused", margin=m, alpha=a, min_fused=f, weak=w)
                 for a, f, m, w in itertools.product((0.3, 0.5, 0.7), (0.35, 0.45, 0.55), (0.03, 0.06),
                                                     (False, True))]
    for rule in settings:
        print(f"{rule.name:9} cos>={rule.min_cos:.2f} fused>={rule.min_fused:.2f} alpha={rule.alpha:.1f} "
              f"margin={rule.margin:.2f} weak={rule.weak!s:5}: {line(Fused(matcher, semantic, rule).match)}")


def timing(matcher: Matcher, semantic, fused: Fused, questions: list[Question]) -> tuple[float, ...]:
    """Added ms per question (p50, p99) of the fused step on the matcher's result, and of embedding plus scoring
    alone (what a matcher scoring every question semantically would pay)."""
    for q in questions:  # warm-up
        fused.refine(q.q, matcher.match(q.q))
    added, embed = [], []
    for q in questions:
        result = matcher.match(q.q)
        start = time.perf_counter()
        fused.refine(q.q, result)
        middle = time.perf_counter()
        semantic.scores(question_text(q.q))
        end = time.perf_counter()
        added.append((middle - start) * 1000)
        embed.append((end - middle) * 1000)
    return (statistics.median(added), percentile(added, 0.99), statistics.median(embed), percentile(embed, 0.99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vectors", type=Path, required=True)
    parser.add_argument("--pooling", choices=("text", "fields"), default="text")
    parser.add_argument("--layer-words", action="store_true")
    parser.add_argument("--grid", action="store_true", help="try thresholds on the tuning sets only")
    parser.add_argument("--weak", action="store_true", help="rescue and fused also reconsider weak answers")
    parser.add_argument("--changes", action="store_true", help="list every question a rule turns right or wrong")
    parser.add_argument("--rescue", type=float, nargs=2, default=(0.55, 0.06), metavar=("MIN_COS", "MARGIN"))
    parser.add_argument("--tiebreak", type=float, default=0.05, metavar="MARGIN")
    parser.add_argument("--fused", type=float, nargs=3, default=(0.5, 0.35, 0.06),
                        metavar=("ALPHA", "MIN_FUSED", "MARGIN"))
    args = parser.parse_args()

    kb = load_knowledge()
    matcher = Matcher(kb, cache_size=0)
    before = rss_kib()
    started = time.perf_counter()
    from bench.semantic import SemanticIndex, StaticVectors

    semantic = SemanticIndex(kb, StaticVectors.load(args.vectors), pooling=args.pooling,
                             layer_words=args.layer_words)
    load_ms = (time.perf_counter() - started) * 1000
    added_mib = (rss_kib() - before) / 1024
    print(f"vectors {args.vectors.name} ({args.vectors.stat().st_size / 2**20:.1f} MiB on disk), pooling "
          f"{args.pooling}, layer words {args.layer_words}: load + index {load_ms:.0f} ms, RSS +{added_mib:.1f} MiB")
    if args.grid:
        grid(matcher, semantic)
        return

    rules = [Rule("rescue", min_cos=args.rescue[0], margin=args.rescue[1], weak=args.weak),
             Rule("tiebreak", margin=args.tiebreak),
             Rule("fused", alpha=args.fused[0], min_fused=args.fused[1], margin=args.fused[2], weak=args.weak)]
    variants: dict[str, Callable[[str], Result]] = {"lexical": matcher.match}
    variants |= {r.name: Fused(matcher, semantic, r).match for r in rules}
    print("rules: " + "; ".join(f"{r.name} (cos>={r.min_cos}, margin {r.margin})" if r.name == "rescue" else
                               f"{r.name} (margin {r.margin})" if r.name == "tiebreak" else
                               f"{r.name} (alpha {r.alpha}, fused>={r.min_fused}, margin {r.margin})"
                               for r in rules))
    print()
    print("| Set | Items | " + " | ".join(variants) + " | No-answer items | "
          + " | ".join(f"{v} no-answer" for v in variants) + " |")
    print("|---|---|" + "---|" * (2 * len(variants) + 1))
    sets = question_sets()
    for name, questions in sets.items():
        rows = {v: accuracy(match, questions) for v, match in variants.items()}
        first = next(iter(rows.values()))
        print(f"| {name} | {first[1]} | " + " | ".join(pct(r[0], r[1]) for r in rows.values())
              + f" | {first[3]} | " + " | ".join(f"{r[2]}/{r[3]}" for r in rows.values()) + " |")
    held = {v: groups_held(match) for v, match in variants.items()}
    total = next(iter(held.values()))[1]
    print(f"| paraphrase groups held | {total} | " + " | ".join(f"{h}/{n}" for h, n in held.values())
          + " | - |" + " - |" * len(variants))
    print()
    everything = [q for questions in sets.values() for q in questions]
    if args.changes:
        for name in list(variants)[1:]:
            for q in everything:
                before, after = is_correct(q, matcher.match(q.q)), is_correct(q, variants[name](q.q))
                if before != after:
                    print(f"{name}: {'+' if after else '-'} {q.q!r} ({q.expected}) -> {describe(variants[name](q.q))}")
        print()
    for rule in rules:
        p50, p99, e50, e99 = timing(matcher, semantic, Fused(matcher, semantic, rule), everything)
        print(f"{rule.name}: added ms per question over {len(everything)} questions p50 {p50:.3f} p99 {p99:.3f}; "
              f"embedding + scoring every question p50 {e50:.3f} p99 {e99:.3f}")


if __name__ == "__main__":
    main()
