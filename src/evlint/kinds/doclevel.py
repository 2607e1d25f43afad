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
    if facts.health_page is None:
        # The claim analysis is already computed for the sentence rules: ask it first.
        facts.health_page = (
            bool(analysis.claims)
            or any(c.conditions and c.disease_conditions for c in analysis.sentence_claims.values())
            or facts.health_claims
            or facts.treatment_page
            or bool(facts.material)
        )
    return facts.health_page


def missing_sources(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.health_claims and f.source is None)


def missing_risk_discussion(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.treatment_page and f.risk is None)


def missing_uncertainty_discussion(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    def fires(facts: DocFacts) -> bool:
        # The cheap page facts decide whether the question applies before the search.
        applies = (
            facts.effect_claims > 0
            or facts.treatment_page
            or (facts.health_claims and facts.is_commercial)
        )
        return applies and facts.uncertainty is None

    return _check(rule, analysis, fires)


def missing_regulatory_status(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    return _check(rule, analysis, lambda f: f.needs_status and f.regulatory is None)


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
