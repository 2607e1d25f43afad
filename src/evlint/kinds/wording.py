"""Kinds that report wording found by a lexicon."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation
from evlint.lexicon import builtin_lexicon
from evlint.regex_cache import compile_regex
from evlint.rulespec import Rule


def lexicon_match(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Every match of ``options.lexicon`` (limited to ``options.groups``) in prose."""
    lexicon = builtin_lexicon(str(rule.options["lexicon"]))
    groups = set(rule.options.get("groups", []))
    for sentence in analysis.naming(lexicon):
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


def hype_language(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Promotional superlatives, read against the sentence's claim analysis.

    Groups in ``options.historical_groups`` ("breakthrough") are skipped in a dated or
    historical sentence; matches inside an overstatement cue of a health claim are left
    to ``overstated-strength`` so one wording gets one finding.
    """
    options = rule.options
    lexicon = builtin_lexicon(str(options.get("lexicon", "hype")))
    historical_groups = set(options.get("historical_groups", []))
    deferred = builtin_lexicon(str(options.get("defer_to", "overstatement")))
    reasons: dict[str, str] = {str(k): str(v) for k, v in options.get("reasons", {}).items()}
    for sentence in analysis.naming(lexicon):
        claim = analysis.sentence_claims.get(sentence.index)
        if claim is None:
            continue
        if sentence.block.kind == "heading" and not options.get("headings", True):
            continue
        matches = lexicon.find_all(sentence.scan)
        if not matches:
            continue  # most sentences: the sentence's cues need not be computed
        historical = bool(claim.cues_labelled("historical"))
        owned = list(deferred.finditer(sentence.scan)) if claim.is_claim else []
        for match in matches:
            if historical and match.label in historical_groups:
                continue
            if any(o.start < match.end and match.start < o.end for o in owned):
                continue
            if _mentioned(sentence.scan, match.start, match.end):
                continue
            yield Violation(
                sentence.source_span(match.start, match.end),
                {
                    "term": match.text,
                    "reason": reasons.get(match.label, "promotes instead of informing"),
                    "sentence": sentence.display,
                },
                sentence,
            )


_QUOTES = "\"'“”‘’«»"
_NEGATED = compile_regex(r"\b(?:no|not|never|without|nor)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _mentioned(scan: str, start: int, end: int) -> bool:
    """A term in quotation marks is mentioned, not used ("headlines calling it a
    'breakthrough'"); a negated one ("no guarantee of purity") promises nothing."""
    before = scan[start - 1] if start > 0 else ""
    after = scan[end] if end < len(scan) else ""
    if before and after and before in _QUOTES and after in _QUOTES:
        return True
    return _NEGATED.search(scan, max(0, start - 24), start) is not None
