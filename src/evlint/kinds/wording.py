"""Kinds that report wording found by a lexicon."""

from __future__ import annotations

from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation
from evlint.lexicon import builtin_lexicon
from evlint.rulespec import Rule


def lexicon_match(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Every match of ``options.lexicon`` (limited to ``options.groups``) in prose."""
    lexicon = builtin_lexicon(str(rule.options["lexicon"]))
    groups = set(rule.options.get("groups", []))
    for sentence in analysis.prose_sentences:
        if sentence.block.kind == "heading" and not rule.options.get("headings", True):
            continue
        for match in lexicon.finditer(sentence.scan):
            if groups and match.label not in groups:
                continue
            yield Violation(
                sentence.source_span(match.start, match.end),
                {"term": match.text, "sentence": sentence.display},
                sentence,
            )


def safety_wording(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Absolute safety wording in a health context; comparative wording when uncited."""
    cited = analysis.cited_sentences
    for sentence in analysis.prose_sentences:
        claim = analysis.claims.get(sentence.index)
        if claim is None or claim.kind != "safety":
            continue
        for match in claim.safety:
            if match.label == "safer than" and sentence.index in cited:
                continue
            reason = (
                "absolute safety wording no evidence can support"
                if match.label == "no risk"
                else "a comparative safety claim with no citation"
            )
            yield Violation(
                sentence.source_span(match.start, match.end),
                {"term": match.text, "reason": reason, "sentence": sentence.display},
                sentence,
            )
