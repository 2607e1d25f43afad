"""Kinds that judge claims against the evidence library (``Analysis.evidence``).

Each finding names the source it relied on and how the claim was linked to it (cited,
or on the same topic), and carries related locations at the evidence statements.
"""

from __future__ import annotations

from collections.abc import Iterator

from evlint.analysis import Analysis
from evlint.claims.model import ClaimAnalysis
from evlint.evidence.model import Evidence, EvidenceItem
from evlint.evidence.vocab import canonical_condition, canonical_intervention, find_terms, topics_in
from evlint.kinds.base import Violation
from evlint.lexicon import Match, builtin_lexicon
from evlint.linking import judge
from evlint.linking.describe import (
    quote,
    related,
    related_source,
    shorten,
    source_phrase,
    sources_phrase,
    status_phrase,
)
from evlint.linking.grading import effective_level
from evlint.linking.link import ClaimLink, DocumentEvidence, Link
from evlint.model import Related
from evlint.rulespec import Rule
from evlint.sentences import Sentence

_MAX_RELATED = 4


def _linked_claims(analysis: Analysis) -> Iterator[ClaimLink]:
    if not analysis.claims:
        return  # nothing to link: the library need not even be loaded
    evidence = analysis.evidence
    if evidence.is_source:
        return
    for sentence in analysis.prose_sentences:
        claim = analysis.claims.get(sentence.index)
        if claim is not None:
            yield evidence.link(sentence, claim)


def _violation(sentence: Sentence, related: list[Related], **values: str) -> Violation:
    unique = tuple(dict.fromkeys(related))[:_MAX_RELATED]
    return Violation(sentence.span, {"sentence": sentence.display, **values}, sentence, unique)


def _basis_related(evidence: Evidence) -> tuple[str, list[Related]]:
    items = judge.basis_items(evidence)
    if not items:
        return "", [related_source(evidence, "evidence")]
    return f" ({quote(items[0])})", [related(item, "evidence states") for item in items]


