"""Grade how strongly a sentence states a health claim, and whether it hedges.

Strength follows Sumner et al. 2014 (BMJ) and Yu, Li & Wang 2019 (EMNLP):
``none < correlational < conditional < causal``. Grading is a transparent hybrid:

1. Cue lexicons (``rules/lexicons/strength/*.yaml``), compiled once into one regex per
   cue class, find hedge, causal, correlational, absolute and negation wording. The
   words around each causal cue say whether it is a predicate ("reduces"), a purpose
   ("to reduce"), an attribute ("increased risk") or an observed change ("levels
   decreased over time"); from that comes a rule-based grade.
2. Two small linear models (4-way strength, binary hedge) over words, word bigrams,
   stems and character 4-grams plus the cue features of step 1 decide the strength and
   the hedge flag. Their weights share one integer table in ``strength_model.txt``;
   inference is one dict look-up per feature in pure Python. The weights were trained
   on Yu et al. 2019 (GPL-3.0) and BioScope (Vincze et al. 2008) by
   ``benchmarks/train_strength.py``.

Every grade is explained by its cues: lexicon cues plus ``Cue(kind="model")`` for the
words that pushed the models hardest towards their decision.
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
from binascii import crc32
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import field
from functools import cache, cached_property, lru_cache
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any, overload

from evlint.records import record
from evlint.regex_cache import compile_regex
from evlint.resources import builtin_rules_dir
from evlint.yamlio import read_yaml

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
MODEL_PATH = Path(__file__).with_name("strength_model.txt")
# One integer weight table: each row, as text ("12 -3 0 7 -40"), holds the strength
# weights, then the hedge weight; rows are stored in CRC-32 buckets (see WeightTable).
# The file is a one-line JSON header (labels, biases, scale, bucket count and where
# each bucket's line starts), then one UTF-8 line per bucket: its features, a tab,
# their rows.  Only the lines of the buckets a page looks features up in are ever
# sliced out and decoded; decoding a JSON file of them all cost ~4 ms of start-up,
# splitting the file into lines ~1.5 ms.
MODEL_FORMAT = 6
# Separates the features (and the rows) of one bucket; no feature contains it.
BUCKET_SEPARATOR = "|"
# Separates a bucket's features from its rows; no feature contains it, nor a newline.
COLUMN_SEPARATOR = "\t"

# A modal hedge this close before a causal cue turns the claim conditional.
_CONDITIONAL_WINDOW = 50
# Clause breaks that stop a hedge or a negation from reaching a later cue.
_CLAUSE_BREAK = compile_regex(r"[;:]|\b(?:but|whereas|although|however|while|that|which)\b", re.I)
_TOKEN = compile_regex(r"[^\W\d_]+(?:['-][^\W\d_]+)*|\d+(?:[.,]\d+)*%?", re.UNICODE)
_MODEL_CUES = 3  # n-gram cues reported per model decision
_MIN_MODEL_CUE_WEIGHT = 0.25


@record
class Cue:
    """A piece of wording that drove the grade; offsets index the graded sentence."""

    kind: str
    text: str
    start: int
    end: int


@record
class StrengthGrade:
    """A sentence's grade: its strength (one of ``STRENGTHS``), whether it is
    absolute, hedged or negated, and the cues behind it."""

    strength: str
    absolute: bool
    hedged: bool
    negated: bool
    cues: tuple[Cue, ...]


# --------------------------------------------------------------------------- lexicons


@record(slots=False)  # not slotted: the case-insensitive pattern is cached on first use
class Lexicon:
    """One cue class: all its terms in a single alternation, one named group per group."""

    kind: str
    source: str  # the alternation
    group_names: Mapping[str, str]  # regex group name -> lexicon group name
    # The same terms, case-sensitive, for lower-cased text: matching without re.IGNORECASE
    # is over twice as fast.
    lower_pattern: re.Pattern[str] | None = None

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Case-insensitive; compiled on first use, since lower-cased text (the common
        case) needs only ``lower_pattern`` and compiling a lexicon takes milliseconds."""
        return compile_regex(self.source, re.IGNORECASE)

    def finditer(self, text: str, lowered: str | None = None) -> Iterable[tuple[str, int, int]]:
        """Matches as (group, start, end); ``lowered`` is ``text.lower()`` when that has
        the same length (so the same offsets)."""
        if lowered is not None and self.lower_pattern is not None:
            matches = self.lower_pattern.finditer(lowered)
        else:
            matches = self.pattern.finditer(text)
        for m in matches:
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
        ordered = sorted({str(t) for t in terms}, key=lambda t: (-len(t), t))
        regex_name = f"g{i}"
        names[regex_name] = group
        parts.append(f"(?P<{regex_name}>{'|'.join(_term_regex(t) for t in ordered)})")
    source = r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"
    # Terms with a capital letter (outside an escape such as \W) cannot match lower-cased
    # text, so only all-lower-case lexicons get the fast case-sensitive pattern.
    capitals = any(_CAPITAL.search(t) for terms in groups.values() for t in terms)
    lower = None if capitals else compile_regex(source)
    return Lexicon(kind, source, names, lower)


