"""The registry of rule kinds: each rule file names one of these.

Values are ``module:function`` strings imported on first use, so loading the
registry costs nothing and a run imports only the kinds its rules need.
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

_loaded: dict[str, KindFunction] = {}


def get_kind(name: str) -> KindFunction:
    function = _loaded.get(name)
    if function is None:
        module_name, _, attribute = KINDS[name].partition(":")
        function = getattr(importlib.import_module(module_name), attribute)
        _loaded[name] = function
    return function
