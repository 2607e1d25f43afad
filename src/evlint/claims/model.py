"""The claim model: what one sentence asserts about health, how strongly, about whom.

``ClaimAnalysis`` is built by :func:`evlint.claims.detector.analyze` for every prose
sentence; rules, ``Analysis.claims`` and ``evlint grade`` all read this one type.
Spans are sentence-relative offsets.  Strength, hedging and negation come from the
grader (:mod:`evlint.claims.strength`); everything else from the lexicons in
``rules/lexicons``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Generic, TypeVar

from evlint.claims.patterns import lexicon_metadata
from evlint.claims.strength import Cue, StrengthGrade
from evlint.lexicon import Match
from evlint.records import record

CLAIM_KINDS: tuple[str, ...] = (
    "efficacy",
    "prevention",
    "mechanism",
    "safety",
    "association",
    "statistic",
    "regulatory",
)

# Effect groups of rules/lexicons/effects.yaml.
TREATS, HELPS, HARMS, ACTS_ON, LINKED_TO = "treats", "helps", "harms", "acts on", "linked to"

HUMAN_POPULATIONS: frozenset[str] = frozenset({"humans", "children", "neonates"})
PRECLINICAL_POPULATIONS: frozenset[str] = frozenset({"animals", "in vitro"})
# Lexicon labels reported under another population name.
_REPORTED_AS: dict[str, str] = {"in vitro": "cells"}
# When a sentence names several populations, the one reported is the weakest evidence
# level (a mouse result about neonates is a mouse result), then the most specific group.
_POPULATION_ORDER: tuple[str, ...] = ("cells", "animals", "neonates", "children", "humans")


T = TypeVar("T")


class Deferred(Generic[T]):
    """A value computed on first use and then kept.

    The linter analyses every sentence of every file, but only health claims need a
    strength grade, and most sentences never need their regex cues; deferring both
    keeps prose that is not about health nearly free.  The value is a pure function
    of the sentence, so when it is computed does not change what it is.
    """

    __slots__ = ("_argument", "_compute", "_value")

    def __init__(self, compute: Callable[[str], T], argument: str) -> None:
        # A function and its argument, not a closure: one is made per sentence.
        self._compute: Callable[[str], T] | None = compute
        self._argument = argument
        self._value: T | None = None

    @property
    def ready(self) -> bool:
        return self._compute is None

    def get(self) -> T:
        if self._compute is not None:
            self._value = self._compute(self._argument)
            self._compute = None
        return self._value  # type: ignore[return-value]  # set just above


@record
class ClaimAnalysis:
    """What one sentence asserts about health: its claim kind, lexicon matches,
    and its grade and pattern cues (both computed on first use)."""

    text: str
    kind: str | None  # one of CLAIM_KINDS, or None when the sentence is not a claim
    deferred_grade: Deferred[StrengthGrade]
    subjects: tuple[Match, ...]
    conditions: tuple[Match, ...]
    body: tuple[Match, ...]
    effects: tuple[Match, ...]
    safety: tuple[Match, ...]
    populations: tuple[Match, ...]
    evidence: tuple[Match, ...]
    regulatory: tuple[Match, ...]
    deferred_cues: Deferred[tuple[Match, ...]]

    @property
    def grade(self) -> StrengthGrade:
        """Strength, hedging and negation from the grader (computed on first use)."""
        return self.deferred_grade.get()

    @property
    def cues(self) -> tuple[Match, ...]:
        """claim-patterns.yaml matches: inference, limitation... (computed on first use)."""
        return self.deferred_cues.get()

    @property
    def has_terms(self) -> bool:
        """Whether any health lexicon matched; without one no sentence is a claim."""
        return bool(
            self.subjects
            or self.conditions
            or self.body
            or self.effects
            or self.safety
            or self.populations
            or self.evidence
            or self.regulatory
        )

    @property
    def is_claim(self) -> bool:
        return self.kind is not None

    @property
    def strength(self) -> str:
        return self.grade.strength

    @property
    def absolute(self) -> bool:
        return self.grade.absolute

    @property
    def hedged(self) -> bool:
        return self.grade.hedged

    @property
    def negated(self) -> bool:
        return self.grade.negated

    @property
    def hedges(self) -> tuple[Cue, ...]:
        """Hedge cues from the grader, plus preclinical scoping ("in mice") as ``scope``."""
        found = [c for c in self.grade.cues if c.kind in ("hedge", "conditional")]
        if self.grade.hedged and not found:
            found = [c for c in self.grade.cues if c.kind == "model"]
        found.extend(
            Cue("scope", m.text, m.start, m.end)
            for m in self.populations
            if m.label in PRECLINICAL_POPULATIONS
        )
        return tuple(sorted(set(found), key=lambda c: (c.start, c.end)))

    @property
    def absolutes(self) -> tuple[Cue, ...]:
        return tuple(c for c in self.grade.cues if c.kind == "absolute")

    @property
    def subject(self) -> str | None:
        return _first_specific(self.subjects, frozenset({"treatment"}))

    @property
    def condition(self) -> str | None:
        return _first_specific(self.conditions, generic_conditions())

    @property
    def population(self) -> str | None:
        labels = {_REPORTED_AS.get(m.label, m.label) for m in self.populations}
        return next((p for p in _POPULATION_ORDER if p in labels), None)

    @property
    def condition_labels(self) -> frozenset[str]:
        return frozenset(m.label for m in self.conditions)

    @property
    def subject_labels(self) -> frozenset[str]:
        return frozenset(m.label for m in self.subjects)

    @property
    def disease_conditions(self) -> tuple[Match, ...]:
        """Conditions that are diseases, not biological processes or the word "disease"."""
        skip = process_conditions() | {"disease"}
        return tuple(m for m in self.conditions if m.label not in skip)

    @property
    def preclinical_grounds(self) -> tuple[Match, ...]:
        """Words placing the finding in cells, animals or preclinical work."""
        designs = preclinical_designs()
        grounds = [m for m in self.populations if m.label in PRECLINICAL_POPULATIONS]
        grounds.extend(m for m in self.evidence if m.label in designs)
        return tuple(sorted(grounds, key=lambda m: m.start))

    def cues_labelled(self, label: str) -> tuple[Match, ...]:
        return tuple(m for m in self.cues if m.label == label)

    def effects_labelled(self, label: str) -> tuple[Match, ...]:
        return tuple(m for m in self.effects if m.label == label)


def _first_specific(matches: tuple[Match, ...], generic: frozenset[str]) -> str | None:
    for match in matches:
        if match.label not in generic:
            return match.label
    return matches[0].label if matches else None


@lru_cache(maxsize=1)
def process_conditions() -> frozenset[str]:
    return frozenset(str(x) for x in lexicon_metadata("conditions").get("processes", []))


@lru_cache(maxsize=1)
def generic_conditions() -> frozenset[str]:
    return frozenset(str(x) for x in lexicon_metadata("conditions").get("generic", []))


@lru_cache(maxsize=1)
def preclinical_designs() -> frozenset[str]:
    return frozenset(str(x) for x in lexicon_metadata("evidence-words").get("preclinical", []))


@lru_cache(maxsize=1)
def evidence_levels() -> dict[str, int]:
    levels = lexicon_metadata("evidence-words").get("levels", {})
    return {str(k): int(v) for k, v in levels.items()}
