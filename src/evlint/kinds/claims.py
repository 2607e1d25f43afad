"""Kinds about health claims and their support."""

from __future__ import annotations

from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation, sentence_violation
from evlint.rulespec import Rule


def uncited_claim(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A health claim whose sentence carries (or is covered by) no citation."""
    kinds = set(rule.options.get("claim_kinds", []))
    cited = analysis.cited_sentences
    for sentence in analysis.prose_sentences:
        claim = analysis.claims.get(sentence.index)
        if claim is None or sentence.index in cited:
            continue
        if kinds and claim.kind not in kinds:
            continue
        yield sentence_violation(sentence, claim_kind=claim.kind or "health")
