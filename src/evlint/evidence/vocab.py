"""Normalised vocabulary: conditions, interventions, populations and risk topics.

Evidence and claims meet on these canonical names, so both sides must normalise through
the same functions.  Unknown terms pass through ``normalise_term`` (lowercase, ASCII
dashes, single spaces), so user cards may use any wording and still match themselves.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from evlint.regex_cache import compile_regex

_SPACES = compile_regex(r"\s+")
_SPACED_HYPHEN = compile_regex(r"\s*-\s*")
_SPACES_OR_HYPHENS = compile_regex(r"[\s-]+")

# Unicode hyphens, dashes and minus sign -> "-"; one char for one, so offsets survive.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc"), "'")
_SPELLING = (  # British -> American, so "ischaemic" and "ischemic" meet
    (compile_regex(r"aem"), "em"),
    (compile_regex(r"oes(?=ophag)"), "e"),
    (compile_regex(r"tumour"), "tumor"),
    (compile_regex(r"isation"), "ization"),
    (compile_regex(r"ising\b"), "izing"),
    (compile_regex(r"ised\b"), "ized"),
)


def fold_dashes(text: str) -> str:
    """Replace typographic dashes and quotes with ASCII, keeping the length unchanged."""
    return text.translate(_DASHES).translate(_QUOTES)


@lru_cache(maxsize=8192)  # pure, and called with the same few terms over and over
def normalise_term(term: str) -> str:
    """Lowercase, NFKC, ASCII dashes and quotes, American spelling, single spaces."""
    text = fold_dashes(unicodedata.normalize("NFKC", term)).lower().strip(" .,;:")
    text = _SPACES.sub(" ", text)
    text = _SPACED_HYPHEN.sub("-", text)
    for pattern, repl in _SPELLING:
        text = pattern.sub(repl, text)
    return text


def _index(groups: dict[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, aliases in groups.items():
        for alias in (canonical, *aliases):
            index[normalise_term(alias)] = canonical
            index[normalise_term(alias).replace("-", " ")] = canonical
    return index


# Abbreviations are ambiguous out of context ("BPD", "MS"); summaries resolve them from
# their own "long form (ABBR)" definitions first and only then fall back to this table.
CONDITIONS: dict[str, tuple[str, ...]] = {
    "necrotizing enterocolitis": ("nec", "necrotising enterocolitis"),
    "hypoxic-ischemic encephalopathy": ("hie", "hypoxic ischemic encephalopathy"),
    "bronchopulmonary dysplasia": ("bpd",),
    "respiratory distress syndrome": ("rds", "neonatal respiratory distress syndrome"),
    "acute respiratory distress syndrome": ("ards",),
    "sepsis": ("neonatal sepsis", "septicemia", "septicaemia"),
    "brain injury": ("prematurity-related brain injury", "preterm brain injury"),
    "autism spectrum disorder": ("autism", "asd", "autistic disorder"),
    "alzheimer's disease": ("alzheimer disease", "alzheimer's", "alzheimers", "alzheimer"),
    "multiple sclerosis": ("ms",),
    "parkinson's disease": ("parkinson disease", "parkinson's", "parkinsons"),
    "amyotrophic lateral sclerosis": ("als",),
    "stroke": ("ischemic stroke",),
    "osteoarthritis": ("knee osteoarthritis", "oa"),
    "rheumatoid arthritis": ("ra",),
    "arthritis": (),
    "covid-19": ("covid", "sars-cov-2 infection"),
    "chronic obstructive pulmonary disease": ("copd",),
    "heart failure": (),
    "myocardial infarction": ("heart attack",),
    "diabetes": ("diabetes mellitus", "type 2 diabetes", "type 1 diabetes"),
    "cancer": ("tumor", "tumors", "malignancy"),
    "macular degeneration": ("amd",),
    "spinal cord injury": ("sci",),
    "traumatic brain injury": ("tbi",),
    "hair loss": ("alopecia", "androgenetic alopecia"),
    "demyelinating disease": ("demyelinating diseases", "demyelination"),
    "blood production disorders": (
        "disorders of the hematopoietic system",
        "hematopoietic disorders",
        "blood disorders",
    ),
}

# Words that name a class of problem, not a condition a source could be "about".
GENERIC_CONDITIONS = frozenset(
    normalise_term(t)
    for t in (
        "disease",
        "diseases",
        "disorder",
        "disorders",
        "condition",
        "conditions",
        "illness",
        "syndrome",
        "inflammation",
        "injury",
        "damage",
        "organ damage",
        "tissue damage",
        "disability",
        "long-term disability",
        "mortality",
        "death",
        "pain",
        "infection",
        "infections",
        "neonatal diseases",
        "neurological diseases",
    )
)

# Terms that entity taggers list as diseases but that are risks or populations.
CONDITION_AS_POPULATION: dict[str, str] = {
    "prematurity": "preterm infants",
    "preterm birth": "preterm infants",
}

INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "extracellular vesicles": (
        "extracellular vesicle",
        "evs",
        "ev",
        "exosomes",
        "exosome",
        "small extracellular vesicles",
        "sevs",
        "exosome products",
        "exosome therapy",
        "exosome treatment",
    ),
    "mesenchymal stem cells": (
        "mesenchymal stem cell",
        "mscs",
        "msc",
        "mesenchymal stromal cells",
    ),
    "stem cells": ("stem cell", "stem cell products", "stem cell therapy", "stem-cell therapy"),
    "cord blood hematopoietic progenitor cells": (
        "hematopoietic progenitor cells",
        "cord blood",
        "umbilical cord blood",
        "blood-forming stem cells",
    ),
    "platelet-rich plasma": ("prp",),
    "regenerative medicine products": ("regenerative medicine", "regenerative medicine therapies"),
}

# Display synonyms stored on evidence so a reader (and a simple rule) sees both names.
INTERVENTION_SYNONYMS: dict[str, tuple[str, ...]] = {
    "extracellular vesicles": ("exosomes",),
    "mesenchymal stem cells": ("stem cells",),
}

POPULATIONS: dict[str, tuple[str, ...]] = {
    "neonates": ("neonate", "neonatal", "newborns", "newborn", "newborn infants"),
    "preterm infants": ("preterm", "premature infants", "preterm neonates", "prematurity"),
    "term infants": ("term neonates",),
    "infants": ("infant", "babies"),
    "children": ("child", "pediatric", "paediatric", "adolescents"),
    "adults": ("adult",),
    "older adults": ("elderly",),
    "pregnant women": ("pregnancy", "pregnant"),
}

# Risk and method topics: canonical name -> pattern over dash-folded lowercase text.
TOPICS: dict[str, str] = {
    "thrombotic": r"\bthrombo(?:tic|sis|embolic|embolism)\b",
    "procoagulant": r"\bpro-?coagulant\b|\bcoagulopathy\b",
    "safety data": r"\bsafety (?:data|profile|evidence|assessments?)\b",
    "safety": r"\bsafety\b|\bsafe\b",
    "adverse events": r"\badverse (?:events?|effects?|reactions?)\b|\bside effects?\b",
    "toxicity": r"\btoxicity\b|\btoxic\b",
    "immunogenicity": r"\bimmunogenic(?:ity)?\b",
    "tumorigenicity": r"\btumou?rigenic(?:ity)?\b|\boncogenic\b",
    "infection risk": r"\b(?:bacterial|microbial) contamination\b|\binfections? risk\b",
    "dosing": r"\bdos(?:e|es|ing|age)\b",
    "standardization": r"\bstandardi[sz](?:ation|ed)\b|\breproducib(?:le|ility)\b",
    "isolation methods": r"\bisolation\b",
    "characterization": r"\bcharacteri[sz]ation\b|\bmolecular (?:cargo|profiling)\b",
    "quantification": r"\bquantification\b",
    "evidence gaps": r"\bgaps?\b|\black of\b|\blimited\b",
    "regulatory approval": r"\bapprov(?:al|ed)\b|\bclinical readiness\b",
}
_TOPIC_RES = {name: compile_regex(pattern) for name, pattern in TOPICS.items()}

_CONDITION_INDEX = _index(CONDITIONS)
_INTERVENTION_INDEX = _index(INTERVENTIONS)
_POPULATION_INDEX = _index(POPULATIONS)


@lru_cache(maxsize=8192)
def canonical_condition(term: str) -> str:
    """``"NEC"`` -> ``"necrotizing enterocolitis"``; unknown terms are only normalised."""
    key = normalise_term(term)
    return _CONDITION_INDEX.get(key, _CONDITION_INDEX.get(key.replace("-", " "), key))


@lru_cache(maxsize=8192)
def canonical_intervention(term: str) -> str:
    """``"exosomes"`` -> ``"extracellular vesicles"``; unknown terms are only normalised."""
    key = normalise_term(term)
    return _INTERVENTION_INDEX.get(key, _INTERVENTION_INDEX.get(key.replace("-", " "), key))


@lru_cache(maxsize=8192)
def canonical_population(term: str) -> str:
    key = normalise_term(term)
    return _POPULATION_INDEX.get(key, _POPULATION_INDEX.get(key.replace("-", " "), key))


def expand_interventions(terms: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Canonical names plus their display synonyms, deduplicated, in first-seen order."""
    out: list[str] = []
    for term in terms:
        canonical = canonical_intervention(term)
        for name in (canonical, *INTERVENTION_SYNONYMS.get(canonical, ())):
            if name not in out:
                out.append(name)
    return tuple(out)


