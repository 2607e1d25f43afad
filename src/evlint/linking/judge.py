"""What the evidence rules ask of a linked claim: scope, strength, safety, limitations.

Pure functions over ``ClaimLink`` and ``Evidence``; the kinds in
``evlint.kinds.evidence`` turn their answers into findings.  Conditions are compared
both through the evidence vocabulary (``canonical_condition``) and through the claim
lexicon's labels, so "joint pain" meets an osteoarthritis card and "brain injury" in a
review meets "neurological diseases" in a post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from evlint.claims.model import (
    HUMAN_POPULATIONS,
    PRECLINICAL_POPULATIONS,
    ClaimAnalysis,
    generic_conditions,
    process_conditions,
)
from evlint.evidence.model import HUMAN_LEVEL, Evidence, EvidenceItem
from evlint.evidence.vocab import (
    canonical_condition,
    canonical_population,
    find_terms,
    is_generic_condition,
)
from evlint.lexicon import Lexicon, Match, builtin_lexicon
from evlint.linking.grading import effective_level
from evlint.linking.link import ClaimLink, Link
from evlint.regex_cache import compile_regex

RCT_LEVEL = 6  # DOMAIN.md: a treatment claim needs at least controlled trials
THERAPEUTIC_KINDS = frozenset({"efficacy", "prevention"})
WEAK_STRENGTHS = frozenset({"correlational", "conditional"})

# Risk topics (evidence.vocab.TOPICS) that make a safety claim unsupported.
RISK_TOPICS = (
    "thrombotic",
    "procoagulant",
    "adverse events",
    "toxicity",
    "immunogenicity",
    "tumorigenicity",
    "infection risk",
    "safety data",
    "safety",
)
# How a missing limitation is named in a message, by topic.
TOPIC_NAMES: dict[str, str] = {
    "thrombotic": "thrombotic risk",
    "procoagulant": "procoagulant activity",
    "adverse events": "reported adverse events",
    "toxicity": "toxicity",
    "immunogenicity": "immunogenicity",
    "tumorigenicity": "tumour risk",
    "infection risk": "infection risk",
    "safety data": "limited safety data",
    "safety": "unresolved safety questions",
    "dosing": "no standard dosing",
    "standardization": "unstandardised methods",
    "isolation methods": "variable isolation methods",
    "characterization": "incomplete characterisation",
    "quantification": "variable quantification",
    "evidence gaps": "evidence gaps",
}
# Limitation topics named in messages, most material first; "safety" and "evidence
# gaps" are too vague to list when a specific topic is there.
LISTED_TOPICS = (
    *(topic for topic in RISK_TOPICS if topic != "safety"),
    "dosing",
    "characterization",
    "isolation methods",
    "quantification",
    "standardization",
    "safety",
    "evidence gaps",
)
_VAGUE_TOPICS = frozenset({"safety", "evidence gaps"})
# Where a risk statement's quote should start: the first named risk or safety gap.
RISK_FOCUS = compile_regex(
    r"safety data|safety profile|thrombo|procoagulant|adverse|side effect|toxic", re.IGNORECASE
)
# A safety statement that reassures ("No serious adverse events were attributed").
_REASSURING = compile_regex(
    r"^\s*(?:there were\s+)?no\b|\bwere not\b|\bwell[- ]tolerated\b|\bwithout (?:serious )?adverse",
    re.IGNORECASE,
)
_NEGATION_WINDOW = 40
_NEGATION = compile_regex(
    r"\b(?:not|never|no|isn't|aren't|wasn't|unknown|unclear|whether|if|cannot|can't|"
    r"unproven|uncertain)\b[^.;:]*$",
    re.IGNORECASE,
)
_AGE_BANDS: dict[str, str] = {
    "neonates": "newborns",
    "preterm infants": "newborns",
    "term infants": "newborns",
    "infants": "newborns",
    "children": "children",
    "adults": "adults",
    "older adults": "adults",
    "pregnant women": "adults",
}


# ---- scope -------------------------------------------------------------------------


def specific_conditions(claim: ClaimAnalysis) -> tuple[Match, ...]:
    """Diseases the claim names, without classes ("disease") or processes ("inflammation")."""
    skip = generic_conditions() | process_conditions() | {"disease"}
    found: list[Match] = []
    for match in claim.conditions:
        if match.label in skip or is_generic_condition(match.text):
            continue
        if all(m.label != match.label for m in found):
            found.append(match)
    return tuple(found)


@lru_cache(maxsize=512)
def _condition_labels(term: str) -> frozenset[str]:
    return frozenset(builtin_lexicon("conditions").labels_in(term))


def evidence_conditions(evidence: Evidence) -> tuple[str, ...]:
    """The conditions a source covers: its scope, else those its title and findings name."""
    if evidence.conditions:
        return evidence.conditions
    text = " ".join([evidence.title, *(item.text for item in evidence.findings)])
    return tuple(dict.fromkeys(name for _, name in find_terms(text, "conditions")))


def covers(evidence: Evidence, condition: Match) -> bool:
    scope = evidence_conditions(evidence)
    wanted = {canonical_condition(condition.label), canonical_condition(condition.text)}
    if any(canonical_condition(c) in wanted for c in scope):
        return True
    return any(condition.label in _condition_labels(c) for c in scope)


def out_of_scope(link: ClaimLink) -> tuple[tuple[Match, ...], tuple[Link, ...]]:
    """Conditions of the claim that no linked source covers, and the sources consulted.

    Only judged when every graded source states a scope: a source of unknown scope may
    well cover the condition.
    """
    graded = link.graded
    if not graded or any(not evidence_conditions(g.evidence) for g in graded):
        return (), graded
    missing = tuple(
        m for m in specific_conditions(link.claim) if not any(covers(g.evidence, m) for g in graded)
    )
    return missing, graded


def in_scope_links(link: ClaimLink) -> tuple[Link, ...]:
    """Graded sources that cover (or do not limit) the claim's conditions."""
    conditions = specific_conditions(link.claim)
    if not conditions:
        return link.graded
    return tuple(
        g
        for g in link.graded
        if not evidence_conditions(g.evidence) or any(covers(g.evidence, m) for m in conditions)
    )


