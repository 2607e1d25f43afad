"""Cue-based reading of evidence statements: kind, population, phase, design and basis.

The cues are the phrases authors use to mark limitations ("hindered by", "lack of"),
safety ("thrombotic risk"), models ("in neonatal models") and trial phases ("early-phase
clinical trials").  They work on dash-folded lowercase text, so "early‐phase" (U+2010)
and "early-phase" read the same.
"""

from __future__ import annotations

import re

from evlint.evidence.model import BASIS_LEVELS
from evlint.evidence.vocab import find_terms, normalise_for_scan
from evlint.records import record
from evlint.regex_cache import compile_regex

_LIMITATION_RE = compile_regex(
    r"\bhinder(?:s|ed)?\b|\bchallenges?\b|\bbarriers\b|\bbarrier to\b|\black(?:s|ing)? of\b"
    r"|\blimited\b|\blimitations?\b|\bgaps?\b|\binconsistent\b|\bincomplete\b|\bvariability\b"
    r"|\bheterogene(?:ity|ous)\b|\bremains? (?:unclear|unknown|to be)\b|\bunclear\b"
    r"|\bnot (?:yet )?(?:been )?(?:established|known|clear|approved|standardi[sz]ed)\b"
    r"|\bfurther (?:research|studies|trials|work) (?:is |are )?(?:needed|required|warranted)\b"
    r"|\b(?:is|are|remains?) (?:essential|needed|required|necessary) to\b"
    r"|\bbefore clinical (?:use|translation|application)\b"
    r"|\bsmall (?:sample|number|studies|trials?)\b|\bsample size[^.;]*\bsmall\b"
    r"|\bshort[^.;]*\bfollow-up\b|\bfollow-up[^.;]*\bshort\b|\buncertain"
    r"|\bnot (?:been )?(?:adequately|fully|well) (?:studied|characteri[sz]ed|understood)\b"
    r"|\b(?:high|unclear) risk of bias\b"
)
# "reduced the risk of NEC" is a benefit, not a safety statement.
_SAFETY_RE = compile_regex(
    r"\bsafety\b|\bsafe\b|\badverse\b|\bside effects?\b|\brisks?\b|\bthrombo\w*|\btoxic\w*"
    r"|\bpro-?coagulant\b"
    r"|\bcomplications?\b|\bharms?\b|\bimmunogenic\w*|\btumou?rigenic\w*"
)
_BENEFIT_RISK_RE = compile_regex(r"\b(?:reduc\w*|lower\w*|decreas\w*) (?:the )?risks?\b")
_CONTRAST_RE = compile_regex(r",? but |; however,? |, however, | whereas ")
_NEGATED_BEFORE_RE = compile_regex(
    r"(?:\bno\b|\black of\b|\babsence of\b|\bwithout\b|\bnot yet\b|\bawait\w*|\bneed for\b"
    r"|\bneeded\b|\bfuture\b|\brequire\w*\b|\bshould\b)[^.;]{0,40}$"
)

# (basis term, pattern): what a source's statements say its evidence is.
_BASIS_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("in vitro", compile_regex(r"\bin vitro\b|\bcell (?:lines?|cultures?)\b|\bcultured cells\b")),
    (
        "animal",
        compile_regex(
            r"\b(?:mice|mouse|rats?|murine|rodents?|piglets?|lambs?|rabbits?|zebrafish"
            r"|non-human primates?|animal (?:models?|studies|experiments))\b"
        ),
    ),
    (
        "preclinical",
        compile_regex(r"\bpre-?clinical\b|\b(?:disease|neonatal|experimental|injury) models?\b"),
    ),
    ("case report", compile_regex(r"\bcase (?:reports?|series)\b")),
    (
        "observational",
        compile_regex(r"\bcohorts?\b|\bobservational\b|\bcase-control\b|\bregistry\b"),
    ),
    (
        "early-phase trial",
        compile_regex(
            r"\bearly(?:-phase| phase)? (?:clinical )?(?:trials?|studies)\b"
            r"|\bphase (?:i|ii|1|2|i/ii|1/2|i-ii|1-2)[ab]?\b(?! ?i)|\bpilot (?:study|trial)s?\b"
            r"|\bfirst-in-human\b"
        ),
    ),
    (
        "rct",
        compile_regex(
            r"\brandomi[sz]ed(?: placebo-)?(?: controlled)? (?:clinical )?trials?\b|\brcts?\b"
            r"|\bphase (?:iii|3)\b"
        ),
    ),
)

