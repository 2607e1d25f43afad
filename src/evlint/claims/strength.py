"""Grade how strongly a sentence states a health claim, and whether it hedges.

Strength follows Sumner et al. 2014 (BMJ) and Yu, Li & Wang 2019 (EMNLP):
``none < correlational < conditional < causal``. Grading is a transparent hybrid:

1. Cue lexicons (``rules/lexicons/strength/*.yaml``), compiled once into one regex per
   cue class, find hedge, causal, correlational, absolute and negation wording and give a
   rule-based grade.
2. Two small linear models (4-way strength, binary hedge) over word n-grams plus the
   cue-class features of step 1 decide the strength and the hedge flag. Their weights
   live in ``strength_model.json``; inference is a few dict look-ups in pure Python.
   The weights were trained on Yu et al. 2019 (GPL-3.0) and BioScope (Vincze et al.
   2008) by ``benchmarks/train_strength.py``.

Every grade is explained by its cues: lexicon cues plus ``Cue(kind="model")`` for the
n-grams that pushed the models hardest towards their decision.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from evlint.resources import builtin_rules_dir
from evlint.yamlio import safe_load

STRENGTHS: tuple[str, ...] = ("none", "correlational", "conditional", "causal")
CUE_KINDS: frozenset[str] = frozenset(
    {"hedge", "absolute", "causal", "correlational", "conditional", "negation", "model"}
)
LEXICON_FILES: tuple[str, ...] = (
    "hedges.yaml",
    "causal.yaml",
    "correlational.yaml",
    "absolute.yaml",
    "negation.yaml",
    "nonclaim.yaml",
)
MODEL_PATH = Path(__file__).with_name("strength_model.json")

# A modal hedge this close before a causal cue turns the claim conditional.
_CONDITIONAL_WINDOW = 50
# Clause breaks that stop a hedge or a negation from reaching a later cue.
_CLAUSE_BREAK = re.compile(r"[;:]|\b(?:but|whereas|although|however|while|that|which)\b", re.I)
_TOKEN = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*%?", re.UNICODE)
_MODEL_CUES = 3  # n-gram cues reported per model decision
_MIN_MODEL_CUE_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class Cue:
    """A piece of wording that drove the grade; offsets index the graded sentence."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class StrengthGrade:
    strength: str
    absolute: bool
    hedged: bool
    negated: bool
    cues: tuple[Cue, ...]


