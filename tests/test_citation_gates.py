"""Cheap pre-checks of the citation index must never change a result."""

from __future__ import annotations

import random

from evlint.claims.detector import _REFERENCE_CUES, looks_like_reference
from evlint.claims.patterns import builtin_patterns

# Cue-shaped fragments (each reference_entry alternative), near misses and filler.
_FRAGMENTS = (  # noqa: SIM905
    "doi doi: DOI 10.1000/xyz 10.12 et al et al. Et Al (2020) (1999a) (2021, March 3) "
    "12(3):45 7 (2), e1 PMID PMCID pmc123 PMC J Int J Proc Natl Acad Sci Front Lancet "
    "BMJ JAMA N Engl J Med j. ( ) (abc) 2020 12 v1.10.2 doing pm front-end obj "
    "install the package see page İstanbul K ſ (١٢٣٤) ٣(٤):٥ etal lancets jamas"
).split()


def _full_check(text: str) -> bool:
    """The reference-entry test with no pre-check: every cue pattern run."""
    cues = builtin_patterns("claim-patterns").only("reference_entry")
    return len({m.start for m in cues.finditer(text)}) >= _REFERENCE_CUES


def test_reference_gate_agrees_with_the_full_cue_scan() -> None:
    rng = random.Random(11)
    admitted = 0
    for _ in range(4000):
        words = [rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 8))]
        text = rng.choice((" ", "", ", ", "\n")).join(words)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else text.title()
        expected = _full_check(text)
        admitted += expected
        assert looks_like_reference.__wrapped__(text) == expected, text
    assert admitted > 200  # the sample really exercises texts that are references


def test_reference_gate_keeps_known_entries() -> None:
    for text in (
        "Smith J, et al. Exosomes. Front Immunol. 2020;11:1. doi:10.3389/x",
        "JAMA benchmarks (Silberg et al. 1997): authorship, attribution.",
        "Front end and front matter",
        "Doe (2019) and Roe (2020)",
        "Nature 12(3):45, PMID 123",
    ):
        assert looks_like_reference.__wrapped__(text), text
        assert _full_check(text), text
    assert not looks_like_reference.__wrapped__("Install the package with pip (v2).")
