"""Kinds about health claims and their support."""

from __future__ import annotations

from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation, sentence_violation
from evlint.rulespec import Rule


def uncited_claim(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A health claim covered by no resolved citation.

    A claim whose only citations are the site's own pages is not cited either, but
    the self-link rule reports it (with that reason), so it is skipped here.
    """
    kinds = set(rule.options.get("claim_kinds", []))
    cited = analysis.cited_sentences
    index = analysis.citations
    for sentence in analysis.prose_sentences:
        claim = analysis.claims.get(sentence.index)
        if claim is None or sentence.index in cited:
            continue
        if any(c.status != "dangling" for c in index.for_sentence(sentence)):
            continue
        if kinds and claim.kind not in kinds:
            continue
        yield sentence_violation(sentence, claim_kind=claim.kind or "health")