# --------------------------------------------------------------------------- lexicons


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One cue class: all its terms in a single alternation, one named group per group."""

    kind: str
    pattern: re.Pattern[str]
    group_names: Mapping[str, str]  # regex group name -> lexicon group name

    def finditer(self, text: str) -> Iterable[tuple[str, int, int]]:
        for m in self.pattern.finditer(text):
            name = m.lastgroup
            yield (self.group_names[name] if name else "", m.start(), m.end())


def _term_regex(term: str) -> str:
    # A literal space in a term means "any whitespace" so wrapped lines still match;
    # an optional space (" ?") means optional whitespace.
    return term.replace(" ?", r"\s*").replace(" ", r"\s+")


def compile_lexicon(kind: str, groups: Mapping[str, list[str]]) -> Lexicon:
    parts: list[str] = []
    names: dict[str, str] = {}
    for i, (group, terms) in enumerate(groups.items()):
        # Longest terms first so "leads to" wins over "lead"; Python regex alternation is
        # ordered, not longest-match.
        ordered = sorted({str(t) for t in terms}, key=len, reverse=True)
        regex_name = f"g{i}"
        names[regex_name] = group
        parts.append(f"(?P<{regex_name}>{'|'.join(_term_regex(t) for t in ordered)})")
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
    return Lexicon(kind=kind, pattern=pattern, group_names=names)


@dataclass(frozen=True, slots=True)
class Lexicons:
    """All cue classes. ``filler`` (from negation.yaml) is not a cue: it is the wording
    allowed between a negation cue and the claim cue it negates."""

    hedge: Lexicon
    causal: Lexicon
    correlational: Lexicon
    absolute: Lexicon
    negation: Lexicon
    filler: Lexicon
    context: Lexicon  # advice / future research / purpose: grading context, never a cue


def _read_groups(path: Path) -> tuple[str, dict[str, list[str]]]:
    data: Any = safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise ValueError(f"{path}: expected a mapping with 'kind' and 'groups'")
    kind = str(data["kind"])
    if kind not in CUE_KINDS | {"context"}:
        raise ValueError(f"{path}: unknown cue kind {kind!r}")
    return kind, {str(k): [str(t) for t in v] for k, v in data["groups"].items()}


def load_lexicon(path: Path) -> Lexicon:
    kind, groups = _read_groups(path)
    return compile_lexicon(kind, groups)


@cache
def load_lexicons(directory: Path | None = None) -> Lexicons:
    """The strength lexicons, compiled once per directory."""
    base = directory if directory is not None else builtin_rules_dir() / "lexicons" / "strength"
    read = {kind: groups for kind, groups in map(_read_groups, (base / n for n in LEXICON_FILES))}
    negation = dict(read["negation"])
    filler = negation.pop("filler", [])
    return Lexicons(
        hedge=compile_lexicon("hedge", read["hedge"]),
        causal=compile_lexicon("causal", read["causal"]),
        correlational=compile_lexicon("correlational", read["correlational"]),
        absolute=compile_lexicon("absolute", read["absolute"]),
        negation=compile_lexicon("negation", negation),
        filler=compile_lexicon("negation", {"filler": filler}),
        context=compile_lexicon("context", read["context"]),
    )


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    group: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RuleAnalysis:
    """What the lexicons alone say about a sentence; also the model's cue features."""

    strength: str
    absolute: bool
    hedged: bool
    negated: bool
    cues: tuple[Cue, ...]
    features: tuple[str, ...]


def _only_fillers(gap: str, filler: Lexicon) -> bool:
    return not filler.pattern.sub("", gap).strip(" \t\r\n,")


def analyse(sentence: str, lexicons: Lexicons) -> RuleAnalysis:
    """Grade ``sentence`` with the cue lexicons only."""
    text = sentence.replace("\u2019", "'")  # same length: offsets stay valid
    hits: dict[str, list[_Hit]] = {}
    for lex in (
        lexicons.hedge,
        lexicons.causal,
        lexicons.correlational,
        lexicons.absolute,
        lexicons.negation,
        lexicons.context,
    ):
        hits[lex.kind] = [_Hit(lex.kind, g, s, e) for g, s, e in lex.finditer(text)]
    negations = hits["negation"]
    hedges, causal, correl = hits["hedge"], hits["causal"], hits["correlational"]

    # The first claim cue is taken as the main predicate; a correlational cue that comes
    # first keeps "associated with reduced risk" correlational.
    main: _Hit | None = None
    conditional: tuple[_Hit, _Hit] | None = None
    strength = "none"
    # Ties go to correlational: "an increase in" is an observed change, not a cause.
    if correl and (not causal or correl[0].start <= causal[0].start):
        main, strength = correl[0], "correlational"
    elif causal:
        main, strength = causal[0], "causal"
        for c in causal:
            for h in hedges:
                gap = text[h.end : c.start]
                if (
                    h.group == "modal"
                    and 0 <= c.start - h.end <= _CONDITIONAL_WINDOW
                    and not _CLAUSE_BREAK.search(gap)
                ):
                    conditional = (h, c)
                    break
            if conditional:
                main, strength = conditional[1], "conditional"
                break

    context = hits["context"]
    if main is not None and context and context[0].start < main.start:
        # "Further studies are needed to test whether X reduces Y": no finding is stated.
        feats_ctx = f"c:ctxfirst:{context[0].group}"
        main, strength, conditional = None, "none", None
    else:
        feats_ctx = ""

    negated = False
    if main is not None:
        negated = any(
            n.end <= main.start and _only_fillers(text[n.end : main.start], lexicons.filler)
            for n in negations
        )
    else:
        # No claim cue: a plain sentence negation still negates what the sentence states.
        negated = any(sentence[n.start : n.end].lower() not in _WEAK_NEG for n in negations)

    cues = [
        Cue(h.kind, sentence[h.start : h.end], h.start, h.end)
        for kind in ("hedge", "absolute", "causal", "correlational")
        for h in hits[kind]
    ]
    cues.extend(Cue("negation", sentence[n.start : n.end], n.start, n.end) for n in negations)
    if conditional:
        h, c = conditional
        cues.append(Cue("conditional", sentence[h.start : c.end], h.start, c.end))
    cues.sort(key=lambda c: (c.start, c.end, c.kind))

    feats = [f"c:rule:{strength}"]
    if feats_ctx:
        feats.append(feats_ctx)
    feats.extend(f"c:{h.kind}:{h.group}" for kind in hits for h in hits[kind])
    feats.extend(f"c:{kind}" for kind in hits if hits[kind])
    if main is not None:
        feats.append(f"c:first:{main.kind}")
    if negated:
        feats.append("c:negated")
    return RuleAnalysis(
        strength=strength,
        absolute=bool(hits["absolute"]),
        hedged=bool(hedges),
        negated=negated,
        cues=tuple(cues),
        features=tuple(dict.fromkeys(feats)),
    )


