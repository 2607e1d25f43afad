"""Health-claim detection: is a sentence a claim, of what kind, about what and whom?

``analyze`` is the one entry point: rules (through ``Analysis.claims``) and ``evlint
grade`` both call it.  The vocabulary lives in ``rules/lexicons`` (conditions,
interventions, effects, body, safety, populations, evidence-words, regulatory,
claim-patterns); strength, hedging and negation come from the grader.  This module only
combines matches: an effect acting on a condition, body system or intervention makes a
claim, and which effect and what it acts on decide the kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from evlint.claims.model import (
    ACTS_ON,
    CLAIM_KINDS,
    HARMS,
    HELPS,
    HUMAN_POPULATIONS,
    LINKED_TO,
    TREATS,
    ClaimAnalysis,
    Deferred,
    process_conditions,
)
from evlint.claims.patterns import PatternSet, builtin_patterns
from evlint.claims.reference_shape import REFERENCE_CUES, may_be_reference
from evlint.claims.strength import grade_strength
from evlint.lexicon import Lexicon, Match, WordGate, builtin_lexicon, tokenize
from evlint.records import record
from evlint.regex_cache import compile_regex

__all__ = [
    "CLAIM_KINDS",
    "ClaimAnalysis",
    "analyze",
    "lexicons_named",
    "looks_like_reference",
    "scanned_lexicon",
]

# A pronoun or demonstrative before the effect word stands for an intervention named
# earlier ("It repairs...", "Its effects in...").
_ANAPHOR = compile_regex(r"\b(?:it|its|they|their|them|this|these|that|those)\b", re.IGNORECASE)
# Two bibliography shapes in one text make it a reference entry, not prose.


@record
class _Lexicons:
    """The built-in claim lexicons and claim patterns, loaded once for the detector."""

    conditions: Lexicon
    interventions: Lexicon
    effects: Lexicon
    body: Lexicon
    safety: Lexicon
    populations: Lexicon
    evidence: Lexicon
    regulatory: Lexicon
    patterns: PatternSet
    anchors: frozenset[str]  # every word a phrase of the eight lexicons is indexed by
    gate: WordGate  # finds, page at a time, which lexicons each sentence may name


_CLAIM_LEXICONS = (
    "conditions",
    "interventions",
    "effects",
    "body",
    "safety",
    "populations",
    "evidence-words",
    "regulatory",
)
_CLAIM_NAMES = frozenset(_CLAIM_LEXICONS)
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _lexicons() -> _Lexicons:
    by_name = {name: builtin_lexicon(name) for name in _CLAIM_LEXICONS}
    anchors = frozenset().union(*(lexicon.anchors for lexicon in by_name.values()))
    scanned = {name: builtin_lexicon(name) for name in (*_CLAIM_LEXICONS, *_ALSO_SCANNED)}
    return _Lexicons(
        conditions=by_name["conditions"],
        interventions=by_name["interventions"],
        effects=by_name["effects"],
        body=by_name["body"],
        safety=by_name["safety"],
        populations=by_name["populations"],
        evidence=by_name["evidence-words"],
        regulatory=by_name["regulatory"],
        patterns=builtin_patterns("claim-patterns"),
        anchors=anchors,
        gate=WordGate(scanned),
    )


_NO_MATCHES: tuple[Match, ...] = ()


def analyze(
    scan: str, *, heading: bool = False, named: frozenset[str] | None = None
) -> ClaimAnalysis:
    """The claim analysis of one sentence (``heading``: the sentence is a heading).

    The strength grade and the regex cues are computed when first read: rules read
    them for claims, ``evlint grade`` for every sentence.  A sentence naming no
    health term cannot be a claim, so its analysis costs one set comparison, or
    nothing when the caller already knows which lexicons it may name (``named``, from
    :func:`lexicons_named`): the others are not searched.
    """
    lex = _lexicons()
    grade = Deferred(grade_strength, scan)
    cues = Deferred(lex.patterns.find_cues, scan)
    if named is None:
        named = _CLAIM_NAMES if not lex.anchors.isdisjoint(tokenize(scan).folded_set) else _NONE
    if named.isdisjoint(_CLAIM_LEXICONS):
        empty = _NO_MATCHES
        return ClaimAnalysis(
            scan, None, grade, empty, empty, empty, empty, empty, empty, empty, empty, cues
        )

    def found(name: str, lexicon: Lexicon) -> tuple[Match, ...]:
        return tuple(lexicon.finditer(scan)) if name in named else _NO_MATCHES

    claim = ClaimAnalysis(
        text=scan,
        kind=None,
        deferred_grade=grade,
        subjects=found("interventions", lex.interventions),
        conditions=found("conditions", lex.conditions),
        body=found("body", lex.body),
        effects=found("effects", lex.effects),
        safety=found("safety", lex.safety),
        populations=found("populations", lex.populations),
        evidence=found("evidence-words", lex.evidence),
        regulatory=found("regulatory", lex.regulatory),
        deferred_cues=cues,
    )
    if not claim.has_terms:
        return claim
    kind = _kind(claim)
    if kind is None or _not_a_claim(claim, heading):
        return claim
    # Rebuilt rather than mutated: the type is frozen and shared with rules.
    return replace(claim, kind=kind)


# Lexicons other kinds read sentence by sentence: one scan finds them with the claim
# lexicons (see ``lexicons_named``).
_ALSO_SCANNED = ("hype", "safety-assertions")


def lexicons_named(scans: Sequence[str]) -> list[frozenset[str]]:
    """For each sentence, the built-in lexicons it may name a phrase of (the claim
    lexicons and ``_ALSO_SCANNED``); a lexicon not listed names nothing there."""
    return _lexicons().gate.groups(scans)


def scanned_lexicon(lexicon: Lexicon) -> bool:
    """Whether ``lexicons_named`` answers for ``lexicon`` (a built-in one it scans)."""
    name = lexicon.name
    return (name in _CLAIM_LEXICONS or name in _ALSO_SCANNED) and builtin_lexicon(name) is lexicon


@lru_cache(maxsize=512)  # asked of each list item by both the citation index and the claims
def looks_like_reference(text: str) -> bool:
    """True when ``text`` has the shape of a bibliography entry (DOI, et al., year...)."""
    if not may_be_reference(text):
        return False  # most list items: no two reference literals
    found = {m.start for m in _lexicons().patterns.only("reference_entry").finditer(text)}
    return len(found) >= REFERENCE_CUES


def _not_a_claim(claim: ClaimAnalysis, heading: bool) -> bool:
    text = claim.text.rstrip()
    if text.endswith("?"):
        return True  # questions ask; they do not claim
    if heading and claim.strength == "none":
        return True  # a topic heading ("Exosome treatment") names, it does not assert
    return _has_cue(claim, "reference_entry") and (
        len(claim.cues_labelled("reference_entry")) >= REFERENCE_CUES
    )


def _has_cue(claim: ClaimAnalysis, label: str) -> bool:
    """``bool(claim.cues_labelled(label))``, without scanning for every cue when a scan
    for this label alone finds nothing.  Exact: where the full scan finds a cue of the
    label, the label's own patterns match at that place too, so the lone scan finds one
    there or earlier."""
    if (
        not claim.deferred_cues.ready
        and next(_label_cues(label).finditer(claim.text), None) is None
    ):
        return False
    return bool(claim.cues_labelled(label))


@lru_cache(maxsize=16)
def _label_cues(label: str) -> PatternSet:
    return _lexicons().patterns.only(label)


def _kind(claim: ClaimAnalysis) -> str | None:
    if claim.safety and (claim.subjects or claim.conditions or claim.body or claim.effects):
        return "safety"
    approval = [m for m in claim.regulatory if m.label == "approved"]
    if approval and (claim.subjects or claim.conditions):
        return "regulatory"
    # Background biology is no claim whatever else the sentence has; it is asked last
    # because its cue scan costs more than the structural checks, which most
    # sentences naming a health term fail.
    kind = _claim_kind(claim)
    if kind is None or _background_biology(claim):
        return None
    return kind


def _claim_kind(claim: ClaimAnalysis) -> str | None:
    therapy = claim.effects_labelled(TREATS)
    benefit = claim.effects_labelled(HELPS)
    linked = claim.effects_labelled(LINKED_TO)
    diseases = claim.disease_conditions
    processes = process_conditions()
    has_process = any(m.label in processes for m in claim.conditions)
    if linked and (claim.conditions or claim.subjects):
        # "associated with lower mortality": the relation named first frames the claim.
        first_effect = min((m.start for m in (*therapy, *benefit)), default=len(claim.text))
        if linked[0].start < first_effect:
            return "association"
    if therapy and (claim.conditions or claim.body or claim.subjects):
        return "prevention" if _has_cue(claim, "prevention") else "efficacy"
    if benefit and (claim.conditions or claim.body or claim.subjects):
        if (claim.conditions or claim.subjects) and _has_cue(claim, "prevention"):
            return "prevention"
        if diseases:
            return "efficacy"
        if has_process or claim.body:
            return "mechanism"
    if linked and (claim.conditions or claim.subjects):
        return "association"
    if claim.effects_labelled(HARMS) and diseases and claim.subjects:
        return "association"  # a risk factor stated causally is still a risk-factor claim
    if claim.regulatory and (claim.subjects or claim.conditions):
        return "regulatory"
    if (
        claim.conditions or any(m.label in HUMAN_POPULATIONS for m in claim.populations)
    ) and _has_cue(claim, "statistic"):
        return "statistic"
    if claim.effects_labelled(ACTS_ON) and (claim.body or claim.conditions):
        return "mechanism"
    return None


def _background_biology(claim: ClaimAnalysis) -> bool:
    """Textbook statements about the body, not about an intervention.

    "The immune system fights infection": a body system, not an intervention or a
    pronoun standing for one, is what acts.  Definitions ("X is a type of Y") with no
    therapeutic effect are background too.
    """
    if not claim.effects_labelled(TREATS) and _has_cue(claim, "background"):
        return True
    if not claim.effects:
        return False
    first_effect = claim.effects[0].start
    body_first = any(m.start < first_effect for m in claim.body)
    if not body_first:
        return False
    actor_first = any(m.start < first_effect for m in claim.subjects)
    return not actor_first and _ANAPHOR.search(claim.text, 0, first_effect) is None
