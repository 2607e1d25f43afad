"""How strong a source is, even when its card does not say.

A card or summary with a ``design`` has a level already.  One without (``design:
unknown``) is graded from what its title and findings say they rest on ("In this mouse
study ..." -> animal), so a bare card still counts as evidence of that level.
"""

from __future__ import annotations

from functools import lru_cache

from evlint.evidence.classify import basis_in
from evlint.evidence.model import BASIS_LEVELS, Evidence

UNGRADED_DESIGNS = frozenset({"regulatory", "guideline"})


@lru_cache(maxsize=1024)
def _inferred(evidence: Evidence) -> tuple[str, int]:
    text = " ".join([evidence.title, *(f.text for f in evidence.findings)])
    basis = basis_in(text)
    if not basis:
        return "unknown", 0
    strongest = max(basis, key=lambda b: BASIS_LEVELS.get(b, 0))
    # "preclinical" is a basis, not a design: call it animal work, its strongest part.
    design = "animal" if strongest == "preclinical" else strongest
    return design, BASIS_LEVELS.get(strongest, 0)


def effective_design(evidence: Evidence) -> str:
    if evidence.design != "unknown":
        return evidence.design
    return _inferred(evidence)[0]


def effective_level(evidence: Evidence) -> int:
    if evidence.design != "unknown":
        return evidence.level
    return _inferred(evidence)[1]


def is_graded(evidence: Evidence) -> bool:
    """Whether a source reports findings of a known strength (not a notice or bare metadata)."""
    if evidence.design in UNGRADED_DESIGNS:
        return False
    return evidence.design != "unknown" or effective_level(evidence) > 0