def evidence_exceeded(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """An unhedged treatment claim stronger than its (in-scope) evidence.

    ``options.basis``: ``preclinical`` reports claims resting on cell/animal work or
    argued from a mechanism; ``human`` the rest (observational, early-phase, reviews).
    """
    wanted = str(rule.options.get("basis", "human"))
    for link in _linked_claims(analysis):
        if not judge.asserts_benefit(link.claim):
            continue
        best = judge.strongest(judge.in_scope_links(link))
        if best is None or effective_level(best.evidence) >= judge.RCT_LEVEL:
            continue
        preclinical = judge.is_preclinical(best.evidence) or judge.mechanism_inference(link.claim)
        if preclinical != (wanted == "preclinical"):
            continue
        quoted, related_items = _basis_related(best.evidence)
        yield _violation(
            link.sentence,
            related_items,
            source=source_phrase(best),
            status=status_phrase(best.evidence),
            quote=quoted,
            evidence=best.evidence.id,
        )


def evidence_scope(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A claim about a condition or population its linked sources do not cover."""
    for link in _linked_claims(analysis):
        missing, graded = judge.out_of_scope(link)
        if missing:
            source = graded[0]
            covered = ", ".join(judge.evidence_conditions(source.evidence)[:6])
            yield _violation(
                link.sentence,
                [
                    related_source(source.evidence, "scope of the evidence"),
                    *(related(f, "evidence states") for f in source.evidence.findings[:2]),
                ],
                source=source_phrase(source),
                subject=", ".join(_condition_name(m) for m in missing),
                covered=f"covers {covered}",
                evidence=source.evidence.id,
            )
            continue
        mismatch = judge.population_mismatch(link)
        if mismatch is None:
            continue
        group, source = mismatch
        if judge.is_preclinical(source.evidence) and judge.asserts_benefit(link.claim):
            continue  # the preclinical-as-clinical rule reports this claim
        studied = ", ".join(source.evidence.populations) or status_phrase(source.evidence)[3:]
        quoted, related_items = _basis_related(source.evidence)
        yield _violation(
            link.sentence,
            related_items,
            source=source_phrase(source),
            subject=group,
            covered=f"studied {studied}{quoted}",
            evidence=source.evidence.id,
        )


def evidence_safety(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Safety or tolerability wording where the linked evidence states missing safety
    data or named risks (thrombotic, procoagulant, adverse events)."""
    # Safety wording is a safety term of the claim analysis or an assertion phrase;
    # sentences with neither are skipped without reading them again.
    assertion_phrases = {s.index for s in analysis.naming(judge.safety_assertion_lexicon())}
    for sentence in analysis.prose_sentences:
        claim = analysis.sentence_claims.get(sentence.index)
        if claim is None or not (claim.safety or sentence.index in assertion_phrases):
            continue
        asserted = judge.safety_assertions(claim, sentence.scan)
        if not asserted:
            continue
        evidence = analysis.evidence  # linked (and the library loaded) only from here
        if evidence.is_source:
            return
        link = evidence.link(sentence, claim)
        risks = [
            (item, source) for source in link.links for item in judge.risk_items(source.evidence)
        ]
        if not risks:
            continue
        item, source = risks[0]
        term = asserted[0]
        yield Violation(
            sentence.source_span(term.start, term.end),
            {
                "sentence": sentence.display,
                "term": term.text,
                "source": source_phrase(source),
                "quote": quote(item, judge.RISK_FOCUS),
                "evidence": source.evidence.id,
            },
            sentence,
            tuple(related(i, f"{s.evidence.id} states") for i, s in risks[:_MAX_RELATED]),
        )


def evidence_omitted_limitations(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """Benefit or safety claims on evidence with stated limitations, none of which the
    document mentions: one finding at the first such claim."""
    kinds = set(rule.options.get("claim_kinds", ["efficacy", "prevention", "safety"]))
    if not analysis.claims:
        return
    evidence = analysis.evidence
    if evidence.is_source:
        return
    first: ClaimLink | None = None
    stated: dict[str, tuple[EvidenceItem, Link]] = {}
    for link in _linked_claims(analysis):
        if link.claim.kind not in kinds:
            continue
        if link.claim.negated and link.claim.kind != "safety":  # "no side effects" is negated
            continue
        found = {
            topic: (item, source)
            for source in link.links
            for topic, item in judge.material_topics(source.evidence).items()
        }
        if found:
            first = first or link
            for topic, pair in found.items():
                stated.setdefault(topic, pair)
    if first is None or _mentions_any(analysis, evidence, set(stated)):
        return
    listed = judge.listed_topics(stated)
    names = [judge.TOPIC_NAMES[topic] for topic in listed]
    yield _violation(
        first.sentence,
        [related(stated[t][0], f"{stated[t][1].evidence.id} states") for t in listed],
        missing=", ".join(names),
        source=sources_phrase(stated[t][1] for t in listed),
        evidence=", ".join(dict.fromkeys(s.evidence.id for _, s in stated.values())),
    )


def _mentions_any(analysis: Analysis, evidence: DocumentEvidence, topics: set[str]) -> bool:
    """Whether any prose sentence names one of the limitation topics, or scopes a claim
    ("not yet tested in people").  Safety assertions ("no side effects") do not count."""
    for sentence in analysis.prose_sentences:
        claim = analysis.sentence_claims.get(sentence.index)
        if claim is not None:
            if claim.cues_labelled("limitation"):
                return True
            if judge.safety_assertions(claim, sentence.scan):
                continue
        if set(topics_in(sentence.text)) & topics:
            return True
    return False


def evidence_regulatory(rule: Rule, analysis: Analysis) -> Iterator[Violation]:
    """A therapy promoted as treatment or as available where the library's regulatory
    facts say no such product is approved, and the page never states its status."""
    if not analysis.claims:
        return
    evidence = analysis.evidence
    if evidence.is_source:
        return
    found = list(_unapproved_promotions(rule, analysis, evidence))
    # Whether the page states a status is a scan of the whole body: ask only when needed.
    if found and not _states_status(analysis):
        yield from found


def _unapproved_promotions(
    rule: Rule, analysis: Analysis, evidence: DocumentEvidence
) -> Iterator[Violation]:
    jurisdiction = rule.options.get("jurisdiction")
    reported: set[str] = set()
    for link in _linked_claims(analysis):
        if not _promotes(link):
            continue
        for intervention in _regulated(link, evidence):
            facts = evidence.library.regulatory_for(intervention, jurisdiction)
            refusals = _refusals(facts, link.claim)
            if not refusals or refusals[0][1].text in reported:
                continue
            reported.update(item.text for _, item in refusals)
            source, item = refusals[0]
            yield _violation(
                link.sentence,
                [related(i, f"{s.id} states") for s, i in refusals],
                therapy=_therapy_name(link, intervention),
                source=f"{source.journal or source.id}, '{shorten(source.title, 70)}'",
                quote=quote(item),
                evidence=source.id,
            )


def _regulated(link: ClaimLink, evidence: DocumentEvidence) -> list[str]:
    """The interventions to look up, most specific first: "cord blood" is its own
    regulated product, not just one of the "stem cells" the lexicon files it under."""
    names: list[str] = []
    for match in link.claim.subjects:
        if match.label == "treatment":
            continue
        specific = canonical_intervention(match.text)
        name = specific if evidence.library.regulatory_for(specific) else match.label
        if name not in names:
            names.append(canonical_intervention(name))
    return names or list(link.interventions)


def _refusals(
    facts: list[tuple[Evidence, EvidenceItem]], claim: ClaimAnalysis
) -> list[tuple[Evidence, EvidenceItem]]:
    """Statements that the promoted use is not approved: a "not-approved" fact, or an
    approval limited to conditions other than the ones the claim names."""
    named = {canonical_condition(m.text) for m in claim.conditions} | {
        canonical_condition(m.label) for m in claim.conditions
    }
    # The evidence vocabulary knows the approvals' own wording ("blood disorders").
    named.update(name for _, name in find_terms(claim.text, "conditions"))
    approvals = [(s, i) for s, i in facts if i.status == "approved"]
    if approvals:
        if any(
            not i.conditions or named & {canonical_condition(c) for c in i.conditions}
            for _, i in approvals
        ):
            return []
        return approvals if judge.specific_conditions(claim) else []
    return [(s, i) for s, i in facts if i.status == "not-approved"]


def _promotes(link: ClaimLink) -> bool:
    claim = link.claim
    if claim.negated or claim.preclinical_grounds or claim.cues_labelled("limitation"):
        return False
    offered = any(m.label == "we offer" for m in claim.regulatory)
    return offered or claim.kind in judge.THERAPEUTIC_KINDS


def _states_status(analysis: Analysis) -> bool:
    """Whether the page says anything about approval (FDA, "not approved", "investigational"),
    in prose or anywhere in its body: disclaimers often sit in HTML footers."""
    for sentence in analysis.prose_sentences:
        claim = analysis.sentence_claims.get(sentence.index)
        if claim is not None and any(m.label == "approved" for m in claim.regulatory):
            return True
    body = analysis.document.source.body
    regulatory = builtin_lexicon("regulatory")
    if not regulatory.gate.hits([body])[0]:
        return False  # no phrase of the lexicon can occur: the body need not be tokenised
    return any(m.label == "approved" for m in regulatory.finditer(body))


def _condition_name(match: Match) -> str:
    """The lexicon's name for a condition, with the words used when they differ."""
    if match.text.lower() == match.label.lower():
        return match.text
    return f"{match.label} ('{match.text}')"


def _therapy_name(link: ClaimLink, intervention: str) -> str:
    for match in link.claim.subjects:
        if intervention in (
            canonical_intervention(match.label),
            canonical_intervention(match.text),
        ):
            return match.text
    return intervention