# Negations that rarely negate a whole sentence on their own ("without", "lack of").
_WEAK_NEG = frozenset({"without", "lack", "lacks", "lacked", "lack of", "absence of", "nor"})


# --------------------------------------------------------------------------- model


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with offsets; numbers collapse to one token."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group().lower()
        out.append(("<num>" if tok[0].isdigit() else tok, m.start(), m.end()))
    return out


def ngram_features(toks: list[tuple[str, int, int]]) -> dict[str, tuple[int, int]]:
    """Unigram and bigram features, each with the span of its first occurrence."""
    feats: dict[str, tuple[int, int]] = {}
    prev = "<s>"
    prev_start = -1
    for tok, start, end in toks:
        feats.setdefault("w:" + tok, (start, end))
        feats.setdefault(f"b:{prev} {tok}", (prev_start if prev_start >= 0 else start, end))
        prev, prev_start = tok, start
    return feats


_CONTEXT_KINDS = frozenset({"causal", "correlational", "hedge", "negation", "conditional"})


def model_features(sentence: str, analysis: RuleAnalysis) -> dict[str, tuple[int, int]]:
    """All model features: n-grams (with spans) plus cue features (no span, ``(-1, -1)``).

    Cue features say which cue classes fired and which words sit right around each cue:
    "may [reduce]" and "[reduced] in" mean different things to the same verb.
    """
    toks = tokens(sentence)
    feats = ngram_features(toks)
    nospan = (-1, -1)
    for f in analysis.features:
        feats[f] = nospan
    starts = [t[1] for t in toks]
    for cue in analysis.cues:
        if cue.kind not in _CONTEXT_KINDS:
            continue
        kind = cue.kind
        feats[f"cw:{kind}:{cue.text.split()[0].lower()}"] = nospan
        i = bisect.bisect_left(starts, cue.start)  # first token inside the cue
        j = bisect.bisect_left(starts, cue.end)  # first token after it
        if i >= 1:
            feats[f"lc:{kind}:{toks[i - 1][0]}"] = nospan
        if i >= 2:
            feats[f"lc2:{kind}:{toks[i - 2][0]} {toks[i - 1][0]}"] = nospan
        if j < len(toks):
            feats[f"rc:{kind}:{toks[j][0]}"] = nospan
    return feats


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Linear scores per output; one output means a binary model read through a sigmoid."""

    labels: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    threshold: float = 0.0  # binary models: decision on the logit

    def scores(self, features: Iterable[str]) -> list[float]:
        out = list(self.bias)
        w = self.weights
        for f in features:
            row = w.get(f)
            if row is not None:
                for i, v in enumerate(row):
                    out[i] += v
        return out

    def top_features(
        self, features: Mapping[str, tuple[int, int]], output: int, sign: float = 1.0
    ) -> list[tuple[float, str, tuple[int, int]]]:
        """Spanned features pushing ``output`` hardest in direction ``sign``."""
        ranked: list[tuple[float, str, tuple[int, int]]] = []
        for f, span in features.items():
            row = self.weights.get(f)
            if row is None or span[0] < 0:
                continue
            v = row[output]
            if len(row) > 1:  # multiclass: weight relative to the other classes
                v -= (sum(row) - v) / (len(row) - 1)
            v *= sign
            if v >= _MIN_MODEL_CUE_WEIGHT:
                ranked.append((v, f, span))
        ranked.sort(reverse=True)
        return ranked[:_MODEL_CUES]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LinearModel:
        return cls(
            labels=tuple(data["labels"]),
            bias=tuple(float(b) for b in data["bias"]),
            weights={k: tuple(float(x) for x in v) for k, v in data["weights"].items()},
            threshold=float(data.get("threshold", 0.0)),
        )


@dataclass(frozen=True, slots=True)
class StrengthModel:
    strength: LinearModel  # labels: a permutation of STRENGTHS
    hedge: LinearModel  # one output: logit of "hedged"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StrengthModel:
        return cls(
            strength=LinearModel.from_json(data["strength"]),
            hedge=LinearModel.from_json(data["hedge"]),
        )


def load_model(path: Path = MODEL_PATH) -> StrengthModel | None:
    """The shipped weights, or ``None`` when the file is absent (rules-only grading)."""
    if not path.is_file():
        return None
    return StrengthModel.from_json(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- grader


@dataclass(frozen=True, slots=True)
class Grader:
    """Lexicons plus an optional model; ``model=None`` grades by the rules alone."""

    lexicons: Lexicons
    model: StrengthModel | None

    def grade(self, sentence: str) -> StrengthGrade:
        rules = analyse(sentence, self.lexicons)
        if self.model is None:
            hedged = rules.hedged or rules.strength == "conditional"
            return StrengthGrade(rules.strength, rules.absolute, hedged, rules.negated, rules.cues)
        feats = model_features(sentence, rules)
        cues = list(rules.cues)

        sm = self.model.strength
        scores = sm.scores(feats)
        best = max(range(len(scores)), key=scores.__getitem__)
        strength = sm.labels[best]
        cues.extend(_model_cues(sentence, sm.top_features(feats, best)))

        hm = self.model.hedge
        logit = hm.scores(feats)[0]
        hedged = logit > hm.threshold or strength == "conditional"
        if hedged and not rules.hedged:
            # The hedge came from the model: say which words it read as hedging.
            cues.extend(_model_cues(sentence, hm.top_features(feats, 0)))
        unique = sorted(set(cues), key=lambda c: (c.start, c.end, c.kind))
        return StrengthGrade(strength, rules.absolute, hedged, rules.negated, tuple(unique))


def _model_cues(sentence: str, ranked: list[tuple[float, str, tuple[int, int]]]) -> Iterable[Cue]:
    for _, _, (start, end) in ranked:
        yield Cue("model", sentence[start:end], start, end)


@cache
def default_grader() -> Grader:
    """The grader with built-in lexicons and shipped weights, built on first use."""
    return Grader(load_lexicons(), load_model())


def grade_strength(sentence: str) -> StrengthGrade:
    """Grade one sentence's claim strength, absoluteness, hedging and negation."""
    return default_grader().grade(sentence)
