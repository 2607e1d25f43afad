"""Document-level checks (DISCERN, JAMA benchmarks): one finding per page at most.

Each kind reads the shared :class:`~evlint.doclevel.DocFacts`, decides whether its
question applies to the page, and reports at the front matter or the title heading.
On a page with commercial intent, the finding asks for the rule option
``commercial_level`` (config levels still override it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from evlint.analysis import Analysis
from evlint.doclevel import DocFacts, doc_facts
from evlint.kinds.base import Violation
from evlint.model import Severity, Span
from evlint.rulespec import Rule


def missing_date(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    if not is_health_page(analysis):
        return iter(())
    return _check(rule, analysis, lambda f: f.date is None)


def missing_author(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    if not is_health_page(analysis):
        return iter(())
    return _check(rule, analysis, lambda f: f.author is None)


def is_health_page(analysis: Analysis) -> bool:
    """Currency and authorship (JAMA) are asked of health information only.

    A README, changelog or opening-hours page in the same repository is not health
    information, and flagging it would teach users to switch the checks off.  A page
    counts when it makes a health claim, describes a treatment or product, or names a
    specific condition in its prose.
    """
    facts = doc_facts(analysis)
    if facts.health_claims > 0 or facts.treatment_page or facts.material:
        return True
    return any(c.disease_conditions for c in analysis.sentence_claims.values())


def missing_sources(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.source is None and f.health_claims > 0)


def missing_risk_discussion(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.risk is None and f.treatment_page)


def missing_uncertainty_discussion(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    def fires(facts: DocFacts) -> bool:
        claims_effects = facts.effect_claims > 0 or facts.treatment_page
        return facts.uncertainty is None and (
            claims_effects or (facts.is_commercial and facts.health_claims > 0)
        )

    return _check(rule, analysis, fires)


def missing_regulatory_status(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.regulatory is None and f.needs_status)


def _check(
    rule: Rule, analysis: Analysis, fires: Callable[[DocFacts], bool]
) -> Iterator[Violation]:
    facts = doc_facts(analysis)
    if not fires(facts):
        return
    source = analysis.document.source
    line = min(max(facts.anchor_line, 1), source.line_count)
    start = source.line_starts[line - 1]
    end = start + len(source.line_text(line))
    values = {
        "commercial": _commercial_note(facts),
        "products": ", ".join(facts.material[:3]) or "this product",
    }
    severity = None
    level = rule.options.get("commercial_level")
    if facts.is_commercial and isinstance(level, str):
        severity = Severity.parse(level)
    yield Violation(Span(start, end), values, severity=severity)


def _commercial_note(facts: DocFacts) -> str:
    if not facts.is_commercial:
        return ""
    return f" The page sells or books what it describes ({', '.join(facts.commercial)})."
