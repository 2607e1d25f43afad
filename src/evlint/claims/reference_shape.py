"""The cheap first test of "is this list item a bibliography entry?".

The full test (``claims.detector.looks_like_reference``) counts reference cues with
the claim-pattern lexicons, which take milliseconds to load.  Every list item of every
page is asked, and most hold no cue at all, so this module answers those without
loading anything: a page whose lists hold no citation-shaped text never imports the
claim detector.
"""

from __future__ import annotations

from evlint.regex_cache import compile_regex

# A list item is a reference entry when it holds this many reference cues.
REFERENCE_CUES = 2
# Every reference_entry match (claim-patterns.yaml) holds one of these strings (lower
# case); tests/test_citation_gates.py checks them against the cues.
_REFERENCE_LITERALS = compile_regex(r"doi|10\.|et al|pm|j |jama|front|lancet|proc natl|\(\d")


def may_be_reference(text: str) -> bool:
    """False when ``text`` cannot hold two reference cues.

    Cue matches never overlap, so two cues need two literals starting at different
    places.  When lowering changes the text's length, the cues (which run
    case-insensitively on the text itself) cannot be pre-checked: answer True.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        return True
    first = _REFERENCE_LITERALS.search(lowered)
    return first is not None and _REFERENCE_LITERALS.search(lowered, first.start() + 1) is not None


def looks_like_reference(text: str) -> bool:
    """The full test, with the claim detector imported only for texts that pass."""
    if not may_be_reference(text):
        return False
    from evlint.claims.detector import looks_like_reference as full_test

    return full_test(text)
