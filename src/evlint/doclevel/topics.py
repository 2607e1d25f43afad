"""What kind of page is this?  The facts that decide where each check applies.

- commercial intent: prices, booking, buy or affiliate links, promo codes;
- effect claims: sentences saying an intervention changes health;
- treatment page: the page promotes or describes a treatment, product or procedure;
- material products: therapies whose regulatory status a reader needs (regenerative
  products, injectable peptides, compounded or off-label drugs, IV and ozone
  therapies; supplements and devices only when sold with disease claims);
- recipes and research news, where "food as food" and "experimental work reported,
  not offered" switch checks off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice

from evlint.lexicon import builtin_lexicon
from evlint.prefilter import fold_case, gated
from evlint.regex_cache import compile_regex

# --- commercial intent -----------------------------------------------------------------

_COMMERCIAL: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("price", 1, compile_regex(r"(?:[$£€]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:USD|EUR|GBP|dollars)\b)")),
    (
        "booking",
        2,
        compile_regex(
            r"\b(?:book|schedule|reserve|request|claim)\s+(?:now|online|today|your|a|an|my|"
            r"the)?\s*(?:free\s+)?(?:\w+\s+){0,2}?(?:consultation|appointment|session|"
            r"evaluation|visit|seat|spot|assessment|treatment)s?\b"
            r"|\bbook\s+(?:now|online|today)\b|\bcall\s+(?:us\s+)?(?:now|today)\b"
            r"|\bwalk-ins\s+welcome\b|\bstart\s+your\s+(?:assessment|journey|consultation)\b"
            r"|\bfree\s+(?:consultation|evaluation|assessment|seminar)\b",
            re.I,
        ),
    ),
    (
        "buying",
        2,
        compile_regex(
            r"\b(?:buy|order|shop)\s+(?:now|online|today|here)\b|\badd\s+to\s+cart\b|"
            r"\bcheck\s+price\b|\b(?:use|with)\s+(?:my\s+)?(?:code|coupon)\b|\b\d+%\s+off\b|"
            r"\$\d+\s+off\b|\bfree\s+shipping\b|\baffiliate\s+links?\b|\bearn\s+a\s+commission\b|"
            r"\buse\s+my\s+link\b|\bdiscount\s+code\b",
            re.I,
        ),
    ),
    (
        "offer",
        1,
        compile_regex(
            r"\b(?:packages?|pricing|prices|memberships?|financing\s+available|"
            r"introductory\s+offer|special\s+offer|plans\s+start\s+at)\b",
            re.I,
        ),
    ),
)
_SHOP_URL = compile_regex(
    r"/(?:shop|store|products?|cart|checkout|book|booking|bookings|appointments?|"
    r"schedule|start)(?:[/?#]|$)|^https?://(?:shop|store|book|booking)\.|[?&](?:ref|aff)=|"
    r"amzn|amazon\.",
    re.I,
)
COMMERCIAL_THRESHOLD = 2


_COMMERCIAL_GATED = tuple((name, points, gated(pattern)) for name, points, pattern in _COMMERCIAL)


def commercial_signals(
    text: str, urls: Iterable[str], lowered: str | None = None
) -> tuple[str, ...]:
    """The kinds of commercial signal on the page, if their weight reaches the threshold."""
    lowered = fold_case(text) if lowered is None else lowered
    found: list[str] = []
    weight = 0
    for name, points, pattern in _COMMERCIAL_GATED:
        # Only the first two hits of a signal count: the scan stops there.
        hits = sum(1 for _ in islice(pattern.finditer(text, lowered), 2))
        if hits:
            found.append(name)
            weight += points * min(hits, 2)
    if any(_SHOP_URL.search(url) for url in urls):
        found.append("shop or booking link")
        weight += 2
    return tuple(found) if weight >= COMMERCIAL_THRESHOLD else ()


# --- effect claims ---------------------------------------------------------------------

_QUANTIFIED_EFFECT = compile_regex(
    r"\b(?:cuts?|reduces?|reduced|lowers?|lowered|prevents?|prevented|improves?|improved|"
    r"increases?|boosts?|adds?)\b.{0,80}?\b(?:by\s+(?:around\s+|about\s+|up\s+to\s+)?"
    r"(?:\d|a\s+(?:third|quarter|half|fifth))|\d+\s?%)"
    r"|\b\d+\s?%\s+(?:effective|less\s+likely|more\s+likely|lower|higher|fewer|reduction)",
    re.I,
)
_NEGATED = compile_regex(r"\b(?:not|no|never|doesn't|didn't|don't|isn't|won't|nothing)\b", re.I)


# Every quantified effect names a number or a fraction: a cheap test before the regex.
_QUANTITY = compile_regex(r"\d|third|quarter|half|fifth", re.I)


QUANTIFIED_EFFECT = gated(_QUANTIFIED_EFFECT)


def is_effect_claim(sentence: str, *, quantified: bool = True, lexical: bool = True) -> bool:
    """A sentence saying something changes health: an effect on a condition or body part.

    ``quantified`` / ``lexical`` False: the caller knows from the whole page that the
    quantified-effect pattern / the effect lexicons cannot match, so they are skipped.
    """
    if quantified and _QUANTITY.search(sentence) and _QUANTIFIED_EFFECT.search(sentence):
        return True
    if not lexical:
        return False
    effects = builtin_lexicon("effects").labels_in(sentence)
    if not effects & {"treats", "helps"}:
        return False
    return bool(
        builtin_lexicon("conditions").find_all(sentence)
        or builtin_lexicon("body").find_all(sentence)
    )


_STRONG_DISEASE_CLAIM = compile_regex(
    r"\b(?:treats|cures|heals|reverses|eliminates|stops|prevents|fights|relieves|eases|"
    r"beats|kills|clears|proven\s+to|will\s+(?:cure|heal|treat|stop|reverse))\b",
    re.I,
)


STRONG_DISEASE_CLAIM = gated(_STRONG_DISEASE_CLAIM)


def is_disease_claim(sentence: str) -> bool:
    """An affirmative claim to treat, cure or prevent a named condition."""
    if not builtin_lexicon("conditions").find_all(sentence):
        return False  # the lexicon's word pre-check is the cheapest test, so it goes first
    return not _NEGATED.search(sentence) and bool(_STRONG_DISEASE_CLAIM.search(sentence))


# --- interventions and material products ------------------------------------------------

TREATMENT = compile_regex(
    r"\b(?:therapy|therapies|treatments?|injections?|infusions?|drips?|supplements?|"
    r"capsules?|tablets?|pills?|tinctures?|gummies|doses?|dosing|dosage|procedures?|"
    r"surgery|medications?|medicines?|drugs?|protocols?|sessions?|programmes?|"
    r"programs?|extracts?|remed(?:y|ies)|devices?|oils?|vaccines?|vaccinations?|"
    r"diet|fasting|plunges?|shots?|creams?|pellets?)\b",
    re.I,
)
# Regulatory status is material whenever these are promoted (FDA 2019/2020 notices).
MATERIAL = compile_regex(
    r"(?<![\w-])(?:stem[- ]cells?|exosomes?|extracellular\s+vesicles?|secretome|"
    r"platelet[- ]rich\s+plasma|PRP|bone[- ]marrow\s+(?:aspirate\s+)?concentrate|BMAC|"
    r"stromal\s+vascular\s+fraction|SVF|wharton'?s\s+jelly|amniotic|placental|"
    r"umbilical\s+cord|regenerative\s+(?:medicine|therapy|therapies|injections?)|"
    r"peptide\s+(?:therapy|therapies|injections?|protocols?)|injectable\s+peptides?|"
    r"BPC-?157|TB-?500|CJC-?1295|ipamorelin|sermorelin|tesamorelin|thymosin|PT-?141|"
    r"semax|selank|compounded|compounding\s+pharmac\w+|bioidentical|"
    r"low[- ]dose\s+naltrexone|LDN|microdos\w+|testosterone\s+(?:replacement|therapy|"
    r"injections?|pellets?)|TRT|low\s+T|HGH|human\s+growth\s+hormone|hormone\s+optimi[sz]ation|"
    r"IV\s+(?:therapy|drips?|vitamins?|infusions?|nutrient)|vitamin\s+(?:drips?|infusions?)|"
    r"drip\s+(?:menu|bar|therapy)|NAD\+|NAD\s+(?:therapy|infusions?|IV)|myers'?\s+cocktail|"
    r"chelation|ozone\s+therapy|ozone|autohemotherapy|UV\s+blood|hydrogen\s+peroxide\s+therapy|"
    r"hyperbaric|HBOT|ivermectin)(?![\w-])",
    re.I,
)
# Material only when sold with disease claims (FTC 2022; DSHEA disclaimer).
SUPPLEMENT_OR_DEVICE = compile_regex(
    r"\b(?:supplements?|capsules?|tinctures?|gummies|extracts?|herbs?|herbal|adaptogen\w*|"
    r"CBD|cannabidiol|hemp|kratom|nootropics?|probiotics?|ashwagandha|elderberr\w+|"
    r"turmeric|curcumin|mushroom|colloidal\s+silver|essential\s+oils?|devices?|helmet|"
    r"red[- ]light|near[- ]infrared|photobiomodulation|PEMF|laser|LLLT|wearable|"
    r"frequency\s+therapy|rife)\b",
    re.I,
)

_RECIPE_HEADING = compile_regex(
    r"^(?:ingredients|method|directions|instructions|how\s+to\s+make|you'll\s+need|"
    r"you\s+will\s+need|recipe|our\s+recipe)\b",
    re.I,
)
_DOSE = compile_regex(r"\b(?:dose|dosage|dosing)\b", re.I)


def is_recipe(headings: Iterable[str], text: str) -> bool:
    """A recipe that treats food as food: recipe sections and no dosing."""
    return sum(1 for h in headings if _RECIPE_HEADING.match(h)) >= 1 and not _DOSE.search(text)


_RESEARCH = compile_regex(
    r"\b(?:researchers|scientists|the\s+(?:study|team|trial|investigators)|published\s+in|"
    r"study\s+(?:found|finds|published|reported)|the\s+authors|journal)\b",
    re.I,
)
_OFFER = compile_regex(
    r"\b(?:we\s+offer|we\s+provide|our\s+(?:clinic|patients|clients|protocols?|treatments?|"
    r"therapy|therapies|procedure|programme|program|services?|providers?|team)|"
    r"I\s+(?:started|take|took|tried|get|got|use|used)|if\s+you're\s+thinking\s+about|"
    r"you\s+(?:can|could|should)\s+(?:get|try|take|ask)|your\s+(?:first|treatment|session|"
    r"protocol|course|dose))\b",
    re.I,
)


_RESEARCH_GATED = gated(_RESEARCH)
_OFFER_GATED = gated(_OFFER)


def research_news(text: str, lowered: str | None = None) -> bool:
    """Reports research rather than offering or recommending a treatment."""
    lowered = fold_case(text) if lowered is None else lowered
    return len(_RESEARCH_GATED.findall(text, lowered)) >= 3 and not _OFFER_GATED.search(
        text, lowered
    )


MATERIAL_GATED = gated(MATERIAL)
SUPPLEMENT_OR_DEVICE_GATED = gated(SUPPLEMENT_OR_DEVICE)