def population_mismatch(link: ClaimLink) -> tuple[str, Link] | None:
    """A human group the claim names that its sources did not study: (group, source)."""
    claim = link.claim
    labels = {m.label for m in claim.populations}
    if not labels & HUMAN_POPULATIONS or labels & PRECLINICAL_POPULATIONS:
        return None
    graded = in_scope_links(link)
    if graded and all(0 < effective_level(g.evidence) < HUMAN_LEVEL for g in graded):
        named = next(m.text for m in claim.populations if m.label in HUMAN_POPULATIONS)
        return named, graded[0]
    for match in claim.populations:
        band = _AGE_BANDS.get(canonical_population(match.text))
        if band is None:
            continue
        for g in graded:
            bands = {_AGE_BANDS.get(canonical_population(p)) for p in g.evidence.populations}
            bands.discard(None)
            if bands and band not in bands:
                return match.text, g
    return None


# ---- strength ----------------------------------------------------------------------


def asserts_benefit(claim: ClaimAnalysis) -> bool:
    """An unhedged treatment or prevention claim about people (not scoped to mice)."""
    if claim.kind not in THERAPEUTIC_KINDS or claim.hedged or claim.negated:
        return False
    if claim.strength in WEAK_STRENGTHS and not claim.absolute:
        return False
    return not claim.preclinical_grounds and not claim.cues_labelled("limitation")


def mechanism_inference(claim: ClaimAnalysis) -> bool:
    """A therapy argued from a mechanism ("crosses the barrier, making it useful in...")."""
    return bool(claim.cues_labelled("inference")) and bool(
        claim.effects_labelled("acts on")
        or any(m.label in process_conditions() for m in claim.conditions)
    )


def strongest(links: tuple[Link, ...]) -> Link | None:
    if not links:
        return None
    return max(links, key=lambda g: effective_level(g.evidence))


def is_preclinical(evidence: Evidence) -> bool:
    """No human evidence at all: cell or animal work only."""
    return 0 < effective_level(evidence) < HUMAN_LEVEL


def basis_items(evidence: Evidence) -> tuple[EvidenceItem, ...]:
    """The statements that say what the evidence rests on: phase-tagged findings first,
    then findings about models, then any finding (a card's "mouse study" result)."""
    tagged = [f for f in evidence.findings if f.phase]
    if tagged:
        return tuple(tagged)
    if evidence.findings:
        return evidence.findings[:1]
    return evidence.scope_notes[:1]


# ---- safety ------------------------------------------------------------------------


def safety_assertion_lexicon() -> Lexicon:
    return builtin_lexicon("safety-assertions")


def safety_assertions(claim: ClaimAnalysis, scan: str) -> tuple[Match, ...]:
    """Safety or tolerability wording that is asserted, not negated or questioned."""
    asserted = safety_assertion_lexicon().find_all(scan)
    if not (claim.safety or asserted):
        return ()  # checked first: the lexicons are cheaper than the sentence's cues
    if scan.rstrip().endswith("?") or claim.cues_labelled("limitation"):
        return ()
    found = list(claim.safety)
    for match in asserted:
        before = scan[max(0, match.start - _NEGATION_WINDOW) : match.start]
        if _NEGATION.search(before) and not match.text.lower().startswith(("no ", "zero")):
            continue
        if not any(m.start <= match.start < m.end for m in found):
            found.append(match)
    return tuple(sorted(found, key=lambda m: m.start))


def risk_items(evidence: Evidence) -> tuple[EvidenceItem, ...]:
    """Stated limitations and safety statements that name missing safety data or a risk."""
    items: list[EvidenceItem] = []
    for item in (*evidence.limitations, *evidence.safety):
        if not set(item.topics) & set(RISK_TOPICS):
            continue
        if item.kind == "safety" and _REASSURING.search(item.text):
            continue
        items.append(item)
    # Named risks before general "safety" wording: they make the better quote.
    return tuple(sorted(items, key=_risk_rank))


def _risk_rank(item: EvidenceItem) -> int:
    ranks = [RISK_TOPICS.index(t) for t in item.topics if t in RISK_TOPICS]
    return min(ranks, default=len(RISK_TOPICS))


# ---- limitations -------------------------------------------------------------------


def material_topics(evidence: Evidence) -> dict[str, EvidenceItem]:
    """Limitation topics a source states, each with the first statement naming it."""
    found: dict[str, EvidenceItem] = {}
    for item in (*evidence.limitations, *risk_items(evidence)):
        for topic in item.topics:
            if topic in TOPIC_NAMES and topic not in found:
                found[topic] = item
    return found


def listed_topics(topics: Iterable[str]) -> list[str]:
    """Topics to name in a message: most material first, vague ones only when alone."""
    present = set(topics)
    ordered = [t for t in LISTED_TOPICS if t in present]
    specific = [t for t in ordered if t not in _VAGUE_TOPICS]
    return specific or ordered
