"""The document-level facts, computed once per document and shared by the six kinds."""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from functools import cached_property, lru_cache

from evlint.analysis import Analysis
from evlint.doclevel.page import Page, page_of
from evlint.doclevel.topics import (
    MATERIAL_GATED,
    QUANTIFIED_EFFECT,
    STRONG_DISEASE_CLAIM,
    SUPPLEMENT_OR_DEVICE,
    SUPPLEMENT_OR_DEVICE_GATED,
    TREATMENT,
    commercial_signals,
    is_disease_claim,
    is_effect_claim,
    is_recipe,
    research_news,
)
from evlint.lexicon import WordGate, builtin_lexicon
from evlint.prefilter import fold_case, texts_matching
from evlint.regex_cache import compile_regex
from evlint.source import Source

_STATISTIC = compile_regex(
    r"\b(?:\d[\d,.]*\s?%|\d+\s+in\s+[\d,]+|one\s+in\s+[\d,]+|"
    r"a\s+(?:third|quarter|fifth|half)\s+of|[\d,]{4,}\s+(?:people|children|adults|cases|deaths))",
    re.I,
)


class DocFacts:
    """What a page says about itself; ``None`` evidence means "not found".

    Every fact is computed on first use and kept.  A page that is not about health
    (a README, a changelog) is recognised from its claim counts alone; the costlier
    searches for a byline, a risk section or an FDA disclaimer run only on pages
    where a check could fire.  Each fact is a pure function of the page, so the order
    in which checks ask never changes an answer.
    """

    def __init__(self, source: Source, detected_claims: Callable[[], int]) -> None:
        self._source = source
        self._detected_claims = detected_claims
        # Whether the page is health information (``kinds.doclevel.is_health_page``),
        # which also reads the claim analysis; kept here once decided.
        self.health_page: bool | None = None

    @cached_property
    def page(self) -> Page:
        return page_of(self._source)

    @cached_property
    def _prose(self) -> list[str]:
        return [text for chunk, text in self.page.sentences() if not chunk.is_heading]

    @cached_property
    def _headings(self) -> list[str]:
        return [chunk.text for chunk in self.page.chunks if chunk.is_heading]

    @cached_property
    def _units(self) -> list[str]:
        return list(self.page.claim_units())

    @cached_property
    def _lowered(self) -> str:
        return fold_case(self.page.text)

    @cached_property
    def _unit_lexicons(self) -> list[frozenset[str]]:
        """For each claim unit, the lexicons it may hold a phrase of: one regex pass
        over the page instead of tokenising every unit (most name nothing)."""
        return _unit_gate().groups(self._units)

    def _naming(self, lexicon: str) -> list[bool]:
        return [lexicon in named for named in self._unit_lexicons]

    @cached_property
    def anchor_line(self) -> int:
        return self.page.title_line

    # The detectors below are imported on first use: a page that is not health
    # information never asks for them, and their patterns take milliseconds to compile,
    # which a pre-commit hook checking one README would pay for nothing.

    @cached_property
    def date(self) -> str | None:
        from evlint.doclevel.dates import date_evidence

        return date_evidence(self.page)

    @cached_property
    def author(self) -> str | None:
        from evlint.doclevel.authors import author_evidence

        return author_evidence(self.page)

    @cached_property
    def source(self) -> str | None:
        from evlint.doclevel.sources import source_evidence

        return source_evidence(self.page)

    @cached_property
    def risk(self) -> str | None:
        from evlint.doclevel.discussion import risk_sentence

        # Headings alone do not discuss risks ("Are there side effects?" may answer "none").
        return risk_sentence(
            [*self._prose, *(h for h in self._headings if not h.endswith("?"))], self._lowered
        )

    @cached_property
    def uncertainty(self) -> str | None:
        from evlint.doclevel.discussion import uncertainty_sentence

        quoted = (t for c, t in self.page.sentences(quoted=True) if c.quoted)
        return uncertainty_sentence([*self._prose, *self._headings, *quoted], self._lowered)

    @cached_property
    def regulatory(self) -> str | None:
        from evlint.doclevel.discussion import regulatory_sentence

        return regulatory_sentence((t for _, t in self.page.sentences(quoted=True)), self._lowered)

    @cached_property
    def commercial(self) -> tuple[str, ...]:
        return commercial_signals(self.page.text, self.page.urls, self._lowered)

    @property
    def is_commercial(self) -> bool:
        return bool(self.commercial)

    @cached_property
    def material(self) -> tuple[str, ...]:
        """Material products named, lowercased, first seen first."""
        return _distinct(m.group(0) for m in MATERIAL_GATED.finditer(self.page.text, self._lowered))

    @cached_property
    def recipe(self) -> bool:
        return is_recipe(self._headings, self.page.text)

    # Sentence-level checks run only when the whole page could satisfy them: a page
    # without a condition word has no disease claim in any of its sentences.

    @cached_property
    def _disease_claims(self) -> int:
        if not STRONG_DISEASE_CLAIM.gate.admits(self._lowered):
            return 0
        return sum(
            1
            for unit, condition in zip(self._units, self._naming("conditions"), strict=True)
            if condition and is_disease_claim(unit)
        )

    @cached_property
    def effect_claims(self) -> int:
        """Sentences claiming an effect on health, or to treat, cure or prevent a disease."""
        units = self._units
        plan = QUANTIFIED_EFFECT.for_page(self._lowered)
        quantified = [False] * len(units) if plan is None else texts_matching(plan, units)
        effect = 0
        for unit, number, lexical in zip(units, quantified, self._lexical_effects(), strict=True):
            if (number or lexical) and is_effect_claim(unit, quantified=number, lexical=lexical):
                effect += 1
        return effect + self._disease_claims

    def _lexical_effects(self) -> list[bool]:
        """Units that may name an effect and a condition or body part (the lexical route
        of ``is_effect_claim``); the other units cannot take it."""
        return [
            "effects" in named and ("conditions" in named or "body" in named)
            for named in self._unit_lexicons
        ]

    @cached_property
    def health_claims(self) -> bool:
        """Whether the page makes any health claim (detected, effect or statistic)."""
        if self._detected_claims() > 0 or self.effect_claims > 0:
            return True
        conditions = builtin_lexicon("conditions")
        return any(
            named and conditions.find_all(unit) and _STATISTIC.search(unit)
            for unit, named in zip(self._units, self._naming("conditions"), strict=True)
        )

    @cached_property
    def _promoted(self) -> bool:
        return bool(self.commercial) or not research_news(self.page.text, self._lowered)

    @cached_property
    def _treatment_topic(self) -> bool:
        title = " ".join([str(self.page.front_matter.get("title", "")), *self._headings[:1]])
        topic = " ".join([title, *self._headings])
        return bool(
            TREATMENT.search(topic)
            or SUPPLEMENT_OR_DEVICE.search(title)
            or builtin_lexicon("interventions").find_all(title)
        )

    @cached_property
    def treatment_page(self) -> bool:
        health = self.health_claims
        if not health and not self._treatment_topic:
            return False  # every way of being a treatment page needs one or the other
        if self.recipe:
            return False
        return (
            (self.is_commercial and (health or self._treatment_topic))
            or (health and bool(self.material) and self._promoted)
            or (self._treatment_topic and self.effect_claims >= 2)
        )

    @cached_property
    def needs_status(self) -> bool:
        # Both routes need a health claim (a disease claim is one), so check that first.
        if not self.health_claims or self.recipe:
            return False
        material_claims = bool(self.material)
        supplement_claims = (
            self.is_commercial
            and self._disease_claims > 0
            and bool(SUPPLEMENT_OR_DEVICE_GATED.search(self.page.text, self._lowered))
        )
        return (material_claims or supplement_claims) and self._promoted


_UNIT_LEXICONS = ("effects", "conditions", "body")


@lru_cache(maxsize=1)
def _unit_gate() -> WordGate:
    return WordGate({name: builtin_lexicon(name) for name in _UNIT_LEXICONS})


_cache: weakref.WeakKeyDictionary[Analysis, DocFacts] = weakref.WeakKeyDictionary()


def doc_facts(analysis: Analysis) -> DocFacts:
    facts = _cache.get(analysis)
    if facts is None:
        # A weak reference: the cache is keyed weakly by the analysis, and a value that
        # held the analysis strongly would keep every document of a run alive.
        owner = weakref.ref(analysis)

        def detected_claims() -> int:
            alive = owner()
            return len(alive.claims) if alive is not None else 0

        facts = DocFacts(analysis.document.source, detected_claims)
        _cache[analysis] = facts
    return facts


def _distinct(terms: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in terms:
        folded = " ".join(term.lower().split())
        if folded.rstrip("s") not in {t.rstrip("s") for t in seen}:  # exosome = exosomes
            seen[folded] = None
    return tuple(seen)