_CAPITAL = compile_regex(r"(?<!\\)[A-Z]")


@record
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
    data: Any = read_yaml(path)
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


# --------------------------------------------------------------------------- causal roles

_WORDS_BEFORE = compile_regex(r"(?:([^\W\d_]+)\s+)?([^\W\d_]+)\s*$")
_WORD_AFTER = compile_regex(r"\s*([^\W\d_]+|\d)")
_COPULA = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_MODALS = frozenset({"may", "might", "could", "can", "would", "will", "should", "must"})
# Words after which a participle or comparative modifies a noun ("with increased risk").
_ATTRIBUTIVE_AFTER = frozenset(
    {"a", "an", "the", "this", "these", "its", "their", "our", "his", "her", "any", "no"}
    | {"with", "of", "and", "or", "in", "for", "at", "from", "by", "on", "among", "between"}
    | {"despite", "as", "more", "less", "had", "have", "has"}
)
# Words after which a bare past form reports a change, not an action on an object
# ("rates decreased by 30%", "intake increased with age").
_INTRANSITIVE_BEFORE = frozenset(
    {"with", "by", "in", "over", "after", "from", "during", "across", "among", "until", "at"}
    | {"between", "than", "when", "as", "and", "or", "more", "less", "<end>", "<num>"}
    | {"significantly", "markedly", "substantially", "slightly"}
)
_NOT_PREDICATE = frozenset({"attributive", "state", "purpose"})
_MODAL_REACH = 25  # "may not be", "appears to be": a modal this close governs the cue


def causal_role(text: str, start: int, end: int, modal_before: bool = False) -> str:
    """How a causal cue is used, from the words around it (no parser needed).

    ``purpose`` ("to reduce"), ``modal`` ("may reduce"), ``attributive`` ("increased
    risk"), ``state`` ("was elevated in", "declined over time"), ``passive`` ("was
    reduced by"), ``gerund`` ("reducing"), ``predicate`` (anything else).
    """
    before = _WORDS_BEFORE.search(text, max(0, start - 40), start)
    prev = before.group(2).lower() if before else "<start>"
    prev2 = (before.group(1) or "").lower() if before else ""
    after = _WORD_AFTER.match(text, end)
    nxt = "<end>" if after is None else after.group(1).lower()
    if nxt[0].isdigit():
        nxt = "<num>"
    last = text[start:end].rsplit(None, 1)[-1].lower()
    past = last.endswith("ed") or last in ("lower", "higher")
    if modal_before or prev in _MODALS or prev2 in _MODALS:
        return "modal"
    if prev == "to":
        return "purpose"
    if prev in _COPULA or (prev.endswith("ly") and prev2 in _COPULA):
        return "passive" if nxt == "by" or not past else "state"
    if last.endswith("ing"):
        return "gerund"
    if past and (prev in _ATTRIBUTIVE_AFTER or prev == "<start>"):
        return "attributive"
    if past and nxt in _INTRANSITIVE_BEFORE:
        return "state"
    return "predicate"


# --------------------------------------------------------------------------- rules


@record
class _Hit:
    """One cue-lexicon match in a sentence: cue class, lexicon group and offsets."""

    kind: str
    group: str
    start: int
    end: int


@record
class RuleAnalysis:
    """What the lexicons alone say about a sentence; also the model's cue features."""

    strength: str
    absolute: bool
    hedged: bool
    negated: bool
    cues: tuple[Cue, ...]
    features: tuple[str, ...]


def _modal_before(text: str, cue: _Hit, modal: list[_Hit]) -> bool:
    return any(
        0 <= cue.start - h.end <= _MODAL_REACH and not _CLAUSE_BREAK.search(text, h.end, cue.start)
        for h in modal
    )


def _find_conditional(text: str, causal: list[_Hit], modal: list[_Hit]) -> tuple[_Hit, _Hit] | None:
    """The first causal cue under a modal hedge in the same clause ("may reduce")."""
    for c in causal:
        for h in modal:
            if 0 <= c.start - h.end <= _CONDITIONAL_WINDOW and not _CLAUSE_BREAK.search(
                text, h.end, c.start
            ):
                return h, c
    return None


