"""Kinds about claims stronger than their evidence (Sumner et al. 2014; Yu et al. 2019).

``overstated_strength``: absolute or unqualified causal efficacy wording.
``preclinical_as_clinical``: a human therapeutic benefit argued from cell, animal or
mechanistic findings, in one sentence or from the sentence before it.
Both read the claim model only; wording lists live in ``rules/lexicons``, reasons and
suggestions in the rule files and lexicon metadata.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from evlint.analysis import Analysis
from evlint.claims.model import ACTS_ON, PRECLINICAL_POPULATIONS, TREATS, ClaimAnalysis
from evlint.claims.model import process_conditions as _processes
from evlint.claims.patterns import lexicon_metadata
from evlint.kinds.base import Violation, sentence_violation
from evlint.lexicon import Match, builtin_lexicon
from evlint.records import record
from evlint.rulespec import Rule
from evlint.sentences import Sentence

_OBSERVATIONAL = "observational"


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list | tuple) else ()


def _mapping(value: Any) -> Mapping[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _softened(claim: ClaimAnalysis, not_hedges: frozenset[str]) -> bool:
    """Hedged by the grader with wording that really hedges ("can" states ability)."""
    if not claim.hedged:
        return False
    lexical = [c for c in claim.grade.cues if c.kind in ("hedge", "conditional")]
    if not lexical:
        return True  # the grader's model read the sentence as hedged
    return any(c.text.lower().split()[0] not in not_hedges for c in lexical)


def overstated_strength(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Absolute or unhedged strong efficacy wording in a health claim."""
    options = rule.options
    lexicon_name = str(options.get("lexicon", "overstatement"))
    lexicon = builtin_lexicon(lexicon_name)
    suggestions = _mapping(lexicon_metadata(lexicon_name).get("suggest"))
    reasons = _mapping(options.get("reasons"))
    priority = _strings(options.get("priority"))
    kinds = frozenset(_strings(options.get("claim_kinds")))
    even_hedged = frozenset(_strings(options.get("even_when_hedged")))
    not_hedges = frozenset(_strings(options.get("not_hedges")))
    for sentence in analysis.prose_sentences:
        claim = analysis.claims.get(sentence.index)
        if claim is None or (kinds and claim.kind not in kinds):
            continue
        if claim.negated or claim.cues_labelled("limitation"):
            continue
        softened = _softened(claim, not_hedges)
        cues = [
            m for m in lexicon.finditer(sentence.scan) if not softened or m.label in even_hedged
        ]
        if not softened and claim.strength == "causal":
            # Correlation stated as causation: an observational design with a causal verb.
            cues.extend(
                Match(_OBSERVATIONAL, _OBSERVATIONAL, m.start, m.end, m.text)
                for m in claim.evidence
                if m.label == "observational study"
            )
        if not cues:
            continue
        rank = {label: i for i, label in enumerate(priority)}
        cues.sort(key=lambda m: (rank.get(m.label, len(rank)), m.start))
        primary = cues[0]
        others = [m.text for m in sorted(cues[1:], key=lambda m: m.start) if m.text != primary.text]
        also = f" (also: {', '.join(repr(t) for t in dict.fromkeys(others))})" if others else ""
        yield Violation(
            sentence.source_span(primary.start, primary.end),
            {
                "term": primary.text,
                "reason": reasons.get(primary.label, "states the effect as settled"),
                "also": also,
                "suggestion": suggestions.get(primary.label, "may help"),
                "sentence": sentence.display,
            },
            sentence,
        )


@record
class _Ground:
    """The cell, animal or mechanistic finding a human claim is argued from."""

    text: str
    basis: str  # key into the rule's ``basis`` option


def preclinical_as_clinical(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A human therapeutic claim grounded in cell, animal or mechanistic findings."""
    basis_text = _mapping(rule.options.get("basis"))
    previous: tuple[Sentence, ClaimAnalysis] | None = None
    for sentence in analysis.prose_sentences:
        current = analysis.sentence_claims.get(sentence.index)
        before = previous if previous and previous[0].block is sentence.block else None
        previous = (sentence, current) if current is not None else None
        if current is None or current.kind not in ("efficacy", "prevention"):
            continue
        therapy = _therapy_target(current)
        if therapy is None or current.negated or current.cues_labelled("limitation"):
            continue
        ground = _ground_in_sentence(current, therapy) or _ground_before(before, current, therapy)
        if ground is None:
            continue
        diseases = [m.text for m in current.disease_conditions]
        yield sentence_violation(
            sentence,
            ground=ground.text,
            basis=basis_text.get(ground.basis, ground.basis),
            benefit=f"{therapy.text} {diseases[0]}" if diseases else therapy.text,
        )


def _therapy_target(claim: ClaimAnalysis) -> Match | None:
    """The therapeutic-benefit wording, when the claim names a disease it treats."""
    if not claim.disease_conditions:
        return None
    therapy = claim.effects_labelled(TREATS)
    return therapy[0] if therapy else None


def _inference_before(claim: ClaimAnalysis, position: int) -> bool:
    return any(m.start < position for m in claim.cues_labelled("inference"))


def _ground_in_sentence(claim: ClaimAnalysis, therapy: Match) -> _Ground | None:
    preclinical = claim.preclinical_grounds
    if preclinical and (
        _inference_before(claim, therapy.start)
        or any(m.label not in PRECLINICAL_POPULATIONS for m in claim.populations)
        or any(m.start < therapy.start for m in claim.cues_labelled("report"))
    ):
        return _preclinical_ground(preclinical[0])
    mechanism = _mechanism_grounds(claim, therapy.start)
    if mechanism and _inference_before(claim, therapy.start):
        return _Ground(mechanism[0].text, "mechanism")
    return None


def _ground_before(
    before: tuple[Sentence, ClaimAnalysis] | None, claim: ClaimAnalysis, therapy: Match
) -> _Ground | None:
    """The previous sentence of the paragraph states the finding; this one infers."""
    if before is None or not _inference_before(claim, therapy.start):
        return None
    prior = before[1]
    if prior.cues_labelled("limitation"):
        return None
    if prior.preclinical_grounds:
        return _preclinical_ground(prior.preclinical_grounds[0])
    mechanism = _mechanism_grounds(prior, len(prior.text))
    if mechanism and prior.kind == "mechanism":
        return _Ground(mechanism[0].text, "mechanism")
    return None


def _preclinical_ground(match: Match) -> _Ground:
    return _Ground(match.text, match.label)


def _mechanism_grounds(claim: ClaimAnalysis, before: int) -> list[Match]:
    """Mechanism wording, processes ("neuroinflammation") and body targets before a point."""
    processes = _processes()
    found = [m for m in claim.effects_labelled(ACTS_ON) if m.start < before]
    found.extend(m for m in claim.conditions if m.label in processes and m.start < before)
    found.extend(m for m in claim.body if m.start < before)
    return sorted(found, key=lambda m: m.start)
