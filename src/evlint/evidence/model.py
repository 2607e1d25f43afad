"""Typed model of evidence: one source (paper, card, reference entry) and its statements.

Every loader (summaries, YAML cards, BibTeX, CSL-JSON) produces these types, so rules
never care where a piece of evidence came from.  Items keep the 1-based line of the
statement in the evidence file, so a finding can point at the limitation it relies on.
"""

from __future__ import annotations

from collections.abc import Iterable

from evlint.evidence.vocab import (
    canonical_condition,
    canonical_intervention,
    canonical_population,
)
from evlint.records import record

ITEM_KINDS = ("finding", "limitation", "safety", "regulatory", "scope")

# Ordinal evidence levels from DOMAIN.md, weakest first.  0 means "not graded on the
# efficacy scale": reference metadata, regulatory facts, guidelines without a stated level.
BASIS_LEVELS: dict[str, int] = {
    "in vitro": 1,
    "preclinical": 2,  # cell and/or animal work; its strongest part is animal
    "animal": 2,
    "case report": 3,
    "observational": 4,
    "cohort": 4,
    "case-control": 4,
    "early-phase trial": 5,
    "rct": 6,
    "systematic review": 7,
    "meta-analysis": 7,
}

DESIGNS = (
    "narrative review",
    "systematic review",
    "meta-analysis",
    "rct",
    "early-phase trial",
    "cohort",
    "case-control",
    "case report",
    "animal",
    "in vitro",
    "regulatory",
    "guideline",
    "unknown",
)
REVIEW_DESIGNS = frozenset({"narrative review", "systematic review", "meta-analysis"})
MAX_LEVEL = 7
HUMAN_LEVEL = BASIS_LEVELS["case report"]  # the first level that involves people

REGULATORY_STATUSES = ("not-approved", "approved", "requirement", "warning")


def derive_level(design: str, basis: Iterable[str] = ()) -> int:
    """The evidence level of a source from its design and what it says it rests on.

    A review inherits the strongest level among what it reviews; a systematic review or
    meta-analysis of RCTs (or of an unstated basis) is the top level.
    """
    basis_levels = [BASIS_LEVELS.get(b, 0) for b in basis]
    if design in {"systematic review", "meta-analysis"}:
        if not basis_levels or "rct" in basis:
            return MAX_LEVEL
        return max(basis_levels)
    if design == "narrative review":
        return max(basis_levels, default=0)
    return BASIS_LEVELS.get(design, 0)


def level_name(level: int) -> str:
    """A short label for a level, e.g. ``5 -> "early-phase trial"``."""
    names = {
        0: "not graded",
        1: "in vitro",
        2: "animal / preclinical",
        3: "case report",
        4: "observational",
        5: "early-phase trial",
        6: "randomised controlled trial",
        7: "systematic review / meta-analysis of RCTs",
    }
    return names.get(level, str(level))


@record
class EvidenceItem:
    """One quotable statement of a source, with where it is written.

    ``population`` and ``phase`` are what the statement itself says ("in neonatal models"
    -> preclinical); ``None`` means the statement does not say, and a rule should fall back
    to the source's ``evidence_basis``.  ``topics`` are normalised risk and method terms
    ("thrombotic", "safety data", "dosing").  The regulatory fields are set on
    ``kind == "regulatory"`` items only.
    """

    text: str
    kind: str
    path: str
    line: int
    column: int = 1
    population: str | None = None
    phase: str | None = None
    topics: tuple[str, ...] = ()
    section: str | None = None
    jurisdiction: str | None = None
    status: str | None = None
    interventions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def applies_to(self, intervention: str) -> bool:
        """Whether this (regulatory) item names the intervention, after normalisation."""
        wanted = canonical_intervention(intervention)
        return any(canonical_intervention(i) == wanted for i in self.interventions)


@record
class Evidence:
    """One source of evidence, indexed in the library by every key in ``keys``.

    ``origin`` is the loader that produced it: ``summary``, ``card``, ``bibtex`` or
    ``csl-json``; ``builtin`` marks the shipped evidence pack.  Reference metadata (from a
    bibliography, no card) has ``design == "unknown"``, ``level == 0`` and no items.
    """

    id: str
    keys: frozenset[str]
    title: str
    path: str
    line: int
    origin: str
    year: int | None = None
    authors: tuple[str, ...] = ()
    journal: str | None = None
    date: str | None = None
    url: str | None = None
    design: str = "unknown"
    level: int = 0
    evidence_basis: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    findings: tuple[EvidenceItem, ...] = ()
    limitations: tuple[EvidenceItem, ...] = ()
    safety: tuple[EvidenceItem, ...] = ()
    regulatory: tuple[EvidenceItem, ...] = ()
    scope_notes: tuple[EvidenceItem, ...] = ()
    builtin: bool = False

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def items(self) -> tuple[EvidenceItem, ...]:
        """All statements, in reading order (by line)."""
        every = self.findings + self.limitations + self.safety + self.regulatory + self.scope_notes
        return tuple(sorted(every, key=lambda item: (item.line, item.column)))

    @property
    def is_reference_only(self) -> bool:
        """True for bibliography metadata: the source is known but not what it found."""
        return self.design == "unknown" and not self.items

    @property
    def has_human_evidence(self) -> bool:
        return self.level >= HUMAN_LEVEL

    @property
    def primary_key(self) -> str:
        """The most specific key, for display: DOI, then PMID, PMCID, URL."""
        for prefix in ("doi:", "pmid:", "pmcid:", "url:"):
            matches = sorted(k for k in self.keys if k.startswith(prefix))
            if matches:
                return matches[0]
        return self.id

    def covers_condition(self, term: str) -> bool:
        wanted = canonical_condition(term)
        return any(canonical_condition(c) == wanted for c in self.conditions)

    def covers_intervention(self, term: str) -> bool:
        wanted = canonical_intervention(term)
        return any(canonical_intervention(i) == wanted for i in self.interventions)

    def covers_population(self, term: str) -> bool:
        wanted = canonical_population(term)
        return any(canonical_population(p) == wanted for p in self.populations)

    def items_with_topic(self, topic: str) -> tuple[EvidenceItem, ...]:
        return tuple(item for item in self.items if topic in item.topics)


class EvidenceError(Exception):
    """An evidence file that could not be (fully) loaded; ``line`` is 1-based or None."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EvidenceError):
            return NotImplemented
        return (self.path, self.line, self.message) == (other.path, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.message))


@record
class LoadResult:
    """What one loader got from one file: the evidence it could read and what failed."""

    evidence: tuple[Evidence, ...] = ()
    errors: tuple[EvidenceError, ...] = ()
