"""The document-level facts, computed once per document and shared by the six kinds."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass

from evlint.analysis import Analysis
from evlint.doclevel.authors import author_evidence
from evlint.doclevel.dates import date_evidence
from evlint.doclevel.discussion import regulatory_sentence, risk_sentence, uncertainty_sentence
from evlint.doclevel.page import Page, page_of
from evlint.doclevel.sources import source_evidence
from evlint.doclevel.topics import (
    MATERIAL,
    SUPPLEMENT_OR_DEVICE,
    TREATMENT,
    commercial_signals,
    is_disease_claim,
    is_effect_claim,
    is_recipe,
    research_news,
)
from evlint.lexicon import builtin_lexicon

_STATISTIC = re.compile(
    r"\b(?:\d[\d,.]*\s?%|\d+\s+in\s+[\d,]+|one\s+in\s+[\d,]+|"
    r"a\s+(?:third|quarter|fifth|half)\s+of|[\d,]{4,}\s+(?:people|children|adults|cases|deaths))",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DocFacts:
    """What a page says about itself; ``None`` evidence means "not found"."""

    anchor_line: int
    date: str | None
    author: str | None
    source: str | None
    risk: str | None
    uncertainty: str | None
    regulatory: str | None
    commercial: tuple[str, ...]
    material: tuple[str, ...]  # material products named, lowercased, first seen first
    health_claims: int
    effect_claims: int
    treatment_page: bool
    needs_status: bool
    recipe: bool

    @property
    def is_commercial(self) -> bool:
        return bool(self.commercial)


_cache: weakref.WeakKeyDictionary[Analysis, DocFacts] = weakref.WeakKeyDictionary()


def doc_facts(analysis: Analysis) -> DocFacts:
    facts = _cache.get(analysis)
    if facts is None:
        facts = compute(page_of(analysis.document.source), len(analysis.claims))
        _cache[analysis] = facts
    return facts


def compute(page: Page, detected_claims: int = 0) -> DocFacts:
    prose = [text for chunk, text in page.sentences() if not chunk.is_heading]
    units = list(page.claim_units())
    text = page.text
    effect = sum(1 for s in units if is_effect_claim(s))
    disease = sum(1 for s in units if is_disease_claim(s))
    conditions = builtin_lexicon("conditions")
    statistics = sum(1 for s in units if _STATISTIC.search(s) and conditions.find_all(s))
    commercial = commercial_signals(text, page.urls)
    headings = [chunk.text for chunk in page.chunks if chunk.is_heading]
    recipe = is_recipe(headings, text)
    material = _distinct(m.group(0) for m in MATERIAL.finditer(text))
    title = " ".join([str(page.front_matter.get("title", "")), *headings[:1]])
    topic = " ".join([title, *headings])
    claims = effect + disease
    health = max(detected_claims, claims + statistics)
    promoted = bool(commercial) or not research_news(text)
    treatment_topic = bool(
        TREATMENT.search(topic)
        or SUPPLEMENT_OR_DEVICE.search(title)
        or builtin_lexicon("interventions").find_all(title)
    )
    treatment = not recipe and (
        (bool(commercial) and (health > 0 or treatment_topic))
        or (bool(material) and health > 0 and promoted)
        or (treatment_topic and claims >= 2)
    )
    supplement_claims = bool(SUPPLEMENT_OR_DEVICE.search(text)) and disease > 0 and bool(commercial)
    needs_status = (
        not recipe and promoted and ((bool(material) and health > 0) or supplement_claims)
    )
    # Headings alone do not discuss risks ("Are there side effects?" may answer "none").
    risk_text = [*prose, *(h for h in headings if not h.endswith("?"))]
    return DocFacts(
        anchor_line=page.title_line,
        date=date_evidence(page),
        author=author_evidence(page),
        source=source_evidence(page),
        risk=risk_sentence(risk_text),
        uncertainty=uncertainty_sentence(
            [*prose, *headings, *(t for c, t in page.sentences(quoted=True) if c.quoted)]
        ),
        regulatory=regulatory_sentence(t for _, t in page.sentences(quoted=True)),
        commercial=commercial,
        material=material,
        health_claims=health,
        effect_claims=claims,
        treatment_page=treatment,
        needs_status=needs_status,
        recipe=recipe,
    )


def _distinct(terms: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in terms:
        folded = " ".join(term.lower().split())
        if folded.rstrip("s") not in {t.rstrip("s") for t in seen}:  # exosome = exosomes
            seen[folded] = None
    return tuple(seen)