def _only_fillers(gap: str, filler: Lexicon) -> bool:
    return not filler.pattern.sub("", gap).strip(" \t\r\n,")


def analyse(sentence: str, lexicons: Lexicons) -> RuleAnalysis:
    """Grade ``sentence`` with the cue lexicons only."""
    text = sentence.replace("\u2019", "'")  # same length: offsets stay valid
    lowered: str | None = text.lower()
    if len(text) != len(lowered or ""):  # a few letters grow when lower-cased ("İ")
        lowered = None
    hits: dict[str, list[_Hit]] = {}
    for lex in (
        lexicons.hedge,
        lexicons.causal,
        lexicons.correlational,
        lexicons.absolute,
        lexicons.negation,
        lexicons.context,
    ):
        hits[lex.kind] = [_Hit(lex.kind, g, s, e) for g, s, e in lex.finditer(text, lowered)]
    negations = hits["negation"]
    hedges, causal, correl = hits["hedge"], hits["causal"], hits["correlational"]

    # A causal word that is not a predicate makes no causal claim: "to reduce" states a
    # purpose, "increased risk" names an attribute, and "levels were elevated in" reports
    # an observed state or change, which Sumner and Yu code as correlational.
    modal = [h for h in hedges if h.group == "modal"]
    roles = {c: causal_role(text, c.start, c.end, _modal_before(text, c, modal)) for c in causal}
    change = [c for c in causal if roles[c] == "state"]
    attributive = [c for c in causal if roles[c] == "attributive"]
    if change:
        correl = sorted(correl + change, key=lambda h: h.start)
    predicates = [c for c in causal if roles[c] not in _NOT_PREDICATE]

    # The first claim cue is taken as the main predicate; a correlational cue that comes
    # first keeps "associated with reduced risk" correlational.
    main: _Hit | None = None
    conditional: tuple[_Hit, _Hit] | None = None
    strength = "none"
    # Ties go to correlational: "an increase in" is an observed change, not a cause.
    if correl and (not predicates or correl[0].start <= predicates[0].start):
        main, strength = correl[0], "correlational"
    else:
        conditional = _find_conditional(text, [c for c in causal if c not in attributive], modal)
        if conditional:
            main, strength = conditional[1], "conditional"
        elif predicates:
            main, strength = predicates[0], "causal"
        elif attributive:
            # Only an attribute ("an increased risk of X was found"): an observation.
            main, strength = attributive[0], "correlational"

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
        if not (kind == "causal" and roles[h] == "state")
    ]
    cues.extend(Cue("correlational", sentence[h.start : h.end], h.start, h.end) for h in change)
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
    feats.extend(f"c:role:{roles[c]}" for c in causal)
    if causal:
        feats.append(f"c:role1:{roles[causal[0]]}")
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
    """Word, stem and character features, each with the span of its first word.

    A stem ("associat" for "associations") lets a rare form share weight with the
    common ones; it is added only where it differs from the word itself. Character
    4-grams within a word ("^pre", "ssoc", "ted$") carry affixes to words the training
    data never had ("co-associated", "predictor-based").
    """
    feats: dict[str, tuple[int, int]] = {}
    prev = "<s>"
    prev_start = -1
    for tok, start, end in toks:
        span = (start, end)
        feats.setdefault("w:" + tok, span)
        feats.setdefault(f"b:{prev} {tok}", (prev_start if prev_start >= 0 else start, end))
        stem = _stem(tok)
        if stem != tok:
            feats.setdefault("s:" + stem, span)
        if tok[0] != "<" and tok not in _STUDY_WORDS:
            marked = f"^{tok}$"
            for i in range(len(marked) - 3):
                feats.setdefault("g:" + marked[i : i + 4], span)
        prev, prev_start = tok, start
    return feats


# Words that name a study, not a claim. Their character n-grams would only multiply one
# word's weight, and in Yu et al.'s conclusions "study" and "larger" lean towards "no
# relationship" ("larger studies are needed"), which would mislead on news text such as
# "In a large study, X cut Y".
_STUDY_WORDS = frozenset(
    {"study", "studies", "trial", "trials", "cohort", "cohorts", "large", "larger"}
    | {"analysis", "analyses", "meta-analysis", "research", "researchers", "survey", "review"}
)


# Inflectional and common derivational endings, longest first; a crude stemmer is
# enough because stems are only extra features next to the words themselves.
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly", "ive", "ity")


@lru_cache(maxsize=1 << 14)  # bounded: memory must not grow with a corpus's vocabulary
def _stem(tok: str) -> str:
    for suffix in _SUFFIXES:
        if tok.endswith(suffix) and len(tok) > len(suffix) + 3:
            return tok[: -len(suffix)]
    return tok


