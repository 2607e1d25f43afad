"""Health-claim detection from lexicons: is a sentence a claim, and of what kind?

Works on a sentence's masked scan text and returns sentence-relative spans.  The
lexicons (``rules/lexicons``) carry the vocabulary; this module only combines their
matches: an effect word acting on a condition, body system or intervention makes a
claim, absolute safety wording makes a safety claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from evlint.lexicon import Lexicon, Match, builtin_lexicon

CLAIM_KINDS = (
    "efficacy",
    "prevention",
    "mechanism",
    "safety",
    "association",
    "harm",
    "statistic",
    "regulatory",
)


@dataclass(frozen=True, slots=True)
class ClaimAnalysis:
    is_claim: bool
    kind: str | None
    subjects: tuple[Match, ...]
    conditions: tuple[Match, ...]
    body: tuple[Match, ...]
    effects: tuple[Match, ...]
    safety: tuple[Match, ...]

    @property
    def condition_labels(self) -> frozenset[str]:
        return frozenset(m.label for m in self.conditions)

    @property
    def subject_labels(self) -> frozenset[str]:
        return frozenset(m.label for m in self.subjects)


@dataclass(frozen=True, slots=True)
class _Lexicons:
    conditions: Lexicon
    interventions: Lexicon
    effects: Lexicon
    body: Lexicon
    safety: Lexicon


_cache: list[_Lexicons] = []


def _lexicons() -> _Lexicons:
    if not _cache:
        _cache.append(
            _Lexicons(
                builtin_lexicon("conditions"),
                builtin_lexicon("interventions"),
                builtin_lexicon("effects"),
                builtin_lexicon("body"),
                builtin_lexicon("safety"),
            )
        )
    return _cache[0]


_PREVENTION = ("prevent", "prevents", "prevented", "preventing", "prevention of", "protect")


def analyze(scan: str) -> ClaimAnalysis:
    lex = _lexicons()
    conditions = tuple(lex.conditions.finditer(scan))
    subjects = tuple(lex.interventions.finditer(scan))
    effects = tuple(lex.effects.finditer(scan))
    body = tuple(lex.body.finditer(scan))
    safety = tuple(lex.safety.finditer(scan))
    kind = _kind(scan, conditions, subjects, effects, body, safety)
    return ClaimAnalysis(kind is not None, kind, subjects, conditions, body, effects, safety)


def _kind(
    scan: str,
    conditions: tuple[Match, ...],
    subjects: tuple[Match, ...],
    effects: tuple[Match, ...],
    body: tuple[Match, ...],
    safety: tuple[Match, ...],
) -> str | None:
    if scan.rstrip().endswith("?"):
        return None  # questions ask; they do not claim
    groups = {m.label for m in effects}
    specific_conditions = [m for m in conditions if m.label != "disease"]
    if safety and (subjects or conditions or body):
        return "safety"
    if "association" in groups and conditions:
        return "association"
    if "benefit" in groups and (conditions or (subjects and body)):
        words = " ".join(m.text.lower() for m in effects if m.label == "benefit")
        return "prevention" if any(w in words for w in _PREVENTION) else "efficacy"
    if "harm" in groups and specific_conditions and subjects:
        return "harm"
    if "mechanism" in groups and (body or specific_conditions):
        return "mechanism"
    return None