# (design, pattern) in priority order: the first match in a self-description wins.
_DESIGN_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("meta-analysis", compile_regex(r"\bmeta-?analys[ie]s\b")),
    ("systematic review", compile_regex(r"\bsystematic (?:literature )?reviews?\b")),
    ("guideline", compile_regex(r"\bguidelines?\b|\bconsensus statement\b")),
    (
        "narrative review",
        compile_regex(
            r"\breview(?:s|ed|ing)?\b|\boverview\b|\bstate of the art\b|\bsummari[sz]es\b"
        ),
    ),
    ("rct", compile_regex(r"\brandomi[sz]ed\b|\brcts?\b|\bplacebo-controlled\b")),
    (
        "early-phase trial",
        compile_regex(
            r"\bphase (?:i|ii|1|2|i/ii|1/2)[ab]?\b|\bpilot (?:study|trial)\b|\bfirst-in-human\b"
            r"|\bearly-phase\b|\bopen-label\b|\bdose-escalation\b"
        ),
    ),
    ("case-control", compile_regex(r"\bcase-control\b")),
    ("cohort", compile_regex(r"\bcohort\b|\bprospective (?:study|observational)\b")),
    ("case report", compile_regex(r"\bcase (?:report|series)\b|\bwe (?:report|describe) a case\b")),
    ("animal", _BASIS_CUES[1][1]),
    ("in vitro", _BASIS_CUES[0][1]),
)

_HUMAN_RE = compile_regex(
    r"\bpatients?\b|\bparticipants?\b|\bhumans?\b|\bvolunteers?\b|\bclinical trials?\b"
    r"|\btrials?\b"
)


@record
class Clause:
    """A classified piece of a sentence: ``start`` is its offset within the sentence."""

    kind: str
    start: int
    text: str


def statement_kind(text: str) -> str:
    """``limitation`` beats ``safety`` beats ``finding``: "limited safety data" is a gap."""
    folded = normalise_for_scan(text)
    if _LIMITATION_RE.search(folded):
        return "limitation"
    safety = _SAFETY_RE.search(_BENEFIT_RISK_RE.sub(" ", folded))
    return "safety" if safety else "finding"


def classify_sentence(sentence: str) -> list[Clause]:
    """One clause per kind: "X shows promise but faces challenges" -> finding + limitation."""
    folded = normalise_for_scan(sentence)
    match = _CONTRAST_RE.search(folded)
    if match:
        head, tail = sentence[: match.start()], sentence[match.start() :].lstrip(",; ")
        head_kind, tail_kind = statement_kind(head), statement_kind(tail)
        if head_kind != tail_kind:
            tail_start = len(sentence) - len(tail)
            return [Clause(head_kind, 0, head.strip()), Clause(tail_kind, tail_start, tail)]
    return [Clause(statement_kind(sentence), 0, sentence.strip())]


def basis_in(text: str) -> list[str]:
    """Evidence-basis terms a text asserts (not ones it says are missing or needed)."""
    folded = normalise_for_scan(text)
    found: list[str] = []
    for term, rx in _BASIS_CUES:
        for match in rx.finditer(folded):
            if not _NEGATED_BEFORE_RE.search(folded[: match.start()]):
                found.append(term)
                break
    return found


def order_basis(terms: list[str]) -> tuple[str, ...]:
    """Deduplicated, weakest first."""
    unique = dict.fromkeys(terms)
    return tuple(sorted(unique, key=lambda t: BASIS_LEVELS.get(t, 0)))


def design_in(text: str) -> str | None:
    folded = normalise_for_scan(text)
    for design, rx in _DESIGN_CUES:
        if rx.search(folded):
            return design
    return None


def phase_of(text: str) -> str | None:
    """What stage of research a statement reports, if it says."""
    basis = basis_in(text)
    if not basis:
        return None
    strongest = max(basis, key=lambda t: BASIS_LEVELS.get(t, 0))
    if strongest in {"in vitro", "animal", "preclinical"}:
        return "preclinical"
    return strongest


def population_of(text: str) -> str | None:
    """Who or what a statement's result is in: a model, or a human population."""
    basis = basis_in(text)
    if "in vitro" in basis:
        return "cell"
    if "animal" in basis:
        return "animal"
    if "preclinical" in basis:
        return "preclinical"
    people = find_terms(text, "populations")
    if people:
        return people[0][1]
    if _HUMAN_RE.search(normalise_for_scan(text)):
        return "human"
    return None