_CONTEXT_KINDS = frozenset({"causal", "correlational", "hedge", "negation", "conditional"})
_WINDOW = 3  # words each side of a cue that the model sees as its context


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
        # Bag of nearby words: "levels [increased] significantly with age" and "[increased]
        # the risk of" differ a few words away, not only next door.
        for k in range(max(0, i - _WINDOW), i):
            feats[f"wl:{kind}:{toks[k][0]}"] = nospan
        for k in range(j, min(len(toks), j + _WINDOW)):
            feats[f"wr:{kind}:{toks[k][0]}"] = nospan
    return feats


# (weight relative to the alternatives, span) of model cue candidates
_Ranked = list[tuple[float, tuple[int, int]]]


def feature_bucket(feature: str, buckets: int) -> int:
    """The bucket of the weight table holding ``feature`` (``buckets``: a power of 2).
    CRC-32, unlike ``hash``, is the same in every process."""
    return crc32(feature.encode("utf-8")) & (buckets - 1)


class WeightTable:
    """Feature -> weight row as text, read one bucket at a time.

    Materialising all ~46k features and rows as strings costs about 15 ms, paid by
    every ``evlint check`` of a health page.  The file spreads them over a few
    thousand buckets by :func:`feature_bucket`, each bucket one line of the model file
    (features, a tab, rows) decoded and split on :data:`BUCKET_SEPARATOR` the first
    time one of its features is
    looked up; a short page opens a small share of the buckets.  Once a quarter of
    them are open (a long run), the rest are opened too and look-ups go to one dict,
    which is faster per feature than hashing into buckets.
    """

    __slots__ = ("_all", "_buckets", "_open", "_opened")

    def __init__(self, buckets: Sequence[bytes]) -> None:
        count = len(buckets)
        if count == 0 or count & (count - 1):
            raise ValueError(f"weight table: {count} buckets (expected a power of 2)")
        self._buckets = buckets
        self._open: list[dict[str, str] | None] = [None] * count
        self._opened = 0
        self._all: dict[str, str] | None = None

    def _bucket(self, index: int) -> dict[str, str]:
        names, _, weights = self._buckets[index].decode("utf-8").partition(COLUMN_SEPARATOR)
        if not names:
            return {}
        return dict(
            zip(names.split(BUCKET_SEPARATOR), weights.split(BUCKET_SEPARATOR), strict=True)
        )

    def get(self, feature: str) -> str | None:
        if self._all is not None:
            return self._all.get(feature)
        index = feature_bucket(feature, len(self._open))
        bucket = self._open[index]
        if bucket is None:
            bucket = self._open[index] = self._bucket(index)
            self._opened += 1
            if self._opened * 4 >= len(self._open):
                self._all = {}
                for i, known in enumerate(self._open):
                    self._all.update(known if known is not None else self._bucket(i))
        return bucket.get(feature)

    def lookup(self, features: Iterable[str]) -> list[str | None]:
        """Each feature's row, or None for a feature the model does not know."""
        if self._all is not None:
            return list(map(self._all.get, features))
        return list(map(self.get, features))


