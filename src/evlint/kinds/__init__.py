"""The registry of rule kinds: each rule file names one of these.

Values are ``module:function`` strings imported on first use, so loading the
registry costs nothing and a run imports only the kinds its rules need.  The
evidence kinds pull in the evidence library's readers and the claim-to-evidence
linking; they can report only on a page with a claim, so until a page has one they
stand behind a cheap guard and their module is not imported at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

from evlint.analysis import Analysis
from evlint.kinds.base import Violation
from evlint.rulespec import Rule

KindFunction = Callable[[Rule, Analysis], Iterator[Violation]]

KINDS: dict[str, str] = {
    "engine": "evlint.kinds.base:engine_only",
    "front_matter": "evlint.kinds.document:front_matter_invalid",
    "uncited_claim": "evlint.kinds.claims:uncited_claim",
    "lexicon_match": "evlint.kinds.wording:lexicon_match",
    "safety_wording": "evlint.kinds.wording:safety_wording",
    "hype_language": "evlint.kinds.wording:hype_language",
    "overstated_strength": "evlint.kinds.overstatement:overstated_strength",
    "preclinical_as_clinical": "evlint.kinds.overstatement:preclinical_as_clinical",
    "citation_problem": "evlint.kinds.citations:citation_problem",
    "self_supported_claim": "evlint.kinds.citations:self_supported_claim",
    "vague_appeal": "evlint.kinds.citations:vague_appeal",
    "evidence_exceeded": "evlint.kinds.evidence:evidence_exceeded",
    "evidence_scope": "evlint.kinds.evidence:evidence_scope",
    "evidence_safety": "evlint.kinds.evidence:evidence_safety",
    "evidence_omitted_limitations": "evlint.kinds.evidence:evidence_omitted_limitations",
    "evidence_regulatory": "evlint.kinds.evidence:evidence_regulatory",
    "pattern": "evlint.kinds.pattern:pattern",
    "missing_date": "evlint.kinds.doclevel:missing_date",
    "missing_author": "evlint.kinds.doclevel:missing_author",
    "missing_sources": "evlint.kinds.doclevel:missing_sources",
    "missing_risk_discussion": "evlint.kinds.doclevel:missing_risk_discussion",
    "missing_uncertainty_discussion": "evlint.kinds.doclevel:missing_uncertainty_discussion",
    "missing_regulatory_status": "evlint.kinds.doclevel:missing_regulatory_status",
}


def _has_claims(analysis: Analysis) -> bool:
    return bool(analysis.claims)


def _has_safety_wording(analysis: Analysis) -> bool:
    """Whether a sentence may assert safety: a claim with a safety term, or a sentence
    that may name a safety-assertion phrase (``evidence_safety`` reads only those)."""
    from evlint.lexicon import builtin_lexicon

    return any(claim.safety for claim in analysis.sentence_claims.values()) or bool(
        analysis.naming(builtin_lexicon("safety-assertions"))
    )


# A kind listed here yields nothing on a page its guard rejects (a superset test).
GUARDS: dict[str, Callable[[Analysis], bool]] = {
    "evidence_exceeded": _has_claims,
    "evidence_scope": _has_claims,
    "evidence_omitted_limitations": _has_claims,
    "evidence_regulatory": _has_claims,
    "evidence_safety": _has_safety_wording,
}

_loaded: dict[str, KindFunction] = {}


def get_kind(name: str) -> KindFunction:
    function = _loaded.get(name)
    if function is None:
        guard = GUARDS.get(name)
        function = _import(name) if guard is None else _guarded(name, guard)
        _loaded[name] = function
    return function


def _import(name: str) -> KindFunction:
    module_name, _, attribute = KINDS[name].partition(":")
    function: KindFunction = getattr(importlib.import_module(module_name), attribute)
    return function


def _guarded(name: str, guard: Callable[[Analysis], bool]) -> KindFunction:
    imported: list[KindFunction] = []

    def run(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
        if not guard(analysis):
            return iter(())
        if not imported:
            imported.append(_import(name))
        return imported[0](rule, analysis)

    return run
