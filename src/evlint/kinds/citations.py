"""Kinds about citations: integrity problems, self-supported claims and vague appeals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from evlint.analysis import Analysis
from evlint.citations.classify import host_of
from evlint.citations.model import ResolvedCitation
from evlint.kinds.base import Violation, sentence_violation
from evlint.model import Related
from evlint.rulespec import Rule

if TYPE_CHECKING:
    from evlint.prefilter import GatedPattern


def citation_problem(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Problems of the kinds in ``options.problems`` (dangling, unused, duplicate, malformed)."""
    wanted = set(rule.options.get("problems", []))
    path = analysis.document.path
    for problem in analysis.citations.problems:
        if wanted and problem.kind not in wanted:
            continue
        related: tuple[Related, ...] = ()
        if problem.related_line is not None:
            related = (Related(path, problem.related_line, "first entry with this identifier"),)
        yield Violation(problem.span, {"problem": problem.detail}, None, related)


def self_supported_claim(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A health claim whose only support is the site's own page or a non-scholarly page."""
    strong = set(rule.options.get("strong_classes", ["scholarly", "authority"]))
    index = analysis.citations
    for sentence in analysis.prose_sentences:
        if sentence.index not in analysis.claims:
            continue
        usable = [c for c in index.for_sentence(sentence) if c.status != "dangling"]
        if not usable or any(c.source_class in strong for c in usable):
            continue
        yield sentence_violation(sentence, reason=_reason(usable))


def _reason(citations: list[ResolvedCitation]) -> str:
    first = citations[0]
    where = first.citation.href or first.citation.text
    if all(c.source_class == "self" for c in citations):
        return f"its only support is a link to this site's own page ({where})"
    host = host_of(where) or where
    return f"its only support is a non-scholarly page ({host})"


@lru_cache(maxsize=8)
def _appeal_pattern(phrases: tuple[str, ...]) -> GatedPattern:
    from evlint.prefilter import gated

    return gated(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)


def vague_appeal(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Appeals to unnamed evidence ("studies show") in a sentence no citation supports."""
    phrases = tuple(str(p) for p in rule.options.get("phrases", []))
    if not phrases:
        return
    from evlint.prefilter import fold_case, texts_matching

    prose = analysis.prose_sentences
    scans = [sentence.scan for sentence in prose]
    # Most pages appeal to no evidence at all: the phrases whose words the page lacks
    # are dropped first, then one pass over the page finds the sentences to check.
    pattern = _appeal_pattern(phrases).for_page(fold_case("\n".join(scans)))
    if pattern is None:
        return
    index = analysis.citations
    for sentence, hit in zip(prose, texts_matching(pattern, scans), strict=True):
        match = next(pattern.finditer(sentence.scan), None) if hit else None
        if match is None or index.supported(sentence):
            continue
        yield Violation(
            sentence.source_span(match.start(), match.end()),
            {"phrase": match.group(0), "sentence": sentence.display},
            sentence,
        )