@record
class StrengthModel:
    """The 4-way strength model and the binary hedge model in one weight table.

    Each feature's row holds one weight per strength label, then the hedge weight, so a
    sentence costs one look-up per feature. Weights are integers in units of
    ``1 / scale``.  Rows are stored as text and parsed when a sentence first uses them,
    since a page uses a few hundred of the ~46k.
    """

    labels: tuple[str, ...]  # strength labels, in row order
    bias: tuple[int, ...]  # one per strength label, then the hedge bias
    weights: WeightTable
    scale: float = 1.0
    hedge_threshold: float = 0.0  # on the hedge logit
    _parsed: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def rows(self, features: Collection[str]) -> tuple[list[str], list[Sequence[int]]]:
        """The features the model knows, and their weight rows."""
        found = self.weights.lookup(features)
        parsed = self._parsed
        rows: list[Sequence[int]] = []
        for text in found:
            if text:
                row = parsed.get(text)
                if row is None:
                    row = parsed[text] = tuple(map(int, text.split()))
                rows.append(row)
        return list(compress(features, found)), rows

    def scores(self, rows: list[Sequence[int]]) -> list[float]:
        """Strength logits, then the hedge logit."""
        totals = list(map(sum, zip(*rows, strict=True))) or [0] * len(self.bias)
        return [(b + t) / self.scale for b, t in zip(self.bias, totals, strict=True)]

    def top_spans(
        self,
        keys: list[str],
        rows: list[Sequence[int]],
        spans: Mapping[str, tuple[int, int]],
        output: int,
    ) -> _Ranked:
        """The word spans of the features pushing ``output`` hardest (a character n-gram
        stands for its word). Each output is a one-vs-rest model, so a weight alone says
        how hard a feature pushes towards its output."""
        push = list(map(itemgetter(output), rows))
        floor = _MIN_MODEL_CUE_WEIGHT * self.scale
        ranked: _Ranked = []
        # Cue-class features have no span, so look further than the cues wanted.
        for i in heapq.nlargest(4 * _MODEL_CUES, range(len(rows)), key=push.__getitem__):
            span = spans[keys[i]]
            if push[i] < floor or len(ranked) == _MODEL_CUES:
                break
            if span[0] >= 0 and all(span != s for _, s in ranked):
                ranked.append((push[i] / self.scale, span))
        return ranked

    @classmethod
    def from_file_data(cls, data: bytes, source: str = "strength model") -> StrengthModel:
        """A model from the bytes of a model file (see :data:`MODEL_FORMAT`)."""
        header_end = data.find(b"\n")
        try:
            header = json.loads(data[:header_end] if header_end >= 0 else data)
        except ValueError as exc:
            raise ValueError(f"{source}: the first line is not a JSON header ({exc})") from None
        found = header.get("format") if isinstance(header, dict) else None
        if found != MODEL_FORMAT:
            raise ValueError(f"{source}: model format {found!r}, expected {MODEL_FORMAT}")
        offsets = header.get("offsets")
        count = header.get("buckets")
        base = header_end + 1
        if (
            not isinstance(offsets, list)
            or len(offsets) != (count if isinstance(count, int) else -1) + 1
            or offsets[0] != 0
            or base + offsets[-1] != len(data)
        ):
            message = f"the header's {count!r} buckets and their offsets do not fit the file"
            raise ValueError(f"{source}: {message}")
        return cls(
            labels=tuple(header["labels"]),
            bias=tuple(header["bias"]),
            weights=WeightTable(_BucketLines(data, base, offsets, source)),
            scale=float(header.get("scale", 1.0)),
            hedge_threshold=float(header.get("hedge_threshold", 0.0)),
        )


class _BucketLines(Sequence[bytes]):
    """The bucket lines of a model file, each sliced out of the file's bytes (without
    its newline) when asked for."""

    __slots__ = ("_base", "_data", "_offsets", "_source")

    def __init__(self, data: bytes, base: int, offsets: list[int], source: str) -> None:
        self._data = data
        self._base = base
        self._offsets = offsets
        self._source = source

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        start = self._base + self._offsets[index]
        end = self._base + self._offsets[index + 1] - 1
        if start > end or self._data[end : end + 1] != b"\n":
            raise ValueError(f"{self._source}: bucket {index} does not end its line")
        return self._data[start:end]


def load_model(path: Path = MODEL_PATH) -> StrengthModel | None:
    """The shipped weights, or ``None`` when the file is absent (rules-only grading)."""
    if not path.is_file():
        return None
    return StrengthModel.from_file_data(path.read_bytes(), str(path))


# --------------------------------------------------------------------------- grader


@record
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

        model = self.model
        keys, rows = model.rows(feats)
        scores = model.scores(rows)
        k = len(model.labels)
        best = max(range(k), key=scores.__getitem__)
        strength = model.labels[best]
        cues.extend(_model_cues(sentence, model.top_spans(keys, rows, feats, best)))

        hedged = scores[k] > model.hedge_threshold or strength == "conditional"
        if hedged and not rules.hedged:
            # The hedge came from the model: say which words it read as hedging.
            cues.extend(_model_cues(sentence, model.top_spans(keys, rows, feats, k)))
        unique = sorted(set(cues), key=lambda c: (c.start, c.end, c.kind))
        return StrengthGrade(strength, rules.absolute, hedged, rules.negated, tuple(unique))


def _model_cues(sentence: str, ranked: _Ranked) -> Iterable[Cue]:
    for _, (start, end) in ranked:
        yield Cue("model", sentence[start:end], start, end)


@cache
def default_grader() -> Grader:
    """The grader with built-in lexicons and shipped weights, built on first use."""
    return Grader(load_lexicons(), load_model())


@lru_cache(maxsize=2048)
def grade_strength(sentence: str) -> StrengthGrade:
    """Grade one sentence's claim strength, absoluteness, hedging and negation.

    Remembered for recent sentences: a site repeats its disclaimers, calls to action
    and boilerplate claims on page after page, and a grade depends on the text alone.
    """
    return default_grader().grade(sentence)