@lru_cache(maxsize=8192)
def is_generic_condition(term: str) -> bool:
    return normalise_term(term) in GENERIC_CONDITIONS


def is_risk_term(term: str) -> bool:
    """Entity taggers list "thrombotic" as a disease; it is a risk of the treatment."""
    folded = normalise_term(term)
    return any(_TOPIC_RES[t].search(folded) for t in ("thrombotic", "procoagulant", "toxicity"))


def topics_in(text: str) -> tuple[str, ...]:
    """The risk and method topics a statement mentions, in ``TOPICS`` order."""
    folded = normalise_term(text)
    found = [name for name, rx in _TOPIC_RES.items() if rx.search(folded)]
    if "safety data" in found and "safety" in found:
        found.remove("safety")  # the specific topic says it all
    return tuple(found)


def find_terms(text: str, index_of: str) -> list[tuple[int, str]]:
    """Known terms of one vocabulary (``conditions``/``interventions``/``populations``)
    mentioned in ``text``, as (offset, canonical) pairs in text order; longest match wins."""
    index = {
        "conditions": _CONDITION_INDEX,
        "interventions": _INTERVENTION_INDEX,
        "populations": _POPULATION_INDEX,
    }[index_of]
    return _scan(text, index)


def normalise_for_scan(text: str) -> str:
    """Lowercase with ASCII dashes, same length as ``text`` so offsets stay valid."""
    return fold_dashes(text).lower()


_SCAN_CACHE: dict[int, re.Pattern[str]] = {}


def _scan(text: str, index: dict[str, str]) -> list[tuple[int, str]]:
    folded = normalise_for_scan(text)
    rx = _SCAN_CACHE.get(id(index))
    if rx is None:
        alternatives = sorted(index, key=len, reverse=True)
        body = "|".join(re.escape(a).replace(r"\ ", r"[\s-]+") for a in alternatives)
        # Abbreviations count only as whole words; "ms" must not match inside "mscs".
        rx = compile_regex(rf"(?<![\w-])(?:{body})(?![\w-])")
        _SCAN_CACHE[id(index)] = rx
    found: list[tuple[int, str]] = []
    for match in rx.finditer(folded):
        if len(match.group(0)) <= 4 and text[match.start() : match.end()].islower():
            continue  # short aliases are abbreviations: "MS" yes, "ms" (milliseconds) no
        key = _SPACES_OR_HYPHENS.sub(" ", match.group(0))
        canonical = index.get(key) or index.get(match.group(0))
        if canonical is None:
            canonical = index.get(normalise_term(match.group(0)), normalise_term(key))
        found.append((match.start(), canonical))
    return found
