"""How messages name evidence: which source, how it was linked, what it rests on."""

from __future__ import annotations

import re
from collections.abc import Iterable

from evlint.evidence.model import Evidence, EvidenceItem
from evlint.linking.grading import effective_design
from evlint.linking.link import VIA_CITATION, Link
from evlint.model import Related

_TITLE_WIDTH = 70
_QUOTE_WIDTH = 160

_NOUNS: dict[str, str] = {
    "narrative review": "review",
    "systematic review": "systematic review",
    "meta-analysis": "meta-analysis",
    "rct": "randomised trial",
    "early-phase trial": "early-phase trial",
    "cohort": "cohort study",
    "case-control": "case-control study",
    "case report": "case report",
    "animal": "animal study",
    "in vitro": "laboratory study",
    "regulatory": "regulatory notice",
    "guideline": "guideline",
}
_BASIS: dict[str, str] = {
    "in vitro": "laboratory (in vitro) studies",
    "preclinical": "preclinical studies",
    "animal": "animal studies",
    "case report": "case reports",
    "observational": "observational studies",
    "cohort": "cohort studies",
    "case-control": "case-control studies",
    "early-phase trial": "early-phase trials",
    "rct": "randomised trials",
}


def noun(evidence: Evidence) -> str:
    return _NOUNS.get(effective_design(evidence), "source")


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def source_phrase(link: Link) -> str:
    """ "the cited review 'Title' (doi:…)" or "evidence on this topic in the library (…)"."""
    evidence = link.evidence
    title = shorten(evidence.title or evidence.id, _TITLE_WIDTH)
    if link.via == VIA_CITATION:
        return f"the cited {noun(evidence)} '{title}' ({evidence.primary_key})"
    return f"evidence on this topic in the library (the {noun(evidence)} '{title}', {evidence.id})"


def status_phrase(evidence: Evidence) -> str:
    """What the source itself says it rests on, e.g. "reports preclinical studies and
    early-phase trials only" or "is an animal study"."""
    basis = [_BASIS[b] for b in evidence.evidence_basis if b in _BASIS]
    if basis and evidence.design in {"narrative review", "systematic review", "meta-analysis"}:
        joined = basis[0] if len(basis) == 1 else ", ".join(basis[:-1]) + " and " + basis[-1]
        return f"reports {joined} only"
    design = effective_design(evidence)
    if design in _NOUNS and design != "narrative review":
        name = _NOUNS[design]
        return f"is {'an' if name[0] in 'aeiou' else 'a'} {name}"
    return "is a narrative review that does not report controlled trials"


def quote(item: EvidenceItem, focus: re.Pattern[str] | None = None) -> str:
    """The statement in quotes; a long one from the clause where ``focus`` first matches,
    so "…, and limited safety data, particularly regarding … thrombotic risk" survives."""
    text = " ".join(item.text.split())
    if focus is not None and len(text) > _QUOTE_WIDTH:
        found = focus.search(text)
        if found is not None:
            clause = max(text.rfind(", ", 0, found.start()), text.rfind("; ", 0, found.start()))
            if clause > 0:
                text = "…" + text[clause + 2 :]
    return f'"{shorten(text, _QUOTE_WIDTH)}"'


def sources_phrase(links: Iterable[Link]) -> str:
    """Several sources in one phrase, grouped by how they were linked."""
    links = list(links)
    cited = list(
        dict.fromkeys(
            f"{link.evidence.id} ({link.evidence.primary_key})"
            for link in links
            if link.via == VIA_CITATION
        )
    )
    topical = list(dict.fromkeys(link.evidence.id for link in links if link.via != VIA_CITATION))
    parts = []
    if cited:
        parts.append(
            "the cited " + ("source " if len(cited) == 1 else "sources ") + ", ".join(cited)
        )
    if topical:
        parts.append("evidence on this topic in the library (" + ", ".join(topical) + ")")
    return " and ".join(parts)


def related(item: EvidenceItem, label: str) -> Related:
    return Related(
        item.path, item.line, f"{label}: {shorten(item.text, _QUOTE_WIDTH)}", item.column
    )


def related_source(evidence: Evidence, label: str) -> Related:
    return Related(
        evidence.path, evidence.line, f"{label}: {shorten(evidence.title, _TITLE_WIDTH)}"
    )
